"""black stays the reference for the layout asyncgen prints by construction (`layout.py`).

Every golden package, every fixture's expected package and a sample of the corpus built fresh
must be exactly what black makes of them; a build with `--format` (black over every module) must
write the same bytes as one without.
"""

from __future__ import annotations

import csv
import difflib
import os
import subprocess
import sys
from pathlib import Path

import black
import pytest
from asyncgen.pipeline import generate
from black.mode import TargetVersion
from conftest import FIXTURES, ROOT, SPECS

_MODE = black.Mode(target_versions={TargetVersion.PY311})
CORPUS = ROOT / "tests" / "data" / "corpus"
PACKAGES = sorted(
    [ROOT / "generated" / p.name for p in (ROOT / "generated").iterdir() if p.is_dir()]
    + [p / "expected" / p.name for p in FIXTURES.iterdir() if (p / "expected").is_dir()]
)


def _corpus_sample(count: int = 20) -> list[Path]:
    """`count` documents spread evenly over the corpus sorted by version and name."""
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    rows.sort(key=lambda r: (r["asyncapi_version"], r["local_file"]))
    step = len(rows) / count
    return [CORPUS / rows[int(i * step)]["set"] / rows[int(i * step)]["local_file"] for i in range(count)]


def _assert_black_clean(name: str, text: str) -> None:
    formatted = black.format_str(text, mode=_MODE)
    if formatted != text:
        diff = difflib.unified_diff(text.splitlines(), formatted.splitlines(), name, "black", lineterm="")
        pytest.fail("\n".join(list(diff)[:40]))


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_golden_package_is_black_clean(folder: Path) -> None:
    for path in sorted(folder.glob("*.py")):
        _assert_black_clean(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec", _corpus_sample(), ids=lambda p: p.name)
def test_corpus_package_is_black_clean(spec: Path) -> None:
    result = generate(spec)
    # A document that does not generate has nothing to check (its problems are tested elsewhere).
    for name, text in sorted((result.files or {}).items()):
        if name.endswith(".py"):
            _assert_black_clean(f"{spec.name}: {name}", text)


BUILT = [SPECS / "cartesia.yaml"]
BUILT += [p / "spec.yaml" for p in sorted(FIXTURES.iterdir()) if (p / "spec.yaml").is_file()]


@pytest.mark.parametrize("spec", BUILT, ids=lambda p: p.parent.name if p.name == "spec.yaml" else p.name)
def test_format_changes_nothing(spec: Path) -> None:
    package = spec.parent.name if spec.name == "spec.yaml" else None
    plain = generate(spec, package)
    formatted = generate(spec, package, black=True)
    assert plain.files is not None and formatted.files is not None
    assert plain.files == formatted.files


DOCSTRINGS = [
    "Args:\n    a: " + "y" * 70 + ' ends in a quote "',
    "Args:\n    a: short, ends in a quote \"",
    "Args:\n    a: " + "y" * 72 + " ends in a backslash \\",
    "one line " + "z" * 90 + ' "',
    '"starts with a quote',
]


@pytest.mark.parametrize("text", DOCSTRINGS)
def test_a_docstring_is_laid_out_as_black_lays_it_out(text: str) -> None:
    from asyncgen.render import docstring

    source = f'class C:\n    def f(self) -> None:\n        """{docstring(text, 8)}"""\n'
    _assert_black_clean("docstring", source)


# Builds a package in a fresh interpreter with the built-in templates and no formatting cache,
# then says whether black was imported.
_BUILD_PROBE = """
import sys
from asyncgen.cli import main
try:
    main(sys.argv[1:], prog_name="asyncgen")
except SystemExit as exc:
    code = exc.code
print("EXIT", code, "BLACK", any(n == "black" or n.startswith("black.") for n in sys.modules))
"""


def test_a_default_build_does_not_import_black(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_PROBE, "build", str(SPECS / "cartesia.yaml"), "-o", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ASYNCGEN_NO_CACHE": "1"},
    )
    assert done.stdout.strip().splitlines()[-1] == "EXIT 0 BLACK False", done.stdout + done.stderr
    assert (tmp_path / "cartesia" / "client.py").read_text(encoding="utf-8") == (
        ROOT / "generated" / "cartesia" / "client.py"
    ).read_text(encoding="utf-8")
