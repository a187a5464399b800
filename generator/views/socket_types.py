"""The socket views' shapes: what `client.py` and `server.py` print, as frozen dataclasses.

`sockets.py` builds them from the IR; `socket_docs.py` writes their docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ir
from ..layout import block, collection, literal, statement
from .handshake import Param


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
    call: str  # how a connection sends `message`: `_send_object(message.to_dict(), ...)`, ...
    corr: str = ""  # in a context: the field filled with the conversation id
    stream_method: str = ""  # binary messages: `send_<message>_stream` (chunks as frames)


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
    path: str  # the socket's full path on its server (the server stub routes by it)
    address: str  # appended to the server's URL ("" = the server's URL itself)
    url: str  # the URL template the handshake fills in (for docs)
    carries: tuple[str, ...]  # the document channels one socket carries (when more than itself)
    path_regex: str  # server routing
    path_names: tuple[tuple[str, str], ...]  # (regex group, wire name) of path parameters
    params: tuple[Param, ...]  # own params: keyword arguments of `open`
    handshake: tuple[tuple[str, str, str, str], ...]  # (py_name, wire_name, location, prefix)
    needs_open: bool
    servers: tuple[str, ...]
    recv_alias: str  # "" when the client receives nothing
    frame: str  # the type of what the socket yields (`Never` when it receives nothing)
    opening: str  # what the asyncio `open()` returns (`_Opening[<class>]`)
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

    def printed_client(self, mode: str) -> dict[str, object]:
        """The client's classes of this socket in `mode` ("async" or "sync"): their statements
        that hold names or values, laid out."""
        asynchronous = mode == "async"
        cls = self.cls if asynchronous else self.blocking_cls
        ctx = self.context_cls if asynchronous else self.blocking_context_cls
        df = "async def" if asynchronous else "def"
        aw = "await " if asynchronous else ""
        opened = self.opening if asynchronous else cls
        values = "{" + "".join(f"{literal(p.py_name)}: {p.py_name}, " for p in self.params)
        values = values.removesuffix(" ") + "}"
        if self.params:
            params = "".join(f"{_parameter(p)}, " for p in self.params)
            open_head = f"def open(self, *, {params.removesuffix(' ')}) -> {opened}:"
        else:
            open_head = f"def open(self) -> {opened}:"
        if asynchronous:
            open_body = block(f"return _Opening(self, {values})", 2)
        else:
            open_body = block(f"self._connect({values})\nreturn self", 2)
        routes = [
            f"{r.cls}: (attrgetter({literal(r.getter)}), {literal(r.ends)})" for r in self.routes
        ]
        base = "_Channel" if asynchronous else "_BlockingChannel"
        context_base = "_Context" if asynchronous else "_BlockingContext"
        chunks = "AsyncIterable" if asynchronous else "Iterable"
        return {
            "context_head": statement(f"class {ctx}({context_base}[{self.frame}]):"),
            "context_id": statement(f"id: {self.key_annotation}", 1),
            "context_sends": tuple(
                (s, _printed_send(s, df, f"{aw}self._channel")) for s in self.context_sends
            ),
            "cancel_head": statement(f"{df} cancel(self) -> None:", 1),
            "cancel_call": statement(f"{aw}self.{self.cancel.method}()", 2) if self.cancel else "",
            "head": statement(f"class {cls}({base}[{self.frame}]):"),
            "address": statement(f"_ADDRESS: ClassVar[str] = {literal(self.address)}", 1),
            "attribute": statement(f"_ATTRIBUTE: ClassVar[str] = {literal(self.attr)}", 1),
            "handshake": collection(
                "_HANDSHAKE: ClassVar[_Handshake] = (", [literal(h) for h in self.handshake], ")", 1
            ),
            "servers": statement(
                f"_SERVERS: ClassVar[tuple[str, ...]] = {literal(self.servers)}", 1
            ),
            "needs_open": statement(f"_NEEDS_OPEN: ClassVar[bool] = {literal(self.needs_open)}", 1),
            "routes": collection("_ROUTES: ClassVar[_Routes] = {", routes, "}", 1),
            "key_paths": statement(
                f"_KEY_PATHS: ClassVar[_KeyPaths] = {literal(self.key_paths)}", 1
            ),
            "parse": statement(f"def _parse(self, frame: str | bytes) -> {self.recv_alias}:", 1),
            "parse_call": statement(
                f"return {self.parse}(frame, self._client._validate_incoming)", 2
            ),
            "open_head": statement(open_head, 1),
            "open_body": open_body,
            "context_method": statement(
                f"def context(self, id: {self.key_annotation}) -> {ctx}:", 1
            ),
            "context_call": statement(f"return {ctx}(self, id)", 2),
            "sends": tuple(
                (
                    s,
                    _printed_send(s, df, f"{aw}self"),
                    (
                        statement(
                            f"{df} {s.stream_method}(self, chunks: {chunks}[bytes], /) -> None:", 1
                        )
                        if s.stream_method
                        else ""
                    ),
                )
                for s in self.sends
            ),
        }

    @property
    def printed_connection(self) -> dict[str, object]:
        """The server's connection class: its statements that hold names or values, laid out."""
        dispatch = [f"{s.cls}: {literal(s.handler)}" for s in self.sends]
        return {
            "head": statement(f"class {self.connection_cls}(Connection):"),
            "address": statement(f"_ADDRESS: ClassVar[str] = {literal(self.path)}", 1),
            "dispatch": collection(
                "_DISPATCH: ClassVar[dict[type[Any], str]] = {", dispatch, "}", 1
            ),
            "parse": statement(f"def _parse(self, frame: str | bytes) -> {self.send_alias}:", 1),
            "parse_call": statement(f"return {self.server_parse}(frame)", 2),
            "receives": tuple(
                (
                    statement(f"async def {s.method}(self, message: {s.cls}) -> None:", 1),
                    statement(f"await self.{s.call}", 2),
                    s,
                )
                for s in self.receives
            ),
        }


