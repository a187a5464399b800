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
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from .layout_lines import (
    _AUGMENTED,
    _COMMA,
    _DOT,
    _CannotSplit,
    _Leaf,
    _Line,
    _one_item,
    _tokens,
    _top_level,
)

LINE_LENGTH = 88


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


def width(text: str) -> int:
    """Columns `text` takes in an editor (East Asian wide characters count twice), as black
    measures lines."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


# --------------------------------------------------------------------------- the statement


def statement(text: str, depth: int = 0) -> str:
    """The one-line statement `text`, indented `depth` levels, laid out as black would."""
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
    return "\n".join(str(out) for out in _transform(line))


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


def _short(line: _Line) -> bool:
    text = str(line)
    return "\n" not in text and width(text) <= LINE_LENGTH


def _transform(line: _Line, force: bool = False) -> list[_Line]:
    if not line.explode and not line.magic_trailing_comma and _short(line):
        return [line]
    transforms: list[_Transform]
    if line.is_def:
        transforms = [_left_hand_split]
    elif line.inside:
        transforms = [_delimiter_split, _rhs_with_omits]
    else:
        transforms = [_rhs_with_omits]
    for transform in transforms:
        try:
            return _run(line, transform, force)
        except _CannotSplit:
            continue
    return [line]


_Transform = Callable[["_Line", bool], Iterator["_Line"]]


def _run(line: _Line, transform: _Transform, force_parens: bool = False) -> list[_Line]:
    text = str(line)
    optional = [leaf for leaf in line.leaves if leaf.kind in "()" and leaf.depth == 0]
    optional = [leaf for leaf in optional if leaf.match is not None and not leaf.value]
    was_invisible = bool(optional)
    result: list[_Line] = []
    for piece in transform(line, force_parens):
        if str(piece) == text:
            raise _CannotSplit("unchanged")
        result.extend(_transform(piece, force_parens))
    if (
        force_parens
        or transform is not _rhs_with_omits
        or not was_invisible
        or any(leaf.value for leaf in optional)
        or _short(result[0])
    ):
        return result
    try:  # black's second opinion works on copies: the first result keeps its leaves as they are
        second = _run(_copy(line), transform, force_parens=True)
    except _CannotSplit:
        return result
    return second if all(_short(piece) for piece in second) else result


def _copy(line: _Line) -> _Line:
    copies: dict[int, _Leaf] = {}
    for leaf in line.leaves:
        copy = copies[id(leaf)] = _Leaf(leaf.kind, leaf.value, leaf.prefix)
        copy.trailer, copy.one_item = leaf.trailer, leaf.one_item
    for leaf in line.leaves:
        if leaf.match is not None and id(leaf.match) in copies:
            copies[id(leaf)].match = copies[id(leaf.match)]
    copied = _Line(line.depth, list(copies.values()), inside=line.inside, is_def=line.is_def)
    copied.explode = line.explode
    return copied


def _left_hand_split(line: _Line, _force: bool) -> Iterator[_Line]:
    for kind in ("(", "["):
        head: list[_Leaf] = []
        body: list[_Leaf] = []
        tail: list[_Leaf] = []
        current = head
        opening: _Leaf | None = None
        for leaf in line.leaves:
            if current is body and leaf.closing and leaf.match is opening:
                current = tail if body else head
            current.append(leaf)
            if current is head and leaf.kind == kind and opening is None:
                opening = leaf
                current = body
        if opening is not None and tail:
            break
    if opening is None or not tail:
        raise _CannotSplit("no brackets")
    yield from _bracket_split(line, head, body, tail, opening)


def _bracket_split(
    line: _Line, head: list[_Leaf], body: list[_Leaf], tail: list[_Leaf], opening: _Leaf
) -> Iterator[_Line]:
    head_line = _Line(line.depth, head, inside=line.inside, is_def=line.is_def)
    body_line = _body(line, body, opening)
    tail_line = _Line(line.depth, tail, inside=line.inside, is_def=line.is_def)
    _succeeded_or_raise(body_line, tail_line)
    for piece in (head_line, body_line, tail_line):
        if piece.leaves:
            yield piece


def _body(line: _Line, leaves: list[_Leaf], opening: _Leaf) -> _Line:
    leaves = list(leaves)
    lone = leaves and not any(leaf.value == "," for leaf in leaves)
    if lone and line.is_def and opening.value == "(" and not _in_return_annotation(line, opening):
        leaves.append(_Leaf("op", ",", ""))  # black's trailing comma after a lone parameter
    result = _Line(line.depth + 1, leaves, inside=True, is_def=line.is_def)
    if leaves:
        try:
            trailing = leaves[-1].value == ","
            priority = result.max_priority(exclude_last=trailing)
        except ValueError:
            priority = 0
        if priority == _COMMA and (trailing or not opening.trailer):
            result.explode = True
    return result


def _in_return_annotation(line: _Line, opening: _Leaf) -> bool:
    for leaf in line.leaves:
        if leaf is opening:
            return False
        if leaf.value == "->":
            return True
    return False


def _succeeded_or_raise(body: _Line, tail: _Line) -> None:
    tail_length = len(str(tail).strip())
    if not body.leaves:
        if tail_length == 0:
            raise _CannotSplit("the same line")
        if tail_length < 3:
            raise _CannotSplit("not worth it")


def _first_rhs(line: _Line, omit: set[int]) -> tuple[list[_Leaf], list[_Leaf], list[_Leaf], _Leaf, _Leaf]:
    tail: list[_Leaf] = []
    body: list[_Leaf] = []
    head: list[_Leaf] = []
    current = tail
    opening: _Leaf | None = None
    closing: _Leaf | None = None
    for leaf in reversed(line.leaves):
        if current is body and leaf is opening:
            current = head if body else tail
        current.append(leaf)
        if current is tail and leaf.closing and id(leaf) not in omit:
            opening, closing = leaf.match, leaf
            current = body
    if opening is None or closing is None or not head:
        raise _CannotSplit("no brackets")
    tail.reverse()
    body.reverse()
    head.reverse()
    return head, body, tail, opening, closing


def _rhs_with_omits(line: _Line, force: bool) -> Iterator[_Line]:
    first: list[_Line] | None = None
    prefix_lengths: dict[int, int] = {}
    length = 4 * line.depth
    for index, leaf in enumerate(line.leaves):
        prefix_lengths[id(leaf)] = length
        length += len(leaf.value) if index == 0 else len(leaf.prefix) + len(leaf.value)
    for omit in _trailers_to_omit(line):
        if omit:
            target: _Leaf | None = None
            for leaf in reversed(line.leaves):
                if leaf.closing and id(leaf) not in omit:
                    target = leaf.match
                    break
            if target is not None and target.value and prefix_lengths.get(id(target), 0) > LINE_LENGTH:
                continue
        lines = list(_rhs(line, omit, force))
        if first is None and not omit:
            first = lines
        if _short(lines[0]):
            yield from lines
            return
    yield from first if first is not None else _rhs(line, set(), force)


def _rhs(line: _Line, omit: set[int], force: bool) -> Iterator[_Line]:
    split = _first_rhs(line, omit)
    yield from _maybe_omitting_optional_parens(split, line, omit, force)


def _as_lines(
    line: _Line, split: tuple[list[_Leaf], list[_Leaf], list[_Leaf], _Leaf, _Leaf]
) -> tuple[_Line, _Line, _Line]:
    head, body, tail, opening, _ = split
    return (
        _Line(line.depth, head, inside=line.inside, is_def=line.is_def),
        _body(line, body, opening),
        _Line(line.depth, tail, inside=line.inside, is_def=line.is_def),
    )


def _maybe_omitting_optional_parens(
    split: tuple[list[_Leaf], list[_Leaf], list[_Leaf], _Leaf, _Leaf],
    line: _Line,
    omit: set[int],
    force: bool,
) -> Iterator[_Line]:
    head, body, tail = _as_lines(line, split)
    opening, closing = split[3], split[4]
    if (
        not force
        and opening.kind == "("
        and not opening.value
        and closing.kind == ")"
        and not closing.value
        and _can_omit_invisible_parens(head, body)
    ):
        omit = {id(closing), *omit}
        try:
            oop = _first_rhs(line, omit)
            oop_lines = _as_lines(line, oop)
            if _prefer_oop(oop_lines, head):
                yield from _maybe_omitting_optional_parens(oop, line, omit, force)
                return
        except _CannotSplit as exc:
            if not _can_be_split(body) and not _short(body):
                raise _CannotSplit("still too long") from exc
    opening.value, closing.value = opening.value or "(", closing.value or ")"
    head, body, tail = _as_lines(line, split)
    _succeeded_or_raise(body, tail)
    for piece in (head, body, tail):
        if piece.leaves:
            yield piece


def _can_be_split(line: _Line) -> bool:
    leaves = line.leaves
    if len(leaves) < 2:
        return False
    if leaves[0].kind == "string" and leaves[1].value == ".":
        calls = dots = 0
        following = leaves[-1]
        for leaf in leaves[-2::-1]:
            if leaf.opening:
                if not following.closing:
                    return False
                calls += 1
            elif leaf.value == ".":
                dots += 1
            elif leaf.kind == "name":
                if not (following.value == "." or following.opening):
                    return False
            elif not leaf.closing:
                return False
            if dots > 1 and calls > 1:
                return False
            following = leaf
    return True


def _can_omit_invisible_parens(head: _Line, body: _Line) -> bool:
    if not body.delimiters:
        return True
    priority = body.max_priority()
    if body.priority_count(priority) > 1:
        return False
    if priority == _DOT:
        return True
    first, second = body.leaves[0], body.leaves[1]
    if first.opening and not second.closing and _can_omit_opening(body, first):
        return True
    penultimate, last = body.leaves[-2], body.leaves[-1]
    if last.kind in (")", "}") or (last.kind == "]" and not (last.match and last.match.trailer)):
        if penultimate.opening:
            return False
        if _can_omit_closing(body, last):
            return True
    return False


def _can_omit_opening(line: _Line, first: _Leaf) -> bool:
    remainder = False
    length = 4 * line.depth
    index = -1
    for index, leaf, leaf_length in line.lengths():
        if leaf.closing and leaf.match is first:
            remainder = True
        if remainder:
            length += leaf_length
            if length > LINE_LENGTH:
                return False
            if leaf.opening:
                remainder = False
    return len(line.leaves) == index + 1


def _can_omit_closing(line: _Line, last: _Leaf) -> bool:
    length = 4 * line.depth
    seen_other = False
    for _, leaf, leaf_length in line.lengths():
        length += leaf_length
        if leaf is last.match:
            if seen_other or length <= LINE_LENGTH:
                return True
        elif leaf.opening:
            seen_other = True
    return False


def _prefer_oop(oop: tuple[_Line, _Line, _Line], head: _Line) -> bool:
    """Black's `_prefer_split_rhs_oop_over_rhs` for lines without comments."""
    if not (len(head.leaves) >= 2 and head.leaves[-2].value == "="):
        return True
    if not any(leaf.opening or leaf.closing for leaf in head.leaves[:-1]):
        return True
    if width(str(head)) > LINE_LENGTH - 1:
        return True
    if head.magic_trailing_comma:
        return True
    equals = sum(1 for leaf in head.leaves if leaf.value == "=")
    oop_equals = sum(1 for leaf in oop[0].leaves if leaf.value == "=")
    if equals > 1 and equals > oop_equals:
        return False
    closing_after_assign = False
    for leaf in reversed(oop[0].leaves):
        if leaf.value == "=":
            break
        if leaf.closing:
            closing_after_assign = True
            break
    return closing_after_assign or (oop_equals > 0 and _short(oop[0]))


