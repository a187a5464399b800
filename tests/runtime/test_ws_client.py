"""`_ws_client` (asyncio) against a real `websockets` server on 127.0.0.1, no generated code.

The channel under test is written here the way `client.py` writes one: tables, `_parse`, a send.
Every test body is bounded in time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import pytest
from asyncgen.runtime._errors import ValidationError
from asyncgen.runtime._ws_client import AsyncClientBase, Channel, Context
from asyncgen.runtime._ws_core import ConnectionClosed, ConversationEnded, InvalidFrame
from asyncgen.runtime._ws_queues import Inbox
from websockets.asyncio.server import ServerConnection, serve
from ws_frames import (
    KEY_PATHS,
    ROUTES,
    Frame,
    Last,
    Note,
    Plain,
    last,
    note,
    parse,
    plain,
    unknown,
)

T = TypeVar("T")
HOST = "127.0.0.1"


class EventsContext(Context[Frame]):
    id: str


class EventsChannel(Channel[Frame]):
    _ADDRESS = "/events"
    _ATTRIBUTE = "events"
    _ROUTES = ROUTES
    _KEY_PATHS = KEY_PATHS

    def _parse(self, frame: str | bytes) -> Frame:
        return parse(frame)

    def context(self, id: str) -> EventsContext:
        return EventsContext(self, id)

    async def send_go(self) -> None:
        await self._send("go")


class EventsClient(AsyncClientBase):
    _CHANNELS = (EventsChannel,)
    events: EventsChannel


def run(coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await coro

    return asyncio.run(bounded())


@contextlib.asynccontextmanager
async def serving(
    handler: Callable[[ServerConnection], Awaitable[None]],
) -> AsyncIterator[str]:
    async with serve(handler, HOST, 0) as server:
        yield f"ws://{HOST}:{server.sockets[0].getsockname()[1]}/"


def sender(frames: list[str]) -> Callable[[ServerConnection], Awaitable[None]]:
    """A server that waits for the client's `go`, sends `frames` and stays open."""

    async def handler(ws: ServerConnection) -> None:
        assert await ws.recv() == "go"
        for frame in frames:
            await ws.send(frame)
        await ws.wait_closed()

    return handler


async def collect(source: AsyncIterator[Frame]) -> list[Frame]:
    return [frame async for frame in source]


def test_inbox_put_waits_while_full_and_get_raises_the_end() -> None:
    async def main() -> None:
        inbox: Inbox[int] = Inbox(2)
        assert inbox.offer(1) and inbox.offer(2) and not inbox.offer(3)
        putting = asyncio.ensure_future(inbox.put(3))
        await asyncio.sleep(0.01)
        assert not putting.done()
        assert await inbox.get() == 1
        await asyncio.wait_for(putting, 1)
        inbox.finish(ConversationEnded("k"))
        assert [await inbox.get(), await inbox.get()] == [2, 3]
        with pytest.raises(ConversationEnded):
            await inbox.get()

    run(main())


def test_stream_keeps_order_and_the_reader_waits_when_it_is_full() -> None:
    frames = [plain(str(k)) for k in range(20)]

    async def main() -> None:
        async with serving(sender(frames)) as url, EventsClient(
            None, url, {}, max_queue=4
        ) as client:
            await client.events.send_go()
            stream = client.events._stream
            while len(stream._items) < 4:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)
            # Nobody reads: the queue holds 4 frames and the reader waits behind it.
            assert len(stream._items) == 4 and stream._putter is not None
            texts = [await client.events.recv() for _ in range(20)]
            assert texts == [Plain(str(k)) for k in range(20)]

    run(main())


def test_frames_go_to_their_conversation_and_an_ending_frame_ends_it() -> None:
    frames = [
        note("a", "1"),
        note("b", "1"),
        plain("p"),
        note("a", "2"),
        note("c", "x"),  # no such conversation: the stream
        last("b"),
        last("a"),
        note("a", "after"),  # a has ended: the stream
        plain("end"),
    ]

    async def main() -> None:
        async with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
            a, b = client.events.context("a"), client.events.context("b")
            await client.events.send_go()
            assert await collect(a) == [Note("a", "1"), Note("a", "2"), Last("a")]
            assert await collect(b) == [Note("b", "1"), Last("b")]
            assert a.ended and b.ended and not client.events._contexts
            with pytest.raises(ConversationEnded):
                await a.recv()
            stream = [await client.events.recv() for _ in range(4)]
            assert stream == [Plain("p"), Note("c", "x"), Note("a", "after"), Plain("end")]

    run(main())


def test_an_ending_frame_without_id_ends_every_conversation() -> None:
    frames = [note("a", "1"), last(None), plain("end")]

    async def main() -> None:
        async with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
            a, b = client.events.context("a"), client.events.context("b")
            await client.events.send_go()
            assert await collect(a) == [Note("a", "1"), Last(None)]
            assert await collect(b) == [Last(None)]
            assert [await client.events.recv() for _ in range(2)] == [
                Last(None),
                Plain("end"),
            ]

    run(main())


