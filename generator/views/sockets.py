"""What the client and server templates print: handshake parameters, sends, routes, names.

Everything about a channel's socket that `client.py.jinja` and `server.py.jinja` need is decided
here, from the IR: the keyword arguments of `Client.connect` and of each channel's `open`, how a
frame is encoded per outgoing message, the routing table of incoming messages (correlation id
getter, whether the message ends its conversation), the cancel message, and every generated class
and method name (claimed against the models' names, so nothing a template prints can collide).
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import quote

from .. import ir, naming
from ..layout import literal
from .handshake import ClientValues, Param, channel_param, client_values, collect, wire_key
from .ordering import all_order, import_order
from .pytypes import Types
from .socket_docs import client_doc, connect_doc, context_doc, open_doc, socket_doc, url_template
from .socket_types import ChannelView, HandlerMethod, Kwarg, Route, Send, SocketsView

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

    servers = tuple(s for s in api.servers if is_ws(s))
    values = client_values(api, servers, types, imports)
    channels = list(api.channels)

    views = []
    for channel in channels:
        views.append(
            _channel(api, channel, types, classes, values, imports, server_imports, servers)
        )

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
        "streams": any(s.stream_method for v in views for s in v.sends),
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
    return SocketsView(
        client_handshake=tuple(values.handshake),
        connect_doc=connect_doc(servers, values.arguments, blocking=False),
        blocking_connect_doc=connect_doc(servers, values.arguments, blocking=True),
        client_doc=client_doc(api, views, blocking=False),
        blocking_client_doc=client_doc(api, views, blocking=True),
        servers=servers,
        server_choice=(
            "Literal[" + ", ".join(literal(s.name) for s in servers) + "] | None" if servers else ""
        ),
        server_urls=tuple((s.name, s.url) for s in servers),
        arguments=tuple(values.arguments),
        security=tuple(values.security),
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


def is_ws(server: ir.Server) -> bool:
    scheme = server.url.split("://", 1)[0].lower() if "://" in server.url else ""
    return server.protocol.lower() in ("ws", "wss") or scheme in ("ws", "wss")


def _exports(views: list[ChannelView]) -> list[str]:
    names = list(CLIENT_NAMES)
    for view in views:
        names += [view.cls, view.blocking_cls]
        if view.has_context:
            names += [view.context_cls, view.blocking_context_cls]
    return names


def _channel(
    api: ir.Api,
    channel: ir.Channel,
    types: Types,
    classes: naming.Namespace,
    values: ClientValues,
    imports: set[str],
    server_imports: set[str],
    servers: tuple[ir.Server, ...],
) -> ChannelView:
    base = channel.class_name.removesuffix("Channel") or "Channel"

    def claim(suffix: str) -> str:
        return naming.unique_class(classes, base, suffix=suffix)

    names = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"self", "cls"})
    own: list[Param] = []
    handshake: list[tuple[str, str, str, str]] = []
    for p in channel.params:
        key = wire_key(p.location, p.wire_name)
        if key in values.sent:  # a credential or server value the client sends on every socket
            continue
        if key in values.shared_keys:
            handshake.append((values.shared_keys[key], p.wire_name, p.location, ""))
            continue
        param = channel_param(p, names.claim(p.py_name), types, imports)
        own.append(param)
        handshake.append((param.py_name, p.wire_name, p.location, ""))
    own.sort(key=lambda p: not p.required)  # required first reads best; all are keyword-only

    address = channel.address
    if address and not address.startswith("/"):
        address = "/" + address
    path = channel.path or address or "/"
    regex, path_names = _path_regex(path)

    methods = naming.Namespace({f"send_{m.name}" for m in channel.sends.messages})
    sends = tuple(
        replace(send, stream_method=methods.claim(send.method + "_stream"))
        if send.encode == "binary"
        else send
        for send in (_send(m, types, imports) for m in channel.sends.messages)
    )
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
        collect(key_annotation, types, imports)

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

    url = url_template(servers, channel, address)
    carries = channel.carries if len(channel.carries) > 1 or not address else ()
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
        address=address,
        url=url,
        carries=carries,
        path_regex=regex,
        path_names=path_names,
        params=tuple(own),
        handshake=tuple(handshake),
        needs_open=any(p.required for p in own),
        servers=channel.server_names,
        recv_alias=channel.receives.alias if channel.receives.messages else "",
        frame=channel.receives.alias if channel.receives.messages else "Never",
        opening=f"_Opening[{channel.class_name}]",
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
        # Only the description: 2.x channels have no title, and both versions must print the same.
        doc=socket_doc(url, carries, channel.description),
        open_doc=open_doc(url, own),
        context_doc=context_doc(path, routes, cancel),
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
        collect(k.annotation, types, imports)
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
        call=_SEND_CALLS[encode].format(validator=validator),
    )


# How each kind of frame is sent (the connection's private send methods, see runtime/_ws_*).
_SEND_CALLS = {
    "object": "_send_object(message.to_dict(), validators.{validator})",
    "text": "_send_text(message.to_frame(), validators.{validator})",
    "json": "_send_json_text(message.to_frame(), validators.{validator})",
    "binary": "_send(message.to_frame())",
}


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


# What a channel address keeps as written in a request path; the client's handshake
# (`runtime/_ws_core.py`, PATH_SAFE) percent-encodes the rest the same way.
PATH_SAFE = "/{}%!$&'()*+,;=:@-._~"


def _literal(text: str) -> str:
    return re.escape(quote(text, safe=PATH_SAFE))


def _path_regex(path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    groups: list[tuple[str, str]] = []
    out = ["^"]
    pos = 0
    for match in re.finditer(r"\{([^{}]*)\}", path):
        out.append(_literal(path[pos : match.start()]))
        group = f"p{len(groups)}"
        groups.append((group, match.group(1)))
        out.append(f"(?P<{group}>[^/]+)")
        pos = match.end()
    out.append(_literal(path[pos:]))
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


