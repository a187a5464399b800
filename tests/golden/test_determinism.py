"""A build is a pure function of its inputs: two separate processes with different hash seeds and
no formatting cache write the same bytes (set iteration order, dict order of sets, absolute paths
or times reaching the output would show up here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, SPECS

SPECS_TO_BUILD = {
    "cartesia": SPECS / "cartesia.yaml",
    "unions": FIXTURES / "unions" / "spec.yaml",
    "keywords": FIXTURES / "keywords" / "spec.yaml",
}


def _build(out: Path, seed: str, cwd: Path) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "ASYNCGEN_NO_CACHE": "1"}
    for package, spec in SPECS_TO_BUILD.items():
        command = ["build", str(spec), "-o", str(out), "--package", package]
        done = subprocess.run(
            [sys.executable, "-c", "from asyncgen.cli import main; main()", *command],
            check=False,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.xdist_group("determinism")
def test_two_processes_with_different_hash_seeds_write_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    first = _build(tmp_path / "a", "1", Path.cwd())
    second = _build(tmp_path / "b", "2", tmp_path / "elsewhere")
    assert sorted(first) == sorted(second)
    assert len({name.split("/")[0] for name in first}) == len(SPECS_TO_BUILD)
    for name, data in first.items():
        assert second[name] == data, f"{name} differs between two builds"
