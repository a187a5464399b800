"""The statements `layout` breaks, as black sees them: leaves (tokens, brackets matched, the
optional parentheses black adds) and lines with their delimiters and black's priorities."""

from __future__ import annotations

import io
import re
import tokenize
import unicodedata
from collections.abc import Iterator

LINE_LENGTH = 88
_COMMA, _TERNARY, _LOGIC, _STRING, _COMPARATOR, _DOT = 18, 16, 14, 12, 10, 1
_COMPREHENSION = 20
_MATH = {"|": 9, "^": 8, "&": 7, "<<": 6, ">>": 6, "+": 5, "-": 5, "*": 4, "/": 4, "//": 4}
_MATH |= {"%": 4, "@": 4, "~": 3, "**": 2}
_COMPARATORS = {"<", ">", "==", "!=", "<=", ">=", "<>"}
_OPENING = {"(": ")", "[": "]", "{": "}"}
_CLOSING = {")", "]", "}"}
_AUGMENTED = {"+=", "-=", "*=", "/=", "//=", "%=", "|=", "&=", "^=", "**=", ">>=", "<<=", "@="}
_KEYWORDS = {"and", "or", "not", "in", "is", "if", "else", "for", "return", "lambda", "await"}
_KEYWORDS |= {"yield", "del", "assert", "elif", "while", "with", "as", "from", "import", "raise"}


class _CannotSplit(Exception):
    pass


class _Leaf:
    __slots__ = (
        "closing",
        "depth",
        "kind",
        "match",
        "one_item",
        "opening",
        "prefix",
        "trailer",
        "value",
    )

    def __init__(self, kind: str, value: str, prefix: str) -> None:
        self.kind = kind  # "(", ")", "[", ... for brackets, else "name", "op", "string", ...
        self.value = value  # "" for an invisible parenthesis
        self.prefix = prefix
        self.depth = 0
        self.match: _Leaf | None = None  # the other bracket of a pair
        self.trailer = False  # an opening bracket right after a name or a closing bracket
        self.one_item = False  # brackets holding one element and a trailing comma
        # plain attributes, not properties: read millions of times when a module is laid out
        self.opening = kind in _OPENING
        self.closing = kind in _CLOSING


class _Line:
    def __init__(self, depth: int, leaves: list[_Leaf], *, inside: bool, is_def: bool) -> None:
        self.depth = depth
        self.leaves = leaves
        self.inside = inside
        # black's `Line.is_def`: the line itself starts a `def` (its bracket contents do not)
        self.is_def = is_def and _starts_def(leaves)
        self.explode = False  # black's should_split_rhs
        self.delimiters: dict[int, int] = {}
        self._mark()

    def _mark(self) -> None:
        depth = 0
        previous: _Leaf | None = None
        loop_target = False
        for leaf in self.leaves:
            if leaf.closing:
                depth -= 1
            if depth == 0 and leaf.kind == "name" and leaf.value == "in" and loop_target:
                loop_target = False  # the `in` of a `for`: no delimiter
                leaf.depth = 0
                previous = leaf
                continue
            leaf.depth = depth + (1 if loop_target else 0)
            if depth == 0 and not loop_target:
                if leaf.value == "," and leaf.kind == "op":
                    self.delimiters[id(leaf)] = _COMMA
                before = _split_before(leaf, previous, self.leaves)
                if before and previous is not None:
                    self.delimiters[id(previous)] = max(
                        before, self.delimiters.get(id(previous), 0)
                    )
            if leaf.opening:
                depth += 1
            if depth == 0 and leaf.kind == "name" and leaf.value == "for":
                loop_target = True
            previous = leaf

    def __str__(self) -> str:
        if not self.leaves:
            return ""
        first = self.leaves[0]
        return (
            "    " * self.depth
            + first.value
            + "".join(leaf.prefix + leaf.value for leaf in self.leaves[1:])
        )

    def lengths(self) -> Iterator[tuple[int, _Leaf, int]]:
        for index, leaf in enumerate(self.leaves):
            yield index, leaf, (len(leaf.value) if index == 0 else len(leaf.prefix + leaf.value))

    def max_priority(self, exclude_last: bool = False) -> int:
        leaves = self.leaves[:-1] if exclude_last else self.leaves
        values = [self.delimiters[id(leaf)] for leaf in leaves if id(leaf) in self.delimiters]
        if not values:
            raise ValueError("no delimiters")
        return max(values)

    def priority_count(self, priority: int) -> int:
        return sum(1 for p in self.delimiters.values() if p == priority)

    @property
    def magic_trailing_comma(self) -> bool:
        for index, leaf in enumerate(self.leaves):
            if not leaf.closing or index == 0 or self.leaves[index - 1].value != ",":
                continue
            if leaf.kind == "}":
                return True
            if leaf.kind == "]" and not (leaf.match and leaf.match.trailer and _one_item(leaf)):
                return True
            if leaf.kind == ")" and not _one_item(leaf):
                return True
        return False


def _starts_def(leaves: list[_Leaf]) -> bool:
    if not leaves:
        return False
    if leaves[0].value == "def":
        return True
    return leaves[0].value == "async" and len(leaves) > 1 and leaves[1].value == "def"


def _one_item(closing: _Leaf) -> bool:
    """Whether the brackets hold one element and its trailing comma (a one-tuple)."""
    return closing.match is not None and closing.match.one_item


