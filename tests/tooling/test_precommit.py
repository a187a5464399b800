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


def _hook_source(tmp_path: Path) -> tuple[Path, str]:
    """A git repository of this checkout and its commit: hooks are installed from a commit."""
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
    return source, _git("rev-parse", "HEAD", cwd=source)


def test_check_hook_passes_then_catches_a_stale_package(tmp_path: Path) -> None:
    source, rev = _hook_source(tmp_path)
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


def test_commit_stopped_by_check_then_build_regenerates_and_the_next_commit_passes(
    tmp_path: Path,
) -> None:
    source, rev = _hook_source(tmp_path)
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    spec = project / "specs" / "cartesia.yaml"
    shutil.copy(SPECS / "cartesia.yaml", spec)
    (project / "pyproject.toml").write_text('[tool.asyncgen]\nspecs = ["specs/cartesia.yaml"]\n')
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n"
        "      - id: asyncgen-check\n      - id: asyncgen-build\n"
    )
    from asyncgen.output import write
    from asyncgen.pipeline import generate

    result = generate(spec)
    assert result.files is not None
    write(project / "generated" / "cartesia", result.files)
    _git("init", "-q", cwd=project)
    for key, value in (("user.email", "dev@example.invalid"), ("user.name", "dev")):
        _git("config", key, value, cwd=project)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PRE_COMMIT_COLOR": "never",
    }
    hooks = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert hooks.returncode == 0, hooks.stdout + hooks.stderr

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        _git("add", "-A", cwd=project)
        return subprocess.run(
            ["git", "commit", "-q", "-m", message],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    first = commit("the spec and its package")
    assert first.returncode == 0, first.stdout + first.stderr

    spec.write_text(
        spec.read_text().replace("title: Cartesia streaming WebSocket API", "title: Cartesia API")
    )
    stopped = commit("a new title, not regenerated")
    assert stopped.returncode != 0, stopped.stdout + stopped.stderr
    assert "out of date" in stopped.stdout + stopped.stderr
    assert _git("log", "--format=%s", cwd=project) == "the spec and its package"
    # asyncgen-build ran in the same commit attempt and regenerated the package.
    assert "Cartesia API" in (project / "generated" / "cartesia" / "README.md").read_text()

    passed = commit("a new title, regenerated")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _git("log", "-1", "--format=%s", cwd=project) == "a new title, regenerated"
