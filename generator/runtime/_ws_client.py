"""The asyncio client: per channel one socket, its reader task, its stream, its conversations.

The generated `client.py` subclasses `Channel` and `Context` per channel of the document (their
tables, typed sends and `open`) and `AsyncClientBase` for `Client`. What a reader does with a
frame is decided in `_ws_core.route_frame`; this module only queues and wakes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterable, Awaitable, Callable, Generator
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as websockets_connect
from websockets.exceptions import ConnectionClosed as SocketClosed

from ._errors import as_validation_error
from ._wire import dumps
from ._ws_core import (
    MAX_RECONNECT_DELAY,
    ChannelTables,
    ClientBase,
    ClientError,
    ConnectionClosed,
    ConversationEnded,
    redacted_log,
    retryable,
    undecodable,
)
from ._ws_queues import Inbox
from ._ws_routing import (
    DROPPED_LAST,
    ENDS_CONVERSATION,
    ENDS_EVERY,
    TO_CONVERSATION,
    TO_EVERY,
    TO_STREAM,
    reader_failed,
    remember_dropped,
    route_frame,
    route_invalid,
)

_F = TypeVar("_F")
_C = TypeVar("_C", bound="Channel[Any]")


class Opening(Generic[_C]):
    """What `channel.open(...)` returns: `await` it, or use it as `async with` (closes on exit)."""

    def __init__(self, channel: _C, values: dict[str, Any]) -> None:
        self._channel = channel
        self._values = values

    def __await__(self) -> Generator[Any, None, _C]:
        return self._open().__await__()

    async def _open(self) -> _C:
        await self._channel._connect(self._values)
        return self._channel

    async def __aenter__(self) -> _C:
        return await self._open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._channel.close()


class Channel(ChannelTables[_F]):
    """One socket: its reader task, its stream and its open conversations."""

    def __repr__(self) -> str:
        # The address only: handshake values may hold credentials.
        return f"<{type(self).__name__} {self._ATTRIBUTE} {self._state}>"

    def __init__(self, client: ClientBase) -> None:
        self._client = client
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._stream: Inbox[_F] = Inbox(client._max_queue, stream=True)
        self._contexts: dict[Any, Context[_F]] = {}
        self._dropped: dict[Any, None] = {}
        self._values: dict[str, Any] = {}
        # idle → open → (reconnecting → open) → lost | closed → open (explicit open only) …
        self._state = "idle"
        self._closed: ConnectionClosed | None = None
        self._lock = asyncio.Lock()

    @property
    def websocket(self) -> ClientConnection | None:
        """The underlying `websockets` connection while the socket is open."""
        return self._ws

    # -- lifecycle -------------------------------------------------------------------------

    async def _connect(self, values: dict[str, Any]) -> None:
        async with self._lock:
            if self._state in ("open", "reconnecting"):
                raise ClientError(f"{self._ADDRESS} is already open")
            await self._start(values)

    async def _start(self, values: dict[str, Any]) -> None:
        ws = await self._dial(values)
        self._values = values
        if self._stream.finished:
            self._stream = Inbox(self._client._max_queue, stream=True)
        self._ws = ws
        self._state = "open"
        self._closed = None
        self._reader = asyncio.get_running_loop().create_task(self._run(ws))

    async def _dial(self, values: dict[str, Any]) -> ClientConnection:
        client = self._client
        url, headers = client._handshake(
            self._ADDRESS, self._HANDSHAKE, self._SERVERS, values
        )
        return await websockets_connect(
            url,
            additional_headers=headers,
            open_timeout=client._open_timeout,
            **{
                "logger": redacted_log("client", url, headers),
                **client._websocket_options,
            },
        )

    async def _ready(self) -> ClientConnection:
        """The open socket; opens it on first use when the channel needs no values of its own."""
        ws = self._ws
        if ws is not None:
            return ws
        if self._state == "idle":
            if self._NEEDS_OPEN:
                raise ClientError(
                    f"{self._ADDRESS} needs values of its own:"
                    f" `async with client.{self._ATTRIBUTE}.open(...)`"
                )
            async with self._lock:
                if self._state == "idle":
                    await self._start({})
            ws = self._ws
            if ws is not None:
                return ws
        raise self._closed_error()

    def _closed_error(self) -> ConnectionClosed:
        if self._closed is not None:
            return self._closed.copy()
        return ConnectionClosed(None, "the socket is not open", by_client=True)

    async def close(self) -> None:
        """Close the socket. Conversations still open get `ConnectionClosed`; the channel
        stream ends after the frames already received. The channel can be opened again.
        """
        if self._state not in ("open", "reconnecting"):
            ws, self._ws = self._ws, None
            if ws is not None:  # left open by a reader cancelled from outside
                await ws.close()
            if self._state == "idle":
                self._state = "closed"
                self._closed = ConnectionClosed(
                    None, "closed before it was opened", by_client=True
                )
                self._stream.finish(self._closed.copy())
            return
        self._state = "closed"
        self._finish(ConnectionClosed(1000, "", by_client=True))
        ws, reader = self._ws, self._reader
        self._ws = self._reader = None
        if ws is not None:
            await ws.close()
        if reader is not None and reader is not asyncio.current_task():
            if ws is None:
                reader.cancel()  # waiting to reconnect
            await asyncio.wait([reader])

    def _finish(self, closed: ConnectionClosed) -> None:
        """The socket is gone: wake every consumer."""
        self._closed = closed
        contexts = list(self._contexts.values())
        self._contexts.clear()
        for context in contexts:
            context._inbox.finish(closed.copy())
        self._stream.finish(closed.copy())

    # -- reading ---------------------------------------------------------------------------

    async def _run(self, ws: ClientConnection) -> None:
        try:
            while True:
                await self._read(ws)
                if self._state == "closed":
                    return
                lost = ConnectionClosed(ws.close_code, ws.close_reason or "")
                if self._client._reconnect <= 0:
                    self._state = "lost"
                    self._ws = None
                    self._finish(lost)
                    return
                # Conversations die with the socket (the server forgets them); the stream
                # reports the loss once and goes on on the new socket.
                self._state = "reconnecting"
                self._ws = None
                contexts = list(self._contexts.values())
                self._contexts.clear()
                for context in contexts:
                    context._inbox.finish(lost.copy())
                self._stream.push(lost.copy())
                new = await self._reconnect()
                if new is None:
                    self._state = "lost"
                    self._finish(lost)
                    return
                ws = self._ws = new
                self._state = "open"
        except BaseException as exc:
            if self._state != "closed":
                self._state = "lost"
                self._finish(reader_failed(exc))
                if isinstance(
                    exc, Exception
                ):  # not cancelled: the socket can be closed here
                    self._ws = None
                    with contextlib.suppress(Exception):
                        await ws.close(1011, "client reader failed")
                    return  # told to every consumer: not an error of the task's own
            raise

    async def _reconnect(self) -> ClientConnection | None:
        delay = self._client._reconnect_delay
        for _ in range(self._client._reconnect):
            await asyncio.sleep(delay * (0.5 + random.random() / 2))
            delay = min(delay * 2, MAX_RECONNECT_DELAY)
            try:
                return await self._dial(self._values)
            except Exception as exc:  # noqa: BLE001
                if not retryable(exc):
                    return None
        return None

    async def _read(self, ws: ClientConnection) -> None:
        """The hot path: receive, decode, route by correlation id, queue."""
        parse = self._parse
        route = route_frame
        routes = self._ROUTES
        contexts = self._contexts
        dropped = self._dropped
        while True:
            try:
                raw = await ws.recv()
            except SocketClosed:
                return
            # Any bad frame becomes an InvalidFrame for its consumer (a frame too deep or too
            # large included); whatever else stops the reader ends in `_run`, which closes the
            # socket and tells every consumer why.
            try:
                frame = parse(raw)
            except Exception as exc:  # noqa: BLE001
                await self._invalid(raw, exc)
                continue
            where, key, context = route(frame, routes, contexts, dropped)
            if where == TO_STREAM:
                stream = self._stream
                if not stream.offer(frame):
                    await stream.put(frame)
            elif context is not None:  # TO_CONVERSATION or ENDS_CONVERSATION
                inbox = context._inbox
                if not inbox.offer(frame):
                    await inbox.put(frame)
                if where == ENDS_CONVERSATION:
                    if contexts.get(key) is context:
                        del contexts[key]
                    inbox.finish(ConversationEnded(key))
            elif where == DROPPED_LAST:
                del dropped[key]
            elif where == ENDS_EVERY or where == TO_EVERY:
                await self._broadcast(frame, where == ENDS_EVERY)

    async def _broadcast(self, frame: _F, ends: bool) -> None:
        """A frame that should carry a correlation id but has none concerns the whole
        connection: every open conversation gets it (and ends if it is a last frame)."""
        for key, context in list(self._contexts.items()):
            await context._inbox.put(frame)
            if ends:
                if self._contexts.get(key) is context:
                    del self._contexts[key]
                context._inbox.finish(ConversationEnded(key))
        await self._stream.put(frame)

    async def _invalid(self, raw: str | bytes, exc: Exception) -> None:
        problem: Any = undecodable(
            raw, as_validation_error(exc), self._client._unknown_frames
        )
        where, _, context = route_invalid(
            raw, self._KEY_PATHS, self._contexts, self._dropped
        )
        if where == TO_CONVERSATION and context is not None:
            await context._inbox.put(problem)
        elif where == TO_STREAM:
            await self._stream.put(problem)

    def _drop(self, key: Any) -> None:
        """Remember a conversation closed locally: its late frames are discarded."""
        remember_dropped(self._dropped, key)

    # -- the stream ------------------------------------------------------------------------

    def __aiter__(self) -> Self:
        return self

    def __anext__(self) -> Awaitable[_F]:
        if self._state == "idle":
            return self._first_next()
        return self._stream.next()

    async def _first_next(self) -> _F:
        await self._ready()
        return await self._stream.next()

    async def recv(self) -> _F:
        """The next frame that belongs to no open conversation (or to all of them)."""
        if self._state == "idle":
            await self._ready()
        return await self._stream.get()

    # -- sending ---------------------------------------------------------------------------

    async def _send(self, frame: str | bytes) -> None:
        ws = self._ws or await self._ready()
        try:
            await ws.send(frame)
        except SocketClosed as exc:
            raise ConnectionClosed(
                ws.close_code,
                ws.close_reason or "",
                by_client=self._state == "closed",
            ) from exc

    async def _send_stream(self, chunks: AsyncIterable[bytes]) -> None:
        """One binary frame per chunk, in order, as the iterator yields them."""
        async for chunk in chunks:
            await self._send(bytes(chunk))

    async def _send_object(
        self, data: dict[str, Any], check: Callable[[Any], None]
    ) -> None:
        if self._client._validate:
            check(data)
        await self._send(dumps(data))

    async def _send_text(self, frame: str, check: Callable[[Any], None]) -> None:
        if self._client._validate:
            check(frame)
        await self._send(frame)

    async def _send_json_text(self, frame: str, check: Callable[[Any], None]) -> None:
        if self._client._validate:
            check(json.loads(frame))
        await self._send(frame)


class Context(Generic[_F]):
    """One conversation: the frames of one correlation id, in order, until its last frame."""

    def __init__(self, channel: Channel[_F], key: Any) -> None:
        if key in channel._contexts:
            raise ClientError(
                f"conversation {key!r} is already open on {channel._ADDRESS}"
            )
        self.id = key
        self._channel = channel
        self._inbox: Inbox[_F] = Inbox(channel._client._max_queue)
        channel._dropped.pop(key, None)
        if channel._state in ("lost", "closed"):
            self._inbox.finish(channel._closed_error())
        else:
            channel._contexts[key] = self

    @property
    def ended(self) -> bool:
        """No more frames will arrive (buffered ones may still be read)."""
        return self._inbox.finished

    def __aiter__(self) -> Self:
        return self

    def __anext__(self) -> Awaitable[_F]:
        if self._channel._state == "idle":
            return self._first_next()
        return self._inbox.next()

    async def _first_next(self) -> _F:
        await self._channel._ready()
        return await self._inbox.next()

    async def recv(self) -> _F:
        """The conversation's next frame; `ConversationEnded` after its last one."""
        channel = self._channel
        if channel._state == "idle":
            await channel._ready()
        return await self._inbox.get()

    def close(self) -> None:
        """Stop listening: buffered frames are discarded and late ones dropped; nothing is
        sent."""
        channel = self._channel
        if channel._contexts.get(self.id) is self:
            del channel._contexts[self.id]
            channel._drop(self.id)
        self._inbox.discard(ConversationEnded(self.id))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClientBase(ClientBase):
    """`Client`: one `Channel` per channel of the document, as the attribute it names.

    The generated subclass lists the channel classes in `_CHANNELS` (and annotates each
    attribute); the channels open their sockets themselves, `close()` closes them all.
    """

    _CHANNELS: ClassVar[tuple[type[Channel[Any]], ...]] = ()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close every open channel."""
        if self._channels:
            await asyncio.gather(*(channel.close() for channel in self._channels))
