"""Package names that would not import, or would shadow what the generated package imports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from asyncgen.cli import main
from asyncgen.naming import package_name_problem
from asyncgen.pipeline import generate
from click.testing import CliRunner
from conftest import SPECS
from hostile import snapshot


@pytest.mark.parametrize(
    "name",
    [
        "class",
        "None",
        "not-valid",
        "9lives",
        "",
        "json",
        "typing",
        "asyncio",
        "enum",
        "re",
        "base64",
        "dataclasses",
        "websockets",
        "orjson",
        "pybase64",
    ],
)
def test_package_option_refuses_with_exit_2(name: str, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        main, ["build", str(SPECS / "cartesia.yaml"), "-o", str(tmp_path), "--package", name]
    )
    assert done.exit_code == 2 and "--package" in done.output, done.output
    assert not any(tmp_path.iterdir())


def test_usable_names_pass() -> None:
    assert [package_name_problem(n) for n in ("cartesia", "match", "type", "my_api2")] == [""] * 4


def test_a_package_named_after_the_spec_file_is_checked_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SPECS / "cartesia.yaml", tmp_path / "asyncio.yaml")
    result = generate(Path("asyncio.yaml"))
    assert result.files is None
    snapshot("package_from_stem", result.problems.format() + "\n", request)
    assert generate(Path("asyncio.yaml"), package="asyncio_api").files is not None
