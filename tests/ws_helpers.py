"""Helpers for the client and server tests: local servers, frames written by hand, time limits.

The frames here are spelled out as JSON by hand (not made with the generated models), so a test
against the plain `websockets` server cannot pass because client and models share a bug.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from types import ModuleType, SimpleNamespace
from typing import Any, TypeVar

from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as plain_serve

T = TypeVar("T")
HOST = "127.0.0.1"


def run(coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
    """Run one test body on a fresh event loop, bounded in time."""

    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await coro

    return asyncio.run(bounded())


def package(modules: dict[str, ModuleType]) -> SimpleNamespace:
    return SimpleNamespace(
        client=modules["client"], server=modules["server"], models=modules["models"]
    )


@contextlib.asynccontextmanager
async def plain_server(
    handler: Callable[[ServerConnection], Awaitable[None]], **kwargs: Any
) -> AsyncIterator[str]:
    """A hand-written `websockets` server on 127.0.0.1; yields its ws:// URL."""
    async with plain_serve(handler, HOST, 0, **kwargs) as server:
        yield f"ws://{HOST}:{server.sockets[0].getsockname()[1]}"


@contextlib.asynccontextmanager
async def generated_server(
    server_module: ModuleType, handler: object, **kwargs: Any
) -> AsyncIterator[str]:
    """The generated `serve` on 127.0.0.1; yields its ws:// URL."""
    async with server_module.serve(handler, HOST, 0, **kwargs) as server:
        yield f"ws://{HOST}:{server.sockets[0].getsockname()[1]}"


# -- TTS frames as the server writes them -----------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def chunk(cid: str, audio: bytes, flush_id: int | None = 1) -> str:
    frame: dict[str, Any] = {
        "type": "chunk",
        "data": b64(audio),
        "done": False,
        "status_code": 206,
        "step_time": 12.5,
        "context_id": cid,
    }
    if flush_id is not None:
        frame["flush_id"] = flush_id
    return json.dumps(frame)


def word_timestamps(
    cid: str, words: list[str], start: list[float], end: list[float], flush_id: int = 1
) -> str:
    return json.dumps(
        {
            "type": "timestamps",
            "done": False,
            "status_code": 206,
            "context_id": cid,
            "flush_id": flush_id,
            "word_timestamps": {"words": words, "start": start, "end": end},
        }
    )


def phoneme_timestamps(cid: str, phonemes: list[str], start: list[float], end: list[float]) -> str:
    return json.dumps(
        {
            "type": "phoneme_timestamps",
            "done": False,
            "status_code": 206,
            "context_id": cid,
            "flush_id": 1,
            "phoneme_timestamps": {"phonemes": phonemes, "start": start, "end": end},
        }
    )


def flush_done(cid: str, flush_id: int) -> str:
    return json.dumps(
        {
            "type": "flush_done",
            "done": False,
            "flush_done": True,
            "flush_id": flush_id,
            "status_code": 206,
            "context_id": cid,
        }
    )


def done(cid: str) -> str:
    return json.dumps({"type": "done", "done": True, "status_code": 206, "context_id": cid})


def error(cid: str | None, message: str = "invalid model", status: int = 400) -> str:
    frame: dict[str, Any] = {
        "type": "error",
        "done": True,
        "status_code": status,
        "error_code": "model_not_found" if status == 400 else "concurrency_limited",
        "title": "Bad request" if status == 400 else "Too many requests",
        "message": message,
        "request_id": "6f1d2c8e-2a55-4b7e-9d43-1f3c5b2a9e10",
    }
    if cid is not None:
        frame["context_id"] = cid
    return json.dumps(frame)


VOICE_ID = "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"


def request_fields(models: ModuleType, transcript: str, **extra: Any) -> dict[str, Any]:
    """Keyword arguments of a TTS generation request (everything but the context id)."""
    fields: dict[str, Any] = {
        "model_id": "sonic-3",
        "transcript": transcript,
        "voice": models.TtsVoice(id=VOICE_ID),
        "output_format": models.TtsOutputFormat(
            encoding=models.TtsEncoding("pcm_s16le"), sample_rate=models.TtsSampleRate(16000)
        ),
    }
    fields.update(extra)
    return fields


class MockTts:
    """One chunk per transcript piece; flush → flush_done; continue=false → done; cancel → stop."""

    def __init__(self, models: ModuleType) -> None:
        self.m = models
        self.flush_ids: dict[str, int] = {}
        self.cancelled: list[str] = []
        self.requests: list[Any] = []
        self.handshakes: list[Any] = []

    async def on_open(self, conn: Any) -> None:
        self.handshakes.append((conn.path, conn.query, conn.headers))

    async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
        m, cid = self.m, message.context_id
        self.requests.append(message)
        if cid in self.cancelled:
            return  # nothing more for a cancelled context
        if message.transcript == "please hang up":
            await conn.close(1011, "server failure")
            return
        flush_id = self.flush_ids.setdefault(cid, 1)
        if message.transcript:
            await conn.send_tts_chunk(
                m.TtsChunk(
                    data=message.transcript.encode(),
                    done=False,
                    status_code=206,
                    step_time=1.0,
                    context_id=cid,
                    flush_id=flush_id,
                )
            )
        if message.flush:
            await conn.send_tts_flush_done(
                m.TtsFlushDone(done=False, flush_id=flush_id, status_code=206, context_id=cid)
            )
            self.flush_ids[cid] = flush_id + 1
        if not message.continue_:
            await conn.send_tts_done(m.TtsDone(status_code=206, context_id=cid))

    async def on_tts_cancel_request(self, conn: Any, message: Any) -> None:
        self.cancelled.append(message.context_id)


async def collect(stream: Any, limit: int = 10_000) -> list[Any]:
    """Every item of an async stream until it ends."""
    out = []
    async for item in stream:
        out.append(item)
        if len(out) >= limit:
            break
    return out
