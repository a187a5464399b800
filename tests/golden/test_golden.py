"""Golden snapshots: a fresh build must equal the checked-in output byte for byte.

`generated/<package>/` is the snapshot of each spec in `specs/`; `tests/fixtures/<name>/expected/`
of each fixture spec; `tests/fixtures/errors/<name>.expected.txt` of the problems a broken spec
reports, `tests/fixtures/warnings/<name>.expected.txt` of the warnings a spec that generates
prints, and `tests/fixtures/overlay_errors/<name>.expected.txt` of the problems a broken overlay
(applied to `tests/fixtures/reading/speech.yaml`) reports. `pytest tests/golden/test_golden.py --update-golden` rewrites them (review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from asyncgen.output import MANIFEST, manifest_text, write
from asyncgen.pipeline import Reading, generate
from conftest import FIXTURES, ROOT, SPECS

FEATURES = sorted(p.name for p in FIXTURES.iterdir() if (p / "spec.yaml").is_file())
BROKEN = sorted(p.stem for p in (FIXTURES / "errors").glob("*.yaml"))
WARNED = sorted(p.stem for p in (FIXTURES / "warnings").glob("*.yaml"))
BROKEN_OVERLAYS = sorted(p.stem for p in (FIXTURES / "overlay_errors").glob("*.yaml"))


def _compare(folder: Path, files: dict[str, str], update: bool) -> None:
    if update:
        write(folder, files, force=True)  # the snapshot is the spec's, whatever was edited
    on_disk = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    assert on_disk == sorted([*files, MANIFEST]), f"{folder}: files differ from a fresh build"
    assert (folder / MANIFEST).read_text(encoding="utf-8") == manifest_text(files), (
        f"{folder / MANIFEST} does not list the files of a fresh build"
    )
    for name, content in files.items():
        assert (folder / name).read_text(encoding="utf-8") == content, (
            f"{folder / name} differs from a fresh build; if intended, run "
            "`pytest tests/golden/test_golden.py --update-golden` and review the diff"
        )


@pytest.mark.parametrize("spec", ["cartesia.yaml"])
def test_generated_matches_specs(spec: str, request: pytest.FixtureRequest) -> None:
    result = generate(SPECS / spec)
    assert result.files is not None and result.api is not None, result.problems.format()
    _compare(ROOT / "generated" / result.api.package, result.files, request.config.getoption("--update-golden"))


@pytest.mark.parametrize("name", FEATURES)
def test_fixture_snapshot(name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # positions are printed relative to the working directory
    result = generate((FIXTURES / name / "spec.yaml").relative_to(ROOT), package=name)
    assert result.files is not None, result.problems.format()
    update = request.config.getoption("--update-golden")
    _compare(FIXTURES / name / "expected" / name, result.files, update)
    # Every warning and note a fixture prints (socket decisions, loosely written schemes).
    printed = FIXTURES / name / "problems.expected.txt"
    if result.problems or printed.exists():
        _compare_text(printed, result.problems.format() + "\n", update)


@pytest.mark.parametrize("name", BROKEN)
def test_error_output_snapshot(name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # positions are printed relative to the working directory
    spec = (FIXTURES / "errors" / f"{name}.yaml").relative_to(ROOT)
    result = generate(spec)
    assert result.files is None, "a broken spec must not generate"
    text = result.problems.format() + "\n"
    expected = FIXTURES / "errors" / f"{name}.expected.txt"
    if request.config.getoption("--update-golden"):
        expected.write_text(text, encoding="utf-8")
    assert expected.read_text(encoding="utf-8") == text


def _compare_text(expected: Path, text: str, update: bool) -> None:
    if update:
        expected.write_text(text, encoding="utf-8")
    assert expected.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", WARNED)
def test_warning_output_snapshot(name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = generate((FIXTURES / "warnings" / f"{name}.yaml").relative_to(ROOT))
    assert result.files is not None, result.problems.format()
    assert result.problems, "a spec here must print a warning"
    expected = FIXTURES / "warnings" / f"{name}.expected.txt"
    _compare_text(expected, result.problems.format() + "\n", request.config.getoption("--update-golden"))


@pytest.mark.parametrize("name", BROKEN_OVERLAYS)
def test_overlay_error_snapshot(name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    overlay = (FIXTURES / "overlay_errors" / f"{name}.yaml").relative_to(ROOT)
    result = generate((FIXTURES / "reading" / "speech.yaml").relative_to(ROOT), reading=Reading((overlay,)))
    assert result.files is None, "a broken overlay must stop the build"
    expected = FIXTURES / "overlay_errors" / f"{name}.expected.txt"
    _compare_text(expected, result.problems.format() + "\n", request.config.getoption("--update-golden"))


def test_output_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    here = generate(SPECS / "cartesia.yaml").files
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        elsewhere = generate(SPECS / "cartesia.yaml").files
    finally:
        os.chdir(cwd)
    assert here == elsewhere
