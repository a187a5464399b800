"""A non-editable install works: build a wheel, install it into a fresh venv, generate, import."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.xdist_group("packaging")


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # From a copy of the sources: a build in the checkout itself writes `build/` and egg-info
    # there while other tests read the tree, and caches written meanwhile could end up inside.
    source = tmp_path_factory.mktemp("source") / "asyncgen"
    skip = (".git", ".venv", "node_modules", "__pycache__", "*.egg-info", "build", "tests")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*skip, "generated"))
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source)
    (found,) = out.glob("asyncgen-*.whl")
    return found


def test_wheel_ships_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "asyncgen/templates/models.py.jinja" in names
    assert "asyncgen/py.typed" in names
    assert not any(n.startswith(("tests/", "generated/", "specs/")) for n in names)


def test_installed_wheel_builds_an_importable_package(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel)
    out = tmp_path / "out"
    # Run from an unrelated folder: nothing may come from the source tree.
    done = _run(
        env / "bin" / "asyncgen", "build", ROOT / "specs" / "cartesia.yaml", "-o", out, cwd=tmp_path
    )
    assert "cartesia" in done.stdout
    check = 'import cartesia.models as m; print(type(m.parse_tts_websocket_server_frame(\'{"type":"done","done":true,"status_code":206,"context_id":"c"}\')).__name__)'
    done = _run(python, "-c", check, cwd=out)
    assert done.stdout.strip() == "TtsDone"
    _run(
        env / "bin" / "asyncgen", "check", ROOT / "specs" / "cartesia.yaml", "-o", out, cwd=tmp_path
    )
