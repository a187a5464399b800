"""Broker channels: the document's channels as MQTT topics, AMQP routing keys and NATS subjects,
and which client each server gets (see `docs/client.md`, "Broker clients").

A server's protocol decides its client: `ws`/`wss` the WebSocket client, `mqtt`/`mqtts`/
`secure-mqtt` the MQTT client, `amqp`/`amqps` the AMQP client, `nats` the NATS client; any other
protocol gets no client (models, validators and `codec.py` only) and a located
`protocol-not-generated` warning. A broker channel is the document's channel, never grouped into
sockets: its address is the topic with `{param}` placeholders, its parameters typed arguments,
its messages one union of everything the channel carries. The bindings a client honours are read
here; every other binding key of those protocols is a located `binding-ignored` warning.

A broker client authenticates with `user`/`password`, a TLS context (client certificates) and,
for NATS, a token; a broker server none of whose security alternatives that covers gets a located
`security-not-applied` warning, so that an OAuth 2 or SCRAM server is not a silent refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .. import ir, naming
from .common import Builder, _text
from .schemas import Loc
from .sockets import Part

CLIENTS = {
    "ws": "ws",
    "wss": "ws",
    "mqtt": "mqtt",
    "mqtts": "mqtt",
    "secure-mqtt": "mqtt",
    "amqp": "amqp",
    "amqps": "amqp",
    "nats": "nats",
}
SECURE = frozenset({"wss", "mqtts", "secure-mqtt", "amqps"})
BROKERS = ("mqtt", "amqp", "nats")  # the broker clients, in the order their modules are listed

# The binding keys each client honours (`bindingVersion` is read by nobody and never reported).
_HONOURED = {
    ("mqtt", "server"): {"clientId", "cleanSession"},
    ("mqtt", "channel"): set(),
    ("mqtt", "operation"): {"qos", "retain"},
    ("mqtt", "message"): set(),
    ("amqp", "server"): set(),
    ("amqp", "channel"): {"is", "exchange", "queue"},
    ("amqp", "operation"): {"deliveryMode"},
    ("amqp", "message"): set(),
    ("nats", "server"): set(),
    ("nats", "channel"): set(),
    ("nats", "operation"): {"queue"},
    ("nats", "message"): set(),
}
_EXCHANGE_TYPES = ("topic", "direct", "fanout", "headers")


@dataclass
class PartReply:
    """A 3.x operation's reply, as the parser found it on a channel."""

    requests: list[ir.Message]
    replies: list[ir.Message]
    address: str


def classify(builder: Builder, server: ir.Server, raw: dict[str, Any], loc: Loc) -> ir.Server:
    """The server with the client that reaches it, and the MQTT server binding it declares."""
    protocol = server.protocol.lower()
    scheme = server.url.split("://", 1)[0].lower() if "://" in server.url else ""
    client = CLIENTS.get(protocol, "ws" if scheme in ("ws", "wss") else "")
    if not protocol and not client:
        client = CLIENTS.get(scheme, "")
    secure = protocol in SECURE or scheme in SECURE or (client == "nats" and scheme == "tls")
    if client == "":
        builder.warn(
            "protocol-not-generated",
            f"no client for {protocol or 'unknown-protocol'} server `{server.name}`: "
            "models, validators and codec.py only",
            loc.child("protocol"),
        )
    client_id: str = ""
    clean_session: bool | None = None
    mqtt = _binding(builder, raw, loc, "mqtt", "server") if client == "mqtt" else None
    if mqtt is not None:
        value, _ = mqtt
        client_id = _text(value, "clientId")
        found = value.get("cleanSession")
        clean_session = found if isinstance(found, bool) else None
    return replace(
        server, client=client, secure=secure, client_id=client_id, clean_session=clean_session
    )


# The security scheme types every broker client applies: user and password (`plain` is SASL's
# name for them), client certificates through `tls_context`; an `apiKey` is sent as the user or
# the password. NATS also takes a token (`SecurityScheme.token`).
_APPLIED = frozenset({"userPassword", "plain", "X509", "apiKey"})


def check_security(
    builder: Builder,
    servers: tuple[ir.Server, ...],
    schemes: tuple[ir.SecurityScheme, ...],
    locs: dict[str, Loc],
) -> None:
    """A `security-not-applied` warning for each broker server whose client applies none of
    its security alternatives (`locs`: each server's place)."""
    by_key = {s.key: s for s in schemes}
    for server in servers:
        if server.client not in BROKERS or not server.security or server.name not in locs:
            continue
        if any(all(_applied(by_key.get(k), server.client) for k in alt) for alt in server.security):
            continue
        needed = sorted(
            {
                f"{by_key[k].type} {k!r}"
                for alt in server.security
                for k in alt
                if not _applied(by_key.get(k), server.client)
            }
        )
        builder.warn(
            "security-not-applied",
            f"the {server.client.upper()} client does not apply the security of server "
            f"`{server.name}` ({', '.join(needed)})",
            locs[server.name].child("security"),
            hint="pass what the broker expects yourself: `user`/`password`, or an "
            "`ssl.SSLContext` with the client's certificate as `tls_context`",
        )


