"""Python statements laid out the way black lays them out, without black.

Generated code is printed black-clean by construction: whoever builds a statement builds it on
one line (black's spacing, `string` for text) and `statement` breaks it as black would at its
default line length: the line as it is when it fits; otherwise split at the last bracket pair
(or the first, for a `def`), the optional parentheses black puts around a right-hand side, a
`return` value or a condition used when that reads better, the contents on one line when they
fit and one element per line with a trailing comma when they do not. It follows black's
right-hand split, delimiter split and its choices about optional parentheses for the statements
generated code holds (no comments, no backslashes, no multi-line strings); the golden tests run
black itself over every generated package to keep the two in step.

This module decides where black's optional parentheses go and prints literals; the leaves and
lines are `layout_lines.py`'s, the splits `layout_splits.py`'s.
"""

from __future__ import annotations

import functools

from .layout_lines import _AUGMENTED, LINE_LENGTH, _Leaf, _Line, _tokens, _top_level, width
from .layout_splits import split_line

__all__ = [
    "LINE_LENGTH",
    "ascii_string",
    "block",
    "collection",
    "literal",
    "number",
    "statement",
    "string",
    "unwrap",
    "width",
]


def string(value: str) -> str:
    """A string literal as black prints it: `repr`'s, in double quotes unless that needs more
    escaped quotes."""
    return _prefer_double_quotes(repr(value))


def ascii_string(value: str) -> str:
    """`string` with every character outside ASCII escaped (`ascii`'s literal)."""
    return _prefer_double_quotes(ascii(value))


def _prefer_double_quotes(literal: str) -> str:
    if literal[0] == '"':
        return literal
    body = literal[1:-1]
    if '"' not in body:
        return '"' + body.replace("\\'", "'") + '"'
    unescaped = body.replace("\\'", "'")
    escaped = _escape_double_quotes(unescaped)
    if escaped.count("\\") > body.count("\\"):
        return literal
    return '"' + escaped + '"'


def _escape_double_quotes(body: str) -> str:
    out: list[str] = []
    backslashes = 0
    for ch in body:
        if ch == '"' and backslashes % 2 == 0:
            out.append("\\")
        backslashes = backslashes + 1 if ch == "\\" else 0
        out.append(ch)
    return "".join(out)


def number(value: float) -> str:
    """A float literal as black prints it: `repr`'s, without the `+` of a positive exponent."""
    return repr(value).replace("e+", "e")


# --------------------------------------------------------------------------- the statement


@functools.lru_cache(maxsize=4096)
def statement(text: str, depth: int = 0) -> str:
    """The one-line statement `text`, indented `depth` levels, laid out as black would
    (remembered: generated modules repeat many statements)."""
    indent = "    " * depth
    if "= (" in text or text.startswith(_PARENTHESISED):
        text = _without_redundant_parens(text)
    if width(indent + text) <= LINE_LENGTH and not _may_have_magic_comma(text):
        return indent + text
    leaves = _tokens(text)
    is_def = bool(leaves) and (
        leaves[0].value == "def" or (leaves[0].value == "async" and leaves[1].value == "def")
    )
    leaves = _def_parens(leaves) if is_def else _with_invisible_parens(leaves)
    line = _Line(depth, leaves, inside=False, is_def=is_def)
    return "\n".join(str(out) for out in split_line(line))


_PARENTHESISED = ("if (", "elif (", "while (", "return (")


def _without_redundant_parens(text: str) -> str:
    """`text` without the parentheses black removes: around a whole condition, `return` value
    or right-hand side, unless they hold a tuple (or nothing, or a `yield`)."""
    leaves = _tokens(text)
    after = {"if", "elif", "while", "return", "="} | _AUGMENTED
    top_level = {id(leaf) for leaf in _top_level(leaves)}
    for index, leaf in enumerate(leaves[:-1]):
        if id(leaf) not in top_level or leaf.value not in after:
            continue
        if (leaf.kind == "name") != (index == 0):
            continue
        opening = leaves[index + 1]
        end = len(leaves) - 1 if leaves[0].value in ("if", "elif", "while") else len(leaves)
        if opening.kind != "(" or opening.match is not leaves[end - 1]:
            continue
        inner = leaves[index + 2 : end - 1]
        top = _top_level(inner)
        if not inner or inner[0].value == "yield" or any(x.value in (",", ":=") for x in top):
            continue
        opening.value = opening.match.value = ""
        inner[0].prefix = ""
        first = leaves[0].value
        return first + "".join(x.prefix + x.value for x in leaves[1:])
    return text


def _may_have_magic_comma(text: str) -> bool:
    return ",)" in text or ",]" in text or ",}" in text


