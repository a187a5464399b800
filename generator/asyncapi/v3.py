"""AsyncAPI 3.0 and 3.1 → IR.

Direction: a 3.x document describes one application, and asyncgen reads every 3.x document the
way it reads every 2.x one: as a description of the *server*. An operation with
`action: receive` lists what the server receives, i.e. what a client sends (2.x `publish`); an
operation with `action: send` lists what a client receives (2.x `subscribe`). The messages of an
operation's `reply` go the other way: the reply to a `receive` is something the client receives,
on the reply's channel (or on the operation's own channel when the reply names none).

A document written from the client's side (`action: send` = the client sends) is read the other
way round (`perspective`): every direction below is then swapped.

Channels: `channels.<key>.address` is the path on the server (`{param}` placeholders kept); a null
or missing address means the key is used instead. Channels that share one address are one
WebSocket endpoint, so they become one IR channel (named after the first of them in the
document) whose directions hold the messages of all of them. An operation without `messages`
carries every message of its channel. Channels that no operation names are kept, with no
messages in either direction, as 2.x channels without operations are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import ir, naming
from ..diagnostics import Problems
from ..loading import Document, pointer_tokens
from .brokers import PartReply, build_brokers, check_security, classify, ws_parts
from .common import Builder, _text
from .perspective import Operation, Perspective, client_side
from .schemas import Loc
from .security import security_schemes
from .sockets import Part, SocketMode, build_sockets, server_variables


@dataclass
class _Channel:
    key: str
    address: str
    value: dict[str, Any]
    loc: Loc
    messages: dict[str, ir.Message] = field(default_factory=dict)  # by the channel's own keys
    sends: list[ir.Message] = field(default_factory=list)  # what a client sends
    receives: list[ir.Message] = field(default_factory=list)  # what a client receives
    operations: list[tuple[Any, Loc]] = field(default_factory=list)  # naming this channel
    replies: list[PartReply] = field(default_factory=list)  # of those operations


def parse(
    doc: Document,
    problems: Problems,
    package: str,
    spec_name: str,
    perspective: Perspective | None = None,
    sockets: SocketMode = "auto",
) -> ir.Api:
    root = doc.root
    top = Loc(doc.root_file, "")
    builder = Builder(doc, problems, _text(root, "defaultContentType"))
    components, components_loc = builder.deref(
        root.get("components") or {}, top.child("components")
    )
    components = components if isinstance(components, dict) else {}

    # Components first, in document order, so that their names are the ones the document uses.
    schemas, schemas_loc = builder.deref(
        components.get("schemas") or {}, components_loc.child("schemas")
    )
    for key, value in schemas.items() if isinstance(schemas, dict) else ():
        # A component that is only a `$ref` is named where its target lives, with its value.
        target, home = builder.deref(value, schemas_loc.child(key))
        builder.schemas.name_at(target, home, key)
    messages, messages_loc = builder.deref(
        components.get("messages") or {}, components_loc.child("messages")
    )
    for key, value in messages.items() if isinstance(messages, dict) else ():
        builder.message(value, messages_loc.child(key), key)

    servers, security = _servers(
        builder, root.get("servers"), top.child("servers"), components, components_loc
    )
    locs = {s.name: s.loc for s in servers}
    check_security(builder, tuple(s.server for s in servers), security, locs)

    channels = _channels(builder, root.get("channels"), top.child("channels"))
    by_loc = {c.loc: c for c in reversed(channels)}  # two keys for one channel: the first wins
    operations, operations_loc = builder.deref(
        root.get("operations") or {}, top.child("operations")
    )
    found = [
        (key, *builder.deref(value, operations_loc.child(key)))
        for key, value in (operations.items() if isinstance(operations, dict) else ())
    ]
    reading = "`action: send` is what the client sends, `action: receive` what it receives"
    mirrored = client_side(builder, _operations(found), perspective, reading)
    for key, value, loc in found:
        _operation(builder, key, value, loc, channels, by_loc, mirrored)

    server_names = {s.loc: s.name for s in servers}
    groups: dict[str, list[_Channel]] = {}
    for channel in channels:
        groups.setdefault(channel.address, []).append(channel)
    parts = []
    for address, group in groups.items():
        first = group[0]
        _check_bindings(builder, group)
        names: list[str] = []
        for channel in group:
            for name in _channel_servers(builder, channel, server_names):
                if name not in names:
                    names.append(name)
        parts.append(
            Part(
                first.key,
                address,
                first.value,
                first.loc,
                [m for c in group for m in c.sends],
                [m for c in group for m in c.receives],
                first.value.get("parameters"),
                tuple(names),
                operations=tuple(o for c in group for o in c.operations),
                replies=tuple(r for c in group for r in c.replies),
            )
        )
    ir_servers = tuple(s.server for s in servers)
    sockets_ = build_sockets(builder, ws_parts(parts, ir_servers), ir_servers, sockets)
    brokers = build_brokers(builder, parts, ir_servers)
    return builder.api(root, package, spec_name, ir_servers, sockets_, security, brokers)


# -- channels ------------------------------------------------------------------------------------


def _channels(builder: Builder, raw: Any, loc: Loc) -> list[_Channel]:
    raw, loc = builder.deref(raw or {}, loc)
    out = []
    for key, value in raw.items() if isinstance(raw, dict) else ():
        channel = _channel(builder, key, value, loc.child(key))
        if channel is not None:
            out.append(channel)
    return out


def _channel(builder: Builder, key: str, value: Any, loc: Loc) -> _Channel | None:
    value, channel_loc = builder.deref(value, loc)
    if not isinstance(value, dict):
        builder.error("channel", "a channel must be an object", loc)
        return None
    address = value.get("address")
    if address is not None and not isinstance(address, str):
        builder.error(
            "channel-address",
            f"a channel address must be a string or null, not {type(address).__name__}",
            channel_loc.child("address"),
        )
        return None
    channel = _Channel(key, address or key, value, channel_loc)
    # Every message of the channel, in document order, so that names follow the document even
    # for messages that no operation mentions.
    found, found_loc = builder.deref(value.get("messages") or {}, channel_loc.child("messages"))
    for name, message in found.items() if isinstance(found, dict) else ():
        built = builder.message(message, found_loc.child(name), name)
        if built is not None:
            channel.messages[name] = built
    return channel


def _check_bindings(builder: Builder, group: list[_Channel]) -> None:
    """Channels merged into one endpoint: only the first one's ws binding can apply."""
    first = group[0]
    ws = _ws_binding(builder, first)
    for other in group[1:]:
        theirs = _ws_binding(builder, other)
        if theirs is not None and theirs != ws:
            builder.warn(
                "channel-address",
                f"channel {other.key!r} shares the address {first.address!r} with channel "
                f"{first.key!r}, whose ws binding (query, headers, parameters) applies to both",
                other.loc.child("bindings", "ws"),
            )