def _applied(scheme: ir.SecurityScheme | None, client: str) -> bool:
    if scheme is None:  # a key no scheme has: reported where it is read
        return True
    return scheme.type in _APPLIED or (client == "nats" and scheme.token)


def ws_parts(parts: list[Part], servers: tuple[ir.Server, ...]) -> list[Part]:
    """The channels the WebSocket client has: all of them when the document has no servers,
    else those that name a ws server, name no server, or name only servers it does not have."""
    if not servers:
        return parts
    if not any(s.client == "ws" for s in servers):
        return []
    clients = {s.name: s.client for s in servers}
    return [
        p
        for p in parts
        if not any(n in clients for n in p.servers)
        or any(clients.get(n) == "ws" for n in p.servers)
    ]


def build_brokers(
    builder: Builder, parts: list[Part], servers: tuple[ir.Server, ...]
) -> tuple[ir.BrokerChannel, ...]:
    """Every channel as a broker channel, when any server is not a WebSocket server."""
    if all(s.client == "ws" for s in servers):
        return ()
    protocols = {s.client for s in servers if s.client in BROKERS}
    attrs = naming.Namespace(
        naming.RESERVED_ATTRIBUTES | {"connect", "close", "start", "publish", "subscription"}
    )
    return tuple(_channel(builder, part, protocols, attrs) for part in parts)


def _channel(
    builder: Builder, part: Part, protocols: set[str], attrs: naming.Namespace
) -> ir.BrokerChannel:
    base = naming.pascal(part.key) or "Channel"
    params_ns = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"message", "self", "timeout"})
    declared = builder._path_params(part.parameters, part.loc.child("parameters"), params_ns)
    params = _address_params(part.address, declared, params_ns)
    messages = _unique([*part.sends, *part.receives])
    union = builder.union(base, "Message", messages)
    replies = tuple(
        ir.Reply(
            requests=tuple(m.key for m in reply.requests),
            union=builder.union(base, "Reply", reply.replies),
            address=reply.address,
        )
        for reply in part.replies
        if reply.requests and reply.replies
    )
    return ir.BrokerChannel(
        key=part.key,
        address=part.address,
        attr_name=attrs.claim(naming.attribute(part.key, fallback="channel")),
        class_name=naming.unique_class(builder.classes, base, suffix="Channel"),
        params_class=naming.unique_class(builder.classes, base, suffix="Params"),
        title=_text(part.value, "title"),
        description=_text(part.value, "description"),
        params=tuple(params),
        messages=union,
        sent=tuple(m.key for m in _unique(part.sends)),
        received=tuple(m.key for m in _unique(part.receives)),
        server_names=part.servers,
        options=_options(builder, part, protocols),
        replies=replies,
        origin=ir.Origin(part.loc.pointer),
    )


def _address_params(
    address: str, declared: list[ir.WsParam], names: naming.Namespace
) -> list[ir.WsParam]:
    """The parameters the address holds: those declared, in declaration order, then `{names}`
    it uses without declaring them (strings). A declared parameter the address does not hold
    is no argument: no topic could carry its value."""
    used = list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", address)))
    out = [p for p in declared if p.wire_name in used]
    for wire in used:
        if all(p.wire_name != wire for p in out):
            out.append(
                ir.WsParam(
                    wire_name=wire,
                    py_name=names.claim(naming.attribute(wire, fallback="param")),
                    location="path",
                    schema=ir.Primitive("string"),
                    required=True,
                    description="(not declared by the document: found in the address)",
                )
            )
    return out


def _unique(messages: list[ir.Message]) -> list[ir.Message]:
    return list({m.key: m for m in messages}.values())


def _options(builder: Builder, part: Part, protocols: set[str]) -> ir.BrokerOptions:
    """The bindings of the channel and its operations that the clients honour; the first
    operation that declares a value decides it."""
    found: dict[str, Any] = {}
    if "amqp" in protocols:
        amqp = _binding(builder, part.value, part.loc, "amqp", "channel")
        if amqp is not None:
            found |= _amqp_channel(builder, *amqp)
    for operation, loc in _with_traits(builder, part.operations):
        for protocol in sorted(protocols):
            binding = _binding(builder, operation, loc, protocol, "operation")
            if binding is None:
                continue
            value, at = binding
            for key, wanted in _OPERATION_KEYS[protocol].items():
                if key not in value:
                    continue
                if _valid(key, value[key]):
                    found.setdefault(wanted, value[key])
                else:
                    builder.warn(
                        "binding-ignored",
                        f"{protocol} binding `{key}: {value[key]!r}` is not a valid value; "
                        "the default is used",
                        at.child(key),
                    )
    return ir.BrokerOptions(**found)


