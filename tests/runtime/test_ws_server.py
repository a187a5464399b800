"""The server runtime as source: routing, dispatch, hooks and invalid frames on loopback."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from asyncgen.runtime import _ws_server
from asyncgen.runtime._errors import ValidationError, ValidationErrorItem
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

TIMEOUT = 5.0


@dataclass
class Ping:
    n: int


@dataclass
class Note:
    text: str


def parse_room_frame(frame: str | bytes) -> Ping | Note:
    try:
        data = json.loads(frame)
    except ValueError:
        raise ValidationError(
            [ValidationErrorItem(path="", schema_path="", message="not JSON")]
        ) from None
    if isinstance(data, dict) and isinstance(data.get("n"), int):
        return Ping(data["n"])
    if isinstance(data, dict) and isinstance(data.get("text"), str):
        return Note(data["text"])
    raise ValidationError([ValidationErrorItem(path="", schema_path="", message="unknown frame")])


class RoomConnection(_ws_server.Connection):
    _ADDRESS: ClassVar[str] = "/rooms/{room}"
    _DISPATCH: ClassVar[dict[type[Any], str]] = {Ping: "on_ping", Note: "on_note"}

    def _parse(self, frame: str | bytes) -> Ping | Note:
        return parse_room_frame(frame)

    async def send_pong(self, n: int) -> None:
        await self._send_object({"pong": n}, lambda data: None)


class SilentConnection(_ws_server.Connection):
    _ADDRESS: ClassVar[str] = "/silent"


CHANNELS: tuple[_ws_server.Route, ...] = (
    (re.compile(r"^/rooms/(?P<p0>[^/]+)$"), (("p0", "room"),), RoomConnection),
    (re.compile(r"^/silent$"), (), SilentConnection),
)


class Recorder:
    """A handler that records what it sees and answers pings."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.closed = asyncio.Event()

    async def on_open(self, conn: _ws_server.Connection) -> None:
        self.events.append(("open", (conn.channel, conn.path, conn.path_params, conn.query)))

    async def on_close(self, conn: _ws_server.Connection) -> None:
        self.events.append(("close", conn.channel))
        self.closed.set()

    async def on_ping(self, conn: RoomConnection, message: Ping) -> None:
        self.events.append(("ping", message.n))
        await conn.send_pong(message.n)

    async def on_note(self, conn: RoomConnection, message: Note) -> None:
        self.events.append(("note", message.text))


def run(scenario: Callable[[int], Awaitable[None]], handler: object, **options: Any) -> None:
    """Serve CHANNELS on a free loopback port and run `scenario(port)` against it."""

    async def main() -> None:
        async with _ws_server.serve(CHANNELS, handler, "127.0.0.1", 0, **options) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            await asyncio.wait_for(scenario(port), TIMEOUT)

    asyncio.run(main())


def test_routes_by_path_and_dispatches_to_handler_methods() -> None:
    handler = Recorder()

    async def scenario(port: int) -> None:
        async with connect(f"ws://127.0.0.1:{port}/rooms/a%20b?nick=x&nick=y") as ws:
            await ws.send(json.dumps({"n": 3}))
            assert json.loads(await ws.recv()) == {"pong": 3}
            await ws.send(json.dumps({"text": "hi"}))
            await ws.send(json.dumps({"n": 4}))
            assert json.loads(await ws.recv()) == {"pong": 4}
        await handler.closed.wait()

    run(scenario, handler)
    assert handler.events == [
        ("open", ("/rooms/{room}", "/rooms/a%20b", {"room": "a b"}, {"nick": ["x", "y"]})),
        ("ping", 3),
        ("note", "hi"),
        ("ping", 4),
        ("close", "/rooms/{room}"),
    ]


def test_unknown_path_gets_404() -> None:
    async def scenario(port: int) -> None:
        with pytest.raises(InvalidStatus) as caught:
            async with connect(f"ws://127.0.0.1:{port}/nowhere"):
                pass
        assert caught.value.response.status_code == 404

    run(scenario, Recorder())


def test_invalid_frame_closes_with_1007_without_a_hook() -> None:
    handler = Recorder()

    async def scenario(port: int) -> None:
        async with connect(f"ws://127.0.0.1:{port}/rooms/r") as ws:
            await ws.send("not json")
            await ws.wait_closed()
            assert ws.close_code == 1007
            assert ws.close_reason.startswith("invalid frame: (root): not JSON")
        await handler.closed.wait()

    run(scenario, handler)
    assert [name for name, _ in handler.events] == ["open", "close"]


def test_channel_without_client_messages_rejects_every_frame() -> None:
    async def scenario(port: int) -> None:
        async with connect(f"ws://127.0.0.1:{port}/silent") as ws:
            await ws.send("{}")
            await ws.wait_closed()
            assert ws.close_code == 1007
            assert "declares no client messages" in ws.close_reason

    run(scenario, object())


def test_renamed_hooks_are_called_and_see_the_error() -> None:
    seen: list[Any] = []

    class Renamed:
        async def on_open_(self, conn: _ws_server.Connection) -> None:
            seen.append("open")

        async def on_invalid_frame_(
            self, conn: _ws_server.Connection, frame: str | bytes, error: ValidationError
        ) -> None:
            seen.append((frame, str(error)))
            await conn.close(4000, "x" * 200)  # the reason is cut to what a close frame holds

        async def on_close_(self, conn: _ws_server.Connection) -> None:
            seen.append("close")

    hooks = _ws_server.Hooks(
        on_open="on_open_", on_close="on_close_", on_invalid_frame="on_invalid_frame_"
    )

    async def scenario(port: int) -> None:
        async with connect(f"ws://127.0.0.1:{port}/rooms/r") as ws:
            await ws.send('{"other": 1}')
            await ws.wait_closed()
            assert (ws.close_code, ws.close_reason) == (4000, "x" * 123)

    run(scenario, Renamed(), hooks=hooks)
    assert seen == ["open", ('{"other": 1}', "(root): unknown frame"), "close"]


def test_process_request_runs_after_the_path_check() -> None:
    calls: list[str] = []

    async def refuse(connection: Any, request: Any) -> Any:
        calls.append(request.path)
        return connection.respond(403, "no\n")

    async def scenario(port: int) -> None:
        for path, status in (("/nowhere", 404), ("/silent", 403)):
            with pytest.raises(InvalidStatus) as caught:
                async with connect(f"ws://127.0.0.1:{port}{path}"):
                    pass
            assert caught.value.response.status_code == status

    run(scenario, object(), process_request=refuse)
    assert calls == ["/silent"]


def test_close_reason_is_cut_at_a_character_boundary() -> None:
    reason = _ws_server.close_reason("é" * 100)
    assert len(reason.encode("utf-8")) <= 123 and reason == "é" * 61


def test_route_decodes_path_parameters() -> None:
    assert _ws_server.route(CHANNELS, "/rooms/a%2Fb?x=1") == (RoomConnection, {"room": "a/b"})
    assert _ws_server.route(CHANNELS, "/rooms/") is None
