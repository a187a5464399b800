"""Documents written for one connection, against plain `websockets` servers on 127.0.0.1.

Each server speaks its protocol the way the real service would: one socket at the real path,
the credential checked exactly once in its real place, replies on the same socket. The
fixtures (`tests/fixtures/realtime`, `market_data`, `stream_input`) reproduce published patterns:
dotted event channels on `wss://host/v1/realtime`, topics on `wss://host/ws/2`, and an
ElevenLabs-style server path with an undeclared `{voice_id}` plus a channel repeating its end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from conftest import FIXTURES, build, import_package
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

T = TypeVar("T")
HOST = "127.0.0.1"
SECRET = "sk-very-secret-value"


def run(coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await coro

    return asyncio.run(bounded())


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("sockets")
    out = {}
    for name in ("realtime", "market_data", "stream_input"):
        build(FIXTURES / name / "spec.yaml", root, f"{name}_sockets")
        out[name] = import_package(root, f"{name}_sockets")
    return out


@contextlib.asynccontextmanager
async def service(
    path: str,
    header: str,
    value: str | None,
    talk: Callable[[ServerConnection], Awaitable[None]],
    seen: list[str],
) -> AsyncIterator[str]:
    """A server with one socket at `path` that wants `header: value` exactly once (None: that
    the header is not sent at all)."""

    def check(conn: ServerConnection, request: Request) -> Response | None:
        seen.append(request.path)
        values = request.headers.get_all(header)
        if request.path.partition("?")[0] != path:
            return conn.respond(404, "no socket here\n")
        if values != ([] if value is None else [value]):
            return conn.respond(401, "bad credentials\n")
        return None

    async with serve(talk, HOST, 0, process_request=check) as server:
        yield f"ws://{HOST}:{server.sockets[0].getsockname()[1]}"


def test_realtime_events_share_one_socket_and_errors_without_id_reach_every_conversation(
    packages: dict[str, dict[str, ModuleType]],
) -> None:
    client_module, models = packages["realtime"]["client"], packages["realtime"]["models"]
    seen: list[str] = []
    received: list[Any] = []

    async def talk(ws: ServerConnection) -> None:
        async for raw in ws:
            frame = json.loads(raw)
            received.append(frame)
            if frame["type"] == "response.create":
                rid = frame["response_id"]
                await ws.send(json.dumps({"type": "error", "message": "rate limited soon"}))
                done = {"type": "response.done", "response_id": rid, "text": "hi"}
                await ws.send(json.dumps(done))

    async def main() -> None:
        async with service("/v1/realtime", "Authorization", f"Bearer {SECRET}", talk, seen) as url:
            client = client_module.Client.connect(url=url, bearer_token=SECRET)
            async with client as c:
                assert SECRET not in repr(c) and SECRET not in repr(c.realtime)
                await c.realtime.send_session_update(instructions="be brief")
                async with c.realtime.context("r1") as ctx:
                    await ctx.send_response_create()
                    frames = [frame async for frame in ctx]
                error = models.ErrorPayload(message="rate limited soon")
                done = models.ResponseDonePayload(response_id="r1", text="hi")
                assert frames == [error, done]
                assert await c.realtime.recv() == error  # the stream gets it too
        assert seen == ["/v1/realtime"]  # one socket, the real path
        assert [f["type"] for f in received] == ["session.update", "response.create"]

    run(main())


def test_credentials_never_reach_the_debug_log(
    packages: dict[str, dict[str, ModuleType]], caplog: pytest.LogCaptureFixture
) -> None:
    # `websockets` logs every handshake header and the request line at DEBUG level.
    client_module, models = packages["market_data"]["client"], packages["market_data"]["models"]

    async def talk(ws: ServerConnection) -> None:
        async for _ in ws:
            pass

    async def main() -> None:
        async with (
            service("/ws/2", "X-API-Key", SECRET, talk, []) as url,
            client_module.Client.connect(url=url, x_api_key=SECRET) as c,
        ):
            channel = models.SubscribePayloadParamsChannel.TICKER
            await c.ws_2.send_subscribe(params=models.SubscribePayloadParams(channel=channel))

    with caplog.at_level(logging.DEBUG, logger="websockets"):
        run(main())
    # What the client logged (the plain server here logs what it received: not ours to hide).
    logged = [r.getMessage() for r in caplog.records if r.name == "websockets.client"]
    assert "> X-API-Key: ***" in logged  # the header was logged, its value was not
    assert not [line for line in logged if SECRET in line]


def test_required_credentials_are_refused_and_never_shown(
    packages: dict[str, dict[str, ModuleType]],
) -> None:
    client_module = packages["realtime"]["client"]
    with pytest.raises(client_module.ClientError, match="needs credentials: bearer_token"):
        client_module.Client.connect()
    with pytest.raises(client_module.ClientError, match="needs credentials"):
        client_module.BlockingClient.connect()
    seen: list[str] = []

    async def talk(ws: ServerConnection) -> None:
        await ws.wait_closed()

    async def main() -> None:
        async with (
            service("/v1/realtime", "Authorization", "Bearer other", talk, seen) as url,
            client_module.Client.connect(url=url, bearer_token=SECRET) as c,
        ):
            with pytest.raises(Exception) as caught:
                await c.realtime.open()
            shown = [str(caught.value), repr(caught.value)]
            shown += [str(a) for a in caught.value.args]
            assert all(SECRET not in text for text in shown)

    run(main())


def test_topics_are_subscribed_over_one_connection(
    packages: dict[str, dict[str, ModuleType]],
) -> None:
    client_module, models = packages["market_data"]["client"], packages["market_data"]["models"]
    seen: list[str] = []

    async def talk(ws: ServerConnection) -> None:
        async for raw in ws:
            topic = json.loads(raw)["params"]["channel"]
            if topic == "ticker":
                await ws.send(json.dumps({"channel": "ticker", "price": 10.5}))
            elif topic == "book":
                await ws.send(json.dumps({"channel": "book", "bids": [1.0, 2.0]}))

    async def main() -> None:
        async with (
            service("/ws/2", "X-API-Key", SECRET, talk, seen) as url,
            client_module.Client.connect(url=url, x_api_key=SECRET) as c,
        ):
            params = models.SubscribePayloadParams
            topics = models.SubscribePayloadParamsChannel
            await c.ws_2.send_subscribe(params=params(channel=topics.TICKER))
            await c.ws_2.send_subscribe(params=params(channel=topics.BOOK))
            first, second = await c.ws_2.recv(), await c.ws_2.recv()
            assert first == models.TickPayload(price=10.5)
            assert second == models.BookUpdatePayload(bids=[1.0, 2.0])
        assert seen == ["/ws/2"]

    run(main())


def test_server_path_variables_token_prefix_and_audio_streams(
    packages: dict[str, dict[str, ModuleType]],
) -> None:
    client_module, models = packages["stream_input"]["client"], packages["stream_input"]["models"]
    seen: list[str] = []
    audio: list[bytes] = []

    async def talk(ws: ServerConnection) -> None:
        async for raw in ws:
            if isinstance(raw, bytes):
                audio.append(raw)
            elif raw == "flush":
                await ws.send(json.dumps({"text": f"{len(audio)} chunks"}))

    async def chunks() -> AsyncIterator[bytes]:
        for chunk in (b"\x01\x02", b"\x03"):
            yield chunk

    async def main() -> None:
        path = "/v1/text-to-speech/voice%2F7/stream-input"
        async with service(path, "Authorization", f"Token {SECRET}", talk, seen) as url:
            client = client_module.Client.connect(url=url, authorization=SECRET, voice_id="voice/7")
            async with client as c:
                await c.stream_input.send_audio(payload=b"\x00")
                await c.stream_input.send_audio_stream(chunks())
                await c.stream_input.send_flush()
                assert await c.stream_input.recv() == models.TranscriptPayload(text="3 chunks")
        assert seen == [path]
        assert audio == [b"\x00", b"\x01\x02", b"\x03"]

    run(main())


def test_the_url_template_and_variables_are_typed(
    packages: dict[str, dict[str, ModuleType]],
) -> None:
    client_module = packages["stream_input"]["client"]
    models = packages["stream_input"]["models"]
    assert "{region}.example.com/v1/text-to-speech/{voice_id}/stream-input" in (
        client_module.Client.__doc__ or ""
    )
    client = client_module.Client.connect(
        authorization="k", voice_id="v", region=models.Region.API_EU
    )
    url, headers = client._handshake("", (), ("production",), {})
    assert url == "wss://api-eu.example.com/v1/text-to-speech/v/stream-input"
    assert headers == [("Authorization", "Token k")]
    # The status socket is served by the other server, whose URL has no variables.
    assert client._handshake("/status", (), ("backup",), {})[0] == "wss://backup.example.com/status"
    client = client_module.Client.connect(authorization="k")
    with pytest.raises(client_module.ClientError, match="needs voice_id"):
        client._handshake("", (), ("production",), {})


def test_socket_mode_can_be_set_per_spec(tmp_path: Path) -> None:
    from asyncgen.pipeline import Reading, generate

    spec = FIXTURES / "market_data" / "spec.yaml"
    per_channel = generate(spec, reading=Reading(sockets="per-channel"))
    assert per_channel.api is not None
    assert [c.address for c in per_channel.api.channels] == ["ticker", "book", "trades"]
    assert not [p for p in per_channel.problems if p.rule == "socket"]
    auto = generate(spec)
    assert auto.api is not None and [c.carries for c in auto.api.channels] == [
        ("ticker", "book", "trades")
    ]


def test_the_generated_server_serves_the_socket_at_the_servers_path(
    packages: dict[str, dict[str, ModuleType]],
) -> None:
    pkg = packages["realtime"]
    models = pkg["models"]

    class Realtime:
        async def on_response_create(self, conn: Any, message: Any) -> None:
            done = models.ResponseDonePayload(response_id=message.response_id, text=conn.path)
            await conn.send_response_done(done)

    async def main() -> None:
        async with pkg["server"].serve(Realtime(), HOST, 0) as server:
            url = f"ws://{HOST}:{server.sockets[0].getsockname()[1]}"
            async with pkg["client"].Client.connect(url=url) as c, c.realtime.context("a") as ctx:
                await ctx.send_response_create()
                assert [f async for f in ctx] == [
                    models.ResponseDonePayload(response_id="a", text="/v1/realtime")
                ]

    run(main())


TWO_SERVERS = """\
asyncapi: 2.6.0
info: {{title: Two servers, version: '1'}}
servers:
  speech:
    url: ws://{host}:{speech}/v1
    protocol: ws
    security: [{{key: []}}]
  status:
    url: ws://{host}:{status}
    protocol: ws
