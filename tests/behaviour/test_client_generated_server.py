"""The generated client against the generated server (and a few plain servers for faults)."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.server import ServerConnection
from ws_helpers import (
    chunk,
    collect,
    done,
    generated_server,
    plain_server,
    request_fields,
    run,
)
from ws_helpers import package as _package


@pytest.fixture(scope="module")
def pkg(cartesia: dict[str, ModuleType]) -> SimpleNamespace:
    return _package(cartesia)


def _chunk(m: ModuleType, cid: str, data: bytes, flush_id: int = 1) -> Any:
    return m.TtsChunk(
        data=data, done=False, status_code=206, step_time=1.0, context_id=cid, flush_id=flush_id
    )


# -- 100 conversations on one socket ----------------------------------------------------------

# A schedule is the order in which the server emits frames: context i appears counts[i] + 1
# times; its k-th appearance is chunk k, its last one is `done`. Any interleaving goes.
schedules = st.lists(st.integers(min_value=1, max_value=4), min_size=100, max_size=100).flatmap(
    lambda counts: st.permutations([i for i, n in enumerate(counts) for _ in range(n + 1)])
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule=schedules)
def test_hundred_interleaved_contexts_each_get_their_own_frames_in_order(
    pkg: SimpleNamespace, schedule: list[int]
) -> None:
    m = pkg.models
    total = {i: schedule.count(i) for i in set(schedule)}

    class Handler:
        def __init__(self) -> None:
            self.opened: set[str] = set()

        async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
            self.opened.add(message.context_id)
            if len(self.opened) < len(total):
                return
            seen: dict[int, int] = {}
            for i in schedule:
                k = seen[i] = seen.get(i, -1) + 1
                if k == total[i] - 1:
                    await conn.send_tts_done(m.TtsDone(status_code=206, context_id=f"c{i}"))
                else:
                    await conn.send_tts_chunk(_chunk(m, f"c{i}", f"{i}:{k}".encode()))

    async def main() -> dict[int, list[Any]]:
        async with (
            generated_server(pkg.server, Handler()) as url,
            pkg.client.Client.connect(url=url, max_queue=8) as c,
        ):
            contexts = {i: c.tts_websocket.context(f"c{i}") for i in total}
            for i, ctx in contexts.items():
                await ctx.send_tts_generation_request(**request_fields(m, f"text {i}"))
            results = await asyncio.gather(*(collect(ctx) for ctx in contexts.values()))
            return dict(zip(contexts, results, strict=True))

    results = run(main(), timeout=30)
    for i, frames in results.items():
        assert [f.data.decode() for f in frames[:-1]] == [f"{i}:{k}" for k in range(total[i] - 1)]
        assert isinstance(frames[-1], m.TtsDone) and frames[-1].context_id == f"c{i}"


# -- cancel --------------------------------------------------------------------------------------


def test_cancel_mid_stream_sends_the_cancel_message_and_ends_the_local_stream(
    pkg: SimpleNamespace,
) -> None:
    m, client = pkg.models, pkg.client

    class Streamer:
        def __init__(self) -> None:
            self.tasks: dict[str, asyncio.Task[None]] = {}
            self.cancelled: list[str] = []

        async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
            cid = message.context_id
            if cid != "endless":
                for k in range(3):
                    await conn.send_tts_chunk(_chunk(m, cid, b"%d" % k))
                await conn.send_tts_done(m.TtsDone(status_code=206, context_id=cid))
                return

            async def stream() -> None:
                k = 0
                while True:
                    await conn.send_tts_chunk(_chunk(m, cid, b"%d" % k))
                    k += 1
                    await asyncio.sleep(0.002)

            self.tasks[cid] = asyncio.create_task(stream())

        async def on_tts_cancel_request(self, conn: Any, message: Any) -> None:
            self.cancelled.append(message.context_id)
            await asyncio.sleep(0.05)  # frames already on the wire still reach the client
            self.tasks.pop(message.context_id).cancel()

        async def on_close(self, conn: Any) -> None:
            for task in self.tasks.values():
                task.cancel()

    handler = Streamer()

    async def main() -> None:
        async with (
            generated_server(pkg.server, handler) as url,
            client.Client.connect(url=url) as c,
        ):
            tts = c.tts_websocket
            endless = tts.context("endless")
            await endless.send_tts_generation_request(**request_fields(m, "Go on.", continue_=True))
            got = [await endless.recv() for _ in range(3)]
            assert [f.data for f in got] == [b"0", b"1", b"2"]
            await endless.cancel()
            assert endless.ended
            assert await collect(endless) == []  # the local stream ended at once
            other = tts.context("other")
            await other.send_tts_generation_request(**request_fields(m, "Short."))
            frames = await collect(other)
            assert [type(f).__name__ for f in frames] == ["TtsChunk"] * 3 + ["TtsDone"]
            await asyncio.sleep(0.1)
            # The late frames of the cancelled conversation were dropped, not misrouted.
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.05):
                    await tts.recv()

    run(main())
    assert handler.cancelled == ["endless"]


# -- STT with turn detection ------------------------------------------------------------------


def test_stt_turns_binary_audio_json_commands_and_events(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    class Turns:
        def __init__(self) -> None:
            self.audio = b""
            self.config: Any = None
            self.query: dict[str, list[str]] = {}

        async def on_open(self, conn: Any) -> None:
            if conn.channel == "/stt/turns/websocket":
                self.query = conn.query
                await conn.send_turns_connected(m.SttTurnsConnected(request_id="r"))

        async def on_turns_audio(self, conn: Any, message: Any) -> None:
            self.audio += message.payload

        async def on_turns_config(self, conn: Any, message: Any) -> None:
            self.config = message

        async def on_turns_close(self, conn: Any, message: Any) -> None:
            await conn.send_turns_turn_start(m.SttTurnStart(request_id="r"))
            await conn.send_turns_turn_update(m.SttTurnUpdate(request_id="r", transcript="hel"))
            await conn.send_turns_turn_end(m.SttTurnEnd(request_id="r", transcript="hello"))
            await conn.close(1000, "session over")

    handler = Turns()

    async def main() -> list[Any]:
        events: list[Any] = []
        async with (
            generated_server(pkg.server, handler) as url,
            client.Client.connect(url=url) as c,
            c.stt_turns_websocket.open(
                model="ink-2",
                encoding=m.SttEncoding("pcm_s16le"),
                sample_rate=16000,
                turn_end_threshold=0.3,
            ) as turns,
        ):
            await turns.send_turns_audio(payload=b"\x00\x10" * 160)
            await turns.send_turns_config(turn=m.SttTurnConfig(end_threshold=0.1))
            await turns.send_turns_audio(m.TurnsAudio(payload=b"\x7f" * 4))
            await turns.send_turns_close()
            with pytest.raises(client.ConnectionClosed) as closed:
                async for event in turns:
                    events.append(event)
            assert closed.value.ok and closed.value.reason == "session over"
        return events

    events = run(main())
    assert [type(e).__name__ for e in events] == [
        "SttTurnsConnected",
        "SttTurnStart",
        "SttTurnUpdate",
        "SttTurnEnd",
    ]
    assert events[-1].transcript == "hello"
    assert handler.audio == b"\x00\x10" * 160 + b"\x7f" * 4
    assert handler.config.turn.end_threshold == 0.1
    assert (
        handler.query["turn_end_threshold"] == ["0.3"]
        and "turn_start_threshold" not in handler.query
    )


# -- back-pressure ------------------------------------------------------------------------------


def test_a_full_conversation_queue_makes_the_reader_wait(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    async def server(ws: ServerConnection) -> None:
        async for raw in ws:
            if json.loads(raw)["context_id"] == "fast":
                for k in range(40):
                    await ws.send(chunk("slow", b"%d" % k))
                await ws.send(done("slow"))
                await ws.send(done("fast"))

    async def main() -> None:
        async with plain_server(server) as url, client.Client.connect(url=url, max_queue=4) as c:
            slow, fast = c.tts_websocket.context("slow"), c.tts_websocket.context("fast")
            await fast.send_tts_generation_request(**request_fields(m, "Go."))
            waiting = asyncio.ensure_future(fast.recv())
            while len(slow._inbox._items) < 4:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)
            # Nobody reads "slow": its queue holds 4 frames and the reader waits behind it.
            assert len(slow._inbox._items) == 4
            assert not waiting.done()
            frames = await collect(slow)
            assert [f.data for f in frames[:-1]] == [b"%d" % k for k in range(40)]
            assert isinstance(await waiting, m.TtsDone)

    run(main())


# -- reconnect ------------------------------------------------------------------------------------


def test_reconnect_after_a_lost_socket_fails_open_conversations_and_goes_on(
    pkg: SimpleNamespace,
) -> None:
    m, client = pkg.models, pkg.client
    connections = []

    async def server(ws: ServerConnection) -> None:
        connections.append(ws)
        async for raw in ws:
            cid = json.loads(raw)["context_id"]
            if len(connections) == 1:
                await ws.close(1011, "internal error")
                return
            await ws.send(done(cid))

    async def main() -> None:
        async with (
            plain_server(server) as url,
            client.Client.connect(url=url, reconnect=3, reconnect_delay=0.01) as c,
        ):
            tts = c.tts_websocket
            first = tts.context("first")
            await first.send_tts_generation_request(**request_fields(m, "One."))
            with pytest.raises(client.ConnectionClosed) as lost:
                await first.recv()
            assert lost.value.code == 1011
            with pytest.raises(client.ConnectionClosed):
                await tts.recv()  # the stream reports the loss once ...
            for _ in range(200):
                if tts.websocket is not None:
                    break
                await asyncio.sleep(0.01)
            second = tts.context("second")  # ... and goes on on the new socket
            await second.send_tts_generation_request(**request_fields(m, "Two."))
            assert [type(f).__name__ for f in await collect(second)] == ["TtsDone"]

    run(main())
    assert len(connections) == 2


# -- validation of what is sent -----------------------------------------------------------------


def test_outgoing_messages_are_validated_unless_turned_off(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    class Echo:
        async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
            await conn.send_tts_done(m.TtsDone(status_code=206, context_id=message.context_id))

    async def main() -> None:
        async with generated_server(pkg.server, Echo()) as url, client.Client.connect(url=url) as c:
            ctx = c.tts_websocket.context("a")
            with pytest.raises(m.ValidationError) as invalid:
                await ctx.send_tts_generation_request(
                    **request_fields(m, "x", max_buffer_delay_ms=99_999)
                )
            assert invalid.value.errors[0].path == "/max_buffer_delay_ms"
            assert c.tts_websocket.websocket is None  # nothing was sent, no socket opened
            with pytest.raises(ValueError, match="conversation"):
                await ctx.send_tts_generation_request(
                    m.TtsGenerationRequest(context_id="b", **request_fields(m, "x"))
                )
            await ctx.send_tts_generation_request(
                m.TtsGenerationRequest(context_id="a", **request_fields(m, "x"))
            )
            assert [type(f).__name__ for f in await collect(ctx)] == ["TtsDone"]
            async with client.Client.connect(url=url, validate=False) as c:
                ctx = c.tts_websocket.context("a")
                await ctx.send_tts_generation_request(
                    **request_fields(m, "x", max_buffer_delay_ms=99_999)
                )
                # The generated server checks what it receives: 1007 and the reason.
                with pytest.raises(client.ConnectionClosed) as closed:
                    await ctx.recv()
                assert closed.value.code == 1007 and "max_buffer_delay_ms" in closed.value.reason

    run(main())


def test_closing_the_client_ends_streams_and_wakes_waiters(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    class Silent:
        async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
            await conn.send_tts_chunk(_chunk(m, message.context_id, b"only"))

    async def main() -> None:
        async with generated_server(pkg.server, Silent()) as url:
            c = client.Client.connect(url=url)
            ctx = c.tts_websocket.context("a")
            await ctx.send_tts_generation_request(**request_fields(m, "x"))
            assert (await ctx.recv()).data == b"only"
            waiting_ctx = asyncio.ensure_future(ctx.recv())
            waiting_stream = asyncio.ensure_future(collect(c.tts_websocket))
            await asyncio.sleep(0.05)
            await c.close()
            with pytest.raises(client.ConnectionClosed) as exc:
                await waiting_ctx
            assert exc.value.by_client
            assert await waiting_stream == []  # the stream simply ends
            # The channel opens again on demand after an explicit open.
            async with c.tts_websocket.open() as tts:
                again = tts.context("b")
                await again.send_tts_generation_request(**request_fields(m, "y"))
                assert (await again.recv()).data == b"only"

    run(main())
