"""AsyncAPI 2.0–2.6 → IR.

A 2.x document describes the server: `publish` is what the server receives, i.e. what a client
sends, and `subscribe` is what a client receives. A document written from the client's side is
read the other way round (`perspective`).
"""

from __future__ import annotations

from typing import Any

from .. import ir, naming
from ..diagnostics import Problems
from ..loading import Document
from .brokers import build_brokers, check_security, classify, ws_parts
from .common import Builder, _text
from .perspective import Operation, Perspective, client_side
from .schemas import Loc
from .security import security_schemes
from .sockets import Part, SocketMode, build_sockets, server_variables


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
    schema_items = list(schemas.items()) if isinstance(schemas, dict) else []
    homes = [(key, _home(builder, value, schemas_loc.child(key))) for key, value in schema_items]
    builder.schemas.keep_class_names(homes)
    for (key, value), (_, home) in zip(schema_items, homes):
        # Named at its home with the value found there: the `$ref` itself would name itself.
        builder.schemas.name_at(builder.deref(value, schemas_loc.child(key))[0], home, key)
    messages, messages_loc = builder.deref(
        components.get("messages") or {}, components_loc.child("messages")
    )
    for key, value in (messages or {}).items() if isinstance(messages, dict) else ():
        builder.message(value, messages_loc.child(key), key)

    security = security_schemes(
        builder, components.get("securitySchemes"), components_loc.child("securitySchemes")
    )
    servers, locs = _servers(builder, root.get("servers"), top.child("servers"))
    check_security(builder, servers, security, locs)

    parts = []
    raw_channels = root.get("channels") or {}
    found = [
        (address, *builder.deref(value, top.child("channels", address)))
        for address, value in (raw_channels.items() if isinstance(raw_channels, dict) else ())
    ]
    reading = "`subscribe` is what the client sends, `publish` what it receives"
    mirrored = client_side(builder, _operations(builder, found), perspective, reading)
    for address, value, loc in found:
        if not isinstance(value, dict):
            builder.error("channel", "a channel must be an object", loc)
            continue
        publish = _operation_messages(
            builder, value.get("publish"), loc.child("publish"), address, "Publish"
        )
        subscribe = _operation_messages(
            builder, value.get("subscribe"), loc.child("subscribe"), address, "Subscribe"
        )
        sends, receives = (subscribe, publish) if mirrored else (publish, subscribe)
        names = value.get("servers")
        parts.append(
            Part(
                address,
                address,
                value,
                loc,
                sends,
                receives,
                value.get("parameters"),
                tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else (),
                operations=tuple(
                    (value.get(kind), loc.child(kind)) for kind in ("publish", "subscribe")
                ),
            )
        )
    channels = build_sockets(builder, ws_parts(parts, servers), servers, sockets)
    brokers = build_brokers(builder, parts, servers)
    return builder.api(root, package, spec_name, servers, channels, security, brokers)


def _operations(builder: Builder, channels: list[tuple[str, Any, Loc]]) -> list[Operation]:
    """The operations of the channels, for telling which side the document describes."""
    out = []
    for _, channel, loc in channels:
        for kind in ("publish", "subscribe") if isinstance(channel, dict) else ():
            operation, at = builder.deref(channel.get(kind), loc.child(kind))
            if not isinstance(operation, dict):
                continue
            texts = tuple(
                (operation[key], at.child(key))
                for key in ("operationId", "summary", "title")
                if isinstance(operation.get(key), str)
            )
            out.append(Operation(kind == "publish", texts, f"under {kind}"))
    return out


def _home(builder: Builder, value: Any, loc: Loc) -> Loc:
    """A component that is only a `$ref` is named where its target lives (one class, not two)."""
    _, target = builder.deref(value, loc)
    return target


def _operation_messages(
    builder: Builder, operation: Any, loc: Loc, address: str, role: str
) -> list[ir.Message]:
    operation, loc = builder.deref(operation, loc)
    if not isinstance(operation, dict) or "message" not in operation:
        return []
    raw, raw_loc = builder.deref(operation["message"], loc.child("message"))
    base = _text(operation, "operationId") or naming.pascal(address) + role
    if isinstance(raw, dict) and isinstance(raw.get("oneOf"), list):
        found = []
        for index, item in enumerate(raw["oneOf"]):
            message = builder.message(
                item, raw_loc.child("oneOf", index), f"{base}Message{index + 1}"
            )
            if message is not None:
                found.append(message)
        return found
    message = builder.message(operation["message"], loc.child("message"), f"{base}Message")
    return [message] if message is not None else []


def _servers(
    builder: Builder, servers: Any, loc: Loc
) -> tuple[tuple[ir.Server, ...], dict[str, Loc]]:
    """The servers, and where each is written."""
    servers, loc = builder.deref(servers, loc)
    names = naming.Namespace()
    out, locs = [], {}
    for name, server in (servers or {}).items() if isinstance(servers, dict) else ():
        server, server_loc = builder.deref(server, loc.child(name))
        if not isinstance(server, dict):
            continue
        protocol = _text(server, "protocol")
        url = _text(server, "url")
        if "://" not in url and protocol:
            url = f"{protocol}://{url}"
        security = server.get("security")
        built = ir.Server(
            name=name,
            py_name=names.claim(naming.attribute(name, fallback="server")),
            url=url,
            protocol=protocol,
            description=_text(server, "description"),
            security=_requirements(security),
            params=builder.server_binding_params(server, server_loc),
            variables=server_variables(
                builder, url, server.get("variables"), server_loc.child("variables")
            ),
        )
        out.append(classify(builder, built, server, server_loc))
        locs[name] = server_loc
    return tuple(out), locs


def _requirements(security: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(security, list):
        return ()
    return tuple(tuple(k for k in item) for item in security if isinstance(item, dict))
