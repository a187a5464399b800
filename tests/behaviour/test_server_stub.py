"""The generated server stub: routing by path, handshake values, framing, invalid frames.

Besides the Cartesia package, a small spec written here covers what Cartesia lacks: path
parameters, channels with different required values, a binary-only channel, a server-only
text channel, no correlation ids, no security, several servers.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from conftest import FIXTURES, build, import_package
from websockets.asyncio.client import connect as plain_connect
from websockets.exceptions import InvalidStatus
from ws_helpers import generated_server, request_fields, run
from ws_helpers import package as _package

ROOMS_SPEC = (FIXTURES / "specs" / "rooms.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("rooms")
    spec = folder / "rooms.yaml"
    spec.write_text(ROOMS_SPEC, encoding="utf-8")
    build(spec, folder, "rooms_under_test")
    return _package(import_package(folder, "rooms_under_test"))


@pytest.fixture(scope="module")
def pkg(cartesia: dict[str, ModuleType]) -> SimpleNamespace:
    return _package(cartesia)


class RoomsHandler:
    def __init__(self, models: ModuleType) -> None:
        self.m = models
        self.opened: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = []
        self.invalid: list[Any] = []

    async def on_open(self, conn: Any) -> None:
        self.opened.append((conn.channel, conn.path, conn.query, dict(conn.path_params)))
        if conn.headers.get("X-Refuse"):
            await conn.close(4003, "refused by the handler")
        elif conn.channel == "/notices":
            await conn.send_notice(self.m.Notice(payload='welcome, "friend"'))

    async def on_say(self, conn: Any, message: Any) -> None:
        said = self.m.SaidPayload(
            room=conn.path_params["room"], text=message.text, nick=conn.query["nick"][0]
        )
        await conn.send_said(said)

    async def on_pcm(self, conn: Any, message: Any) -> None:
        await conn.send_echoed(self.m.Echoed(payload=message.payload[::-1]))


def test_paths_route_to_channels_with_path_and_query_values(rooms: SimpleNamespace) -> None:
    handler = RoomsHandler(rooms.models)

    async def main() -> None:
        async with generated_server(rooms.server, handler) as url:
            async with rooms.client.Client.connect(url=url) as c:
                with pytest.raises(rooms.client.ClientError, match="open"):
                    await c.rooms_room.send_say(text="hi")  # needs room and nick
                async with c.rooms_room.open(room="lobby/1 ü", nick="ann") as room:
                    await room.send_say(text="hello")
                    said = await room.recv()
                    assert said == rooms.models.SaidPayload(
                        room="lobby/1 ü", text="hello", nick="ann"
                    )
                # The binary channel needs nothing of its own: it opens on first use.
                await c.audio.send_pcm(payload=b"\x01\x02\x03")
                echoed = await c.audio.recv()
                assert isinstance(echoed, rooms.models.Echoed) and echoed.payload == b"\x03\x02\x01"
                notice = await c.notices.recv()
                assert notice.payload == 'welcome, "friend"'
            with pytest.raises(InvalidStatus) as missing:
                async with plain_connect(url + "/nowhere"):
                    pass
            assert missing.value.response.status_code == 404

    run(main())
    channels = [(channel, params) for channel, _, _, params in handler.opened]
    assert channels == [("/rooms/{room}", {"room": "lobby/1 ü"}), ("/audio", {}), ("/notices", {})]
    assert handler.opened[0][2] == {"nick": ["ann"]}


def test_text_frames_are_bare_text_and_binary_frames_bytes(rooms: SimpleNamespace) -> None:
    handler = RoomsHandler(rooms.models)

    async def main() -> None:
        async with generated_server(rooms.server, handler) as url:
            async with plain_connect(url + "/notices") as ws:
                assert await ws.recv() == 'welcome, "friend"'  # not a JSON string
            async with plain_connect(url + "/audio") as ws:
                await ws.send(b"abc")
                assert await ws.recv() == b"cba"
                await ws.send("a text frame on a binary channel")
                await ws.wait_closed()
                assert ws.close_code == 1007 and ws.close_reason.startswith("invalid frame")

    run(main())


def test_handler_sees_the_handshake_and_may_refuse(rooms: SimpleNamespace) -> None:
    handler = RoomsHandler(rooms.models)

    async def main() -> None:
        async with (
            generated_server(rooms.server, handler) as url,
            plain_connect(url + "/audio", additional_headers={"X-Refuse": "1"}) as ws,
        ):
            await ws.wait_closed()
            assert (ws.close_code, ws.close_reason) == (4003, "refused by the handler")

    run(main())


def test_invalid_client_frames_close_with_1007_or_reach_the_hook(pkg: SimpleNamespace) -> None:
    m = pkg.models
    invalid: list[tuple[Any, Any]] = []

    class Strict(pkg.server.Handler):  # type: ignore[misc, name-defined]
        """Inherits the default: close with 1007."""

    class Lenient:
        async def on_invalid_frame(self, conn: Any, frame: Any, error: Any) -> None:
            invalid.append((frame, error))
            await conn.send_tts_error(
                m.TtsError(
                    done=True,
                    status_code=400,
                    error_code=None,
                    title="Bad request",
                    message=str(error),
                    request_id="r",
                )
            )

    async def main() -> None:
        async with (
            generated_server(pkg.server, Strict()) as url,
            plain_connect(url + "/tts/websocket") as ws,
        ):
            await ws.send(json.dumps({"context_id": "a", "transcript": "no model"}))
            await ws.wait_closed()
            assert ws.close_code == 1007 and ws.close_reason.startswith("invalid frame")
        async with (
            generated_server(pkg.server, Lenient()) as url,
            plain_connect(url + "/tts/websocket") as ws,
        ):
            await ws.send("{not json")
            reply = json.loads(await ws.recv())
            assert reply["type"] == "error" and "JSON" in reply["message"]
            await ws.send(json.dumps({"context_id": "a", "cancel": True}))  # valid: no reply
            await ws.ping()

    run(main())
    assert [frame for frame, _ in invalid] == ["{not json"]


def test_server_sends_are_validated(pkg: SimpleNamespace) -> None:
    m = pkg.models
    outcome: list[BaseException] = []

    class Sloppy:
        async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
            bad = m.TtsChunk(
                data=b"x", done=False, status_code=206, step_time=1.0, context_id=None, flush_id=0
            )
            try:
                await conn.send_tts_chunk(bad)
            except m.ValidationError as exc:
                outcome.append(exc)
            await conn.send_tts_done(m.TtsDone(status_code=206, context_id=message.context_id))

    async def main() -> None:
        async with (
            generated_server(pkg.server, Sloppy()) as url,
            pkg.client.Client.connect(url=url) as c,
        ):
            ctx = c.tts_websocket.context("a")
            await ctx.send_tts_generation_request(**request_fields(m, "x"))
            frames = [f async for f in ctx]
            assert [type(f).__name__ for f in frames] == ["TtsDone"]

    run(main())
    assert len(outcome) == 1


def test_one_handler_serves_concurrent_connections(pkg: SimpleNamespace) -> None:
    m = pkg.models

    class Done:
        async def on_tts_generation_request(self, conn: Any, message: Any) -> None:
            await asyncio.sleep(0.01)
            await conn.send_tts_done(m.TtsDone(status_code=206, context_id=message.context_id))

    async def one(url: str, n: int) -> str:
        async with pkg.client.Client.connect(url=url) as c:
            ctx = c.tts_websocket.context(f"ctx-{n}")
            await ctx.send_tts_generation_request(**request_fields(m, "x"))
            frames = [f async for f in ctx]
            return frames[0].context_id  # type: ignore[no-any-return]

    async def main() -> list[str]:
        async with generated_server(pkg.server, Done()) as url:
            return await asyncio.gather(*(one(url, n) for n in range(20)))

    assert run(main()) == [f"ctx-{n}" for n in range(20)]


def test_hostile_text_stays_inert(rooms: SimpleNamespace) -> None:
    source = Path(rooms.client.__file__).read_text(encoding="utf-8")
    assert "{{ x }}" in source and "{% y %}" in source  # printed as text, never evaluated
    doc = rooms.client.RoomsRoomChannel.__doc__
    assert '"""name"""' in doc and "{{ x }} {% y %} " + "\\" * 2 + "n" in doc  # exactly the text
