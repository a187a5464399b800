"""The fast YAML road (libyaml's events, composed in `yaml_events`) reads what ruamel's own reader
reads: the same tree, the same positions, the same problems, on every document at hand and on
texts built from YAML's awkward pieces. Where it cannot promise that, it steps aside."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from asyncgen import reading, yaml_events
from asyncgen.diagnostics import Problems
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

FILES = sorted(
    p
    for folder in ("specs", "tests/fixtures", "tests/data/corpus")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
)


def _read(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch | None = None) -> Any:
    problems = Problems()
    if fast:
        parsed = reading.parse_yaml(text, Path("doc.yaml"), problems)
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(yaml_events, "CParser", None)
            parsed = reading.parse_yaml(text, Path("doc.yaml"), problems)
    return parsed, problems.format()


def test_the_c_parser_is_installed() -> None:
    # `ruamel.yaml.clib` is a dependency on CPython; without it every test below compares
    # ruamel to itself.
    assert yaml_events.available()


def test_there_are_documents_to_compare() -> None:
    assert len(FILES) > 150
    # and the fast road composes them (else the comparisons below would compare ruamel to itself)
    composed = [
        p
        for p in FILES
        if yaml_events.compose(_text(p), reading.MAX_NESTING) is not False
    ]
    assert len(composed) >= len(FILES) - 3


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="surrogateescape")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_document_reads_the_same(path: Path) -> None:
    text = _text(path)
    assert _read(text, fast=True) == _read(text, fast=False)


# Pieces of YAML that readers disagree on: indicators, tags, aliases, scalars of every style,
# escapes, line ends, characters beyond ASCII, document markers, control characters.
_PIECES = [
    "a: ", "- ", "  ", "\n", "[", "]", "{", "}", ", ", "'x'", '"y\\n"', "*a", "|\n", "> \n",
    "? ", "1", "0o7", "yes", "null", "~", "1.5e3", "#c\n", "<<: ", "key", "---\n", "...\n",
    ": ", "\t", "2001-01-01", "0x1F", "\r\n", "\ufeff", "\x85", "\u2028", "é", "😀", '"\\/"',
    '"\\x41"', '"\\u263A\\U0001F600"', '"\\N\\_\\L\\P\\e\\ "', "|-\n", "|+\n", "|2\n", ">-\n",
    '{"a":1}', "'it''s'", '"a\n  b"', "   x:\n", "    - y\\n", "\n  ", "\x07", "%YAML 1.1\n",
]
_ANCHORS = ["&a ", "&b ", "*b"]
_TAGS = ["!!str ", "!t ", "!!binary ", "!!int ", "! ", "!<tag:x> ", "!!map ", "!!seq "]


def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=25).map("".join)


def _same_where_fast(text: str) -> None:
    if yaml_events.compose(text, reading.MAX_NESTING) is False:
        return  # ruamel reads it: nothing to compare
    fast, pure = _read(text, fast=True), _read(text, fast=False)
    if any(isinstance(r[0], tuple) and not isinstance(r[0][0], (dict, list)) for r in (fast, pure)):
        return  # a document that is one scalar: refused later anyway (see yaml_events)
    assert fast == pure


@settings(max_examples=3000, deadline=None)
@given(_texts(_PIECES + _ANCHORS))
def test_texts_with_anchors_read_the_same(text: str) -> None:
    _same_where_fast(text)


@settings(max_examples=3000, deadline=None)
@given(_texts(_PIECES + _TAGS))
def test_texts_with_tags_read_the_same(text: str) -> None:
    _same_where_fast(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\tb\n",
        "%YAML 1.1\n---\na: yes\n",
        "a: 1\x85b: 2\n",
        "a: 1\u2028b: 2\n",
        "\ufeffa: 1\n",
        "a: |\n  x\n...\n",
        "a: *missing\n",
        "a: 1\n---\nb: 2\n",
        "---\n  \n",
        "a: \udc80\n",
        "a: [1\n",
    ],
    ids=[
        "tab", "version", "nel", "line-separator", "bom", "document-end", "undefined-alias",
        "two-documents", "empty", "surrogate", "syntax",
    ],
)
def test_what_only_ruamel_may_read_goes_to_ruamel(text: str) -> None:
    assert yaml_events.compose(text, reading.MAX_NESTING) is False
    assert _read(text, fast=True) == _read(text, fast=False)


@pytest.mark.parametrize("kind", ["flow", "block"])
def test_nesting_a_million_deep_is_refused_at_once(kind: str) -> None:
    text = (
        "a: " + "[" * 1_000_000
        if kind == "flow"
        else "".join(" " * i + "k:\n" for i in range(5000))
    )
    started = time.perf_counter()
    problems = Problems()
    assert reading.parse_yaml(text, Path("doc.yaml"), problems) is None
    assert time.perf_counter() - started < 5
    (problem,) = problems
    assert problem.rule == "nesting-too-deep"
    depth = reading.MAX_NESTING
    if kind == "flow":
        assert problem.pointer == "/a" + "/0" * (depth - 1)
        assert (problem.position.line, problem.position.col) == (1, 4 + depth - 1)
    else:
        assert problem.pointer == "/k" * depth
        assert (problem.position.line, problem.position.col) == (depth + 1, depth + 1)


def test_nesting_within_the_bound_is_read() -> None:
    depth = reading.MAX_NESTING - 1
    text = "a: " + "[" * depth + "]" * depth + "\n"
    assert _read(text, fast=True) == _read(text, fast=False)
    assert _read(text, fast=True)[1] == ""


def test_text_the_round_trip_reader_fails_on_is_read_by_the_plain_one() -> None:
    text = "a: #c\n|-\n\n"  # ruamel's round-trip reader: NotImplementedError, overlap in comment
    expected = (({"a": ""}, {"": (1, 1), "/a": (2, 1)}), "")
    assert _read(text, fast=False) == expected
    assert _read(text, fast=True) == expected


def test_a_reader_failing_on_its_own_is_a_problem_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(self: object, text: str) -> None:
        raise NotImplementedError("overlap in comment")

    monkeypatch.setattr(YAML, "compose", fail)
    parsed, problems = _read("a: 1\n", fast=False)
    assert parsed is None
    assert "error: the YAML reader cannot read this text: overlap in comment" in problems
    assert "[yaml-syntax]" in problems
