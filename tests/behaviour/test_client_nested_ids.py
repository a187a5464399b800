"""Conversations for a document unlike Cartesia: a nested correlation id, no cancel message.

`$message.payload#/meta/id` names the conversation; `finished` ends it (`x-conversation: end`),
and a `finished` without `meta` concerns every conversation. The server here is a plain
`websockets` server writing JSON by hand.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, build, import_package
from websockets.asyncio.server import ServerConnection
from ws_helpers import collect, plain_server, run
from ws_helpers import package as _package

JOBS_SPEC = (FIXTURES / "specs" / "jobs.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("jobs")
    spec = folder / "jobs.yaml"
    spec.write_text(JOBS_SPEC, encoding="utf-8")
    build(spec, folder, "jobs_under_test")
    return _package(import_package(folder, "jobs_under_test"))


def progress(job: str, percent: int) -> str:
    return json.dumps({"type": "progress", "meta": {"id": job}, "percent": percent})


def test_nested_correlation_ids_route_and_end_conversations(jobs: SimpleNamespace) -> None:
    client = jobs.client
    assert not hasattr(client.JobsContext, "cancel")  # no `x-conversation: cancel` message

    async def server(ws: ServerConnection) -> None:
        submitted = []
        async for raw in ws:
            submitted.append(json.loads(raw)["meta"]["id"])
            if len(submitted) == 3:
                await ws.send(progress("a", 10))
                await ws.send(json.dumps({"type": "heartbeat"}))
                await ws.send(progress("b", 50))
                await ws.send(json.dumps({"type": "finished", "meta": {"id": "a"}}))
                await ws.send(progress("b", 90))
                await ws.send(json.dumps({"type": "finished"}))  # no id: every job is over

    async def main() -> None:
        async with plain_server(server) as url, client.Client.connect(url=url) as c:
            contexts = {job: c.jobs.context(job) for job in "abc"}
            assert not hasattr(contexts["a"], "send_submit")  # a nested id is not filled in
            for job in contexts:
                meta = jobs.models.SubmitPayloadMeta(id=job)
                await c.jobs.send_submit(meta=meta, task=f"task {job}")
            a, b, c_ = [await collect(contexts[job]) for job in "abc"]
            assert [type(f).__name__ for f in a] == ["ProgressPayload", "FinishedPayload"]
            assert [f.percent for f in b[:-1]] == [50, 90]
            assert b[-1].meta is None and c_[-1].meta is None
            assert [type(f).__name__ for f in await collect_some(c.jobs, 2)] == [
                "HeartbeatPayload",
                "FinishedPayload",
            ]

    run(main())


async def collect_some(stream: object, count: int) -> list[object]:
    return [await stream.recv() for _ in range(count)]  # type: ignore[attr-defined]
