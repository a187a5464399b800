"""The layout's lexer reads a statement's tokens as `tokenize` reads them, or leaves the
statement to `tokenize`."""

from __future__ import annotations

import tokenize

import pytest
from asyncgen import layout_lines
from conftest import ROOT


def _tokenized(text: str) -> list[tuple[str, str, str]] | None:
    try:
        return layout_lines._tokenized(text)
    except (ValueError, SyntaxError, tokenize.TokenError):
        return None


def _lines() -> list[str]:
    """Every line of the generated modules kept in the repository: statements of every kind the
    views print."""
    lines: set[str] = set()
    for path in sorted((ROOT / "generated").rglob("*.py")) + sorted(
        (ROOT / "tests/fixtures").rglob("*.py")
    ):
        lines.update(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return sorted(line for line in lines if line)


def test_there_are_lines_to_read() -> None:
    assert len(_lines()) > 2000


def test_every_generated_line_is_lexed_as_tokenize_lexes_it() -> None:
    differ, compared = [], 0
    for line in _lines():
        lexed, tokenized = layout_lines._lexed(line), _tokenized(line)
        if lexed is None or tokenized is None:  # a part of a statement: tokenize refuses it
            continue
        compared += 1
        if lexed != tokenized:
            differ.append(line)
    assert not differ, differ[:10]
    assert compared > 2000


@pytest.mark.parametrize(
    "text",
    [
        'x = foo(a, b="s", c=[1, 2.5e3, 0x1F, 1_000j, .5, 1.])',
        'def f(self, *, a: int = -1) -> dict[str, "X"]:',
        'return f"{a!r}" + rb"\\x" if a else ...',
        "x = a @ b ** c // d >> e << f",
        "if (n := len(a)) > 10:",
        "x = é + 1",
        'x = "a\\"b"',
        'print("x" "y")  ',
        "x = a[1:2, ::3]",
        "x = not a is not b != c",
    ],
)
def test_statements_are_lexed_as_tokenize_lexes_them(text: str) -> None:
    assert layout_lines._lexed(text) is not None
    assert layout_lines._lexed(text) == _tokenized(text)


@pytest.mark.parametrize(
    "text",
    ['x = "abc', "x = 1  # note", 'a = """x"""', "x = $y", "  x = 1", "x = 1\ny = 2", "x = \\"],
)
def test_what_only_tokenize_may_judge_is_left_to_it(text: str) -> None:
    assert layout_lines._lexed(text) is None