def _ws_binding(builder: Builder, channel: _Channel) -> Any:
    bindings, loc = builder.deref(channel.value.get("bindings"), channel.loc.child("bindings"))
    if not isinstance(bindings, dict):
        return None
    return builder.deref(bindings.get("ws"), loc.child("ws"))[0]


def _channel_servers(builder: Builder, channel: _Channel, names: dict[Loc, str]) -> list[str]:
    refs = channel.value.get("servers")
    out = []
    for index, ref in enumerate(refs if isinstance(refs, list) else ()):
        _, target = builder.deref(ref, channel.loc.child("servers", index))
        name = names.get(target) or _last_token(ref)
        if name:
            out.append(name)
    return out


# -- operations ----------------------------------------------------------------------------------


def _operation(
    builder: Builder,
    key: str,
    value: Any,
    loc: Loc,
    channels: list[_Channel],
    by_loc: dict[Loc, _Channel],
    mirrored: bool,
) -> None:
    if not isinstance(value, dict):
        builder.error("operation", "an operation must be an object", loc)
        return
    action = value.get("action")
    if action not in ("send", "receive"):
        builder.error(
            "operation-action",
            f"an operation's action must be 'send' or 'receive', not {action!r}",
            loc.child("action") if "action" in value else loc,
        )
        return
    channel = _channel_of(builder, value.get("channel"), loc.child("channel"), channels, by_loc)
    if channel is None:
        return
    # `receive`: the server receives what the client sends (see the module docstring).
    client_sends = (action == "receive") != mirrored
    requests = _messages(builder, value, loc, channel, key)
    (channel.sends if client_sends else channel.receives).extend(requests)
    channel.operations.append((value, loc))

    reply, reply_loc = builder.deref(value.get("reply"), loc.child("reply"))
    if reply is None:
        return
    if not isinstance(reply, dict):
        builder.error("operation-reply", "an operation's reply must be an object", reply_loc)
        return
    reply_channel = channel
    if "channel" in reply:
        reply_channel = (
            _channel_of(builder, reply["channel"], reply_loc.child("channel"), channels, by_loc)
            or channel
        )
    replies = _messages(builder, reply, reply_loc, reply_channel, key + "Reply")
    (reply_channel.receives if client_sends else reply_channel.sends).extend(replies)
    channel.replies.append(PartReply(requests, replies, _reply_address(builder, reply, reply_loc)))


def _reply_address(builder: Builder, reply: dict[str, Any], loc: Loc) -> str:
    """Where the reply goes as the document says it: its address's location, or its channel's."""
    address, _ = builder.deref(reply.get("address"), loc.child("address"))
    if isinstance(address, dict) and isinstance(address.get("location"), str):
        return str(address["location"])
    channel, _ = builder.deref(reply.get("channel"), loc.child("channel"))
    if isinstance(channel, dict) and isinstance(channel.get("address"), str):
        return str(channel["address"])
    return ""


