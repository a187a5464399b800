"""The client example in a generated package's README.md runs against the package's own server.

The example is taken from the golden README as a reader would copy it; only its `URL = ...` line
is pointed at a `server.serve(...)` of the same package, listening on a free port. A broker
client's example is pointed at a real broker (`tests/brokers.py`): it connects, subscribes and
waits for messages once it has said so.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from asyncgen.views.readme import BROKER_EXAMPLE_URLS, EXAMPLE_URL
from conftest import FIXTURES, ROOT

PACKAGES = {
    "cartesia": ROOT / "generated",
    **{p.parent.name: p.parent.parent for p in sorted(FIXTURES.glob("*/expected/*/README.md"))},
}
# What the fixtures' examples must at least include (the others may have no socket to open).
REQUIRED = {"cartesia", "realtime", "market_data"}

SERVER = """
import asyncio, importlib, sys

server = importlib.import_module(sys.argv[1] + ".server")


class Quiet(server.Handler):
    pass


async def main() -> None:
    async with server.serve(Quiet(), "127.0.0.1", 0) as listening:
        print(listening.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(120)


asyncio.run(main())
"""


def example(readme: Path) -> str:
    text = readme.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    return blocks[0] if blocks else ""


def test_the_packages_named_have_an_example() -> None:
    assert REQUIRED <= set(PACKAGES)
    for name in REQUIRED:
        assert example(PACKAGES[name] / name / "README.md"), name


BROKERS = {"mqtt": "mosquitto", "amqp": "rabbitmq", "nats": "nats_server"}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_readme_example_runs_against_the_generated_server(
    name: str, request: pytest.FixtureRequest
) -> None:
    source = example(PACKAGES[name] / name / "README.md")
    if not source:
        assert name not in REQUIRED
        return
    for protocol, url in BROKER_EXAMPLE_URLS.items():
        if f'URL = "{url}"' in source:
            broker = request.getfixturevalue(BROKERS[protocol])
            _runs_for_a_while(name, source.replace(url, broker.url))
            return
    assert f'URL = "{EXAMPLE_URL}"' in source
    env = {**os.environ, "PYTHONPATH": str(PACKAGES[name])}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, name], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        runnable = source.replace(EXAMPLE_URL, f"ws://127.0.0.1:{port}")
        done = subprocess.run(
            [sys.executable, "-c", runnable],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"{name}:\n{runnable}\n{done.stdout}{done.stderr}"
    finally:
        server.kill()
        server.wait(timeout=10)


def _runs_for_a_while(name: str, runnable: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(PACKAGES[name])}
    process = subprocess.Popen(
        [sys.executable, "-c", runnable], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        ready = select.select([process.stdout], [], [], 30)[0]
        line = process.stdout.readline().decode() if ready else ""
    finally:
        process.kill()
        _, err = process.communicate(timeout=10)
    assert line.startswith("subscribed: "), f"{name}:\n{runnable}\n{err.decode()}"
