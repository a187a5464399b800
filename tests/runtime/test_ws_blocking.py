"""`_ws_blocking` (threads) against a real `websockets` server on 127.0.0.1, no generated code.

The channel under test is written here the way `client.py` writes one. Every wait is bounded:
`recv(timeout=...)`, joins with a timeout.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from asyncgen.runtime._ws_blocking import BlockingChannel, BlockingClientBase, BlockingContext
from asyncgen.runtime._ws_core import ConnectionClosed, ConversationEnded, InvalidFrame
from asyncgen.runtime._ws_queues import BlockingInbox
from websockets.sync.server import ServerConnection, serve
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

HOST = "127.0.0.1"
WAIT = 5.0


class EventsContext(BlockingContext[Frame]):
    id: str


class EventsChannel(BlockingChannel[Frame]):
    _ADDRESS = "/events"
    _ATTRIBUTE = "events"
    _ROUTES = ROUTES
    _KEY_PATHS = KEY_PATHS

    def _parse(self, frame: str | bytes) -> Frame:
        return parse(frame)

    def context(self, id: str) -> EventsContext:
        return EventsContext(self, id)

    def send_go(self) -> None:
        self._send("go")


class EventsClient(BlockingClientBase):
    _CHANNELS = (EventsChannel,)
    events: EventsChannel


@contextlib.contextmanager
def serving(handler: Callable[[ServerConnection], None]) -> Iterator[str]:
    with serve(handler, HOST, 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"ws://{HOST}:{server.socket.getsockname()[1]}/"
        finally:
            server.shutdown()
            thread.join(WAIT)


def sender(frames: list[str]) -> Callable[[ServerConnection], None]:
    """A server that waits for the client's `go`, sends `frames` and stays open."""

    def handler(ws: ServerConnection) -> None:
        assert ws.recv(WAIT) == "go"
        for frame in frames:
            ws.send(frame)
        for _ in ws:  # until the client closes
            pass

    return handler


def recv(source: EventsChannel | EventsContext) -> Frame:
    return source.recv(timeout=WAIT)


def collect(source: EventsContext) -> list[Frame]:
    frames = []
    while True:
        try:
            frames.append(recv(source))
        except ConversationEnded:
            return frames


def test_inbox_get_times_out_and_put_waits_while_full() -> None:
    inbox: BlockingInbox[int] = BlockingInbox(1)
    with pytest.raises(TimeoutError):
        inbox.get(timeout=0.01)
    inbox.put(1)
    putter = threading.Thread(target=inbox.put, args=(2,))
    putter.start()
    time.sleep(0.05)
    assert putter.is_alive()  # full: the second put waits
    assert inbox.get(WAIT) == 1
    putter.join(WAIT)
    assert not putter.is_alive() and inbox.get(WAIT) == 2


def test_stream_keeps_order_and_the_reader_waits_when_it_is_full() -> None:
    frames = [plain(str(k)) for k in range(20)]
    with serving(sender(frames)) as url, EventsClient(None, url, {}, max_queue=4) as client:
        client.events.send_go()
        stream = client.events._stream
        deadline = time.monotonic() + WAIT
        while len(stream._items) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        assert len(stream._items) == 4  # nobody reads: the reader waits behind the queue
        assert [recv(client.events) for _ in range(20)] == [Plain(str(k)) for k in range(20)]


def test_frames_go_to_their_conversation_and_an_ending_frame_ends_it() -> None:
    frames = [
        note("a", "1"),
        note("b", "1"),
        plain("p"),
        note("a", "2"),
        note("c", "x"),
        last("b"),
        last("a"),
        note("a", "after"),
        plain("end"),
    ]
    with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
        a, b = client.events.context("a"), client.events.context("b")
        client.events.send_go()
        assert collect(a) == [Note("a", "1"), Note("a", "2"), Last("a")]
        assert collect(b) == [Note("b", "1"), Last("b")]
        assert a.ended and b.ended and not client.events._contexts
        stream = [recv(client.events) for _ in range(4)]
        assert stream == [Plain("p"), Note("c", "x"), Note("a", "after"), Plain("end")]


