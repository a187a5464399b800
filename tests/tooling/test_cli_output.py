"""What the `asyncgen` command prints for people: `--help` of every command, diagnostics with
the source line and a caret, summary lines, `validate`, colour, and source excerpts of awkward
files (missing, tabs, very long lines, not UTF-8).

The snapshots in `tests/fixtures/cli/` are rewritten by `--update-golden`, like the others.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncgen import console
from asyncgen.cli import main
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SPECS

SNAPSHOTS = FIXTURES / "cli"
COMMANDS = ["", "build", "check", "validate", "watch"]


def _invoke(*args: str | Path, color: bool = False) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, [str(a) for a in args], color=color, prog_name="asyncgen", terminal_width=80
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _snapshot(name: str, text: str, request: pytest.FixtureRequest) -> None:
    expected = SNAPSHOTS / f"{name}.txt"
    if request.config.getoption("--update-golden"):
        expected.write_text(text, encoding="utf-8")
    assert expected.read_text(encoding="utf-8") == text, f"{expected} differs"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_snapshot(command: str, request: pytest.FixtureRequest) -> None:
    code, out, _ = _invoke(*([command] if command else []), "--help")
    assert code == 0 and "Examples:" in out
    _snapshot(f"help_{command or 'main'}", out, request)


@pytest.mark.parametrize(
    "spec", ["errors/broken_ref.yaml", "errors/syntax.yaml", "warnings/unescaped_slash.yaml"]
)
def test_diagnostics_snapshot(
    spec: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # positions are printed relative to the working directory
    _, out, err = _invoke("validate", (FIXTURES / spec).relative_to(ROOT))
    assert "\x1b[" not in err  # no colour without a terminal
    _snapshot("validate_" + spec.replace("/", "_").removesuffix(".yaml"), err + out, request)


def test_validate_writes_nothing_and_strict_fails_on_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "dates.yaml"
    spec.write_text((FIXTURES / "yaml_dates" / "spec.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    code, out, err = _invoke("validate", spec.name)
    assert code == 0 and out == "dates.yaml: 16 files, 2 warnings\n"
    assert " 4 |   version: 2026-03-01\n   |            ^" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dates.yaml"]
    assert _invoke("validate", "--strict", spec.name)[0] == 1
    code, out, err = _invoke("validate", "--quiet", spec.name)
    assert code == 0 and out == err == ""
    assert _invoke("validate", "--quiet", "--strict", spec.name)[0] == 1


def test_summary_line_and_verbose_build(tmp_path: Path) -> None:
    code, out, _ = _invoke("build", SPECS / "cartesia.yaml", "-o", tmp_path, "-v")
    assert code == 0 and f"wrote {tmp_path / 'cartesia' / 'README.md'}" in out
    assert out.rstrip().endswith("files, 16 written, 0 unchanged, 0 warnings")
    code, out, _ = _invoke("check", SPECS / "cartesia.yaml", "-o", tmp_path)
    assert code == 0 and out.endswith("cartesia.yaml: 16 files, up to date, 0 warnings\n")
    code, out, err = _invoke("build", SPECS / "cartesia.yaml", "-o", tmp_path, "-q")
    assert code == 0 and out == err == ""


def test_colour_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = FIXTURES / "errors" / "broken_ref.yaml"
    assert "\x1b[31m" in _invoke("validate", broken, color=True)[2]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in _invoke("validate", broken, color=True)[2]


def test_version_names_asyncgen_and_black() -> None:
    out = _invoke("--version")[1]
    assert out.startswith("asyncgen, version ") and "(black " in out


def test_excerpt_of_awkward_files(tmp_path: Path) -> None:
    assert console.excerpt(str(tmp_path / "missing.yaml"), 3, 1) == []
    assert console.excerpt(str(tmp_path), 1, 1) == []  # a folder
    short = tmp_path / "short.yaml"
    short.write_text("a: 1\n")
    assert console.excerpt(str(short), 9, 1) == []  # no such line
    tabs = tmp_path / "tabs.yaml"
    tabs.write_text("x\n\tkey:\tvalue\n")
    assert console.excerpt(str(tabs), 2, 6) == [" 2 |     key:    value", "   |         ^"]
    long = tmp_path / "long.json"
    long.write_text('{"a": "' + "x" * 5000 + '", "bad": 1}\n')
    line, caret = console.excerpt(str(long), 1, 5011)
    assert line.startswith(" 1 | ...") and len(line) < 120
    assert line[caret.index("^")] == '"' and line[caret.index("^") + 1 : caret.index("^") + 4] == "bad"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: caf\xe9\x00\n")
    assert console.excerpt(str(latin), 1, 8) == [" 1 | title: caf\ufffd\ufffd", "   |        ^"]
    over = tmp_path / "over.yaml"
    over.write_bytes(b"y" * (3 << 20) + b"\nsecond: 2\n")  # an earlier line over the read limit
    assert console.excerpt(str(over), 2, 1) == [" 2 | second: 2", "   | ^"]
