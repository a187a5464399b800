"""The generated client against a plain, hand-written `websockets` server.

The server side here knows nothing of the generated code: it reads and writes JSON by hand, so
a bug the client and the generated server share cannot hide.
"""

from __future__ import annotations

import asyncio
import json
import time
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from websockets.asyncio.server import ServerConnection
from ws_helpers import (
    VOICE_ID,
    chunk,
    collect,
    done,
    error,
    flush_done,
    phoneme_timestamps,
    plain_server,
    request_fields,
    run,
    word_timestamps,
)
from ws_helpers import package as _package


@pytest.fixture(scope="module")
def pkg(cartesia: dict[str, ModuleType]) -> SimpleNamespace:
    return _package(cartesia)


def test_one_context_chunks_timestamps_flushes_done(pkg: SimpleNamespace) -> None:
    m = pkg.models
    received: list[dict[str, Any]] = []

    async def server(ws: ServerConnection) -> None:
        async for raw in ws:
            assert isinstance(raw, str)  # JSON goes in text frames
            received.append(json.loads(raw))
            if len(received) == 3:
                await ws.send(chunk("ctx-1", b"\x00\x01hello", flush_id=1))
                await ws.send(word_timestamps("ctx-1", ["Hello,"], [0.0], [0.4]))
                await ws.send(phoneme_timestamps("ctx-1", ["h", "@"], [0.0, 0.1], [0.1, 0.2]))
                await ws.send(flush_done("ctx-1", 1))
                await ws.send(chunk("ctx-1", b"world", flush_id=2))
                await ws.send(flush_done("ctx-1", 2))
                await ws.send(done("ctx-1"))

    async def main() -> list[Any]:
        async with (
            plain_server(server) as url,
            pkg.client.Client.connect(url=url, x_api_key="k") as c,
        ):
            ctx = c.tts_websocket.context("ctx-1")
            fields = request_fields(m, "Hello, ", add_timestamps=True, add_phoneme_timestamps=True)
            await ctx.send_tts_generation_request(continue_=True, **fields)
            await ctx.send_tts_generation_request(
                **{**fields, "transcript": ""}, continue_=True, flush=True
            )
            await ctx.send_tts_generation_request(**{**fields, "transcript": "world"})
            frames = await collect(ctx)
            assert ctx.ended
            with pytest.raises(pkg.client.ConversationEnded):
                await ctx.recv()
            return frames

    frames = run(main())
    assert [type(f).__name__ for f in frames] == [
        "TtsChunk",
        "TtsTimestamps",
        "TtsPhonemeTimestamps",
        "TtsFlushDone",
        "TtsChunk",
        "TtsFlushDone",
        "TtsDone",
    ]
    assert frames[0].data == b"\x00\x01hello" and frames[0].flush_id == 1
    assert frames[1].word_timestamps == m.TtsWordTimestamps(
        words=["Hello,"], start=[0.0], end=[0.4]
    )
    assert frames[2].phoneme_timestamps.phonemes == ["h", "@"]
    assert [f.flush_id for f in frames if isinstance(f, m.TtsFlushDone)] == [1, 2]
    assert frames[4].data == b"world" and frames[4].flush_id == 2
    # What went on the wire: wire names (`continue`), the context id filled in by the context.
    assert [r["context_id"] for r in received] == ["ctx-1"] * 3
    # `continue` was not given for the last piece: it is not sent (the server's default applies).
    assert [r.get("continue") for r in received] == [True, True, None]
    assert "continue" not in received[2]
    assert received[1]["flush"] is True and received[1]["transcript"] == ""
    assert received[0]["voice"] == {"mode": "id", "id": VOICE_ID}
    assert received[0]["output_format"] == {
        "container": "raw",
        "encoding": "pcm_s16le",
        "sample_rate": 16000,
    }