def test_an_ending_frame_without_id_ends_every_conversation() -> None:
    frames = [note("a", "1"), last(None), plain("end")]
    with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
        a, b = client.events.context("a"), client.events.context("b")
        client.events.send_go()
        assert collect(a) == [Note("a", "1"), Last(None)]
        assert collect(b) == [Last(None)]
        assert [recv(client.events) for _ in range(2)] == [Last(None), Plain("end")]


def test_a_frame_missing_its_id_reaches_every_conversation_which_goes_on() -> None:
    frames = [note(None, "warning"), note("a", "1"), last("a"), last("b")]
    with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
        a, b = client.events.context("a"), client.events.context("b")
        client.events.send_go()
        assert collect(a) == [Note(None, "warning"), Note("a", "1"), Last("a")]
        assert collect(b) == [Note(None, "warning"), Last("b")]
        assert recv(client.events) == Note(None, "warning")


def test_late_frames_of_a_conversation_closed_here_are_dropped() -> None:
    frames = [note("a", "late"), last("a"), note("a", "again"), plain("end")]
    with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
        a = client.events.context("a")
        a.close()
        with pytest.raises(ConversationEnded):
            recv(a)
        client.events.send_go()
        assert recv(client.events) == Note("a", "again")
        assert recv(client.events) == Plain("end")
        assert "a" not in client.events._dropped


def test_invalid_frames_reach_the_consumer_their_id_names() -> None:
    frames = [unknown("a"), "not json", unknown("z"), unknown("gone"), plain("end"), last("a")]
    with serving(sender(frames)) as url, EventsClient(None, url, {}) as client:
        a = client.events.context("a")
        client.events.context("gone").close()
        client.events.send_go()
        with pytest.raises(InvalidFrame) as for_a:
            recv(a)
        assert for_a.value.frame == frames[0]
        assert recv(a) == Last("a")
        for raw in ("not json", frames[2]):
            with pytest.raises(InvalidFrame) as on_stream:
                recv(client.events)
            assert on_stream.value.frame == raw
        assert recv(client.events) == Plain("end")


def test_a_socket_the_server_drops_is_not_reopened() -> None:
    connections: list[ServerConnection] = []

    def handler(ws: ServerConnection) -> None:
        connections.append(ws)
        assert ws.recv(WAIT) == "go"
        ws.send(plain("first"))
        ws.close(1011, "server restart")

    with serving(handler) as url, EventsClient(None, url, {}, reconnect=3) as client:
        a = client.events.context("a")
        client.events.send_go()
        assert recv(client.events) == Plain("first")
        with pytest.raises(ConnectionClosed) as lost:
            recv(client.events)
        assert (lost.value.code, lost.value.by_client) == (1011, False)
        with pytest.raises(ConnectionClosed):
            recv(a)
        time.sleep(0.1)
        assert client.events._state == "lost" and len(connections) == 1


def test_close_wakes_every_waiting_thread_with_connection_closed() -> None:
    with serving(sender([])) as url:
        client = EventsClient(None, url, {})
        a, b = client.events.context("a"), client.events.context("b")
        client.events.send_go()
        errors: list[BaseException] = []

        def wait(source: EventsChannel | EventsContext) -> None:
            try:
                recv(source)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=wait, args=(s,)) for s in (a, b, client.events)]
        for thread in threads:
            thread.start()
        time.sleep(0.05)
        assert not errors
        client.close()
        for thread in threads:
            thread.join(WAIT)
        assert len(errors) == 3
        assert all(isinstance(e, ConnectionClosed) and e.by_client for e in errors)


def test_a_stream_of_chunks_goes_out_as_binary_frames_in_order() -> None:
    received: list[str | bytes] = []

    def handler(ws: ServerConnection) -> None:
        for _ in range(2):
            received.append(ws.recv())
        ws.send(plain("got 2"))
        with contextlib.suppress(Exception):
            ws.recv()

    with serving(handler) as url, EventsClient(None, url, {}) as client:
        client.events._send_stream(iter([b"ab", b"cd"]))
        assert recv(client.events) == Plain("got 2")
    assert received == [b"ab", b"cd"]