def _parameter(p: Param) -> str:
    return f"{p.py_name}: {p.annotation}" + ("" if p.required else f" = {p.default}")


def _printed_send(s: Send, df: str, target: str) -> dict[str, str]:
    """One `send_<message>` method: its signatures and its body, laid out."""
    check = stand_in = ""
    if s.corr:
        problem = f"message.{s.corr} is {{message.{s.corr}!r}}, not this conversation's {{self.id!r}}"
        # Laid out as a plain string as wide as the f-string (`F` for its prefix), then made the
        # f-string: Python 3.12 tokenizes an f-string's parts, where no split may fall.
        stand_in = f'"F{problem}"'
        check = f"message.{s.corr} != self.id:\n    raise ValueError({stand_in})\n"

    def laid_out(body: str) -> str:
        text = block(body, 2)
        return text.replace(stand_in, f'f"{stand_in[2:]}') if stand_in else text

    if s.kwargs:
        fields = "".join(
            f"{k.name}: {k.annotation}" + ("" if k.required else " = ...") + ", " for k in s.kwargs
        )
        own = f"{s.corr}=self.id, " if s.corr else ""
        body = f"message = messages[0] if messages else {s.cls}({own}**fields)\n"
        body += f"if {check}" if check else ""
        return {
            "overload_message": statement(
                f"{df} {s.method}(self, message: {s.cls}, /) -> None: ...", 1
            ),
            "overload_fields": statement(
                f"{df} {s.method}(self, *, {fields.removesuffix(' ')}) -> None: ...", 1
            ),
            "head": statement(
                f"{df} {s.method}(self, *messages: {s.cls}, **fields: Any) -> None:", 1
            ),
            "body": laid_out(body + f"{target}.{s.call}"),
        }
    own = f"{s.corr}=self.id" if s.corr else ""
    body = f"if message is None:\n    message = {s.cls}({own})\n"
    body += f"elif {check}" if check else ""
    return {
        "head": statement(f"{df} {s.method}(self, message: {s.cls} | None = None, /) -> None:", 1),
        "body": laid_out(body + f"{target}.{s.call}"),
    }


@dataclass
class HandlerMethod:
    name: str
    cls: str  # message class
    connections: tuple[str, ...]
    doc: str


