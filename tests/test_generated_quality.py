"""Generated code passes black --check, ruff check and mypy --strict.

Every package the suite generates (the Cartesia spec and each feature fixture) is built into one
folder and each tool runs once over all of them: one mypy run, not one per test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, SPECS, build

pytestmark = pytest.mark.xdist_group("quality")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("quality")
    names = ["cartesia"]
    build(SPECS / "cartesia.yaml", root, "cartesia")
    for spec in sorted(FIXTURES.glob("*/spec.yaml")):
        names.append(spec.parent.name)
        build(spec, root, spec.parent.name)
    return root, names


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


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


def test_packages_import_and_compile(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n + '.models')\n"
    done = subprocess.run([sys.executable, "-c", code, *names], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