def _trailers_to_omit(line: _Line) -> Iterator[set[int]]:
    omit: set[int] = set()
    if not line.magic_trailing_comma:
        yield set(omit)
    length = 4 * line.depth
    opening: _Leaf | None = None
    closing: _Leaf | None = None
    inner: set[int] = set()
    leaves = line.leaves
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        length += len(leaf.value) if index == 0 else len(leaf.prefix) + len(leaf.value)
        if length > LINE_LENGTH:
            break
        previous = leaves[index - 1] if index > 0 else None
        if opening is not None:
            if leaf is opening:
                opening = None
            elif leaf.closing:
                if previous is not None and previous.value == "," and not _one_tuple(leaf):
                    break
                inner.add(id(leaf))
        elif leaf.closing:
            if previous is not None and previous.opening:
                inner.add(id(leaf))
                continue
            if closing is not None:
                omit.add(id(closing))
                omit.update(inner)
                inner.clear()
                yield set(omit)
            if previous is not None and previous.value == "," and not _one_tuple(leaf):
                break
            if leaf.value:
                opening, closing = leaf.match, leaf


def _delimiter_split(line: _Line, _force: bool) -> Iterator[_Line]:
    if not line.leaves:
        raise _CannotSplit("empty")
    try:
        priority = line.max_priority(exclude_last=True)
    except ValueError:
        raise _CannotSplit("no delimiters") from None
    if priority == _DOT and line.priority_count(priority) == 1:
        raise _CannotSplit("a single attribute")
    current: list[_Leaf] = []
    for leaf in line.leaves:
        current.append(leaf)
        if line.delimiters.get(id(leaf)) == priority:
            yield _Line(line.depth, current, inside=line.inside, is_def=line.is_def)
            current = []
    if current:
        if priority == _COMMA and current[-1].value != ",":
            current.append(_Leaf("op", ",", ""))
        yield _Line(line.depth, current, inside=line.inside, is_def=line.is_def)


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


def _one_tuple(closing: _Leaf) -> bool:
    """A one-tuple's parentheses (black omits them from a split; other brackets holding a
    trailing comma are exploded)."""
    return closing.kind == ")" and _one_item(closing)