def _with_invisible_parens(leaves: list[_Leaf]) -> list[_Leaf]:
    """Black's optional parentheses: around a right-hand side, a `return` value, a condition."""
    first = leaves[0].value
    start = end = None
    if first in ("return", "del", "assert", "raise") and len(leaves) > 1:
        start, end = 1, len(leaves)
    elif first in ("if", "elif", "while") and leaves[-1].value == ":":
        start, end = 1, len(leaves) - 1
    elif first == "for" and leaves[-1].value == ":":
        for leaf in _top_level(leaves):
            if leaf.value == "in":
                start, end = leaves.index(leaf) + 1, len(leaves) - 1
                break
    else:
        for leaf in _top_level(leaves):
            if leaf.kind == "op" and (leaf.value == "=" or leaf.value in _AUGMENTED):
                start, end = leaves.index(leaf) + 1, len(leaves)
        annotation = _annotation(leaves, start)
        if annotation is not None:  # black's parentheses around an annotation, too
            wrapped = _wrapped(leaves, *annotation)
            if start is not None:
                start, end = start + len(wrapped) - len(leaves), len(wrapped)
            leaves = wrapped
    if start is None or end is None or start >= end:
        return leaves
    return _wrapped(leaves, start, end)


def _def_parens(leaves: list[_Leaf]) -> list[_Leaf]:
    """Black's optional parentheses in a `def`: around the return annotation, and around a
    parameter's annotation that is a union (`X | None`), so that a long one is split inside
    them."""
    opening = next((leaf for leaf in leaves if leaf.kind == "("), None)
    if opening is None or opening.match is None:
        return leaves
    top = _top_level(leaves)
    arrow = next((i for i, leaf in enumerate(top) if leaf.value == "->"), None)
    colon = next((i for i, leaf in enumerate(top) if leaf.value == ":"), None)
    if arrow is not None and colon is not None and colon > arrow + 1:
        start, end = leaves.index(top[arrow]) + 1, leaves.index(top[colon])
        if not (leaves[start].kind == "(" and leaves[start].match is leaves[end - 1]):
            leaves = _wrapped(leaves, start, end)
    position = {id(leaf): index for index, leaf in enumerate(leaves)}
    first, last = position[id(opening)] + 1, position[id(opening.match)]
    commas = [position[id(leaf)] for leaf in _top_level(leaves[first:last]) if leaf.value == ","]
    spans: list[tuple[int, int]] = []
    start = first
    for end in [*commas, last]:
        parameter = leaves[start:end]
        if len(parameter) > 2 and parameter[0].kind == "name" and parameter[1].value == ":":
            top = _top_level(parameter[2:])
            equals = next((position[id(leaf)] for leaf in top if leaf.value == "="), end)
            if any(leaf.value == "|" and position[id(leaf)] < equals for leaf in top):
                spans.append((start + 2, equals))
        start = end + 1
    for span in reversed(spans):
        leaves = _wrapped(leaves, *span)
    return leaves


def _annotation(leaves: list[_Leaf], assign: int | None) -> tuple[int, int] | None:
    """Where the annotation of `name: annotation [= value]` lies (None for other statements)."""
    if len(leaves) < 3 or leaves[0].kind != "name" or leaves[1].value != ":":
        return None
    end = assign - 1 if assign is not None else len(leaves)
    return (2, end) if end > 2 else None


def _wrapped(leaves: list[_Leaf], start: int, end: int) -> list[_Leaf]:
    """`leaves` with optional parentheses around `leaves[start:end]`."""
    inner = leaves[start:end]
    if inner[0].opening and inner[0].match is inner[-1]:
        if any(leaf.value == "," for leaf in _top_level(inner[1:-1])) or inner[0].one_item:
            return leaves  # a collection: black splits at its own brackets
        if inner[0].kind == "(" and not inner[0].trailer:
            inner[0].value = inner[-1].value = ""  # redundant parentheses become optional
            inner[1].prefix = ""
            return leaves
    opening, closing = _Leaf("(", "", inner[0].prefix), _Leaf(")", "", "")
    inner[0].prefix = ""
    opening.match, closing.match = closing, opening
    return [*leaves[:start], opening, *inner, closing, *leaves[end:]]


def literal(value: object) -> str:
    """A Python literal of a JSON-like value (None, bools, numbers, strings, lists, tuples,
    dicts) as black prints it: strings in black's quotes, a one-item tuple with its comma."""
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return number(value)
    return repr(value)


def block(text: str, depth: int = 0) -> str:
    """Lines of one-line statements (a block's body indented four spaces deeper than its
    header), each laid out by `statement` at `depth` plus its own indentation; comment lines
    are kept as they are."""
    out: list[str] = []
    for line in text.split("\n"):
        code = line.lstrip(" ")
        level = depth + (len(line) - len(code)) // 4
        out.append("    " * level + code if code.startswith("#") else statement(code, level))
    return "\n".join(out)


def collection(head: str, items: list[str] | tuple[str, ...], close: str, depth: int) -> str:
    """`head` (ending in an opening bracket) with `items` and `close`, exploded one item per
    line with a trailing comma (black's magic trailing comma), or `head + close` when empty."""
    if not items:
        return statement(head + close, depth)
    return statement(head + ", ".join(items) + "," + close, depth)


def unwrap(expression: str) -> str:
    """`expression` without parentheses that enclose all of it (redundant around a condition,
    where black removes them)."""
    leaves = _tokens(expression)
    if len(leaves) > 2 and leaves[0].value == "(" and leaves[0].match is leaves[-1]:
        return expression.strip()[1:-1].strip()
    return expression
