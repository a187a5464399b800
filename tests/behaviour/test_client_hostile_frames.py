"""The generated client's reader against frames a hostile server sends: none of them kills it.

A plain `websockets` server on 127.0.0.1 sends a 100,000-deep JSON array (once at the top, once
under a conversation's id), then frames that decode; each deep one becomes an `InvalidFrame` and
the frames after it still arrive where they belong.
"""

from __future__ import annotations

from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection
from ws_helpers import collect, done, plain_server, request_fields, run
from ws_helpers import package as _package

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_UNDER_ID = '{"type": "chunk", "context_id": "ctx-1", "data": ' + DEEP_ARRAY + "}"


@pytest.fixture(scope="module")
def pkg(cartesia: dict[str, ModuleType]) -> SimpleNamespace:
    return _package(cartesia)


def test_frames_too_deep_are_invalid_frames_and_the_reader_goes_on(pkg: SimpleNamespace) -> None:
    async def server(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send(DEEP_ARRAY)
        await ws.send(DEEP_UNDER_ID)
        await ws.send(done("ctx-1"))
        await ws.wait_closed()

    async def main() -> list[Any]:
        async with (
            plain_server(server) as url,
            pkg.client.Client.connect(url=url, x_api_key="k") as c,
        ):
            ctx = c.tts_websocket.context("ctx-1")
            await ctx.send_tts_generation_request(**request_fields(pkg.models, "Hi"))
            with pytest.raises(pkg.client.InvalidFrame) as caught:
                await c.tts_websocket.recv()
            assert caught.value.frame == DEEP_ARRAY
            # The id under the deep array cannot be read either: the stream gets it too.
            with pytest.raises(pkg.client.InvalidFrame):
                await c.tts_websocket.recv()
            return await collect(ctx)

    frames = run(main())
    assert [type(f).__name__ for f in frames] == ["TtsDone"]
