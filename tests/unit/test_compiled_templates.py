"""The built-in templates compiled ahead of time (`templates/compiled/`, see `render`): current,
used, printing what compiling them now prints, and set aside when they no longer fit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from asyncgen import render
from asyncgen.pipeline import generate
from conftest import FIXTURES, ROOT, SPECS

COMPILED = ROOT / "templates" / "compiled"
# WebSocket client and server, the three broker clients, a codec: every built-in template.
SPECS_USED = [
    SPECS / "cartesia.yaml",
    *(FIXTURES / name / "spec.yaml" for name in ("streetlights_mqtt", "orders_amqp")),
    *(FIXTURES / name / "spec.yaml" for name in ("sensors_nats", "events_kafka")),
]


@pytest.fixture(autouse=True)
def fresh_environment() -> Iterator[None]:
    render.environment.cache_clear()
    yield
    render.environment.cache_clear()


def _packages() -> dict[str, dict[str, str]]:
    out = {}
    for spec in SPECS_USED:
        result = generate(spec)
        assert result.files is not None, result.problems.format()
        out[spec.parent.name] = result.files
    return out


def test_the_compiled_templates_are_current() -> None:
    expected = render.compiled_modules()
    found = {p.name: p.read_text(encoding="utf-8") for p in COMPILED.glob("*.py")}
    assert found.keys() == expected.keys(), "run python scripts/compile_templates.py"
    stale = [name for name in expected if found[name] != expected[name]]
    assert not stale, f"{stale} are stale: run python scripts/compile_templates.py"


def test_every_built_in_template_is_compiled() -> None:
    assert len(render.built_in()) == 7
    assert {f"{render._module_of(n)}.py" for n in render.built_in()} < set(
        render.compiled_modules()
    )


def test_a_build_compiles_no_template(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a built-in template was compiled")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    _packages()


def test_compiled_ahead_and_compiled_now_print_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    ahead = _packages()
    render.environment.cache_clear()
    monkeypatch.setattr(render, "_compiled_code", lambda name, source: None)
    monkeypatch.setenv("ASYNCGEN_NO_CACHE", "1")
    assert _packages() == ahead


def test_a_changed_template_is_compiled_again(monkeypatch: pytest.MonkeyPatch) -> None:
    original = render._built_in_source

    def changed(name: str) -> str:
        text = original(name)
        return text + "# changed since\n" if name == "models.py.jinja" else text

    monkeypatch.setattr(render, "_built_in_source", changed)
    monkeypatch.setenv("ASYNCGEN_NO_CACHE", "1")
    result = generate(SPECS / "cartesia.yaml")
    assert result.files is not None
    assert result.files["models.py"].endswith("# changed since\n")
    assert not result.files["client.py"].endswith("# changed since\n")


def test_another_jinja_compiles_the_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *a: object,
                 **k: object) -> object:  # fmt: skip
        compiled.append(str(name))
        return real(self, source, name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(jinja2, "__version__", "0.0.0")
    monkeypatch.setenv("ASYNCGEN_NO_CACHE", "1")
    result = generate(SPECS / "cartesia.yaml")
    assert result.files is not None
    assert "client.py.jinja" in compiled


def test_an_override_is_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "server.py.jinja").write_text("{{ header }}\nVALUE = 1\n", encoding="utf-8")
    monkeypatch.setenv("ASYNCGEN_NO_CACHE", "1")
    result = generate(SPECS / "cartesia.yaml", templates=tmp_path)
    assert result.files is not None
    assert result.files["server.py"].endswith("VALUE = 1\n")