def _with_traits(
    builder: Builder, operations: tuple[tuple[Any, Loc], ...]
) -> list[tuple[Any, Loc]]:
    """Each operation, then its traits (whose bindings apply where the operation has none)."""
    out = []
    for operation, loc in operations:
        operation, loc = builder.deref(operation, loc)
        out.append((operation, loc))
        traits, at = builder.deref(
            operation.get("traits") if isinstance(operation, dict) else None, loc.child("traits")
        )
        for index, trait in enumerate(traits if isinstance(traits, list) else ()):
            out.append(builder.deref(trait, at.child(index)))
    return out


_OPERATION_KEYS = {
    "mqtt": {"qos": "qos", "retain": "retain"},
    "amqp": {"deliveryMode": "delivery_mode"},
    "nats": {"queue": "group"},
}


def _valid(key: str, value: Any) -> bool:
    if key == "qos":
        return value in (0, 1, 2) and not isinstance(value, bool)
    if key == "retain":
        return isinstance(value, bool)
    if key == "deliveryMode":
        return value in (1, 2) and not isinstance(value, bool)
    return isinstance(value, str) and bool(value)


def _amqp_channel(builder: Builder, value: dict[str, Any], loc: Loc) -> dict[str, Any]:
    kind = value.get("is", "routingKey")
    if kind == "queue":
        queue, at = builder.deref(value.get("queue"), loc.child("queue"))
        queue = queue if isinstance(queue, dict) else {}
        _report_unknown(builder, queue, at, {"name", "durable", "exclusive", "autoDelete", "vhost"})
        name = queue.get("name")
        return {
            "queue": name if isinstance(name, str) else "",
            "queue_durable": queue.get("durable") is True,
            "queue_exclusive": queue.get("exclusive") is True,
            "queue_auto_delete": queue.get("autoDelete") is True,
        }
    exchange, at = builder.deref(value.get("exchange"), loc.child("exchange"))
    exchange = exchange if isinstance(exchange, dict) else {}
    _report_unknown(builder, exchange, at, {"name", "type", "durable", "autoDelete", "vhost"})
    kind_of = exchange.get("type", "topic")
    if kind_of not in _EXCHANGE_TYPES:
        builder.warn(
            "binding-ignored",
            f"amqp exchange type {kind_of!r} is not one of {', '.join(_EXCHANGE_TYPES)}; "
            "a topic exchange is declared",
            at.child("type"),
        )
        kind_of = "topic"
    name = exchange.get("name")
    return {
        "exchange": name if isinstance(name, str) else "",
        "exchange_type": kind_of,
        "exchange_durable": exchange.get("durable") is True,
        "exchange_auto_delete": exchange.get("autoDelete") is True,
    }


def _report_unknown(builder: Builder, value: dict[str, Any], loc: Loc, known: set[str]) -> None:
    if "vhost" in value:
        builder.warn(
            "binding-ignored",
            "amqp `vhost` is not set per channel: the client uses the vhost of the server URL",
            loc.child("vhost"),
        )
    for key in value:
        if key not in known:
            builder.warn("binding-ignored", f"amqp binding key `{key}` is not honoured", loc)


def _binding(
    builder: Builder, value: Any, loc: Loc, protocol: str, level: str
) -> tuple[dict[str, Any], Loc] | None:
    """The `protocol` binding of a server, channel, operation or message (resolved), with a
    `binding-ignored` warning for each key the client does not honour."""
    if not isinstance(value, dict):
        return None
    bindings, at = builder.deref(value.get("bindings"), loc.child("bindings"))
    if not isinstance(bindings, dict) or protocol not in bindings:
        return None
    binding, at = builder.deref(bindings[protocol], at.child(protocol))
    if not isinstance(binding, dict):
        return None
    honoured = _HONOURED[(protocol, level)]
    ignored = [k for k in binding if k not in honoured and k != "bindingVersion"]
    if ignored:
        names = ", ".join(f"`{k}`" for k in ignored)
        builder.warn(
            "binding-ignored",
            f"{protocol} {level} binding {names} {'is' if len(ignored) == 1 else 'are'} "
            "not honoured by the generated client",
            at.child(ignored[0]),
        )
    return binding, at
