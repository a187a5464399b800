"""Fuzzing: random AsyncAPI documents (2.x and 3.x) and random edits of the corpus documents.

Each example either builds a package that compiles and imports, or stops with errors that all
carry a position or a pointer; nothing escapes `pipeline.generate`. A few of the packages built
go through `mypy --strict` once, at the end. The number of examples is bounded for CI; for long
campaigns run `python scripts/fuzz.py --examples 5000`.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from fuzzing import DOCUMENTS, Figures, check, dump, mutated_corpus
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.xdist_group("fuzz")

# Derandomized: CI runs the same examples every time (a red CI names a change, not luck);
# scripts/fuzz.py runs the open-ended campaigns.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
_numbers = itertools.count()


def _one(text: str, name: str, keep: Path | None = None) -> Path | None:
    number = next(_numbers)
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep / f"case{number}" if keep else Path(scratch)
        return check(text, name, folder, f"fuzz{number}", Figures())


@FUZZ
@given(document=DOCUMENTS, suffix=st.sampled_from([".json", ".yaml"]))
def test_random_documents(document: object, suffix: str) -> None:
    _one(dump(document, suffix), "api" + suffix)


@FUZZ
@given(mutated=mutated_corpus())
def test_mutated_corpus_documents(mutated: tuple[str, object]) -> None:
    name, tree = mutated
    _one(dump(tree, ".json" if name.endswith(".json") else ".yaml"), name)


def test_a_sample_of_the_packages_passes_mypy_strict(tmp_path: Path) -> None:
    built: list[Path] = []

    @seed(20260301)
    @settings(FUZZ, max_examples=40)
    @given(document=DOCUMENTS)
    def sample(document: object) -> None:
        if len(built) < 4:
            package = _one(dump(document, ".json"), "api.json", keep=tmp_path)
            if package is not None:
                built.append(package)

    sample()
    assert built, "no example built a package: the strategies only reach refusals"
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    for package in built:
        args += ["-p", package.name]
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(p.parent) for p in built)},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