def test_a_frame_missing_its_id_reaches_every_conversation_which_goes_on() -> None:
    frames = [note(None, "warning"), note("a", "1"), last("a"), last("b")]

    async def main() -> None:
        async with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
            a, b = client.events.context("a"), client.events.context("b")
            await client.events.send_go()
            assert await collect(a) == [Note(None, "warning"), Note("a", "1"), Last("a")]
            assert await collect(b) == [Note(None, "warning"), Last("b")]
            assert await client.events.recv() == Note(None, "warning")

    run(main())


def test_late_frames_of_a_conversation_closed_here_are_dropped() -> None:
    frames = [note("a", "late"), last("a"), note("a", "again"), plain("end")]

    async def main() -> None:
        async with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
            a = client.events.context("a")
            a.close()
            with pytest.raises(ConversationEnded):
                await a.recv()
            await client.events.send_go()
            # After its last frame the id is forgotten: a later frame goes to the stream.
            assert await client.events.recv() == Note("a", "again")
            assert await client.events.recv() == Plain("end")
            assert "a" not in client.events._dropped

    run(main())


def test_invalid_frames_reach_the_consumer_their_id_names() -> None:
    frames = [unknown("a"), "not json", unknown("z"), unknown("gone"), plain("end"), last("a")]

    async def main() -> None:
        async with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
            a = client.events.context("a")
            client.events.context("gone").close()
            await client.events.send_go()
            with pytest.raises(InvalidFrame) as for_a:
                await a.recv()
            assert for_a.value.frame == frames[0]
            assert for_a.value.error.errors[0].path == "/type"
            assert await a.recv() == Last("a")  # the conversation goes on after it
            for raw in ("not json", frames[2]):
                with pytest.raises(InvalidFrame) as on_stream:
                    await client.events.recv()
                assert on_stream.value.frame == raw
                assert isinstance(on_stream.value.error, ValidationError)
            # The frame naming the closed conversation was dropped.
            assert await client.events.recv() == Plain("end")

    run(main())


def drop_first_connection(
    connections: list[ServerConnection],
) -> Callable[[ServerConnection], Awaitable[None]]:
    """First connection: `first`, then the server closes it (1011); later ones: `second`."""

    async def handler(ws: ServerConnection) -> None:
        connections.append(ws)
        if len(connections) == 1:
            assert await ws.recv() == "go"
            await ws.send(plain("first"))
            await ws.close(1011, "server restart")
        else:
            await ws.send(plain("second"))
            await ws.wait_closed()

    return handler


def test_reconnect_after_the_server_drops_the_socket() -> None:
    connections: list[ServerConnection] = []

    async def main() -> None:
        async with serving(drop_first_connection(connections)) as url, EventsClient(
            None, url, {}, reconnect=2, reconnect_delay=0.01
        ) as client:
            a = client.events.context("a")
            await client.events.send_go()
            assert await client.events.recv() == Plain("first")
            with pytest.raises(ConnectionClosed) as lost:
                await client.events.recv()
            assert (lost.value.code, lost.value.by_client) == (1011, False)
            with pytest.raises(ConnectionClosed):
                await a.recv()  # conversations die with their socket
            assert await client.events.recv() == Plain("second")
            assert client.events._state == "open" and len(connections) == 2

    run(main())


def test_no_reconnect_without_reconnect_attempts() -> None:
    connections: list[ServerConnection] = []

    async def main() -> None:
        async with serving(drop_first_connection(connections)) as url, EventsClient(
            None, url, {}
        ) as client:
            await client.events.send_go()
            assert await client.events.recv() == Plain("first")
            for _ in range(2):  # the end stays
                with pytest.raises(ConnectionClosed) as lost:
                    await client.events.recv()
                assert (lost.value.code, lost.value.by_client) == (1011, False)
            await asyncio.sleep(0.1)
            assert client.events._state == "lost" and len(connections) == 1
            with pytest.raises(ConnectionClosed):
                await client.events.send_go()

    run(main())


def test_close_wakes_every_waiter_with_connection_closed() -> None:
    async def main() -> None:
        async with serving(sender([])) as url:
            client = EventsClient(None, url, {})
            a, b = client.events.context("a"), client.events.context("b")
            await client.events.send_go()
            waiters = [asyncio.ensure_future(c.recv()) for c in (a, b, client.events)]
            await asyncio.sleep(0.05)
            assert not any(waiter.done() for waiter in waiters)
            await client.close()
            for waiter in waiters:
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(waiter, 1)
                assert closed.value.by_client and closed.value.ok
            assert await collect(client.events) == []  # the stream ends normally

    run(main())


def test_a_stream_of_chunks_goes_out_as_binary_frames_in_order() -> None:
    received: list[str | bytes] = []

    async def handler(ws: ServerConnection) -> None:
        for _ in range(3):
            received.append(await ws.recv())
        await ws.send(plain("got 3"))
        await ws.wait_closed()

    async def chunks() -> AsyncIterator[bytes]:
        for chunk in (b"\x00\x01", b"", b"\xff" * 3):
            await asyncio.sleep(0)
            yield chunk

    async def main() -> None:
        async with serving(handler) as url, EventsClient(None, url, {}) as client:
            await client.events._send_stream(chunks())
            assert await client.events.recv() == Plain("got 3")
        assert received == [b"\x00\x01", b"", b"\xff\xff\xff"]
        assert repr(client.events) == "<EventsChannel events closed>"

    run(main())
