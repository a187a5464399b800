"""docs/templates.md: its reference of the views is made from the dataclasses of `views/`, so it
cannot drift (`pytest tests/unit/test_templates_doc.py --update-golden` rewrites it), and its
worked example (a template override) builds a package that imports."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import shutil
from pathlib import Path

import pytest
from asyncgen.views.package import PackageView
from click.testing import CliRunner
from conftest import ROOT, SPECS, import_package

DOC = ROOT / "docs" / "templates.md"
VIEWS = ROOT / "generator" / "views"
BEGIN, END = "<!-- views: generated -->\n", "<!-- views: end -->\n"


def _comments(path: Path) -> dict[tuple[str, str], str]:
    """(class, field) -> the comment written on the field's line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {}
    for node in ast.parse("\n".join(lines)).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    line = lines[(item.end_lineno or item.lineno) - 1]
                    _, hash_, comment = line.partition("  # ")
                    found[(node.name, item.target.id)] = comment.strip() if hash_ else ""
    return found


def _views() -> list[type]:
    """Every dataclass of `views/`, PackageView first, then in the order they are reached."""
    classes: dict[str, type] = {}
    for path in sorted(VIEWS.glob("*.py")):
        module = importlib.import_module(f"asyncgen.views.{path.stem}")
        for value in vars(module).values():
            own = isinstance(value, type) and value.__module__ == module.__name__
            if own and dataclasses.is_dataclass(value):
                classes[value.__name__] = value
    order, queue = [], [PackageView.__name__]
    while queue:
        name = queue.pop(0)
        if name in order or name not in classes:
            continue
        order.append(name)
        for field in dataclasses.fields(classes[name]):
            queue += [n for n in re.findall(r"\w+", str(field.type)) if n in classes]
    order += sorted(set(classes) - set(order))
    return [classes[name] for name in order]


def reference() -> str:
    comments: dict[tuple[str, str], str] = {}
    for path in VIEWS.glob("*.py"):
        comments |= _comments(path)
    out = [BEGIN]
    for view in _views():
        module = view.__module__.removeprefix("asyncgen.")
        out.append(f"\n### `{view.__name__}` ({module.replace('.', '/')}.py)\n\n")
        if view.__doc__ and not view.__doc__.startswith(view.__name__ + "("):
            out.append(" ".join(view.__doc__.split()) + "\n\n")
        out.append("| field | type | holds |\n|---|---|---|\n")
        for field in dataclasses.fields(view):
            kind = " ".join(str(field.type).split()).replace("|", "\\|")
            note = comments.get((view.__name__, field.name), "").replace("|", "\\|")
            out.append(f"| `{field.name}` | `{kind}` | {note} |\n")
    out.append("\n" + END)
    return "".join(out)


def test_the_reference_lists_every_field_of_every_view(request: pytest.FixtureRequest) -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    if request.config.getoption("--update-golden"):
        text = text[:start] + reference() + text[end:]
        DOC.write_text(text, encoding="utf-8")
        start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == reference(), (
        "docs/templates.md is not the views' reference: run "
        "`pytest tests/unit/test_templates_doc.py --update-golden` and review the diff"
    )
    for view in _views():
        section = text[text.index(f"### `{view.__name__}`") :].split("\n### ")[0]
        for field in dataclasses.fields(view):
            assert f"`{field.name}`" in section, (view.__name__, field.name)
    for name in PackageView.__dataclass_fields__:
        assert f"`{name}`" in text[:start]  # each context name is described by hand too


# The worked example of docs/templates.md: a header line in the models' docstring.
BUILT_IN = '"""{{ models_doc | docstring(0, part=true) }}'
CUSTOM = '"""Internal: Acme platform team. {{ models_doc | docstring(0, part=true) }}'


def test_the_worked_example_builds_and_imports(tmp_path: Path) -> None:
    assert f"-{BUILT_IN}\n+{CUSTOM}" in DOC.read_text(encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(ROOT / "templates" / "models.py.jinja", templates)
    override = templates / "models.py.jinja"
    text = override.read_text(encoding="utf-8")
    assert BUILT_IN in text
    override.write_text(text.replace(BUILT_IN, CUSTOM, 1), encoding="utf-8")
    from asyncgen.cli import main

    args = ["build", SPECS / "cartesia.yaml", "-o", tmp_path / "out", "--package", "acme_tts"]
    result = CliRunner().invoke(main, [str(a) for a in [*args, "--templates", templates]])
    assert result.exit_code == 0, result.output
    models = (tmp_path / "out" / "acme_tts" / "models.py").read_text(encoding="utf-8")
    assert '"""Internal: Acme platform team. Data models of' in models
    built_in = (ROOT / "generated" / "cartesia" / "client.py").read_text(encoding="utf-8")
    client = (tmp_path / "out" / "acme_tts" / "client.py").read_text(encoding="utf-8")
    assert client.splitlines()[2:] == built_in.splitlines()[2:]  # the others stay built in
    package = import_package(tmp_path / "out", "acme_tts")
    assert package["models"].__doc__.startswith("Internal: Acme platform team.")
    assert hasattr(package["models"], "TtsChunk")


def test_a_broken_override_is_a_located_error(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "server.py.jinja").write_text("{{ header }}\n{% for x in %}\n", encoding="utf-8")
    from asyncgen.cli import main

    args = ["build", SPECS / "cartesia.yaml", "-o", tmp_path / "out", "--templates", templates]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 1
    assert f"{templates / 'server.py.jinja'}:2:" in result.output
    assert not (tmp_path / "out" / "cartesia").exists()