def test_handshake_carries_credentials_and_channel_values(pkg: SimpleNamespace) -> None:
    seen: list[tuple[str, dict[str, str]]] = []

    async def server(ws: ServerConnection) -> None:
        assert ws.request is not None
        seen.append((ws.request.path, {k.lower(): v for k, v in ws.request.headers.raw_items()}))
        await ws.close()

    async def main() -> None:
        async with (
            plain_server(server) as url,
            pkg.client.Client.connect(
                url=url + "/v1",
                x_api_key="key-1",
                bearer_token="tok-2",
                access_token="acc 3",
                cartesia_version_header="2026-03-01",
            ) as c,
        ):
            async with c.tts_websocket.open():
                pass
            async with c.stt_websocket.open(
                model="ink-whisper",
                encoding=pkg.models.SttEncoding("pcm_s16le"),
                sample_rate=16000,
                keyterm=["Cartesia", "Sonic voice"],
                min_volume=0.25,
            ):
                pass

    run(main())
    (tts_path, tts_headers), (stt_path, _stt_headers) = seen
    assert urlsplit(tts_path).path == "/v1/tts/websocket"
    assert parse_qs(urlsplit(tts_path).query) == {
        "cartesia_version": ["2026-03-01"],
        "access_token": ["acc 3"],
    }
    assert tts_headers["x-api-key"] == "key-1"
    assert tts_headers["authorization"] == "Bearer tok-2"
    assert tts_headers["cartesia-version"] == "2026-03-01"
    assert urlsplit(stt_path).path == "/v1/stt/websocket"
    assert parse_qs(urlsplit(stt_path).query) == {
        "access_token": ["acc 3"],
        "cartesia_version": ["2026-03-01"],
        "model": ["ink-whisper"],
        "encoding": ["pcm_s16le"],
        "sample_rate": ["16000"],
        "keyterm": ["Cartesia", "Sonic voice"],  # an array is the parameter repeated
        "min_volume": ["0.25"],
    }


