"""Black's splits of one line that is too long, over the leaves and lines of `layout_lines`:
the left-hand split of a `def`, the right-hand split (trying the trailers it may leave on the
first line, and the optional parentheses it may omit or keep), the delimiter split inside
brackets, and black's second opinion with every optional parenthesis made visible."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .layout_lines import (
    _COMMA,
    _DOT,
    LINE_LENGTH,
    _CannotSplit,
    _Leaf,
    _Line,
    _one_item,
    width,
)


def _short(line: _Line) -> bool:
    text = str(line)
    return "\n" not in text and width(text) <= LINE_LENGTH


def split_line(line: _Line, force: bool = False) -> list[_Line]:
    """`line` as the lines black splits it into (itself when it fits)."""
    if not line.explode and not line.magic_trailing_comma and _short(line):
        return [line]
    splits: list[_Split]
    if line.is_def:
        splits = [_left_hand_split]
    elif line.inside:
        splits = [_delimiter_split, _rhs_with_omits]
    else:
        splits = [_rhs_with_omits]
    for split in splits:
        try:
            return _run(line, split, force)
        except _CannotSplit:
            continue
    return [line]


_Split = Callable[["_Line", bool], Iterator["_Line"]]


def _run(line: _Line, split: _Split, force_parens: bool = False) -> list[_Line]:
    text = str(line)
    optional = [leaf for leaf in line.leaves if leaf.kind in "()" and leaf.depth == 0]
    optional = [leaf for leaf in optional if leaf.match is not None and not leaf.value]
    was_invisible = bool(optional)
    result: list[_Line] = []
    for piece in split(line, force_parens):
        if str(piece) == text:
            raise _CannotSplit("unchanged")
        result.extend(split_line(piece, force_parens))
    if (
        force_parens
        or split is not _rhs_with_omits
        or not was_invisible
        or any(leaf.value for leaf in optional)
        or _short(result[0])
    ):
        return result
    try:  # black's second opinion works on copies: the first result keeps its leaves as they are
        second = _run(_copy(line), split, force_parens=True)
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


def _first_rhs(
    line: _Line, omit: set[int]
) -> tuple[list[_Leaf], list[_Leaf], list[_Leaf], _Leaf, _Leaf]:
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
            if (
                target is not None
                and target.value
                and prefix_lengths.get(id(target), 0) > LINE_LENGTH
            ):
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


def _one_tuple(closing: _Leaf) -> bool:
    """A one-tuple's parentheses (black omits them from a split; other brackets holding a
    trailing comma are exploded)."""
    return closing.kind == ")" and _one_item(closing)
