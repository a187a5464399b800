"""`build --project`: an installable project around the package, its wheel installed and imported
in a fresh venv; `check` understands the layout; the version is the document's, as PEP 440."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from asyncgen.cli import main
from asyncgen.project import pep440
from click.testing import CliRunner
from conftest import SPECS

pytestmark = pytest.mark.xdist_group("packaging")


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("written", "version"),
    [
        ("1.0.0", "1.0.0"),
        ("v2.1", "2.1"),
        ("2026-03-01", "2026.3.1"),
        ("1.0.0-beta.2", "1.0.0b2"),
        ("3.0-RC1", "3.0rc1"),
        ("1.2.3rc4.post1", "1.2.3rc4.post1"),
        ("01.002", "1.2"),
        ("latest", "0.0.0"),
        ("", "0.0.0"),
    ],
)
def test_versions_are_pep440(written: str, version: str) -> None:
    assert pep440(written) == version


def test_project_layout_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SPECS / "cartesia.yaml"
    assert _invoke("build", spec, "-o", tmp_path, "--project")[0] == 0
    project = tmp_path / "cartesia"
    assert (project / "src" / "cartesia" / "client.py").is_file()
    assert (project / "src" / "cartesia" / "py.typed").is_file()
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["version"] == "2026.3.1"
    assert meta["project"]["dependencies"] == ["websockets>=13"]
    assert meta["project"]["optional-dependencies"] == {"fast": ["orjson>=3.10", "pybase64>=1.3"]}
    assert meta["project"]["requires-python"] == ">=3.11"
    assert _invoke("check", spec, "-o", tmp_path, "--project")[0] == 0
    assert _invoke("check", spec, "-o", tmp_path)[0] == 1  # the flat layout is not there
    (project / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    code, out = _invoke("check", spec, "-o", tmp_path, "--project")
    assert code == 1 and "pyproject.toml" in out
    # `project = true` in [tool.asyncgen] means the same as --project.
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.asyncgen]\nspecs = ["{spec}"]\noutput = "out"\nproject = true\n'
    )
    monkeypatch.chdir(tmp_path)
    assert _invoke("build")[0] == 0
    assert (tmp_path / "out" / "cartesia" / "pyproject.toml").is_file()
    assert _invoke("check")[0] == 0


def test_project_wheel_installs_and_imports(tmp_path: Path) -> None:
    assert _invoke("build", SPECS / "cartesia.yaml", "-o", tmp_path / "out", "--project")[0] == 0
    wheels = tmp_path / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "-q",
        "-w",
        wheels,
        tmp_path / "out" / "cartesia",
    )
    (wheel,) = wheels.glob("cartesia-2026.3.1-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"cartesia/py.typed", "cartesia/client.py", "cartesia/_wire.py"} <= set(names)
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel)  # websockets comes from the registry
    check = (
        "import importlib.metadata as m, cartesia.client, cartesia.server, cartesia.models;"
        "print(m.version('cartesia'), m.requires('cartesia'))"
    )
    done = _run(python, "-c", check, cwd=tmp_path)
    assert done.stdout.startswith("2026.3.1 ") and "websockets>=13" in done.stdout
    assert 'extra == "fast"' in done.stdout


@pytest.mark.parametrize(
    ("fixture", "extras"),
    [
        ("streetlights_mqtt", {"fast", "mqtt"}),
        ("orders_amqp", {"fast", "amqp"}),
        ("sensors_nats", {"fast", "nats"}),
        ("events_kafka", {"fast"}),
    ],
)
def test_broker_documents_declare_their_client_library_as_an_extra(
    fixture: str, extras: set[str]
) -> None:
    from asyncgen.pipeline import generate
    from asyncgen.project import files
    from conftest import FIXTURES

    result = generate(FIXTURES / fixture / "spec.yaml", package=fixture)
    assert result.api is not None
    project = tomllib.loads(files(result.api)["pyproject.toml"])["project"]
    declared = project["optional-dependencies"]
    assert set(declared) == extras
    # websockets only where the package has the WebSocket client (the Kafka fixture's ws server).
    websocket = fixture == "events_kafka"
    assert project["dependencies"] == (["websockets>=13"] if websocket else [])
    libraries = {"mqtt": "aiomqtt>=2", "amqp": "aio-pika>=9", "nats": "nats-py>=2.6"}
    for extra in extras - {"fast"}:
        assert declared[extra] == [libraries[extra]]
