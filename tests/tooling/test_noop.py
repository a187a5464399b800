"""The no-op check: a package whose inputs did not change is reported as it is without the
pipeline, and a change to any input makes `check` report it stale."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from asyncgen import fingerprint
from asyncgen.cli import main
from asyncgen.output import MANIFEST
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

HEAVY = ("jinja2", "black", "asyncgen.render", "asyncgen.pipeline", "asyncgen.loading", "ruamel")
# Runs the command line in a fresh interpreter, then names the heavy modules it imported.
_PROBE = f"""
import sys
from asyncgen.cli import main
try:
    main(sys.argv[1:], prog_name="asyncgen")
except SystemExit as exc:
    code = exc.code
heavy = [m for m in {HEAVY!r} if any(n == m or n.startswith(m + ".") for n in sys.modules)]
print("EXIT", code, "HEAVY", ",".join(heavy))
"""


def _invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


def _probe(*args: str | Path, cwd: Path) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *(str(a) for a in args)],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = done.stdout.strip().splitlines()[-1].split()
    assert last[0] == "EXIT", done.stdout + done.stderr
    return int(last[1]), [m for m in (last[3] if len(last) > 3 else "").split(",") if m]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A spec that `$ref`s another file, an overlay, a template override; built once."""
    shutil.copytree(FIXTURES / "multifile", tmp_path, dirs_exist_ok=True, ignore=_no_expected)
    overlay = tmp_path / "fix.overlay.yaml"
    overlay.write_text(
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
        "  - target: $.info\n    update: {description: From the overlay.}\n",
        encoding="utf-8",
    )
    (tmp_path / "templates").mkdir()
    shutil.copy(ROOT / "templates" / "server.py.jinja", tmp_path / "templates")
    code, out = _invoke("build", *_options(tmp_path))
    assert code == 0, out
    return tmp_path


def _no_expected(folder: str, names: list[str]) -> list[str]:
    return ["expected"] if "expected" in names else []


def _options(project: Path, *more: str | Path) -> list[str | Path]:
    return [
        project / "spec.yaml",
        "-o",
        project / "out",
        "--package",
        "shop",
        "--overlay",
        project / "fix.overlay.yaml",
        "--templates",
        project / "templates",
        *more,
    ]


def test_no_op_check_and_build_import_no_parser_renderer_or_black(project: Path) -> None:
    assert _probe("check", *_options(project), cwd=project) == (0, [])
    assert _probe("build", *_options(project), cwd=project) == (0, [])
    # A change takes the full path (which the probe sees import the pipeline), and is stale.
    spec = project / "spec.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    code, heavy = _probe("check", *_options(project), cwd=project)
    assert code == 1 and "asyncgen.pipeline" in heavy


def test_the_record_lists_every_file_read_and_stays_out_of_the_package(project: Path) -> None:
    folder = project / "out" / "shop"
    assert "inputs" not in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    record = json.loads(fingerprint._record_path(folder).read_text(encoding="utf-8"))
    assert sorted(record["files"]) == [
        "../../fix.overlay.yaml",
        "../../schemas/messages.yaml",
        "../../schemas/nested/order.yaml",
        "../../spec.yaml",
    ]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


CHANGES: dict[str, Callable[[Path], list[str | Path]]] = {
    "spec": lambda p: (_append(p / "spec.yaml", "\n# changed\n"), [])[1],
    "a $ref'd file": lambda p: (_append(p / "schemas" / "nested" / "order.yaml", "\n# changed\n"), [])[1],
    "the overlay": lambda p: (_append(p / "fix.overlay.yaml", "\n# changed\n"), [])[1],
    "a template override": lambda p: (
        _append(p / "templates" / "server.py.jinja", "\n# A line of the override.\n"),
        [],
    )[1],
    "a new template override": lambda p: (
        shutil.copy(ROOT / "templates" / "client.py.jinja", p / "templates"),
        _append(p / "templates" / "client.py.jinja", "\n# A line of the override.\n"),
        [],
    )[2],
    "the perspective option": lambda p: ["--perspective", "client"],
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_any_changed_input_makes_check_report_stale(project: Path, kind: str) -> None:
    folder = project / "out" / "shop"
    assert _invoke("check", *_options(project))[0] == 0
    more = CHANGES[kind](project)
    code, out = _invoke("check", *_options(project, *more))
    assert code == 1, out
    assert "is out of date" in out
    assert _invoke("build", *_options(project, *more))[0] == 0
    assert _invoke("check", *_options(project, *more))[0] == 0
    record = json.loads(fingerprint._record_path(folder).read_text(encoding="utf-8"))
    assert fingerprint.unchanged(folder, record["key"]) is not None


def test_another_package_name_is_another_package(project: Path) -> None:
    options = [str(o) for o in _options(project)]
    options[options.index("shop")] = "store"
    assert _invoke("check", *options)[0] == 1  # out/store/ was never built


def test_an_edited_package_is_not_a_no_op(project: Path) -> None:
    models = project / "out" / "shop" / "models.py"
    _append(models, "# edited\n")
    code, out = _invoke("check", *_options(project))
    assert code == 1 and "models.py" in out


def test_no_cache_turns_the_no_op_check_off(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASYNCGEN_NO_CACHE", "1")
    code, heavy = _probe("check", *_options(project), cwd=project)
    assert code == 0 and "asyncgen.pipeline" in heavy
