"""The socket views' shapes: what `client.py` and `server.py` print, as frozen dataclasses.

`sockets.py` builds them from the IR; `socket_docs.py` writes their docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ir
from ..layout import collection, literal, statement
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

    @property
    def printed_connection(self) -> dict[str, object]:
        """The server's connection class: its statements that hold names or values, laid out."""
        dispatch = [f"{s.cls}: {literal(s.handler)}" for s in self.sends]
        return {
            "head": statement(f"class {self.connection_cls}(Connection):"),
            "address": statement(f"_ADDRESS: ClassVar[str] = {literal(self.path)}", 1),
            "dispatch": collection("_DISPATCH: ClassVar[dict[type[Any], str]] = {", dispatch, "}", 1),
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
            "on_open": statement(f"async def {hooks['on_open']}(self, conn: Connection) -> None:", 1),
            "on_close": statement(f"async def {hooks['on_close']}(self, conn: Connection) -> None:", 1),
            "on_invalid_frame": statement(
                f"async def {invalid}(self, conn: Connection, frame: str | bytes, "
                "error: ValidationError) -> None:",
                1,
            ),
            "handler_methods": tuple(methods),
            "channels": collection("_CHANNELS: tuple[_Route, ...] = (", channels, ")", 0),
            "hooks": statement(f"_HOOKS = _Hooks({arguments})"),
        }
