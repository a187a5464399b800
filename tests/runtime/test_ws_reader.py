"""No frame kills the client's reader; a reader that does stop says it was its own failure.

A 100,000-deep JSON array from the server used to raise RecursionError in the reader (in the
correlation-id lookup after the failed parse), which left the socket open and blamed the server.
Both readers (asyncio and threaded) run against a plain `websockets` server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import test_ws_blocking as blocking
from asyncgen.runtime._ws_core import ConnectionClosed, InvalidFrame
from asyncgen.runtime._ws_routing import find_key
from test_ws_client import EventsChannel, EventsClient, run, serving
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed as SocketClosed
from ws_frames import ROUTES, Note, Plain, note, plain

DEEP = '{"type": "note", "id": "a", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _boom(frame: Any) -> Any:
    raise ZeroDivisionError("a route that fails")


FAILING_ROUTES = {**ROUTES, Note: (_boom, False)}


def test_find_key_of_a_frame_too_deep_is_none() -> None:
    assert find_key(DEEP, (("id",),)) is None
    assert find_key(DEEP.encode(), (("id",),)) is None


def _served(
    frames: list[str], closes: list[int | None]
) -> Callable[[ServerConnection], Awaitable[None]]:
    async def handler(ws: ServerConnection) -> None:
        assert await ws.recv() == "go"
        for frame in frames:
            await ws.send(frame)
        await ws.wait_closed()
        closes.append(ws.close_code)

    return handler


def test_a_frame_too_deep_is_an_invalid_frame_and_the_reader_goes_on() -> None:
    async def main() -> None:
        closes: list[int | None] = []
        frames = [DEEP, note("a", "after"), plain("end")]
        async with serving(_served(frames, closes)) as url:
            async with EventsClient(None, url, {}) as client:
                a = client.events.context("a")
                await client.events.send_go()
                with pytest.raises(InvalidFrame) as caught:
                    await client.events.recv()
                assert caught.value.frame == DEEP and "RecursionError" in str(caught.value)
                assert await a.recv() == Note("a", "after")
                assert await client.events.recv() == Plain("end")
            await asyncio.sleep(0.05)
        assert closes == [1000]

    run(main())


class FailingChannel(EventsChannel):
    _ROUTES = FAILING_ROUTES


class FailingClient(EventsClient):
    _CHANNELS = (FailingChannel,)
    events: FailingChannel


def test_a_reader_that_fails_closes_the_socket_and_says_why() -> None:
    async def main() -> None:
        closes: list[int | None] = []
        async with serving(_served([note("a", "x")], closes)) as url:
            client = FailingClient(None, url, {})
            await client.events.send_go()
            with pytest.raises(ConnectionClosed) as caught:
                await client.events.recv()
            closed = caught.value
            assert closed.by_client and closed.code == 1011
            assert "the client's reader failed: ZeroDivisionError" in str(closed)
            assert "by the client" in str(closed) and "server" not in str(closed)
            for _ in range(100):
                if closes:
                    break
                await asyncio.sleep(0.01)
            assert closes == [1011]
            await client.close()  # after the failure: nothing left to close, no error
            with pytest.raises(ConnectionClosed):
                await client.events.send_go()

    run(main())


def test_close_after_the_reader_was_cancelled_closes_the_socket() -> None:
    async def main() -> None:
        closes: list[int | None] = []
        async with serving(_served([], closes)) as url:
            client = EventsClient(None, url, {})
            await client.events.send_go()
            reader = client.events._reader
            assert reader is not None
            await asyncio.sleep(0.05)  # the reader waits for a frame
            reader.cancel()
            with pytest.raises(ConnectionClosed) as caught:
                await client.events.recv()
            assert caught.value.by_client and "CancelledError" in str(caught.value)
            assert not closes
            await client.close()
            for _ in range(100):
                if closes:
                    break
                await asyncio.sleep(0.01)
            assert closes == [1000]

    run(main())


# -- the threaded reader ------------------------------------------------------------------------


def _served_blocking(frames: list[str], closes: list[int | None]) -> Any:
    def handler(ws: Any) -> None:
        assert ws.recv(blocking.WAIT) == "go"
        for frame in frames:
            ws.send(frame)
        with contextlib.suppress(SocketClosed):  # an error code (1011) ends the loop raising
            for _ in ws:
                pass
        closes.append(ws.close_code)

    return handler


def test_blocking_a_frame_too_deep_is_an_invalid_frame() -> None:
    closes: list[int | None] = []
    frames = [DEEP, note("a", "after"), plain("end")]
    with (
        blocking.serving(_served_blocking(frames, closes)) as url,
        blocking.EventsClient(None, url, {}) as client,
    ):
        a = client.events.context("a")
        client.events.send_go()
        with pytest.raises(InvalidFrame) as caught:
            blocking.recv(client.events)
        assert caught.value.frame == DEEP and "RecursionError" in str(caught.value)
        assert blocking.recv(a) == Note("a", "after")
        assert blocking.recv(client.events) == Plain("end")


class FailingBlockingChannel(blocking.EventsChannel):
    _ROUTES = FAILING_ROUTES


class FailingBlockingClient(blocking.EventsClient):
    _CHANNELS = (FailingBlockingChannel,)
    events: FailingBlockingChannel


def test_blocking_a_reader_that_fails_closes_the_socket_and_says_why() -> None:
    closes: list[int | None] = []
    done = threading.Event()

    def handler(ws: Any) -> None:
        _served_blocking([note("a", "x")], closes)(ws)
        done.set()

    with blocking.serving(handler) as url:
        client = FailingBlockingClient(None, url, {})
        client.events.send_go()
        with pytest.raises(ConnectionClosed) as caught:
            blocking.recv(client.events)
        closed = caught.value
        assert closed.by_client and closed.code == 1011
        assert "the client's reader failed: ZeroDivisionError" in str(closed)
        assert done.wait(blocking.WAIT) and closes == [1011]
        client.close()
