"""The client's decoding options against a plain `websockets` server: frames that fit no
message (`unknown_frames`), and documents whose schemas reject what the server sends
(`validate_incoming=False`). The package is tests/fixtures/decoding/spec.yaml's."""

from __future__ import annotations

import json
import threading
from types import ModuleType
from typing import Any

import pytest
from conftest import FIXTURES, build, import_package
from websockets.asyncio.server import ServerConnection
from websockets.sync.server import ServerConnection as SyncServerConnection
from websockets.sync.server import serve as sync_serve
from ws_helpers import plain_server, run

PROGRESS = json.dumps({"type": "progress", "stream_id": "s1", "percent": 50})
NOTICE = json.dumps({"type": "notice", "text": "maintenance", "level": 2})


def chunk(stream: str, data: str = "x") -> str:
    return json.dumps({"type": "chunk", "stream_id": stream, "data": data})


def done(stream: str) -> str:
    return json.dumps({"type": "done", "stream_id": stream})


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    root = tmp_path_factory.mktemp("client_decoding")
    build(FIXTURES / "decoding" / "spec.yaml", root, "client_decoding")
    return import_package(root, "client_decoding")


async def _send_all(ws: ServerConnection, frames: list[str]) -> None:
    for frame in frames:
        await ws.send(frame)
    await ws.wait_closed()


def _frames_on_open(frames: list[str]) -> Any:
    async def server(ws: ServerConnection) -> None:
        await _send_all(ws, frames)

    return server


def test_unknown_frames_raise_by_default(pkg: dict[str, ModuleType]) -> None:
    client, models = pkg["client"], pkg["models"]

    async def main() -> None:
        frames = [PROGRESS, '{"foo": 1}', chunk("s0")]
        async with (
            plain_server(_frames_on_open(frames)) as url,
            client.Client.connect(url=url) as c,
        ):
            with pytest.raises(client.InvalidFrame) as forgotten:
                await c.feed.recv()
            assert forgotten.value.frame == PROGRESS
            assert forgotten.value.error.errors[0].path == "/type"
            with pytest.raises(client.InvalidFrame):
                await c.feed.recv()  # not silently an all-optional message
            assert isinstance(await c.feed.recv(), models.Chunk)

    run(main())


def test_unknown_frames_yield_in_the_stream(pkg: dict[str, ModuleType]) -> None:
    client, models = pkg["client"], pkg["models"]
    unrelated = '{"foo": 1}'

    async def events(ws: ServerConnection) -> None:
        path = ws.request.path if ws.request else ""
        frames = [PROGRESS, "not json", chunk("s0")] if path == "/feed" else [unrelated]
        await _send_all(ws, frames)

    async def main() -> list[Any]:
        got: list[Any] = []
        async with (
            plain_server(events) as url,
            client.Client.connect(url=url, unknown_frames="yield") as c,
        ):
            async for frame in c.feed:
                got.append(frame)
                if len(got) == 3:
                    break
            got.append(await c.events.recv())
        return got

    progress, not_json, first_chunk, event = run(main())
    assert isinstance(progress, client.UnknownFrame)
    assert progress.frame == PROGRESS and progress.data == json.loads(PROGRESS)
    assert progress.error.errors[0].path == "/type"
    assert isinstance(not_json, client.UnknownFrame) and not_json.data is None
    assert isinstance(first_chunk, models.Chunk)
    assert isinstance(event, client.UnknownFrame) and event.data == {"foo": 1}
    assert "Presence takes no frame" in str(event.error)


def test_unknown_frame_goes_to_its_conversation(pkg: dict[str, ModuleType]) -> None:
    client, models = pkg["client"], pkg["models"]
    started: list[dict[str, Any]] = []

    async def server(ws: ServerConnection) -> None:
        async for raw in ws:
            started.append(json.loads(raw))
            await ws.send(PROGRESS)  # names stream s1 in its readable `stream_id`
            await ws.send(chunk("s1"))
            await ws.send(done("s1"))

    async def main() -> list[Any]:
        async with (
            plain_server(server) as url,
            client.Client.connect(url=url, unknown_frames="yield") as c,
            c.feed.context("s1") as ctx,
        ):
            await ctx.send_start()
            return [frame async for frame in ctx]

    frames = run(main())
    assert started == [{"type": "start", "stream_id": "s1"}]
    assert isinstance(frames[0], client.UnknownFrame) and frames[0].frame == PROGRESS
    assert isinstance(frames[1], models.Chunk) and isinstance(frames[2], models.DonePayload)
    assert len(frames) == 3


def test_validate_incoming_false_reads_what_the_schema_rejects(
    pkg: dict[str, ModuleType],
) -> None:
    client, models = pkg["client"], pkg["models"]
    bad_chunk = json.dumps({"type": "chunk", "stream_id": "s0", "data": 7})

    async def main(validate_incoming: bool) -> list[Any]:
        got: list[Any] = []
        async with (
            plain_server(_frames_on_open([NOTICE, bad_chunk, PROGRESS])) as url,
            client.Client.connect(url=url, validate_incoming=validate_incoming) as c,
        ):
            for _ in range(3):
                try:
                    got.append(await c.feed.recv())
                except client.InvalidFrame as exc:
                    got.append(exc)
        return got

    notice, unchecked, progress = run(main(False))
    assert notice == models.Notice(text="maintenance", level=2)
    assert isinstance(unchecked, models.Chunk) and unchecked.data == 7  # taken as it is
    assert isinstance(progress, client.InvalidFrame)  # an unknown tag is still unknown
    checked = run(main(True))
    assert [type(x).__name__ for x in checked] == ["InvalidFrame"] * 3


def test_blocking_client_options(pkg: dict[str, ModuleType]) -> None:
    client, models = pkg["client"], pkg["models"]

    def handler(ws: SyncServerConnection) -> None:
        for frame in (NOTICE, PROGRESS, chunk("s0")):
            ws.send(frame)
        try:
            ws.recv()
        except Exception:  # noqa: BLE001 -- the client closing ends the handler
            return

    with sync_serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}"
        with client.BlockingClient.connect(
            url=url, validate_incoming=False, unknown_frames="yield"
        ) as c:
            got = [c.feed.recv(timeout=5) for _ in range(3)]
        server.shutdown()
        thread.join(5)
    assert isinstance(got[0], models.Notice)
    assert isinstance(got[1], client.UnknownFrame) and got[1].data["percent"] == 50
    assert isinstance(got[2], models.Chunk)


def test_unknown_frames_setting_is_checked(pkg: dict[str, ModuleType]) -> None:
    with pytest.raises(ValueError, match="unknown_frames"):
        pkg["client"].Client.connect(url="ws://127.0.0.1:1", unknown_frames="ignore")
