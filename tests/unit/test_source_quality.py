"""asyncgen's own source passes ruff and mypy --strict, and the runtime modules that every
generated package copies verbatim are black-clean at black's default line length (the copies are
checked with plain `black --check`, like the rest of a generated package)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.xdist_group("source-quality")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_ruff() -> None:
    done = _run("ruff", "check", "--no-cache", "generator", "benchmarks", "tests", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = _run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert done.returncode == 0, done.stdout + done.stderr


def test_copied_code_is_black_clean() -> None:
    """The runtime modules, and the modules whose definitions compiled validators copy."""
    copied = ["generator/runtime"]
    copied += [f"generator/validation/{n}.py" for n in ("runtime", "formats", "idna", "ecma_regex")]
    done = _run("black", "--check", "--quiet", *copied)
    assert done.returncode == 0, done.stdout + done.stderr
