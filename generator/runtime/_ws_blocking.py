"""The threaded client: the asyncio client's shape, with a reader thread per socket.

The generated `client.py` subclasses `BlockingChannel` and `BlockingContext` per channel of the
document and `BlockingClientBase` for `BlockingClient`. What a reader does with a frame is
decided in `_ws_core.route_frame`, as for asyncio; this module only queues, locks and wakes.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

from websockets.exceptions import ConnectionClosed as SocketClosed
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as websockets_connect

from ._errors import as_validation_error
from ._wire import dumps
from ._ws_core import (
    ChannelTables,
    ClientBase,
    ClientError,
    ConnectionClosed,
    ConversationEnded,
    redacted_log,
    undecodable,
)
from ._ws_queues import BlockingInbox
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


class BlockingChannel(ChannelTables[_F]):
    """`Channel` for threads: a reader thread per socket instead of a task."""

    def __repr__(self) -> str:
        # The address only: handshake values may hold credentials.
        return f"<{type(self).__name__} {self._ATTRIBUTE} {self._state}>"

    def __init__(self, client: ClientBase) -> None:
        self._client = client
        self._ws: ClientConnection | None = None
        self._reader: threading.Thread | None = None
        self._stream: BlockingInbox[_F] = BlockingInbox(client._max_queue)
        self._contexts: dict[Any, BlockingContext[_F]] = {}
        self._dropped: dict[Any, None] = {}
        self._state = "idle"
        self._closed: ConnectionClosed | None = None
        self._lock = threading.RLock()

    @property
    def websocket(self) -> ClientConnection | None:
        """The underlying `websockets` connection while the socket is open."""
        return self._ws

    def _connect(self, values: dict[str, Any]) -> None:
        with self._lock:
            if self._state == "open":
                raise ClientError(f"{self._ADDRESS} is already open")
            client = self._client
            url, headers = client._handshake(
                self._ADDRESS, self._HANDSHAKE, self._SERVERS, values
            )
            ws = websockets_connect(
                url,
                additional_headers=headers,
                open_timeout=client._open_timeout,
                **{
                    "logger": redacted_log("client", url, headers),
                    **client._websocket_options,
                },
            )
            # The channel owns the connection's lifetime (`close()`); entering it says so to
            # the `websockets` versions that expect `with connect(...)`.
            ws = ws.__enter__()
            if self._stream.finished:
                self._stream = BlockingInbox(client._max_queue)
            self._ws = ws
            self._state = "open"
            self._closed = None
            reader = threading.Thread(
                target=self._run,
                args=(ws,),
                name=f"{self._ADDRESS} reader",
                daemon=True,
            )
            self._reader = reader
            reader.start()

    def _ready(self) -> ClientConnection:
        ws = self._ws
        if ws is not None:
            return ws
        with self._lock:
            if self._state == "idle":
                if self._NEEDS_OPEN:
                    raise ClientError(
                        f"{self._ADDRESS} needs values of its own:"
                        f" `with client.{self._ATTRIBUTE}.open(...)`"
                    )
                self._connect({})
            ws = self._ws
        if ws is not None:
            return ws
        raise self._closed_error()

    def _closed_error(self) -> ConnectionClosed:
        if self._closed is not None:
            return self._closed.copy()
        return ConnectionClosed(None, "the socket is not open", by_client=True)

    def close(self) -> None:
        """Close the socket. Conversations still open get `ConnectionClosed`; the channel
        stream ends after the frames already received. The channel can be opened again.
        """
        with self._lock:
            if self._state != "open":
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
            ws.close()
        if reader is not None and reader is not threading.current_thread():
            reader.join()

    def _finish(self, closed: ConnectionClosed) -> None:
        self._closed = closed
        contexts = list(self._contexts.values())
        self._contexts.clear()
        for context in contexts:
            context._inbox.finish(closed.copy())
        self._stream.finish(closed.copy())

    def _run(self, ws: ClientConnection) -> None:
        failure: BaseException | None = None
        try:
            self._read(ws)
        except (
            BaseException
        ) as exc:  # the reader's own failure: the socket is closed here
            failure = exc
            with contextlib.suppress(Exception):
                ws.close(1011, "client reader failed")
            if not isinstance(exc, Exception):
                raise
        finally:
            with self._lock:
                if self._state == "open" and self._ws is ws:
                    self._state = "lost"
                    self._ws = None
                    self._finish(
                        reader_failed(failure)
                        if failure is not None
                        else ConnectionClosed(ws.close_code, ws.close_reason or "")
                    )

    def _read(self, ws: ClientConnection) -> None:
        parse = self._parse
        routes = self._ROUTES
        contexts = self._contexts
        dropped = self._dropped
        while True:
            try:
                raw = ws.recv()
            except SocketClosed:
                return
            # Any bad frame becomes an InvalidFrame for its consumer (a frame too deep or too
            # large included); whatever else stops the reader ends in `_run`, which closes the
            # socket and tells every consumer why.
            try:
                frame = parse(raw)
            except Exception as exc:  # noqa: BLE001
                self._invalid(raw, exc)
                continue
            where, key, context = route_frame(frame, routes, contexts, dropped)
            if where == TO_STREAM:
                self._stream.put(frame)
            elif context is not None:  # TO_CONVERSATION or ENDS_CONVERSATION
                context._inbox.put(frame)
                if where == ENDS_CONVERSATION:
                    with self._lock:
                        if contexts.get(key) is context:
                            del contexts[key]
                    context._inbox.finish(ConversationEnded(key))
            elif where == DROPPED_LAST:
                with self._lock:
                    dropped.pop(key, None)
            elif where == ENDS_EVERY or where == TO_EVERY:
                self._broadcast(frame, where == ENDS_EVERY)

    def _broadcast(self, frame: _F, ends: bool) -> None:
        """A frame that should carry a correlation id but has none concerns the whole
        connection: every open conversation gets it (and ends if it is a last frame)."""
        with self._lock:
            reached = list(self._contexts.items())
            if ends:
                self._contexts.clear()
        for key, context in reached:
            context._inbox.put(frame)
            if ends:
                context._inbox.finish(ConversationEnded(key))
        self._stream.put(frame)

    def _invalid(self, raw: str | bytes, exc: Exception) -> None:
        problem: Any = undecodable(
            raw, as_validation_error(exc), self._client._unknown_frames
        )
        where, _, context = route_invalid(
            raw, self._KEY_PATHS, self._contexts, self._dropped
        )
        if where == TO_CONVERSATION and context is not None:
            context._inbox.put(problem)
        elif where == TO_STREAM:
            self._stream.put(problem)

    def _drop(self, key: Any) -> None:
        """Remember a conversation closed locally: its late frames are discarded."""
        remember_dropped(self._dropped, key)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[_F]:
        while True:
            try:
                yield self.recv()
            except ConnectionClosed as exc:
                if exc.by_client:
                    return
                raise

    def recv(self, timeout: float | None = None) -> _F:
        """The next frame that belongs to no open conversation (or to all of them)."""
        if self._state == "idle":
            self._ready()
        return self._stream.get(timeout)

    def _send(self, frame: str | bytes) -> None:
        ws = self._ws or self._ready()
        try:
            ws.send(frame)
        except SocketClosed as exc:
            raise ConnectionClosed(
                ws.close_code,
                ws.close_reason or "",
                by_client=self._state == "closed",
            ) from exc

    def _send_stream(self, chunks: Iterable[bytes]) -> None:
        """One binary frame per chunk, in order, as the iterator yields them."""
        for chunk in chunks:
            self._send(bytes(chunk))

    def _send_object(self, data: dict[str, Any], check: Callable[[Any], None]) -> None:
        if self._client._validate:
            check(data)
        self._send(dumps(data))

    def _send_text(self, frame: str, check: Callable[[Any], None]) -> None:
        if self._client._validate:
            check(frame)
        self._send(frame)

    def _send_json_text(self, frame: str, check: Callable[[Any], None]) -> None:
        if self._client._validate:
            check(json.loads(frame))
        self._send(frame)


class BlockingContext(Generic[_F]):
    """`Context` for threads."""

    def __init__(self, channel: BlockingChannel[_F], key: Any) -> None:
        with channel._lock:
            if key in channel._contexts:
                raise ClientError(
                    f"conversation {key!r} is already open on {channel._ADDRESS}"
                )
            self.id = key
            self._channel = channel
            self._inbox: BlockingInbox[_F] = BlockingInbox(channel._client._max_queue)
            channel._dropped.pop(key, None)
            if channel._state in ("lost", "closed"):
                self._inbox.finish(channel._closed_error())
            else:
                channel._contexts[key] = self

    @property
    def ended(self) -> bool:
        return self._inbox.finished

    def __iter__(self) -> Iterator[_F]:
        while True:
            try:
                yield self.recv()
            except ConversationEnded:
                return

    def recv(self, timeout: float | None = None) -> _F:
        """The conversation's next frame; `ConversationEnded` after its last one."""
        channel = self._channel
        if channel._state == "idle":
            channel._ready()
        return self._inbox.get(timeout)

    def close(self) -> None:
        """Stop listening: buffered frames are discarded and late ones dropped; nothing is
        sent."""
        channel = self._channel
        with channel._lock:
            if channel._contexts.get(self.id) is self:
                del channel._contexts[self.id]
                channel._drop(self.id)
        self._inbox.discard(ConversationEnded(self.id))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class BlockingClientBase(ClientBase):
    """`BlockingClient`: one `BlockingChannel` per channel of the document (no reconnect)."""

    _CHANNELS: ClassVar[tuple[type[BlockingChannel[Any]], ...]] = ()
    _RECONNECTS: ClassVar[bool] = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every open channel."""
        for channel in self._channels:
            channel.close()
