"""Interop: the official Cartesia SDK (`cartesia==4.2.0`) against the generated server.

An oracle from outside: the SDK's own client must complete TTS conversations against the
server stub generated from the spec. The voice is passed in the documented object form
(`{"mode": "id", "id": ...}`); the SDK would send a bare string otherwise, which the spec
does not allow.
"""

from __future__ import annotations

import base64
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from ws_helpers import VOICE_ID, MockTts, generated_server, run
from ws_helpers import package as _package

cartesia_sdk = pytest.importorskip("cartesia")


@pytest.fixture(scope="module")
def pkg(cartesia: dict[str, ModuleType]) -> SimpleNamespace:
    return _package(cartesia)


def test_sdk_two_contexts_a_flush_and_a_cancel(pkg: SimpleNamespace) -> None:
    handler = MockTts(pkg.models)
    voice = {"mode": "id", "id": VOICE_ID}
    output_format = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}

    async def main() -> tuple[list[Any], list[Any]]:
        async with generated_server(pkg.server, handler) as url:
            sdk = cartesia_sdk.AsyncCartesia(api_key="sk-test", websocket_base_url=url)
            try:
                async with sdk.tts.websocket_connect() as conn:
                    kept = conn.context(
                        "kept",
                        model_id="sonic-3",
                        voice=voice,
                        output_format=output_format,
                        timeout=5,
                    )
                    dropped = conn.context(
                        "dropped",
                        model_id="sonic-3",
                        voice=voice,
                        output_format=output_format,
                        timeout=5,
                    )
                    await kept.push("Hello, ")
                    await kept.push("", flush=True)
                    await dropped.push("Never mind ")
                    await dropped.cancel()
                    await kept.push("world.")
                    await kept.no_more_inputs()
                    events = [event async for event in kept.receive()]
                    after_cancel = [event async for event in dropped.receive()]
            finally:
                await sdk.close()
        return events, after_cancel

    events, after_cancel = run(main(), timeout=20)
    assert [e.type for e in events] == ["chunk", "flush_done", "chunk", "done"]
    assert [base64.b64decode(e.data) for e in events if e.type == "chunk"] == [
        b"Hello, ",
        b"world.",
    ]
    assert [e.flush_id for e in events if e.type in ("chunk", "flush_done")] == [1, 1, 2]
    assert after_cancel == []
    assert handler.cancelled == ["dropped"]
    # Every frame the SDK sent decoded into the spec's messages (an invalid one would have
    # closed the socket with 1007): four requests for "kept", one for "dropped".
    assert [r.context_id for r in handler.requests].count("kept") == 4
    assert [r.transcript for r in handler.requests if r.context_id == "kept"] == [
        "Hello, ",
        "",
        "world.",
        "",
    ]
    assert [r.continue_ for r in handler.requests if r.context_id == "kept"] == [
        True,
        True,
        True,
        False,
    ]
    path, _, headers = handler.handshakes[0]
    assert path == "/tts/websocket"
    assert headers["Authorization"] == "Bearer sk-test" and headers["Cartesia-Version"]
