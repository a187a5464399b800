"""Generated code passes black --check, ruff check and mypy --strict, and imports.

Every package the suite's specs produce is built into one folder: the Cartesia spec, each feature
fixture, the specs of the client and server tests (`fixtures/specs/`), and a few varied documents
of the public corpus (no sends, no correlation ids, unsupported security, MQTT, AMQP and other
protocols, AsyncAPI 3.0). Each tool then runs once over all of them: one mypy run, not one per package.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, SPECS, build

pytestmark = pytest.mark.xdist_group("quality")

CORPUS = [
    "spec-v2.6.0/websocket-gemini.yml",
    "spec-v2.6.0/streetlights-mqtt.yml",
    "generator/apps/generator/test/docs/ws.yml",
    "spec-v2.6.0/slack-rtm.yml",
    "spec-v2.6.0/rpc-server.yml",
    "spec-v3.0.0/kraken-websocket-request-reply-multiple-channels-asyncapi.yml",
    "generator/packages/helpers/test/__fixtures__/asyncapi-websocket-query.yml",
]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("quality")
    specs = {"cartesia": SPECS / "cartesia.yaml"}
    specs |= {p.parent.name: p for p in sorted(FIXTURES.glob("*/spec.yaml"))}
    specs |= {f"{p.stem}_sockets": p for p in sorted((FIXTURES / "specs").glob("*.yaml"))}
    specs |= {f"corpus_{i}": DATA / "corpus" / doc for i, doc in enumerate(CORPUS)}
    for name, spec in specs.items():
        files = build(spec, root, name)
        # The WebSocket client and server, or the clients (or codec) of the servers' protocols.
        websocket = "client.py" in files and "server.py" in files
        assert websocket or any(m in files for m in (*BROKER_CLIENTS, "codec.py")), spec
    return root, list(specs)


BROKER_CLIENTS = ("mqtt_client.py", "amqp_client.py", "nats_client.py")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", *args]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def test_black(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    done = _run("black", "--check", "--quiet", *names, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    done = _run("ruff", "check", "--no-cache", "--isolated", *names, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    args = ["mypy", "--strict", "--no-incremental", "--cache-dir", str(root / ".mypy_cache")]
    for name in names:
        args += ["-p", name]
    done = _run(*args, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_packages_import(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    code = (
        "import importlib, pathlib, sys\n"
        "for n in sys.argv[1:]:\n"
        "    importlib.import_module(n + '.models')\n"
        "    if pathlib.Path(n, 'client.py').is_file():\n"
        "        client = importlib.import_module(n + '.client')\n"
        "        server = importlib.import_module(n + '.server')\n"
        "        assert client.Client and client.BlockingClient\n"
        "        assert server.serve and server.Handler\n"
        "    for m in ('mqtt_client', 'amqp_client', 'nats_client'):\n"
        "        if pathlib.Path(n, m + '.py').is_file():\n"
        "            assert importlib.import_module(n + '.' + m).Client.connect\n"
        "    if pathlib.Path(n, 'codec.py').is_file():\n"
        "        assert importlib.import_module(n + '.codec').__all__\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *names],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
