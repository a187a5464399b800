"""The real `pre-commit` runs the `asyncgen-check` hook of this repository in a project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SPECS

pytestmark = pytest.mark.xdist_group("packaging")


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_check_hook_passes_then_catches_a_stale_package(tmp_path: Path) -> None:
    # The hook is installed from a commit of this repository, as users' configurations do.
    source = tmp_path / "asyncgen"
    # A fresh repository of the copy: `.git` may be a linked worktree's pointer file, and a
    # commit through it would land on the real branch.
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "*.egg-info", "__pycache__", "build"
    )
    shutil.copytree(ROOT, source, ignore=ignore)
    _git("init", "-q", cwd=source)
    for key, value in (("user.email", "ci@example.invalid"), ("user.name", "ci")):
        _git("config", key, value, cwd=source)
    _git("add", "-A", cwd=source)
    _git("commit", "-q", "--allow-empty", "-m", "snapshot for the hook test", cwd=source)
    rev = _git("rev-parse", "HEAD", cwd=source)

    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    shutil.copy(SPECS / "cartesia.yaml", project / "specs" / "cartesia.yaml")
    (project / "pyproject.toml").write_text('[tool.asyncgen]\nspecs = ["specs/cartesia.yaml"]\n')
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: asyncgen-check\n"
    )
    from asyncgen.output import write
    from asyncgen.pipeline import generate

    result = generate(project / "specs" / "cartesia.yaml")
    assert result.files is not None
    write(project / "generated" / "cartesia", result.files)
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)

    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    done = subprocess.run(
        pre_commit, cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "asyncgen check" in done.stdout and "Passed" in done.stdout

    spec = project / "specs" / "cartesia.yaml"
    spec.write_text(
        spec.read_text().replace("title: Cartesia streaming WebSocket API", "title: Cartesia API")
    )
    _git("add", "-A", cwd=project)
    done = subprocess.run(
        pre_commit, cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "out of date" in done.stdout