def test_error_for_one_context_and_connection_level_error(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    async def server(ws: ServerConnection) -> None:
        seen = set()
        async for raw in ws:
            seen.add(json.loads(raw)["context_id"])
            if len(seen) == 3:
                await ws.send(chunk("a", b"a1"))
                await ws.send(chunk("b", b"b1"))
                await ws.send(error("b", "invalid model"))  # ends b only
                await ws.send(chunk("c", b"c1"))
                await ws.send(error(None, "too many contexts", status=429))  # everyone
                await ws.wait_closed()

    async def main() -> tuple[list[Any], ...]:
        async with plain_server(server) as url, client.Client.connect(url=url) as c:
            tts = c.tts_websocket
            contexts = [tts.context(cid) for cid in "abc"]
            for ctx in contexts:
                await ctx.send_tts_generation_request(**request_fields(m, "Hi."))
            results = await asyncio.gather(*(collect(ctx) for ctx in contexts))
            stream = await tts.recv()
            return (*results, [stream])

    a, b, c, stream = run(main())
    assert [type(f).__name__ for f in a] == ["TtsChunk", "TtsError"]
    assert a[1].context_id is None and a[1].message == "too many contexts"
    assert [type(f).__name__ for f in b] == ["TtsChunk", "TtsError"]
    assert b[1].context_id == "b" and b[1].message == "invalid model"  # not the connection error
    assert [type(f).__name__ for f in c] == ["TtsChunk", "TtsError"]
    assert c[1].status_code == 429
    assert isinstance(stream[0], m.TtsError) and stream[0].context_id is None


@pytest.mark.parametrize("how", ["abort", "close"])
def test_server_gone_mid_stream_wakes_every_consumer_within_a_second(
    pkg: SimpleNamespace, how: str
) -> None:
    m, client = pkg.models, pkg.client

    async def server(ws: ServerConnection) -> None:
        seen = set()
        async for raw in ws:
            seen.add(json.loads(raw)["context_id"])
            if len(seen) == 3:
                for cid in "abc":
                    await ws.send(chunk(cid, b"x"))
                await asyncio.sleep(0.05)
                if how == "abort":
                    assert ws.transport is not None
                    ws.transport.abort()  # no closing handshake: a lost connection
                else:
                    await ws.close(1000, "connection idle timeout")
                return

    async def consume(stream: Any) -> tuple[int, BaseException | None, float]:
        count = 0
        try:
            async for _ in stream:
                count += 1
        except client.ConnectionClosed as exc:
            return count, exc, time.monotonic()
        return count, None, time.monotonic()

    async def main() -> None:
        async with plain_server(server) as url, client.Client.connect(url=url) as c:
            tts = c.tts_websocket
            contexts = [tts.context(cid) for cid in "abc"]
            for ctx in contexts:
                await ctx.send_tts_generation_request(
                    **request_fields(m, "Hello there.", continue_=True)
                )
            consumers = [asyncio.ensure_future(consume(x)) for x in [*contexts, tts]]
            await asyncio.sleep(0.02)
            async with asyncio.timeout(5):
                while not any(ctx.ended for ctx in contexts):
                    await asyncio.sleep(0.005)
            gone = time.monotonic()
            async with asyncio.timeout(1.0):  # every consumer wakes within a second
                results = await asyncio.gather(*consumers)
            for count, exc, when in results:
                assert isinstance(exc, client.ConnectionClosed)
                assert not exc.by_client
                assert when - gone < 1.0
                if how == "close":
                    assert (exc.code, exc.reason, exc.ok) == (
                        1000,
                        "connection idle timeout",
                        True,
                    )
                else:
                    assert exc.code != 1000
            assert [count for count, _, _ in results[:3]] == [1, 1, 1]
            with pytest.raises(client.ConnectionClosed):
                await contexts[0].send_tts_generation_request(**request_fields(m, "more"))
            late = tts.context("late")  # a conversation opened after the loss ends at once
            with pytest.raises(client.ConnectionClosed):
                await late.recv()

    run(main())


def test_invalid_and_unknown_frames_are_typed_errors(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client

    async def server(ws: ServerConnection) -> None:
        async for raw in ws:
            if json.loads(raw)["context_id"] != "a":
                await ws.send(done("second"))
                continue
            await ws.send(json.dumps({"type": "mystery", "context_id": "a", "done": False}))
            await ws.send(chunk("a", b"ok"))
            await ws.send(
                json.dumps({"type": "chunk", "done": False, "context_id": "a"})
            )  # no data
            await ws.send("this is not JSON")
            await ws.send(b"\x00\x01binary")
            await ws.send(json.dumps({"type": "chunk", "data": 5, "context_id": "zz"}))
            await ws.send(done("a"))

    async def main() -> None:
        async with plain_server(server) as url, client.Client.connect(url=url) as c:
            tts = c.tts_websocket
            ctx = tts.context("a")
            await ctx.send_tts_generation_request(**request_fields(m, "Hi."))
            with pytest.raises(client.InvalidFrame) as unknown:
                await ctx.recv()
            assert "mystery" in str(unknown.value.error)
            assert unknown.value.frame.startswith('{"type": "mystery"')
            first = await ctx.recv()  # the stream goes on after an invalid frame
            assert isinstance(first, m.TtsChunk) and first.data == b"ok"
            with pytest.raises(client.InvalidFrame) as missing:
                await ctx.recv()
            assert any("data" in (e.path + e.message) for e in missing.value.error.errors)
            assert isinstance(await ctx.recv(), m.TtsDone)
            # Frames without a readable conversation go to the channel stream.
            for expected in ("this is not JSON", b"\x00\x01binary"):
                with pytest.raises(client.InvalidFrame) as bad:
                    await tts.recv()
                assert bad.value.frame == expected
            with pytest.raises(client.InvalidFrame):
                await tts.recv()  # context "zz" is not open
            # The reader is still alive.
            second = tts.context("second")
            await second.send_tts_generation_request(**request_fields(m, "Again."))
            assert [type(f).__name__ for f in await collect(second)] == ["TtsDone"]

    run(main())


def test_stt_binary_audio_and_plain_text_commands(pkg: SimpleNamespace) -> None:
    m, client = pkg.models, pkg.client
    frames: list[str | bytes] = []

    async def server(ws: ServerConnection) -> None:
        async for raw in ws:
            frames.append(raw)
            if raw == "finalize":
                await ws.send(
                    json.dumps(
                        {
                            "type": "transcript",
                            "is_final": True,
                            "request_id": "r1",
                            "text": "hello",
                            "words": [{"word": "hello", "start": 0.0, "end": 0.5}],
                        }
                    )
                )
                await ws.send(json.dumps({"type": "flush_done", "request_id": "r1"}))
            elif raw == "close":
                await ws.send(json.dumps({"type": "done", "request_id": "r1"}))

    async def main() -> list[Any]:
        async with plain_server(server) as url, client.Client.connect(url=url) as c:
            with pytest.raises(client.ClientError, match="open"):
                await c.stt_websocket.send_stt_finalize()  # needs model, encoding, ...
            async with c.stt_websocket.open(
                model="ink-2", encoding=m.SttEncoding("pcm_s16le"), sample_rate=16000
            ) as stt:
                await stt.send_stt_audio(payload=b"\x01\x02" * 800)
                await stt.send_stt_audio(m.SttAudio(payload=b"\x03" * 10))
                await stt.send_stt_finalize()
                await stt.send_stt_close(m.SttClose())
                events = []
                async for event in stt:
                    events.append(event)
                    if isinstance(event, m.SttDone):
                        break
                return events

    events = run(main())
    assert frames == [b"\x01\x02" * 800, b"\x03" * 10, "finalize", "close"]  # bytes, bare text
    assert [type(e).__name__ for e in events] == ["SttTranscript", "SttFlushDone", "SttDone"]
    assert events[0].words == [m.SttWord(word="hello", start=0.0, end=0.5)]


def test_credentials_and_servers_are_checked_before_connecting(pkg: SimpleNamespace) -> None:
    client = pkg.client
    with pytest.raises(client.ClientError, match="credentials"):
        client.Client.connect()  # the production server needs one of its security schemes
    client.Client.connect(bearer_token="t")  # opens nothing yet
    with pytest.raises(client.ClientError, match="server"):
        client.Client.connect(server="staging", x_api_key="k")  # type: ignore[arg-type]