def _split_before(leaf: _Leaf, previous: _Leaf | None, leaves: list[_Leaf]) -> int:
    if leaf.kind == "op":
        if leaf.value == "." and (previous is None or previous.closing):
            return _DOT
        if leaf.value in _MATH and not _unary(previous):
            return _MATH[leaf.value]
        if leaf.value in _COMPARATORS:
            return _COMPARATOR
        return 0
    if leaf.kind == "string" and previous is not None and previous.kind == "string":
        return _STRING
    if leaf.kind != "name":
        return 0
    word = leaf.value
    if word == "for":
        return _COMPREHENSION
    if word == "if":
        return _COMPREHENSION if _after_for(leaf, leaves) else _TERNARY
    if word == "else":
        return _TERNARY
    if word == "is":
        return _COMPARATOR
    if word == "in" and not (previous is not None and previous.value == "not"):
        return _COMPARATOR
    if word == "not" and _next_is_in(leaf, leaves):
        return _COMPARATOR if not (previous is not None and previous.value == "is") else 0
    if word in ("and", "or"):
        return _LOGIC
    return 0


def _unary(previous: _Leaf | None) -> bool:
    if previous is None or previous.opening:
        return True
    if previous.kind == "op":
        return previous.value not in _CLOSING
    return previous.kind == "name" and previous.value in _KEYWORDS


def _after_for(leaf: _Leaf, leaves: list[_Leaf]) -> bool:
    index = leaves.index(leaf)
    depth = 0
    for other in reversed(leaves[:index]):
        if other.closing:
            depth += 1
        elif other.opening:
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and other.kind == "name" and other.value == "for":
            return True
    return False


def _next_is_in(leaf: _Leaf, leaves: list[_Leaf]) -> bool:
    index = leaves.index(leaf)
    return index + 1 < len(leaves) and leaves[index + 1].value == "in"


# The standard library's own token patterns, matched in a loop: four times faster than
# `tokenize.generate_tokens` on the short statements laid out here.
_PSEUDO_TOKEN = re.compile(tokenize.PseudoToken)
_OPERATORS = frozenset(tokenize.EXACT_TOKEN_TYPES)
_STRING_STARTS = frozenset(tokenize.single_quoted)
_DIGITS = frozenset("0123456789")


def _lexed(text: str) -> list[tuple[str, str, str]] | None:
    """(kind, token, the text before it) of each token of a one-line statement; None for what
    only `tokenize` itself may judge (a comment, a triple-quoted or unterminated string, a line
    break, a character that starts no token)."""
    if text[:1].isspace():  # indented: not one statement
        return None
    out: list[tuple[str, str, str]] = []
    position = end = 0
    while True:
        found = _PSEUDO_TOKEN.match(text, position)
        if found is None:
            return None
        start, position = found.span(1)
        if start == position:  # `\Z`: only blanks were left
            return out if position == len(text) else None
        token = text[start:position]
        initial = token[0]
        if initial in _DIGITS or (initial == "." and token not in (".", "...")):
            kind = "number"
        elif initial in _STRING_STARTS or token[:2] in _STRING_STARTS or token[:3] in _STRING_STARTS:
            if token[-1] in "\r\n" or token in tokenize.triple_quoted:
                return None
            kind = "string"
        elif initial.isidentifier():
            kind = "name"
        elif token in _OPERATORS:
            kind = token if token in _OPENING or token in _CLOSING else "op"
        else:
            return None
        out.append((kind, token, text[end:start]))
        end = position


def _tokenized(text: str) -> list[tuple[str, str, str]]:
    """`_lexed`, by `tokenize` itself."""
    out: list[tuple[str, str, str]] = []
    end = 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
            continue
        if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT):
            raise ValueError(f"not one statement: {text!r}")
        prefix = text[end : token.start[1]]
        end = token.end[1]
        if token.type == tokenize.NAME:
            kind = "name"
        elif token.type == tokenize.STRING:
            kind = "string"
        elif token.type == tokenize.NUMBER:
            kind = "number"
        elif token.string in _OPENING or token.string in _CLOSING:
            kind = token.string
        else:
            kind = "op"
        out.append((kind, token.string, prefix))
    return out


def _tokens(text: str) -> list[_Leaf]:
    leaves: list[_Leaf] = []
    stack: list[list[int]] = []  # per open bracket: [index, top-level commas]
    lexed = _lexed(text)
    for kind, value, prefix in _tokenized(text) if lexed is None else lexed:
        leaf = _Leaf(kind, value, prefix)
        if leaf.opening:
            before = leaves[-1] if leaves else None
            leaf.trailer = before is not None and (
                before.closing
                or before.kind == "string"
                or (before.kind == "name" and before.value not in _KEYWORDS)
            )
            stack.append([len(leaves), 0])
        elif leaf.closing:
            index, commas = stack.pop()
            opening = leaves[index]
            opening.match, leaf.match = leaf, opening
            opening.one_item = commas == 1 and leaves[-1].value == ","
        elif stack and leaf.value == ",":
            stack[-1][1] += 1
        leaves.append(leaf)
    return leaves


def _top_level(leaves: list[_Leaf]) -> list[_Leaf]:
    out: list[_Leaf] = []
    depth = 0
    for leaf in leaves:
        if leaf.closing:
            depth -= 1
        if depth == 0:
            out.append(leaf)
        if leaf.opening:
            depth += 1
    return out


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