channels:
  /speak:
    servers: [speech]
    publish:
      message: {{messageId: say, payload: {{type: object, required: [text], properties: {{text: {{type: string}}}}}}}}
    subscribe:
      message: {{messageId: said, payload: {{type: object, required: [text], properties: {{text: {{type: string}}}}}}}}
  /health:
    servers: [status]
    subscribe:
      message: {{messageId: health, payload: {{type: object, required: [ok], properties: {{ok: {{type: boolean}}}}}}}}
components:
  securitySchemes:
    key: {{type: httpApiKey, in: header, name: X-Key}}
"""


def test_one_client_holds_sockets_on_two_servers(tmp_path: Path) -> None:
    # Each channel uses its own server (the first that serves it), from one `Client`, with
    # each server's credentials given once to `connect`.
    seen: list[str] = []

    async def speak(ws: ServerConnection) -> None:
        async for raw in ws:
            await ws.send(json.dumps({"text": json.loads(raw)["text"].upper()}))

    async def health(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"ok": True}))
        await ws.wait_closed()

    async def main() -> None:
        async with (
            service("/v1/speak", "X-Key", SECRET, speak, seen) as speech_url,
            service("/health", "X-Key", None, health, seen) as status_url,
        ):
            ports = {"speech": speech_url.rsplit(":", 1)[1], "status": status_url.rsplit(":", 1)[1]}
            spec = tmp_path / "two.yaml"
            spec.write_text(TWO_SERVERS.format(host=HOST, **ports), encoding="utf-8")
            build(spec, tmp_path / "out", "two_servers")
            client_module = import_package(tmp_path / "out", "two_servers")["client"]
            async with client_module.Client.connect(x_key=SECRET) as c:
                await c.speak.send_say(text="hello")
                said = await c.speak.recv()
                assert said.text == "HELLO"
                assert (await c.health.recv()).ok is True
        assert sorted(seen) == ["/health", "/v1/speak"]

    run(main())
