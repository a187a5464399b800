"""The bounded queues from a socket's reader to one consumer, for asyncio and for threads.

Each consumer (a channel stream, a conversation) has one. When it is full the reader waits
(back-pressure on the socket); errors travel as items; `finish` ends it after the buffered
items and wakes every waiter.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from typing import Generic, TypeVar

from ._ws_core import ClientError, ConnectionClosed, ConversationEnded

_T = TypeVar("_T")


class Inbox(Generic[_T]):
    """Bounded FIFO from a socket's reader task to one consumer.

    `offer`/`put` queue an item (`put` waits while the inbox is full: back-pressure on the
    socket); `get` waits for one; `finish` ends the stream after the buffered items, waking
    every waiter. Errors travel as items and are raised by `get`.
    """

    __slots__ = ("_end", "_getter", "_items", "_limit", "_putter", "_stream")

    def __init__(self, limit: int, *, stream: bool = False) -> None:
        self._items: deque[_T | ClientError] = deque()
        self._limit = limit
        self._getter: asyncio.Future[None] | None = None
        self._putter: asyncio.Future[None] | None = None
        self._end: ClientError | None = None
        self._stream = (
            stream  # a channel stream ends normally when the client closes it
        )

    @property
    def finished(self) -> bool:
        return self._end is not None

    def offer(self, item: _T | ClientError) -> bool:
        """Queue `item` unless the inbox is full (then False: `await put(item)`)."""
        if self._end is not None:
            return True  # nobody will read it any more
        if len(self._items) >= self._limit:
            return False
        self._items.append(item)
        getter = self._getter
        if getter is not None and not getter.done():
            getter.set_result(None)
        return True

    async def put(self, item: _T | ClientError) -> None:
        while not self.offer(item):
            putter = asyncio.get_running_loop().create_future()
            self._putter = putter
            try:
                await putter
            finally:
                self._putter = None

    def push(self, item: ClientError) -> None:
        """Queue an error past the limit: it must not wait behind a slow consumer."""
        if self._end is None:
            self._items.append(item)
            self._wake()

    async def next(self) -> _T:
        """The next item; `StopAsyncIteration` at a normal end, else the end's error."""
        items = self._items
        while not items:
            end = self._end
            if end is not None:
                if type(end) is ConversationEnded or (
                    self._stream and type(end) is ConnectionClosed and end.by_client
                ):
                    raise StopAsyncIteration
                raise end.with_traceback(None)
            if self._getter is not None:
                raise ClientError("another task is already receiving from this stream")
            getter = asyncio.get_running_loop().create_future()
            self._getter = getter
            try:
                await getter
            finally:
                self._getter = None
        item = items.popleft()
        putter = self._putter
        if putter is not None and not putter.done():
            putter.set_result(None)
        if isinstance(item, ClientError):
            raise item
        return item

    async def get(self) -> _T:
        """The next item; the end's error (even a normal one) after the last."""
        try:
            return await self.next()
        except StopAsyncIteration:
            assert self._end is not None
            raise self._end.with_traceback(None) from None

    def finish(self, end: ClientError) -> None:
        """After the buffered items, `next` and `get` raise (see `next`)."""
        if self._end is None:
            self._end = end
        self._wake()

    def discard(self, end: ClientError) -> None:
        self._items.clear()
        self.finish(end)

    def _wake(self) -> None:
        for waiter in (self._getter, self._putter):
            if waiter is not None and not waiter.done():
                waiter.set_result(None)


class BlockingInbox(Generic[_T]):
    """`Inbox` for threads: `put` blocks while full, `get` blocks (with a timeout) while empty."""

    __slots__ = ("_cond", "_end", "_items", "_limit")

    def __init__(self, limit: int) -> None:
        self._items: deque[_T | ClientError] = deque()
        self._limit = limit
        self._cond = threading.Condition()
        self._end: ClientError | None = None

    @property
    def finished(self) -> bool:
        return self._end is not None

    def put(self, item: _T | ClientError) -> None:
        with self._cond:
            while len(self._items) >= self._limit and self._end is None:
                self._cond.wait()
            if self._end is None:
                self._items.append(item)
                self._cond.notify_all()

    def push(self, item: ClientError) -> None:
        with self._cond:
            if self._end is None:
                self._items.append(item)
                self._cond.notify_all()

    def get(self, timeout: float | None = None) -> _T:
        with self._cond:
            deadline = None if timeout is None else time.monotonic() + timeout
            while not self._items:
                if self._end is not None:
                    raise self._end.with_traceback(None)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError("no frame arrived in time")
                self._cond.wait(remaining)
            item = self._items.popleft()
            self._cond.notify_all()
        if isinstance(item, ClientError):
            raise item
        return item

    def finish(self, end: ClientError) -> None:
        with self._cond:
            if self._end is None:
                self._end = end
            self._cond.notify_all()

    def discard(self, end: ClientError) -> None:
        with self._cond:
            self._items.clear()
            if self._end is None:
                self._end = end
            self._cond.notify_all()
