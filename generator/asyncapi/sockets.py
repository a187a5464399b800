"""Which channels share one WebSocket: the document's channels grouped into the IR's sockets.

A channel is not always a socket. Documents written for one connection list each event
(`session.update`, `response.create`) or each topic (`ticker`, `book`) as a channel of its own;
their server URL (`wss://host/v1/realtime`) is the one socket. The rule (`docs/client.md`):

* an address that is not a path (no `/` in it: a dotted event name, a bare topic word) is a
  topic on its server's URL: every such channel of a server shares that server's socket;
* an address that repeats the end of its server's path (`…/stream-input` + `/stream-input`) is
  that server's socket too (the address is not appended twice);
* any other address is a path appended to the server's URL: one socket per path.

`sockets = "per-channel"` (one socket per address, appended) or `"per-server"` (one socket per
server, every channel a topic on it) in the spec's configuration replaces the rule. A socket that
carries several channels, or whose address was dropped, is printed as a build note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .. import ir, naming
from .common import Builder, _param_schema
from .schemas import Loc

SocketMode = Literal["auto", "per-channel", "per-server"]
WS_PROTOCOLS = ("ws", "wss")
_VERSION = re.compile(r"v?\d+(\.\d+)*", re.IGNORECASE)


@dataclass
class Part:
    """One document channel (or, in 3.x, the channels sharing one address) before grouping."""

    key: str
    address: str
    value: dict[str, Any]
    loc: Loc
    sends: list[ir.Message]
    receives: list[ir.Message]
    parameters: Any
    servers: tuple[str, ...]
    # For broker channels: the operations (with their places) whose bindings apply, and the
    # 3.x replies (`asyncapi/brokers.PartReply`).
    operations: tuple[tuple[Any, Loc], ...] = ()
    replies: tuple[Any, ...] = ()


def server_variables(
    builder: Builder, url: str, variables: Any, loc: Loc
) -> tuple[ir.WsParam, ...]:
    """The server's variables: those declared (required unless defaulted, enums typed), then
    `{names}` the URL uses without declaring them (required strings)."""
    variables, loc = builder.deref(variables, loc)
    declared = variables if isinstance(variables, dict) else {}
    out = []
    used = re.findall(r"\{([^{}]+)\}", url)
    for wire, variable in declared.items():
        variable, at = builder.deref(variable, loc.child(wire))
        variable = variable if isinstance(variable, dict) else {}
        schema = _param_schema(variable)
        default = variable.get("default", ir.MISSING)
        out.append(
            ir.WsParam(
                wire_name=wire,
                py_name=naming.attribute(wire, fallback="variable"),
                location="path",
                schema=builder.schemas.build(schema, at, naming.pascal(wire)),
                required=default is ir.MISSING,
                default=default,
                description=(
                    variable.get("description", "")
                    if isinstance(variable.get("description"), str)
                    else ""
                ),
            )
        )
    for wire in used:
        if wire not in declared and all(p.wire_name != wire for p in out):
            out.append(
                ir.WsParam(
                    wire_name=wire,
                    py_name=naming.attribute(wire, fallback="variable"),
                    location="path",
                    schema=ir.Primitive("string"),
                    required=True,
                    description="(not declared by the document: found in the server URL)",
                )
            )
    return tuple(out)


def is_ws(server: ir.Server) -> bool:
    scheme = server.url.split("://", 1)[0].lower() if "://" in server.url else ""
    return server.protocol.lower() in WS_PROTOCOLS or scheme in WS_PROTOCOLS


def server_path(server: ir.Server | None) -> str:
    if server is None or "://" not in server.url:
        return ""
    return urlsplit(server.url).path.rstrip("/")


def build_sockets(
    builder: Builder,
    parts: list[Part],
    servers: tuple[ir.Server, ...],
    mode: SocketMode = "auto",
) -> tuple[ir.Channel, ...]:
    ws = [s for s in servers if is_ws(s)]
    by_name = {s.name: s for s in ws}
    groups: dict[tuple[str, str], list[tuple[Part, ir.Server | None]]] = {}
    for part in parts:
        server = next((by_name[n] for n in part.servers if n in by_name), ws[0] if ws else None)
        groups.setdefault(_socket_of(part, server, mode), []).append((part, server))
    out = []
    for (kind, where), members in groups.items():
        first, server = members[0]
        names = _servers_of(members, server)
        if kind == "path":
            address = where
            channel = builder.channel(
                first.key,
                address,
                first.value,
                first.loc,
                [m for p, _ in members for m in p.sends],
                [m for p, _ in members for m in p.receives],
                first.parameters,
                names,
            )
            out.append(
                ir.Channel(
                    **{
                        **channel.__dict__,
                        "path": server_path(server) + _slash(address),
                        "carries": tuple(p.key for p, _ in members),
                    }
                )
            )
            continue
        name = first.key if len(members) == 1 else socket_name(server)
        channel = builder.channel(
            first.key,
            "",
            first.value,
            first.loc,
            [m for p, _ in members for m in p.sends],
            [m for p, _ in members for m in p.receives],
            None,
            names,
            name=name,
            bindings=[p.value.get("bindings") for p, _ in members],
            bindings_locs=[p.loc.child("bindings") for p, _ in members],
        )
        out.append(
            ir.Channel(
                **{
                    **channel.__dict__,
                    "path": server_path(server) or "/",
                    "carries": tuple(p.key for p, _ in members),
                }
            )
        )
        url = server.url if server is not None else "the given `url`"
        builder.note(
            "socket",
            f"socket `{channel.attr_name}` at {url} carries channel"
            f"{'s' if len(members) > 1 else ''} " + ", ".join(p.key for p, _ in members),
            first.loc,
            hint='set `sockets = "per-channel"` in the spec\'s [tool.asyncgen.per-spec] '
            "for one socket per channel address",
        )
    return tuple(out)


def _socket_of(part: Part, server: ir.Server | None, mode: SocketMode) -> tuple[str, str]:
    on_server = ("server", server.name if server is not None else "")
    address = part.address
    base = server_path(server)
    repeated = bool(base and address.strip("/")) and base.endswith("/" + address.strip("/"))
    if mode == "per-server":
        return on_server
    if mode == "per-channel":
        return ("path", "" if repeated else address)
    if repeated or "/" not in address:
        return on_server
    return ("path", address)


def _servers_of(
    members: list[tuple[Part, ir.Server | None]], server: ir.Server | None
) -> tuple[str, ...]:
    """The socket's servers: the one it uses first, then the others its channels name."""
    names = [server.name] if server is not None and any(p.servers for p, _ in members) else []
    for part, _ in members:
        names += [n for n in part.servers if n not in names]
    return tuple(names)


def socket_name(server: ir.Server | None) -> str:
    """A socket on a server's URL is named after the URL's last path segment that is not a
    variable (with the segment before it when that is a version: `/ws/2` → `ws_2`)."""
    segments = [s for s in server_path(server).split("/") if s and "{" not in s]
    if segments and _VERSION.fullmatch(segments[-1]) and len(segments) > 1:
        return f"{segments[-2]}_{segments[-1]}"
    if segments and not _VERSION.fullmatch(segments[-1]):
        return segments[-1]
    return server.name if server is not None else "socket"


def _slash(address: str) -> str:
    return address if not address or address.startswith("/") else "/" + address
