"""`$ref`s read only regular files inside the root folder, each no larger than the size cap.

A spec is written by someone else and read in CI and in pre-commit hooks: a `$ref` to
`../outside.yaml`, `/etc/passwd`, `file:///etc/passwd` or a symlink out of the folder is refused,
and so is one to `/dev/zero` (it would be read until memory runs out) or to a FIFO (it would wait
for a writer forever). Each refusal is a located error, snapshotted in tests/fixtures/hostile/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from asyncgen.cli import main
from asyncgen.pipeline import Reading, generate
from click.testing import CliRunner
from hostile import SPEC, snapshot, time_bound, write

SCHEMA = "X:\n  type: string\n"


def _refused(spec: Path, reading: Reading | None = None) -> str:
    with time_bound():
        result = generate(spec, reading=reading or Reading())
    assert result.files is None, "a refused reference must stop the build"
    assert all(p.position is not None and p.position.line > 0 for p in result.problems.errors)
    return result.problems.format() + "\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # positions are printed relative to the working directory
    write(tmp_path / "outside.yaml", SCHEMA)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("ref_parent_folder", "../outside.yaml#/X"),
        ("ref_absolute_path", "/etc/passwd"),
        ("ref_file_url", "file:///etc/passwd"),
        ("ref_dev_zero", "/dev/zero"),
    ],
)
def test_refs_out_of_the_root_folder_are_refused(
    name: str, ref: str, here: Path, request: pytest.FixtureRequest
) -> None:
    text = _refused(write(here / "spec" / "api.yaml", SPEC % ref))
    assert "[ref-outside-root at #/channels/~1x/subscribe/message/payload]" in text
    snapshot(name, text, request)


def test_a_symlink_out_of_the_folder_is_refused(here: Path, request: pytest.FixtureRequest) -> None:
    (here / "spec").mkdir()
    os.symlink(here / "outside.yaml", here / "spec" / "inside.yaml")
    text = _refused(write(here / "spec" / "api.yaml", SPEC % "inside.yaml#/X"))
    assert "a symlink to outside.yaml" in text
    snapshot("ref_symlink_out", text, request)


def test_a_fifo_is_never_opened(here: Path, request: pytest.FixtureRequest) -> None:
    (here / "spec").mkdir()
    os.mkfifo(here / "spec" / "pipe.yaml")
    text = _refused(write(here / "spec" / "api.yaml", SPEC % "pipe.yaml"))
    assert "[ref-not-a-file at" in text
    snapshot("ref_fifo", text, request)


def test_a_device_is_never_read_even_inside_the_root(
    here: Path, request: pytest.FixtureRequest
) -> None:
    spec = write(here / "spec" / "api.yaml", SPEC % "/dev/zero")
    text = _refused(spec, Reading(root=Path("/")))
    assert "/dev/zero is a character device, not a regular file [ref-not-a-file" in text
    snapshot("ref_device", text, request)


def test_a_file_over_the_size_cap_is_refused(here: Path, request: pytest.FixtureRequest) -> None:
    write(here / "spec" / "big.yaml", SCHEMA + "# padding\n" * 200)
    spec = write(here / "spec" / "api.yaml", SPEC % "big.yaml#/X")
    text = _refused(spec, Reading(max_file_size=1024))
    assert "[file-too-large at" in text
    snapshot("ref_too_large", text, request)


def test_the_spec_itself_over_the_size_cap_is_refused(here: Path) -> None:
    spec = write(here / "api.yaml", SPEC % "#/info" + "# padding\n" * 200)
    result = generate(spec, reading=Reading(max_file_size=1024))
    assert [p.format() for p in result.problems] == [
        (
            "api.yaml: error: api.yaml is larger than 1024 bytes [file-too-large]\n"
            "    hint: raise the limit with --max-file-size or `max-file-size` in [tool.asyncgen]"
        )
    ]


def test_a_wider_root_lets_a_ref_leave_the_spec_folder(here: Path) -> None:
    spec = write(here / "spec" / "api.yaml", SPEC % "../outside.yaml#/X")
    result = generate(spec, reading=Reading(root=here))
    assert result.files is not None, result.problems.format()


def _cli(*args: str | Path) -> tuple[int, str]:
    with time_bound():
        done = CliRunner().invoke(main, [str(a) for a in args])
    return done.exit_code, done.output


def test_root_and_size_cap_from_the_command_line(here: Path) -> None:
    spec = write(here / "spec" / "api.yaml", SPEC % "../outside.yaml#/X")
    code, output = _cli("build", spec, "-o", here / "out")
    assert code == 1 and "ref-outside-root" in output
    assert _cli("build", spec, "-o", here / "out", "--root", here)[0] == 0
    code, output = _cli("build", spec, "-o", here / "out", "--root", here, "--max-file-size", "1k")
    assert code == 0  # both files are under 1 KiB
    code, output = _cli("build", spec, "-o", here / "out", "--root", here, "--max-file-size", "10")
    assert code == 1 and "file-too-large" in output
    assert _cli("build", spec, "--max-file-size", "lots")[0] == 2


def test_root_and_size_cap_from_pyproject(here: Path) -> None:
    write(here / "spec" / "api.yaml", SPEC % "../outside.yaml#/X")
    config = '[tool.asyncgen]\nspecs = ["spec/api.yaml"]\noutput = "out"\nroot = "."\n'
    write(here / "pyproject.toml", config)
    assert _cli("build")[0] == 0
    write(here / "pyproject.toml", config + 'max-file-size = "100"\n')
    code, output = _cli("build")
    assert code == 1 and "larger than 100 bytes" in output
    write(here / "pyproject.toml", config.replace('root = "."', 'root = "spec"'))
    assert _cli("build")[0] == 1
