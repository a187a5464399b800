"""The blocking client (threads, `websockets.sync`) against the generated server.

The server runs on its own event loop in a background thread; every blocking call in the
tests has a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from ws_helpers import HOST, MockTts, request_fields
from ws_helpers import package as _package


@pytest.fixture(scope="module")
def pkg(cartesia: dict[str, ModuleType]) -> SimpleNamespace:
    return _package(cartesia)


@contextlib.contextmanager
def server_thread(server_module: ModuleType, handler: object) -> Iterator[str]:
    box: dict[str, Any] = {}
    ready = threading.Event()

    async def serve() -> None:
        async with server_module.serve(handler, HOST, 0) as server:
            box["url"] = f"ws://{HOST}:{server.sockets[0].getsockname()[1]}"
            box["loop"] = asyncio.get_running_loop()
            box["stop"] = asyncio.Event()
            ready.set()
            await box["stop"].wait()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(5)
    try:
        yield box["url"]
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(5)


def drain(stream: Any, timeout: float = 5.0) -> list[Any]:
    """Every frame of a blocking conversation until it ends (each wait bounded)."""
    out = []
    while True:
        try:
            out.append(stream.recv(timeout=timeout))
        except Exception as exc:  # ConversationEnded ends the loop, anything else fails
            if type(exc).__name__ == "ConversationEnded":
                return out
            raise


def test_blocking_conversation_with_flushes(pkg: SimpleNamespace) -> None:
    m = pkg.models
    with (
        server_thread(pkg.server, MockTts(m)) as url,
        pkg.client.BlockingClient.connect(url=url) as c,
    ):
        with c.tts_websocket.context("one") as ctx:
            ctx.send_tts_generation_request(
                **request_fields(m, "Hello ", continue_=True, flush=True)
            )
            ctx.send_tts_generation_request(
                **request_fields(m, "world", continue_=True, flush=True)
            )
            ctx.send_tts_generation_request(**request_fields(m, ""))
            frames = drain(ctx)
        assert [type(f).__name__ for f in frames] == [
            "TtsChunk",
            "TtsFlushDone",
            "TtsChunk",
            "TtsFlushDone",
            "TtsDone",
        ]
        assert [f.data for f in frames if isinstance(f, m.TtsChunk)] == [b"Hello ", b"world"]
        assert [f.flush_id for f in frames if isinstance(f, m.TtsFlushDone)] == [1, 2]
        # A second conversation on the same socket.
        second = c.tts_websocket.context("two")
        second.send_tts_generation_request(**request_fields(m, "Bye."))
        assert [type(f).__name__ for f in drain(second)] == ["TtsChunk", "TtsDone"]


def test_blocking_cancel_timeout_and_server_failure(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client
    handler = MockTts(m)
    with server_thread(pkg.server, handler) as url, client.BlockingClient.connect(url=url) as c:
        ctx = c.tts_websocket.context("a")
        ctx.send_tts_generation_request(**request_fields(m, "Hi ", continue_=True))
        assert ctx.recv(timeout=5).data == b"Hi "
        with pytest.raises(TimeoutError):
            ctx.recv(timeout=0.05)  # nothing more comes while the context stays open
        ctx.cancel()
        assert ctx.ended and list(ctx) == []
        waiter = c.tts_websocket.context("b")
        errors: list[BaseException] = []

        def wait() -> None:
            try:
                waiter.recv(timeout=5)
            except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
                errors.append(exc)

        thread = threading.Thread(target=wait)
        thread.start()
        time.sleep(0.05)
        hang_up = c.tts_websocket.context("c")
        started = time.monotonic()
        hang_up.send_tts_generation_request(**request_fields(m, "please hang up"))
        thread.join(2)
        assert not thread.is_alive() and time.monotonic() - started < 1.0
        assert isinstance(errors[0], client.ConnectionClosed) and errors[0].code == 1011
        with pytest.raises(client.ConnectionClosed):
            c.tts_websocket.send_tts_cancel_request(context_id="b")
    assert handler.cancelled == ["a"]


def test_blocking_stt_channel(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    class Stt:
        async def on_stt_audio(self, conn: Any, message: Any) -> None:
            await conn.send_stt_transcript(
                m.SttTranscript(is_final=False, request_id="r", text=str(len(message.payload)))
            )

        async def on_stt_close(self, conn: Any, message: Any) -> None:
            await conn.send_stt_done(m.SttDone(request_id="r"))

    with server_thread(pkg.server, Stt()) as url, client.BlockingClient.connect(url=url) as c:
        with pytest.raises(client.ClientError):
            c.stt_websocket.send_stt_close()
        with c.stt_websocket.open(
            model="ink-2", encoding=m.SttEncoding("pcm_s16le"), sample_rate=8000
        ) as stt:
            stt.send_stt_audio(payload=b"\x00" * 320)
            stt.send_stt_close()
            events = [stt.recv(timeout=5), stt.recv(timeout=5)]
        assert [type(e).__name__ for e in events] == ["SttTranscript", "SttDone"]
        assert events[0].text == "320"
