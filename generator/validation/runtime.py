"""The run-time helpers of compiled validators, and the machinery that copies them.

Every top-level definition between the "run time" banner and the next one is copied, as a
compiled module needs it, into that module (so generated code imports nothing but the standard
library). `_Runtime` reads the source of the modules holding copied code (`runtime/_errors.py`,
this one, and the format checkers, which are read but never imported: importing them would compile
their regular expressions for nothing), and gives back the definitions a set of names needs, with
what they use, in the order of those modules.
"""

from __future__ import annotations

import ast
import math
import numbers
import reprlib
from collections.abc import Collection
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..runtime._errors import ValidationError, ValidationErrorItem

# =========================================================================== run time
# Everything from here to the next banner is copied, as needed, into compiled modules.


_Err = tuple[tuple[Any, ...], str, str]


def _add(r: list[_Err] | None, p: tuple[Any, ...], s: str, m: str) -> list[_Err]:
    if r is None:
        return [(p, s, m)]
    r.append((p, s, m))
    return r


def _sub(r: list[_Err] | None, t: list[_Err], p: tuple[Any, ...], s: str) -> list[_Err]:
    if r is None:
        r = []
    r.extend((p + e[0], s + e[1], e[2]) for e in t)
    return r


def _sub_names(
    r: list[_Err] | None, t: list[_Err], p: tuple[Any, ...], s: str, k: Any
) -> list[_Err]:
    if r is None:
        r = []
    r.extend((p, s + e[1], f"property name {k!r} {e[2]}") for e in t)
    return r


def _fail(r: list[_Err]) -> ValidationError:
    return ValidationError(
        [
            ValidationErrorItem(
                "".join("/" + str(q).replace("~", "~0").replace("/", "~1") for q in p),
                s,
                m,
            )
            for p, s, m in r
        ]
    )


def _tn(x: Any) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, str):
        return "string"
    if isinstance(x, dict):
        return "object"
    if isinstance(x, list):
        return "array"
    if isinstance(x, int):
        return "integer"
    if isinstance(x, numbers.Number):
        return "number"
    return type(x).__name__


def _short(x: Any) -> str:
    return reprlib.repr(x)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _may_be(known: str, types: list[str]) -> bool:
    """Whether a value known to be of JSON type `known` can be of one of `types`."""
    if known in types:
        return True
    return (known == "integer" and "number" in types) or (
        known == "number" and "integer" in types
    )


def _all_str(x: list[Any]) -> bool:
    try:
        "".join(x)
    except TypeError:
        return False
    return True


def _is_num(x: Any) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, (bool, complex))


def _is_int(x: Any) -> bool:
    if not _is_num(x):
        return False
    if isinstance(x, int):
        return True
    return math.isfinite(x) and bool(x == math.floor(x))


def _multiple_of(x: Any, m: Fraction) -> bool:
    if isinstance(x, float):
        if not math.isfinite(x):
            return False
        return (Fraction(repr(x)) / m).denominator == 1
    return (Fraction(x) / m).denominator == 1


def _key(x: Any) -> Any:
    """A hashable stand-in with JSON equality: 1 == 1.0, true != 1, deep for arrays/objects."""
    if type(x) is str:
        return x
    if isinstance(x, bool):
        return (bool, x)
    if isinstance(x, dict):
        return (dict, frozenset((k, _key(v)) for k, v in x.items()))
    if isinstance(x, list):
        return (list, tuple(_key(v) for v in x))
    return x


def _dup(x: list[Any]) -> int:
    """The index of the first item equal to an earlier one, or -1."""
    seen = set()
    for i, v in enumerate(x):
        k = _key(v)
        if k in seen:
            return i
        seen.add(k)
    return -1


# =========================================================================== copying


class _Runtime:
    """Top-level definitions of the run-time modules, by name, with the names each one uses."""

    def __init__(self, files: tuple[Path, ...]) -> None:
        self.order: list[str] = []
        self.sources: dict[str, str] = {}
        # what each name's uses are read from, when asked
        self.nodes: dict[str, ast.stmt] = {}
        self._uses: dict[str, set[str]] = {}
        self.imports: dict[str, tuple[str, str]] = (
            {}
        )  # bound name -> (module, name or "")
        for file in files:
            source = file.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node in ast.parse(source).body:
                self._add(node, lines)

    def uses(self, name: str) -> set[str]:
        """The definitions and imports `name` refers to (read from its syntax tree only when a
        module needs it: most definitions never are)."""
        if name not in self._uses:
            node = self.nodes.get(name)
            found = ast.walk(node) if node else ()
            used = {n.id for n in found if isinstance(n, ast.Name)}
            self._uses[name] = {
                n
                for n in used
                if n != name and (n in self.sources or n in self.imports)
            }
        return self._uses[name]

    def _add(self, node: ast.stmt, lines: list[str]) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.imports[alias.asname or alias.name] = (alias.name, "")
            return
        if isinstance(node, ast.ImportFrom):
            if node.module and node.module != "__future__" and node.level == 0:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)
            return
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names = [node.name]
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            names, start = [node.targets[0].id], node.lineno
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names, start = [node.target.id], node.lineno
        else:
            return
        for name in names:
            self.order.append(name)
            self.sources[name] = "\n".join(lines[start - 1 : node.end_lineno])
            self.nodes[name] = node

    def closure(
        self, roots: Collection[str], exclude: Collection[str] = ()
    ) -> tuple[list[str], list[str]]:
        """Sources of `roots` and of what they use (in their modules' order), and the imports,
        leaving out the names in `exclude` (and what only they use)."""
        seen: set[str] = set(exclude)
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(self.uses(name))
        seen -= set(exclude)
        sources = [self.sources[n] for n in self.order if n in seen]
        plain = sorted(
            {
                self.imports[n][0]
                for n in seen
                if n in self.imports and not self.imports[n][1]
            }
        )
        froms: dict[str, set[str]] = {}
        for n in seen:
            if n in self.imports and self.imports[n][1]:
                froms.setdefault(self.imports[n][0], set()).add(self.imports[n][1])
        imports = [
            "from __future__ import annotations\n",
            *(f"import {m}" for m in plain),
        ]
        imports += [
            f"from {m} import {', '.join(sorted(ns))}"
            for m, ns in sorted(froms.items())
        ]
        return sources, imports


_RUNTIME: list[_Runtime] = []


def _runtime() -> _Runtime:
    # Compiled modules hold the definitions they need in the order of these modules (and of
    # the definitions inside each), so this order is part of the generated output.
    if not _RUNTIME:
        here = Path(__file__).parent
        files = [here.parent / "runtime" / "_errors.py", Path(__file__)]
        files += [here / f"{name}.py" for name in ("formats", "idna", "ecma_regex")]
        _RUNTIME.append(_Runtime(tuple(files)))
    return _RUNTIME[0]
