"""client.py and server.py for any spec: black-clean, ruff-clean, mypy --strict, importable.

The Cartesia package, the small specs of test_server_stub.py (path parameters, binary and text
channels, several servers) and test_client_nested_ids.py (a nested correlation id), and a few
varied documents of the public corpus (no sends, no correlation ids, unsupported security,
non-ws protocols, AsyncAPI 3.0) are built into one folder; each tool runs once over all of their
client.py and server.py files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SPECS, build, shared_dir
from test_client_nested_ids import JOBS_SPEC
from test_server_stub import ROOMS_SPEC

pytestmark = pytest.mark.xdist_group("client-quality")

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
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("client_quality")
    names = ["cartesia_sockets"]
    build(SPECS / "cartesia.yaml", root, "cartesia_sockets")
    rooms = root / "rooms.yaml"
    rooms.write_text(ROOMS_SPEC, encoding="utf-8")
    build(rooms, root, "rooms_sockets")
    names.append("rooms_sockets")
    jobs = root / "jobs.yaml"
    jobs.write_text(JOBS_SPEC, encoding="utf-8")
    build(jobs, root, "jobs_sockets")
    names.append("jobs_sockets")
    corpus = shared_dir() / "corpus"
    for index, document in enumerate(CORPUS):
        name = f"corpus_sockets_{index}"
        files = build(corpus / document, root, name)
        assert "client.py" in files and "server.py" in files, document
        names.append(name)
    return root, names


def _files(names: list[str]) -> list[str]:
    return [f"{name}/{module}.py" for name in names for module in ("client", "server")]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_black(built: tuple[Path, list[str]]) -> None:
    root, names = built
    done = _run("black", "--check", "--quiet", *_files(names), cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff(built: tuple[Path, list[str]]) -> None:
    root, names = built
    done = _run("ruff", "check", "--no-cache", "--isolated", *_files(names), cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict(built: tuple[Path, list[str]]) -> None:
    root, names = built
    # Only client.py and server.py are judged here; the models have their own test.
    args = ["mypy", "--strict", "--no-incremental", "--follow-imports=silent"]
    args += ["--cache-dir", str(root / ".mypy_cache"), *_files(names)]
    done = _run(*args, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_import(built: tuple[Path, list[str]]) -> None:
    root, names = built
    code = (
        "import importlib, sys\n"
        "for n in sys.argv[1:]:\n"
        "    client = importlib.import_module(n + '.client')\n"
        "    server = importlib.import_module(n + '.server')\n"
        "    assert client.Client and client.BlockingClient and server.serve and server.Handler\n"
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
