"""The values a client's handshakes carry: credentials, server variables, shared channel values.

One keyword argument per wire name and place, whichever part of the document declares it: a
security scheme, a ws binding of a channel or of a server. A header is one value whatever the
case of its name (`Authorization`, `authorization`); the first declaration names the argument
(security schemes come first, so a scheme's `Bearer `/`Token ` prefix applies). Server variables
(declared, or found in the URL) are `connect` arguments, required unless every server that
has them gives a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import ir, naming
from .pytypes import Types

# Keyword arguments of `Client.connect` / `BlockingClient.connect` that are not spec values.
CONNECT_OPTIONS = (
    "server",
    "url",
    "validate",
    "validate_incoming",
    "unknown_frames",
    "max_queue",
    "open_timeout",
    "reconnect",
    "reconnect_delay",
    "websocket_options",
)

# Handshake entry: (keyword argument, wire name, location, prefix).
Entry = tuple[str, str, str, str]


@dataclass(frozen=True)
class Param:
    """A keyword argument that becomes a handshake value (query, header or path segment)."""

    py_name: str
    wire_name: str
    location: str  # "query" | "header" | "path"
    annotation: str
    default: str  # Python source; "" when the argument is required
    description: str = ""
    prefix: str = ""  # e.g. "Bearer " for an http bearer scheme

    @property
    def required(self) -> bool:
        return not self.default


@dataclass
class ClientValues:
    """What `Client.connect` takes besides its options, and what every socket sends."""

    auth: list[Param] = field(default_factory=list)
    variables: list[Param] = field(default_factory=list)
    shared: list[Param] = field(default_factory=list)
    security: list[tuple[str, tuple[tuple[str, ...], ...]]] = field(default_factory=list)
    handshake: list[Entry] = field(default_factory=list)
    # (location, wire key) → argument name: values the client sends on every socket.
    sent: dict[tuple[str, str], str] = field(default_factory=dict)
    # (location, wire key) → argument name: `connect` values a channel's handshake refers to.
    shared_keys: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def arguments(self) -> list[Param]:
        return self.auth + self.variables + self.shared


def wire_key(location: str, wire: str) -> tuple[str, str]:
    """Header names are case-insensitive; query names and path variables are not."""
    return (location, wire.lower() if location == "header" else wire)


def client_values(
    api: ir.Api, servers: tuple[ir.Server, ...], types: Types, imports: set[str]
) -> ClientValues:
    names = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"self", "cls"} | set(CONNECT_OPTIONS))
    out = ClientValues()
    by_scheme: dict[str, str] = {}
    for scheme in api.security_schemes:
        if not scheme.supported or scheme.location not in ("header", "query"):
            continue
        key = wire_key(scheme.location, scheme.wire_name)
        if key in out.sent:  # a second scheme for the same wire value: the same argument
            by_scheme[scheme.key] = out.sent[key]
            continue
        param = Param(
            py_name=names.claim(scheme.py_name),
            wire_name=scheme.wire_name,
            location=scheme.location,
            annotation="str | None",
            default="None",
            description=scheme.description,
            prefix=scheme.prefix,
        )
        by_scheme[scheme.key] = param.py_name
        out.sent[key] = out.shared_keys[key] = param.py_name
        out.auth.append(param)
        out.handshake.append((param.py_name, param.wire_name, param.location, param.prefix))
    for server in servers:
        alternatives = tuple(
            tuple(by_scheme[k] for k in alt)
            for alt in server.security
            if alt and all(k in by_scheme for k in alt)
        )
        if alternatives and len(alternatives) == len(server.security):
            out.security.append((server.name, alternatives))

    for variable, required in _variables(servers):
        param = _value(variable, names.claim(variable.py_name), types, imports, required)
        out.variables.append(param)
        out.sent[("path", variable.wire_name)] = param.py_name
        out.handshake.append((param.py_name, variable.wire_name, "path", ""))

    # Handshake values every channel declares alike are `connect` arguments; the rest belong to
    # the channel's `open`, so a user of one channel never supplies another channel's values.
    channels = list(api.channels)
    common: list[ir.WsParam] = []
    if channels:
        for p in channels[0].params:
            if all(any(_signature(q) == _signature(p) for q in c.params) for c in channels[1:]):
                common.append(p)
    declared = {wire_key(q.location, q.wire_name) for c in channels for q in c.params}
    for server in servers:
        for p in server.params:
            key = wire_key(p.location, p.wire_name)
            if key not in out.sent and all(
                wire_key(q.location, q.wire_name) != key for q in common
            ):
                common.append(ir.WsParam(p.wire_name, p.py_name, p.location, p.schema, False))
    for p in common:
        key = wire_key(p.location, p.wire_name)
        if key in out.sent:
            continue
        param = _value(p, names.claim(p.py_name), types, imports, p.required)
        out.shared.append(param)
        out.shared_keys[key] = param.py_name
        if key not in declared:  # a server binding value: no channel sends it
            out.sent[key] = param.py_name
            out.handshake.append((param.py_name, p.wire_name, p.location, ""))
    return out


def _variables(servers: tuple[ir.Server, ...]) -> list[tuple[ir.WsParam, bool]]:
    """Every server variable once (its first declaration), required when every server that
    uses it requires it and it is used by every server."""
    found: dict[str, ir.WsParam] = {}
    for server in servers:
        for variable in server.variables:
            found.setdefault(variable.wire_name, variable)
    out = []
    for wire, variable in found.items():
        per_server = [next((v for v in s.variables if v.wire_name == wire), None) for s in servers]
        required = all(v is not None and v.required for v in per_server)
        out.append((variable, required))
    return out


def _signature(p: ir.WsParam) -> tuple[object, ...]:
    return (p.location, p.wire_name, p.required, repr(p.default), p.schema)


def channel_param(p: ir.WsParam, py_name: str, types: Types, imports: set[str]) -> Param:
    """A channel's own value: path parameters are required; ws binding values as declared."""
    return _value(p, py_name, types, imports, p.required or p.location == "path")


def _value(p: ir.WsParam, py_name: str, types: Types, imports: set[str], required: bool) -> Param:
    annotation = types.annotation(p.schema)
    collect(annotation, types, imports)
    default = ""
    has_default = p.default is not ir.MISSING and types._accepts(p.schema, p.default)
    if p.location == "path" and has_default and not p.required:
        source = types.default_source(p.schema, p.default)
        if not source.startswith("field("):
            default = source  # a server variable's default
    elif p.location != "path" or not required:
        if required and has_default:
            source = types.default_source(p.schema, p.default)
            if not source.startswith("field("):
                default = source
        if not required:
            # Optional values are left out unless given: the server applies its own default.
            if annotation != "Any" and not annotation.endswith("| None"):
                annotation += " | None"
            default = "None"
    description = p.description
    if p.location != "path" and not required and p.default is not ir.MISSING:
        description = (description + f" (server default: {p.default!r})").strip()
    return Param(py_name, p.wire_name, p.location, annotation, default, description)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def collect(annotation: str, types: Types, imports: set[str]) -> None:
    """Model names an annotation mentions (to import them from `models`)."""
    known = types.api.class_names
    for name in _NAME.findall(annotation):
        if name in known or name == "Unset":
            imports.add(name)


def describe(p: Param) -> str:
    where = {"query": "query parameter", "header": "header", "path": "URL variable"}[p.location]
    text = f"{p.py_name}: {where} `{p.wire_name}`"
    if p.prefix:
        text += f" (sent as `{p.prefix}<value>`)"
    return text + (f". {' '.join(p.description.split())}" if p.description else ".")