@dataclass
class SocketsView:
    servers: tuple[ir.Server, ...]  # servers reachable over WebSocket
    server_choice: str  # the annotation of `connect(server=...)` ("" without servers)
    server_urls: tuple[tuple[str, str], ...]
    arguments: tuple[Param, ...]  # of `connect`: credentials, server variables, shared values
    security: tuple[
        tuple[str, tuple[tuple[str, ...], ...]], ...
    ]  # server → alternatives (py names)
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

    @property
    def printed_client(self) -> dict[str, object]:
        """The client module's statements that hold names or values, laid out."""
        security = [
            f"{literal(name)}: {literal(alternatives)}" for name, alternatives in self.security
        ]
        clients = []
        for blocking in (False, True):
            channels = [v.blocking_cls if blocking else v.cls for v in self.channels]
            clients.append(
                {
                    "blocking": blocking,
                    "head": statement(
                        "class BlockingClient(_ClientTables, _BlockingClientBase):"
                        if blocking
                        else "class Client(_ClientTables, _AsyncClientBase):"
                    ),
                    "channels": collection("_CHANNELS = (", channels, ")", 1),
                    "attributes": (
                        block(
                            "\n".join(f"{v.attr}: {c}" for v, c in zip(self.channels, channels)), 1
                        )
                        if channels
                        else ""
                    ),
                    "connect_head": statement(self._connect_head(blocking), 1),
                    "connect_call": statement(self._connect_call(blocking), 2),
                }
            )
        return {
            "servers": collection(
                "_SERVERS: ClassVar[dict[str, str]] = {",
                [f"{literal(name)}: {literal(url)}" for name, url in self.server_urls],
                "}",
                1,
            ),
            "security": collection(
                "_SECURITY: ClassVar[dict[str, tuple[tuple[str, ...], ...]]] = {", security, "}", 1
            ),
            "handshake": collection(
                "_HANDSHAKE: ClassVar[_Handshake] = (",
                [literal(p) for p in self.client_handshake],
                ")",
                1,
            ),
            "clients": tuple(clients),
        }

    def _connect_head(self, blocking: bool) -> str:
        if self.servers:
            where = f"server: {self.server_choice} = None, url: str | None = None, "
        else:
            where = "url: str, "
        arguments = "".join(f"{_parameter(p)}, " for p in self.arguments)
        options = (
            "validate: bool = True, validate_incoming: bool = True, "
            'unknown_frames: Literal["raise", "yield"] = "raise", max_queue: int = 64, '
            "open_timeout: float | None = 10.0, "
        )
        if not blocking:
            options += "reconnect: int = 0, reconnect_delay: float = 0.5, "
        options += "websocket_options: Mapping[str, Any] | None = None,"
        returns = "BlockingClient" if blocking else "Client"
        return f"def connect(cls, *, {where}{arguments}{options}) -> {returns}:"

    def _connect_call(self, blocking: bool) -> str:
        values = "{" + "".join(f"{literal(p.py_name)}: {p.py_name}, " for p in self.arguments)
        values = values.removesuffix(" ") + "}"
        server = "server" if self.servers else "None"
        reconnect = (
            "reconnect=0, reconnect_delay=0.0, "
            if blocking
            else ("reconnect=reconnect, reconnect_delay=reconnect_delay, ")
        )
        return (
            f"return cls({server}, url, {values}, validate=validate, "
            "validate_incoming=validate_incoming, unknown_frames=unknown_frames, "
            f"max_queue=max_queue, open_timeout=open_timeout, {reconnect}"
            "websocket_options=websocket_options,)"
        )

    @property
    def printed_server(self) -> dict[str, object]:
        """The server module's statements that hold names or values, laid out."""
        hooks = self.hooks
        methods = []
        for method in self.handler_methods:
            connections = " | ".join(method.connections)
            head = f"async def {method.name}(self, conn: {connections}, message: {method.cls}) -> None:"
            methods.append((statement(head, 1), method))
        invalid = hooks["on_invalid_frame"]
        channels = [
            f"(re.compile({literal(v.path_regex)}), {literal(v.path_names)}, {v.connection_cls})"
            for v in self.channels
        ]
        arguments = ", ".join(f"{event}={literal(name)}" for event, name in hooks.items())
        return {
            "on_open": statement(
                f"async def {hooks['on_open']}(self, conn: Connection) -> None:", 1
            ),
            "on_close": statement(
                f"async def {hooks['on_close']}(self, conn: Connection) -> None:", 1
            ),
            "on_invalid_frame": statement(
                f"async def {invalid}(self, conn: Connection, frame: str | bytes, "
                "error: ValidationError) -> None:",
                1,
            ),
            "handler_methods": tuple(methods),
            "channels": collection("_CHANNELS: tuple[_Route, ...] = (", channels, ")", 0),
            "hooks": statement(f"_HOOKS = _Hooks({arguments})"),
        }
