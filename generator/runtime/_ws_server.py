"""The WebSocket server's machinery: one connection per client, routed to its channel by path.

A package's `server.py` subclasses `Connection` once per channel (its `_ADDRESS`, its
`_DISPATCH` table from message class to handler method name, its `_parse` and its typed
`send_<message>` methods) and hands the channel table to `serve`.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection
from websockets.asyncio.server import serve as _websockets_serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from ._errors import ValidationError, ValidationErrorItem, as_validation_error
from ._wire import dumps


class Hooks(NamedTuple):
    """The handler's method names for the connection's events (a document whose messages
    take one of these names gets them with a trailing `_`)."""

    on_open: str = "on_open"
    on_close: str = "on_close"
    on_invalid_frame: str = "on_invalid_frame"


DEFAULT_HOOKS = Hooks()


def close_reason(text: str) -> str:
    """A close reason: at most 123 bytes of UTF-8."""
    data = text.encode("utf-8")[:123]
    return data.decode("utf-8", "ignore")


class Connection:
    """One client's connection to one channel, as the handler sees it."""

    _ADDRESS: ClassVar[str] = ""
    _DISPATCH: ClassVar[dict[type[Any], str]] = {}

    def __init__(
        self,
        websocket: ServerConnection,
        handler: object,
        *,
        validate: bool,
        path_params: dict[str, str],
        hooks: Hooks = DEFAULT_HOOKS,
    ) -> None:
        request = websocket.request
        target = urlsplit(request.path if request is not None else "/")
        self.websocket = websocket
        self.path: str = target.path
        self.path_params = path_params
        self.query: dict[str, list[str]] = parse_qs(
            target.query, keep_blank_values=True
        )
        self.headers: Headers = request.headers if request is not None else Headers()
        self.state: dict[str, Any] = {}  # for the handler's own per-connection data
        self._handler = handler
        self._validate = validate
        self._hooks = hooks

    @property
    def channel(self) -> str:
        """The channel's address in the document."""
        return self._ADDRESS

    def _parse(self, frame: str | bytes) -> Any:
        raise ValidationError(
            [
                ValidationErrorItem(
                    path="",
                    schema_path="",
                    message="this channel declares no client messages",
                )
            ]
        )

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (closing handshake with `code` and `reason`)."""
        await self.websocket.close(code, close_reason(reason))

    async def _send(self, frame: str | bytes) -> None:
        await self.websocket.send(frame)

    async def _send_object(
        self, data: dict[str, Any], check: Callable[[Any], None]
    ) -> None:
        if self._validate:
            check(data)
        await self.websocket.send(dumps(data))

    async def _send_text(self, frame: str, check: Callable[[Any], None]) -> None:
        if self._validate:
            check(frame)
        await self.websocket.send(frame)

    async def _send_json_text(self, frame: str, check: Callable[[Any], None]) -> None:
        if self._validate:
            check(json.loads(frame))
        await self.websocket.send(frame)

    async def _serve(self) -> None:
        handler = self._handler
        dispatch = self._DISPATCH
        opened = getattr(handler, self._hooks.on_open, None)
        if opened is not None:
            await opened(self)
        try:
            async for raw in self.websocket:
                try:
                    message = self._parse(raw)
                except Exception as exc:  # noqa: BLE001
                    await self._invalid(raw, exc)
                    continue
                method = getattr(handler, dispatch[type(message)], None)
                if method is not None:
                    await method(self, message)
        except ConnectionClosed:
            pass
        finally:
            closed = getattr(handler, self._hooks.on_close, None)
            if closed is not None:
                await closed(self)

    async def _invalid(self, frame: str | bytes, exc: Exception) -> None:
        error = as_validation_error(exc)
        hook = getattr(self._handler, self._hooks.on_invalid_frame, None)
        if hook is not None:
            await hook(self, frame, error)
            return
        # Without a hook (as in `Handler`), a frame that is none of the channel's messages ends
        # the connection with 1007 (invalid frame payload data), naming the problem.
        await self.close(1007, f"invalid frame: {error}")


# A channel's route: its path as a regex, (regex group, wire name) per path parameter, and the
# connection class that serves it.
Route = tuple[re.Pattern[str], tuple[tuple[str, str], ...], type[Connection]]


def route(
    channels: tuple[Route, ...], target: str
) -> tuple[type[Connection], dict[str, str]] | None:
    """The connection class for a request target and its path parameters, if any matches."""
    path = urlsplit(target).path
    for pattern, names, cls in channels:
        match = pattern.match(path)
        if match is not None:
            return cls, {wire: unquote(match.group(group)) for group, wire in names}
    return None


def serve(
    channels: tuple[Route, ...],
    handler: object,
    host: str | None = None,
    port: int | None = None,
    *,
    hooks: Hooks = DEFAULT_HOOKS,
    validate: bool = True,
    **kwargs: Any,
) -> Server:
    """Serve `channels` with `handler`; other paths get HTTP 404.

    Returns the `websockets` server: `async with serve(...) as server:` or `await serve(...)`.
    `validate` checks every message the server sends against its schema; more keyword
    arguments go to `websockets.asyncio.server.serve` (a `process_request` of yours runs after
    the path check).
    """
    process_request = kwargs.pop("process_request", None)

    async def check_path(
        websocket: ServerConnection, request: Request
    ) -> Response | None:
        if route(channels, request.path) is None:
            return websocket.respond(404, "no channel at this path\n")
        if process_request is None:
            return None
        response = process_request(websocket, request)
        if inspect.isawaitable(response):
            response = await response
        return response  # type: ignore[no-any-return]

    async def handle(websocket: ServerConnection) -> None:
        request = websocket.request
        found = route(channels, request.path if request is not None else "/")
        if found is None:
            return
        cls, path_params = found
        connection = cls(
            websocket,
            handler,
            validate=validate,
            path_params=path_params,
            hooks=hooks,
        )
        await connection._serve()

    return _websockets_serve(handle, host, port, process_request=check_path, **kwargs)
