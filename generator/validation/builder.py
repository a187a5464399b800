"""What the compiler builds generated code with: Python literals for JSON values, conditions
that carry their negation, where the emitted code stands (`_At`), and a function body kept as a
tree of statements so that empty blocks can be pruned and nested `if`s joined when rendered."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..layout import ascii_string, number, statement
from .documents import SchemaError, _Loc


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _lit(value: Any) -> str:
    """Python source for a JSON value, safe for any text (ASCII only, through ascii())."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
        return number(float(value))
    if isinstance(value, str):
        return ascii_string(str(value))
    if isinstance(value, list):
        return "[" + ", ".join(_lit(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_lit(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in value.items()) + "}"
    raise SchemaError(f"not a JSON value: {value!r}")


@dataclass(frozen=True)
class _Cond:
    """A boolean Python expression together with its negation (generated code stays free of
    `not a == b` and friends)."""

    pos: str
    neg: str

    def __invert__(self) -> _Cond:
        return _Cond(self.neg, self.pos)

    @staticmethod
    def all(conds: list[_Cond]) -> _Cond:
        conds = [c for c in conds if c != TRUE]
        if FALSE in conds:
            return FALSE
        if len(conds) <= 1:
            return conds[0] if conds else TRUE
        return _Cond(" and ".join(_paren(c.pos) for c in conds),
                     " or ".join(_paren(c.neg) for c in conds))  # fmt: skip

    @staticmethod
    def any(conds: list[_Cond]) -> _Cond:
        return ~_Cond.all([~c for c in conds])


TRUE = _Cond("True", "False")
FALSE = ~TRUE


def _paren(expr: str) -> str:
    return f"({expr})" if " " in expr else expr


def _type_cond(kind: str, v: str) -> _Cond:
    exact = {"string": "str", "object": "dict", "array": "list"}
    if kind in exact:
        t = exact[kind]
        return _Cond(f"type({v}) is {t} or isinstance({v}, {t})",
                     f"type({v}) is not {t} and not isinstance({v}, {t})")  # fmt: skip
    if kind == "null":
        return _Cond(f"{v} is None", f"{v} is not None")
    if kind == "boolean":
        return _Cond(f"type({v}) is bool", f"type({v}) is not bool")
    if kind == "integer":
        return _Cond(
            f"type({v}) is int or _is_int({v})", f"type({v}) is not int and not _is_int({v})"
        )
    return _Cond(f"type({v}) is float or type({v}) is int or _is_num({v})",
                 f"type({v}) is not float and type({v}) is not int and not _is_num({v})")  # fmt: skip


@dataclass(frozen=True)
class _At:
    """Where emitted code stands: the variable holding the instance, its path (source
    expressions, relative to the function's instance), the schema pointer (relative to the
    function's schema) and the schema's location in the documents."""

    var: str
    path: tuple[str, ...]
    spath: str
    loc: _Loc

    def down(self, *parts: Any, var: str = "", part: str = "") -> _At:
        """Into a subschema at `parts` (keywords, names, indexes), optionally into a child
        instance held in `var` whose path part is the source expression `part`."""
        spath = self.spath + "".join("/" + _escape(p) for p in parts)
        loc = (self.loc[0], (*self.loc[1], *parts))
        return _At(var or self.var, (*self.path, part) if part else self.path, spath, loc)

    def path_source(self, part: str = "") -> str:
        path = (*self.path, part) if part else self.path
        return f"({path[0]},)" if len(path) == 1 else "(" + ", ".join(path) + ")"


class _Node:
    """A generated statement; `body` is None for a simple one, else it heads a block."""

    __slots__ = ("body", "head")

    def __init__(self, head: str, body: list[_Node] | None) -> None:
        self.head = head
        self.body = body


class _Body:
    """The statements of one generated function, as a tree (so that it can be tidied)."""

    def __init__(self) -> None:
        self.root: list[_Node] = []
        self.stack = [self.root]
        self.count = 0

    def line(self, text: str) -> None:
        self.stack[-1].append(_Node(text, None))

    @contextmanager
    def block(self, head: str) -> Iterator[_Node]:
        body: list[_Node] = []
        node = _Node(head, body)
        self.stack[-1].append(node)
        self.stack.append(body)
        try:
            yield node
        finally:
            self.stack.pop()

    @contextmanager
    def into(self, node: _Node) -> Iterator[None]:
        assert node.body is not None
        self.stack.append(node.body)
        try:
            yield
        finally:
            self.stack.pop()

    def var(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    @staticmethod
    def prune(nodes: list[_Node]) -> list[_Node]:
        """Drop blocks left empty."""
        kept: list[_Node] = []
        for node in nodes:
            if node.body is not None:
                node.body = _Body.prune(node.body)
                if not node.body:
                    continue
            if node.head == "else:" and (not kept or kept[-1].body is None):
                raise AssertionError("an else: lost its block")
            kept.append(node)
        return kept

    def render(self, nodes: list[_Node] | None = None, depth: int = 1) -> list[str]:
        out: list[str] = []
        nodes = self.prune(self.root) if nodes is None else nodes
        for i, node in enumerate(nodes):
            if node.body is None:
                out.append(statement(node.head, depth))
                continue
            head, body = node.head, node.body
            followed = i + 1 < len(nodes) and nodes[i + 1].head == "else:"
            # `if a:` holding only `if b:` becomes `if a and b:`.
            while (head.startswith("if ") and not followed and len(body) == 1
                   and body[0].body and body[0].head.startswith("if ")):  # fmt: skip
                head = f"if {_paren(head[3:-1])} and {_paren(body[0].head[3:-1])}:"
                body = body[0].body
            out.append(statement(head, depth))
            out += self.render(body, depth + 1)
        return out


@dataclass(frozen=True)
class _Ctx:
    """What a `generate_<keyword>` method works on."""

    body: _Body
    schema: dict[str, Any]
    at: _At
    known: str | None  # the instance's JSON type when the code is inside a type check

    @property
    def v(self) -> str:
        return self.at.var
