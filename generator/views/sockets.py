"""What the client and server templates print: handshake parameters, sends, routes, names.

Everything about a channel's socket that `client.py.jinja` and `server.py.jinja` need is decided
here, from the IR: the keyword arguments of `Client.connect` and of each channel's `open`, how a
frame is encoded per outgoing message, the routing table of incoming messages (correlation id
getter, whether the message ends its conversation), the cancel message, and every generated class
and method name (claimed against the models' names, so nothing a template prints can collide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .. import ir, naming
from .ordering import all_order, import_order
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
# Public names the generated client/server modules define themselves (models must not shadow
# them; `naming.RESERVED_CLASSES` holds them too).
CLIENT_NAMES = (
    "Client",
    "BlockingClient",
    "ClientError",
    "ConnectionClosed",
    "InvalidFrame",
    "UnknownFrame",
    "ConversationEnded",
)
SERVER_NAMES = ("Handler",)
WS_PROTOCOLS = ("ws", "wss")


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


@dataclass(frozen=True)
class Kwarg:
    name: str
    annotation: str
    required: bool


@dataclass(frozen=True)
class Send:
    """One outgoing message of a channel, as a `send_<name>` method."""

    message: ir.Message
    method: str
    cls: str
    kwargs: tuple[Kwarg, ...]  # the model's init fields
    encode: str  # "object" | "json" | "text" | "binary"
    validator: str  # validators.<name> checking the payload ("" for binary)
    doc: str
    handler: str  # the server's `Handler` method receiving this message (`on_<message>`)
    corr: str = ""  # in a context: the field filled with the conversation id


@dataclass(frozen=True)
class Route:
    cls: str
    getter: str  # attribute path of the correlation id on the model ("" = uncorrelated)
    ends: bool


@dataclass
class ChannelView:
    channel: ir.Channel
    attr: str
    cls: str  # asyncio channel
    blocking_cls: str
    context_cls: str
    blocking_context_cls: str
    connection_cls: str  # server side
    connection_doc: str
    path: str  # address with a leading "/"
    path_regex: str  # server routing
    path_names: tuple[tuple[str, str], ...]  # (regex group, wire name) of path parameters
    params: tuple[Param, ...]  # own params: keyword arguments of `open`
    handshake: tuple[tuple[str, str, str, str], ...]  # (py_name, wire_name, location, prefix)
    needs_open: bool
    servers: tuple[str, ...]
    recv_alias: str  # "" when the client receives nothing
    parse: str
    send_alias: str
    server_parse: str
    sends: tuple[Send, ...]
    receives: tuple[Send, ...]  # server side: what a server sends
    routes: tuple[Route, ...]
    key_paths: tuple[tuple[str, ...], ...]  # wire paths of the correlation id (invalid frames)
    key_annotation: str
    context_sends: tuple[Send, ...] = ()
    cancel: Send | None = None
    doc: str = ""
    open_doc: str = ""
    context_doc: str = ""
    context_method_doc: str = ""
    cancel_doc: str = ""

    @property
    def has_context(self) -> bool:
        return bool(self.context_cls)


@dataclass
class HandlerMethod:
    name: str
    cls: str  # message class
    connections: tuple[str, ...]
    doc: str


@dataclass
class SocketsView:
    servers: tuple[ir.Server, ...]  # servers reachable over WebSocket
    server_urls: tuple[tuple[str, str], ...]
    auth: tuple[Param, ...]
    security: tuple[
        tuple[str, tuple[tuple[str, ...], ...]], ...
    ]  # server → alternatives (py names)
    shared: tuple[Param, ...]  # keyword arguments of `connect` shared by every channel
    channels: tuple[ChannelView, ...]
    handler_methods: tuple[HandlerMethod, ...]
    hooks: dict[str, str]
    model_imports: tuple[str, ...]
    server_imports: tuple[str, ...]
    exports: tuple[str, ...] = ()
    server_exports: tuple[str, ...] = ()
    client_handshake: tuple[tuple[str, str, str, str], ...] = ()
    uses: dict[str, bool] = field(default_factory=dict)
    connect_doc: str = ""
    blocking_connect_doc: str = ""
    client_doc: str = ""
    blocking_client_doc: str = ""


def build(api: ir.Api, types: Types) -> SocketsView:
    classes = naming.Namespace(
        set(naming.RESERVED_CLASSES)
        | {n.class_name for n in api.schemas}
        | {m.class_name for m in api.messages}
        | {c.class_name for c in api.channels}
        | {u.alias for c in api.channels for u in (c.sends, c.receives)}
        | set(CLIENT_NAMES)
        | set(SERVER_NAMES)
    )
    imports: set[str] = set()  # what client.py imports from models.py
    server_imports: set[str] = {"ValidationError"}

    servers = tuple(s for s in api.servers if _is_ws(s))
    connect_names = naming.Namespace(
        naming.RESERVED_ATTRIBUTES | {"self", "cls"} | set(CONNECT_OPTIONS)
    )

    auth: list[Param] = []
    by_scheme: dict[str, str] = {}
    for scheme in api.security_schemes:
        if not scheme.supported or scheme.location not in ("header", "query"):
            continue
        name = connect_names.claim(scheme.py_name)
        by_scheme[scheme.key] = name
        auth.append(
            Param(
                py_name=name,
                wire_name=scheme.wire_name,
                location=scheme.location,
                annotation="str | None",
                default="None",
                description=scheme.description,
                prefix="Bearer " if scheme.type == "http" and scheme.scheme == "bearer" else "",
            )
        )
    security = []
    for server in servers:
        alternatives = tuple(
            tuple(by_scheme[k] for k in alt)
            for alt in server.security
            if alt and all(k in by_scheme for k in alt)
        )
        if alternatives and len(alternatives) == len(server.security):
            security.append((server.name, alternatives))

    # Handshake values every channel declares alike are `connect` arguments; the rest belong to
    # the channel's `open`, so a user of one channel never supplies another channel's values.
    channels = list(api.channels)
    common: list[ir.WsParam] = []
    if channels:
        for p in channels[0].params:
            if all(any(_signature(q) == _signature(p) for q in c.params) for c in channels[1:]):
                common.append(p)
    for server in servers:
        for p in server.params:
            if not any((q.location, q.wire_name) == (p.location, p.wire_name) for q in common):
                common.append(
                    ir.WsParam(
                        p.wire_name,
                        p.py_name,
                        p.location,
                        p.schema,
                        False,
                        ir.MISSING,
                        p.description,
                    )
                )
    shared: list[Param] = []
    shared_keys: dict[tuple[str, str], str] = {}
    client_handshake = [(p.py_name, p.wire_name, p.location, p.prefix) for p in auth]
    for p in common:
        view = _param(p, connect_names.claim(p.py_name), types, imports)
        shared.append(view)
        shared_keys[(p.location, p.wire_name)] = view.py_name
        if not any(
            (q.location, q.wire_name) == (p.location, p.wire_name)
            for c in channels
            for q in c.params
        ):
            client_handshake.append((view.py_name, p.wire_name, p.location, ""))  # server binding

    views = []
    for channel in channels:
        views.append(_channel(api, channel, types, classes, shared_keys, imports, server_imports))

    handler_methods = _handler_methods(views)
    taken = {m.name for m in handler_methods}
    hooks = {}
    for hook in ("on_open", "on_close", "on_invalid_frame"):
        name = hook
        while name in taken:
            name += "_"
        taken.add(name)
        hooks[hook] = name

    uses = {
        "overload": any(s.kwargs for v in views for s in v.sends + v.context_sends),
        "attrgetter": any(r.getter for v in views for r in v.routes),
        "never": any(not v.recv_alias for v in views),
        "server_never": any(not v.send_alias for v in views),
        "contexts": any(v.has_context for v in views),
        "routes": any(v.routes for v in views),
        "validators": any(s.validator for v in views for s in v.sends),
        "server_validators": any(s.validator for v in views for s in v.receives),
        "server_json_text": any(s.encode == "json" for v in views for s in v.receives),
    }
    connect_doc = _connect_doc(servers, auth, shared, blocking=False)
    return SocketsView(
        client_handshake=tuple(client_handshake),
        connect_doc=connect_doc,
        blocking_connect_doc=_connect_doc(servers, auth, shared, blocking=True),
        client_doc=_client_doc(api, views, blocking=False),
        blocking_client_doc=_client_doc(api, views, blocking=True),
        servers=servers,
        server_urls=tuple((s.name, s.url) for s in servers),
        auth=tuple(auth),
        security=tuple(security),
        shared=tuple(shared),
        channels=tuple(views),
        handler_methods=tuple(handler_methods),
        hooks=hooks,
        model_imports=tuple(sorted(imports, key=import_order)),
        server_imports=tuple(sorted(server_imports, key=import_order)),
        exports=tuple(sorted(_exports(views), key=all_order)),
        server_exports=tuple(
            sorted(
                ["Connection", "Handler", "serve"] + [v.connection_cls for v in views],
                key=all_order,
            )
        ),
        uses=uses,
    )


def _signature(p: ir.WsParam) -> tuple[object, ...]:
    return (p.location, p.wire_name, p.required, repr(p.default), p.schema)



def _exports(views: list[ChannelView]) -> list[str]:
    names = list(CLIENT_NAMES)
    for view in views:
        names += [view.cls, view.blocking_cls]
        if view.has_context:
            names += [view.context_cls, view.blocking_context_cls]
    return names


def _is_ws(server: ir.Server) -> bool:
    scheme = server.url.split("://", 1)[0].lower() if "://" in server.url else ""
    return server.protocol.lower() in WS_PROTOCOLS or scheme in WS_PROTOCOLS


def _param(p: ir.WsParam, py_name: str, types: Types, imports: set[str]) -> Param:
    annotation = types.annotation(p.schema)
    _collect(annotation, types, imports)
    default = ""
    if p.location != "path":
        if p.required and p.default is not ir.MISSING and types._accepts(p.schema, p.default):
            source = types.default_source(p.schema, p.default)
            if not source.startswith("field("):
                default = source
        if not p.required:
            # Optional values are left out unless given: the server applies its own default.
            if annotation != "Any" and not annotation.endswith("| None"):
                annotation += " | None"
            default = "None"
    description = p.description
    if not p.required and p.default is not ir.MISSING:
        description = (description + f" (server default: {p.default!r})").strip()
    return Param(py_name, p.wire_name, p.location, annotation, default, description)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _collect(annotation: str, types: Types, imports: set[str]) -> None:
    """Model names an annotation mentions (to import them from `models`)."""
    known = {n.class_name for n in types.api.schemas} | {"Unset"}
    for name in _NAME.findall(annotation):
        if name in known:
            imports.add(name)


def _channel(
    api: ir.Api,
    channel: ir.Channel,
    types: Types,
    classes: naming.Namespace,
    shared: dict[tuple[str, str], str],
    imports: set[str],
    server_imports: set[str],
) -> ChannelView:
    base = naming.pascal(channel.address or channel.key) or "Channel"

    def claim(suffix: str) -> str:
        return naming.unique_class(classes, base, suffix=suffix)

    names = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"self", "cls"})
    own: list[Param] = []
    handshake: list[tuple[str, str, str, str]] = []
    for p in channel.params:
        key = (p.location, p.wire_name)
        if key in shared:
            handshake.append((shared[key], p.wire_name, p.location, ""))
            continue
        param = _param(p, names.claim(p.py_name), types, imports)
        own.append(param)
        handshake.append((param.py_name, p.wire_name, p.location, ""))
    own.sort(key=lambda p: not p.required)  # required first reads best; all are keyword-only

    path = channel.address if channel.address.startswith("/") else "/" + channel.address
    regex, path_names = _path_regex(path, [p for p in channel.params if p.location == "path"])

    sends = tuple(_send(m, types, imports) for m in channel.sends.messages)
    receives = tuple(_send(m, types, set()) for m in channel.receives.messages)
    for m in channel.sends.messages:
        server_imports.add(m.class_name)
    if channel.receives.messages:
        imports.add(channel.receives.alias)
        imports.add(channel.receives.parse_name)
        server_imports.update(m.class_name for m in channel.receives.messages)
    if channel.sends.messages:
        server_imports.add(channel.sends.alias)
        server_imports.add(channel.sends.parse_name)

    routes: list[Route] = []
    key_paths: list[tuple[str, ...]] = []
    key_annotation = ""
    for m in channel.receives.messages:
        corr = m.correlation_id
        if corr is None:
            continue
        imports.add(m.class_name)
        routes.append(Route(m.class_name, ".".join(corr.py_path), m.conversation == "end"))
        if corr.path not in key_paths:
            key_paths.append(corr.path)
        annotation = _corr_annotation(m, types)
        if not key_annotation:
            key_annotation = annotation
        elif key_annotation != annotation:
            key_annotation = "Any"
    if key_annotation:
        _collect(key_annotation, types, imports)

    context_sends: list[Send] = []
    cancel = None
    if routes:
        for send in sends:
            corr = send.message.correlation_id
            if corr is None or len(corr.py_path) != 1:
                continue
            field_name = corr.py_path[0]
            if not any(k.name == field_name for k in send.kwargs):
                continue
            in_context = replace(
                send, kwargs=tuple(k for k in send.kwargs if k.name != field_name), corr=field_name
            )
            context_sends.append(in_context)
            optional = not any(k.required for k in in_context.kwargs)
            if send.message.conversation == "cancel" and cancel is None and optional:
                cancel = in_context

    # Only the description: 2.x channels have no title, and both versions must print the same.
    doc = f"`{path}`."
    if channel.description:
        doc += "\n\n" + channel.description
    return ChannelView(
        channel=channel,
        attr=channel.attr_name,
        cls=channel.class_name,
        blocking_cls=claim("BlockingChannel"),
        context_cls=claim("Context") if routes else "",
        blocking_context_cls=claim("BlockingContext") if routes else "",
        connection_cls=claim("Connection"),
        connection_doc=f"A connection to `{path}`.",
        path=path,
        path_regex=regex,
        path_names=path_names,
        params=tuple(own),
        handshake=tuple(handshake),
        needs_open=any(p.required for p in own),
        servers=channel.server_names,
        recv_alias=channel.receives.alias if channel.receives.messages else "",
        parse=channel.receives.parse_name,
        send_alias=channel.sends.alias if channel.sends.messages else "",
        server_parse=channel.sends.parse_name,
        sends=sends,
        receives=receives,
        routes=tuple(routes),
        key_paths=tuple(key_paths),
        key_annotation=key_annotation,
        context_sends=tuple(context_sends),
        cancel=cancel,
        doc=doc,
        open_doc=_open_doc(channel, path, own),
        context_doc=_context_doc(path, routes, cancel),
        context_method_doc=(
            "The conversation `id` (correlation id "
            + ", ".join(f"`{'/'.join(p)}`" for p in key_paths)
            + "): an ordered stream of just its frames that ends after its last one. Open it "
            "before sending the first message, so that no frame arrives before it."
        ),
        cancel_doc=(
            f"Abandon the conversation: end the local stream (late frames are dropped), then "
            f"send `{cancel.message.key}`."
            if cancel
            else ""
        ),
    )


def _send(message: ir.Message, types: Types, imports: set[str]) -> Send:
    named = types.api.schema(message.payload_schema)
    imports.add(message.class_name)
    if message.wrapped:
        view = types.field(ir.Property("payload", "payload", message.payload, True))
        if message.framing == "binary":
            kwargs: tuple[Kwarg, ...] = (Kwarg("payload", "bytes", True),)
            encode, validator = "binary", ""
        elif message.framing == "text":
            kwargs = () if view.const else (Kwarg("payload", "str", True),)
            encode, validator = "text", named.validator_name
        else:
            kwargs = () if view.const else (Kwarg("payload", view.annotation, True),)
            encode, validator = "json", named.validator_name
    else:
        target = types.target(message.payload)
        properties = target.properties if isinstance(target, ir.Object) else ()
        kwargs = tuple(
            Kwarg(f.prop.py_name, f.annotation, not f.default)
            for f in (types.field(p) for p in properties)
            if not f.const
        )
        encode, validator = "object", named.validator_name
    for k in kwargs:
        _collect(k.annotation, types, imports)
    what = message.summary or message.title or message.description
    doc = f"Send `{message.key}` ({message.content_type})." + (f" {what}" if what else "")
    return Send(
        message,
        f"send_{message.name}",
        message.class_name,
        kwargs,
        encode,
        validator,
        doc,
        handler=f"on_{message.name}",
    )


def _corr_annotation(message: ir.Message, types: Types) -> str:
    corr = message.correlation_id
    assert corr is not None
    current = types.target(message.payload)
    prop = None
    for token in corr.path:
        if not isinstance(current, ir.Object):
            return "Any"
        prop = next((p for p in current.properties if p.wire_name == token), None)
        if prop is None:
            return "Any"
        current = types.target(prop.schema)
    if prop is None:
        return "Any"
    annotation = types.annotation(prop.schema)
    return annotation if annotation in ("str", "int") else "Any"


def _path_regex(path: str, params: list[ir.WsParam]) -> tuple[str, tuple[tuple[str, str], ...]]:
    groups: list[tuple[str, str]] = []
    out = ["^"]
    pos = 0
    for match in re.finditer(r"\{([^{}]*)\}", path):
        out.append(re.escape(path[pos : match.start()]))
        group = f"p{len(groups)}"
        groups.append((group, match.group(1)))
        out.append(f"(?P<{group}>[^/]+)")
        pos = match.end()
    out.append(re.escape(path[pos:]))
    out.append("$")
    return "".join(out), tuple(groups)


def _handler_methods(views: list[ChannelView]) -> list[HandlerMethod]:
    found: dict[str, HandlerMethod] = {}
    for view in views:
        for send in view.sends:
            name = send.handler
            method = found.get(name)
            if method is None:
                what = send.message.summary or send.message.title or send.message.description
                doc = f"A `{send.message.key}` frame arrived." + (f" {what}" if what else "")
                found[name] = HandlerMethod(name, send.cls, (view.connection_cls,), doc)
            elif view.connection_cls not in method.connections:
                method.connections += (view.connection_cls,)
    return list(found.values())


def _describe(p: Param) -> str:
    where = {"query": "query parameter", "header": "header", "path": "path segment"}[p.location]
    text = f"{p.py_name}: {where} `{p.wire_name}`"
    if p.prefix:
        text += f" (sent as `{p.prefix}<value>`)"
    return text + (f". {' '.join(p.description.split())}" if p.description else ".")


def _connect_doc(
    servers: tuple[ir.Server, ...], auth: list[Param], shared: list[Param], *, blocking: bool
) -> str:
    lines = [
        "Prepare a client. No socket opens here: each channel opens its own on `open(...)` or first use.",
        "",
        "Args:",
    ]
    if servers:
        names = ", ".join(f"`{s.name}` ({s.url})" for s in servers)
        lines.append(f"    server: the document's server to connect to: {names}.")
        lines.append(
            "    url: replaces the server's URL (e.g. `ws://127.0.0.1:8080`); channel addresses are "
            "appended to it. With a URL, server-specific checks (credentials, channel servers) are skipped."
        )
    else:
        lines.append(
            "    url: the server's URL (e.g. `ws://127.0.0.1:8080`); channel addresses are appended to it."
        )
    for p in auth + shared:
        lines.append("    " + _describe(p))
    lines += [
        "    validate: check outgoing messages against their schema before sending them.",
        (
            "    validate_incoming: check received frames against their schema (False: a frame is "
            "only matched to its message, by tag, consts and required properties, and built as it "
            "is; for documents whose schemas are wrong or stricter than the server)."
        ),
        (
            "    unknown_frames: what a received frame that fits none of the channel's messages "
            'becomes: "raise" (its consumer raises `InvalidFrame`) or "yield" (it receives an '
            "`UnknownFrame` holding the frame, its JSON and the error, and iteration goes on)."
        ),
        (
            "    max_queue: frames buffered per conversation and for each channel stream. When one "
            "is full, the socket's reader waits for its consumer (back-pressure on the socket)."
        ),
        "    open_timeout: seconds allowed for each opening handshake.",
    ]
    if not blocking:
        lines += [
            (
                "    reconnect: attempts at re-opening a socket lost without `close()` (0: never). "
                "Open conversations end with `ConnectionClosed` and nothing is re-sent; the channel "
                "stream raises `ConnectionClosed` once and goes on on the new socket."
            ),
            (
                "    reconnect_delay: seconds before the first attempt, doubled after each (at most "
                "30, with jitter). Network errors, timeouts, HTTP 429 and 5xx are retried; other "
                "rejections are not."
            ),
        ]
    lines.append(
        "    websocket_options: more keyword arguments for the `websockets` connect call "
        "(`max_size`, `ping_interval`, `compression`, ...)."
    )
    return "\n".join(lines)


def _client_doc(api: ir.Api, views: list[ChannelView], *, blocking: bool) -> str:
    kind = "Blocking client (one reader thread per socket)" if blocking else "asyncio client"
    lines = [f"{kind} of {api.title or 'the API'}; make it with `connect(...)`.", ""]
    if views:
        lines.append("Channels:")
        for view in views:
            cls = view.blocking_cls if blocking else view.cls
            lines.append(f"    {view.attr}: `{view.path}` ({cls})")
    return "\n".join(lines)


def _open_doc(channel: ir.Channel, path: str, own: list[Param]) -> str:
    lines = [f"Open the `{path}` socket."]
    if own:
        lines += ["", "Args:"] + ["    " + _describe(p) for p in own]
    else:
        lines += ["", "It also opens by itself on first use (send, iteration, conversation)."]
    return "\n".join(lines)


def _context_doc(path: str, routes: list[Route], cancel: Send | None) -> str:
    ends = [r.cls for r in routes if r.ends]
    text = f"A conversation on `{path}`: the frames that carry its correlation id, in order."
    if ends:
        text += (
            " It ends after " + " or ".join(f"`{c}`" for c in ends) + " (`x-conversation: end`)."
        )
        text += " Such a frame without correlation id ends every open conversation."
    else:
        text += " No message ends it (none is marked `x-conversation: end`): close it when done."
    if cancel is not None:
        text += f" `cancel()` sends `{cancel.message.key}`."
    return text