def _operations(found: list[tuple[str, Any, Loc]]) -> list[Operation]:
    """The operations, for telling which side the document describes."""
    out = []
    for key, value, loc in found:
        if not isinstance(value, dict) or value.get("action") not in ("send", "receive"):
            continue
        texts = ((key, loc),) + tuple(
            (value[field], loc.child(field))
            for field in ("operationId", "summary", "title")
            if isinstance(value.get(field), str)
        )
        label = f"action: {value['action']}"
        out.append(Operation(value["action"] == "receive", texts, label))
    return out


def _channel_of(
    builder: Builder,
    ref: Any,
    loc: Loc,
    channels: list[_Channel],
    by_loc: dict[Loc, _Channel],
) -> _Channel | None:
    """The channel an operation (or a reply) refers to; one outside `channels` is added."""
    value, target = builder.deref(ref, loc)
    if target in by_loc:
        return by_loc[target]
    if not isinstance(value, dict):
        if ref is None:
            builder.error("operation-channel", "an operation must name its channel", loc)
        return None  # an unresolved $ref: the loader has reported it
    key = _last_token(ref) or "channel"
    builder.warn(
        "operation-channel",
        f"the operation's channel is not one of the document's `channels`; it is added as {key!r}",
        loc,
        hint="refer to channels with $ref: '#/channels/<name>'",
    )
    channel = _channel(builder, key, ref, loc)
    if channel is None:
        return None
    channels.append(channel)
    by_loc[target] = channel
    return channel


def _messages(
    builder: Builder, operation: dict[str, Any], loc: Loc, channel: _Channel, key: str
) -> list[ir.Message]:
    """The operation's (or reply's) `messages`; every message of the channel when absent."""
    if "messages" not in operation:
        return list(channel.messages.values())
    refs, refs_loc = builder.deref(operation["messages"], loc.child("messages"))
    if not isinstance(refs, list):
        builder.error("operation-messages", "`messages` must be a list of $refs", refs_loc)
        return []
    out = []
    for index, ref in enumerate(refs):
        fallback = _last_token(ref) or f"{key}Message{index + 1}"
        message = builder.message(ref, refs_loc.child(index), fallback)
        if message is not None:
            out.append(message)
    return out


def _last_token(ref: Any) -> str:
    if not (isinstance(ref, dict) and isinstance(ref.get("$ref"), str)):
        return ""
    fragment = ref["$ref"].partition("#")[2]
    try:
        tokens = pointer_tokens(fragment)
    except ValueError:
        return ""
    return tokens[-1] if tokens else ""


# -- servers -------------------------------------------------------------------------------------


@dataclass
class _Server:
    name: str
    loc: Loc
    server: ir.Server


def _servers(
    builder: Builder, raw: Any, loc: Loc, components: dict[str, Any], components_loc: Loc
) -> tuple[list[_Server], tuple[ir.SecurityScheme, ...]]:
    """The servers, and the security schemes: components' first, then ones written inline."""
    schemes, schemes_loc = builder.deref(
        components.get("securitySchemes"), components_loc.child("securitySchemes")
    )
    scheme_keys: dict[Loc, str] = {}
    for key, scheme in schemes.items() if isinstance(schemes, dict) else ():
        scheme_keys.setdefault(builder.deref(scheme, schemes_loc.child(key))[1], key)
    raw, loc = builder.deref(raw or {}, loc)
    inline: list[tuple[str, Any]] = []
    keys = naming.Namespace(set(scheme_keys.values()))
    pending = []
    names = naming.Namespace()
    for name, server in raw.items() if isinstance(raw, dict) else ():
        server, server_loc = builder.deref(server, loc.child(name))
        if not isinstance(server, dict):
            continue
        requirements: list[tuple[str, ...]] = []
        security, security_loc = builder.deref(server.get("security"), server_loc.child("security"))
        for index, item in enumerate(security if isinstance(security, list) else ()):
            scheme, scheme_loc = builder.deref(item, security_loc.child(index))
            if not isinstance(scheme, dict):
                continue
            key = scheme_keys.get(scheme_loc)
            if key is None:  # a scheme written in place: it gets a key of its own
                key = keys.claim(f"{name}Security{index + 1}")
                scheme_keys[scheme_loc] = key
                inline.append((key, scheme))
            requirements.append((key,))
        protocol = _text(server, "protocol")
        host = _text(server, "host")
        pathname = _text(server, "pathname")
        if pathname and not pathname.startswith("/"):
            pathname = "/" + pathname
        url = host + pathname
        if "://" not in url and protocol:
            url = f"{protocol}://{url}"
        pending.append(
            _Server(
                name,
                server_loc,
                classify(
                    builder,
                    ir.Server(
                        name=name,
                        py_name=names.claim(naming.attribute(name, fallback="server")),
                        url=url,
                        protocol=protocol,
                        description=_text(server, "description"),
                        security=tuple(requirements),
                        params=builder.server_binding_params(server, server_loc),
                        variables=server_variables(
                            builder, url, server.get("variables"), server_loc.child("variables")
                        ),
                    ),
                    server,
                    server_loc,
                ),
            )
        )
    security = security_schemes(
        builder, components.get("securitySchemes"), components_loc.child("securitySchemes"), inline
    )
    return pending, security
