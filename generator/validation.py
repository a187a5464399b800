"""JSON Schema draft-07 → straight-line Python validators.

The compiler turns a schema into the source of a Python module: one private function per schema
that must be callable on its own (each definition, each `$ref` target, each branch of
`anyOf`/`oneOf`/`not`/`if`/`contains`), with every other keyword inlined as plain `if`
statements. Functions call each other by name, so references and cycles just work.

A private function is `_vN(x, a) -> list[_Err] | None`: `x` is the instance, `a` asks for all
errors instead of the first. A valid instance returns `None` having allocated nothing: no path
is built until something fails. Errors are `(path parts, schema pointer, message)` relative to
the function's instance and schema; a caller that gets some back prefixes them with its own
location (`_sub`). The public `validate_…(instance, *, all_errors=False)` raises
`ValidationError`.

Two flavours: `Draft07Compiler` is plain draft-07; `AsyncApiCompiler` adds what AsyncAPI and
OpenAPI schema objects use (`nullable: true` also allows null, formats `byte` and `binary`).
Unknown keywords, `discriminator`, `deprecated`, `readOnly`, `writeOnly`, `example(s)`… are
annotations. Run-time helpers below and in `validation_formats.py` are copied into each
compiled module, so generated code imports nothing but the standard library.
"""

from __future__ import annotations

import ast
import inspect
import keyword
import math
import numbers
import re
import reprlib
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from types import ModuleType
from typing import Any, ClassVar
from urllib.parse import unquote, urljoin

from . import validation_formats
from .runtime import _errors
from .runtime._errors import ValidationError, ValidationErrorItem

__all__ = [
    "AsyncApiCompiler",
    "CompiledValidator",
    "Draft07Compiler",
    "SchemaError",
    "ValidationError",
    "ValidationErrorItem",
    "compile_module",
    "compile_source",
    "compile_validator",
]

# =========================================================================== run time
# Everything from here to the compiler is copied, as needed, into compiled modules.


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
                "".join("/" + str(q).replace("~", "~0").replace("/", "~1") for q in p), s, m
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
    return (known == "integer" and "number" in types) or (known == "number" and "integer" in types)


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


# =========================================================================== compiler


class SchemaError(ValueError):
    """The schema cannot be compiled (malformed, or a reference that cannot be resolved)."""


_Loc = tuple[int, tuple[Any, ...]]  # (document number, path inside the document)

# Keywords whose values are schemas (or arrays/maps of schemas), for indexing `$id`s.
_SUBSCHEMA = ("additionalItems", "additionalProperties", "contains", "propertyNames", "not")
_SUBSCHEMA_ONE = ("if", "then", "else", "items", *_SUBSCHEMA)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "definitions", "dependencies")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_KNOWN_DOCUMENTS = ("http://json-schema.org/draft-07/schema",)

# Which instance type each type-specific keyword applies to; the rest apply to any instance.
_GROUPS = {
    "string": ("minLength", "maxLength", "pattern", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "array": ("minItems", "maxItems", "uniqueItems", "items", "additionalItems", "contains"),
    "object": ("required", "minProperties", "maxProperties", "properties", "patternProperties",
               "additionalProperties", "propertyNames", "dependencies"),
}  # fmt: skip
_GENERIC = ("const", "enum", "allOf", "anyOf", "oneOf", "not", "if")
ASSERTIONS = frozenset(("type", "$ref", *_GENERIC, *(k for g in _GROUPS.values() for k in g)))
_GROUP_OF_TYPE = {"string": "string", "number": "number", "integer": "number", "array": "array",
                  "object": "object"}  # fmt: skip


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
        return repr(float(value))
    if isinstance(value, str):
        return ascii(str(value))
    if isinstance(value, list):
        return "[" + ", ".join(_lit(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_lit(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in value.items()) + "}"
    raise SchemaError(f"not a JSON value: {value!r}")


def _plain(value: Any) -> Any:
    """A copy made of dict/list/str/int/float/bool/None only (YAML loaders give subclasses)."""
    if value is None or isinstance(value, bool):
        return value if value is None else bool(value)
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):  # YAML timestamps
        return str(value.isoformat())
    raise SchemaError(f"not a JSON value: {value!r}")


def _join(base: str, ref: str) -> str:
    if _SCHEME_RE.match(ref):
        return ref
    if ref.startswith("#"):
        return base.partition("#")[0] + ref
    return urljoin(base, ref) if base else ref


def _known_document(uri: str) -> Any:
    if uri not in _KNOWN_DOCUMENTS:
        return None
    try:
        import jsonschema_specifications  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - installed with jsonschema
        return None
    return _plain(jsonschema_specifications.REGISTRY.contents(uri))


class _Documents:
    """Schema documents, their `$id`s and anchors, and the base URI at every subschema."""

    def __init__(self, root: Any, base: str) -> None:
        self.docs: list[Any] = []
        self.ids: dict[str, _Loc] = {}
        self.bases: dict[_Loc, str] = {}
        self.add(root, base)

    def add(self, doc: Any, base: str) -> None:
        number = len(self.docs)
        self.docs.append(doc)
        base = base.partition("#")[0]
        self.ids.setdefault(base, (number, ()))
        self._walk(doc, (number, ()), base)

    def _walk(self, node: Any, loc: _Loc, base: str) -> None:
        if isinstance(node, bool):
            self.bases[loc] = base
        if not isinstance(node, dict):
            return
        if "$ref" not in node and isinstance(node.get("$id"), str):  # $ref hides its siblings
            uri, _, fragment = _join(base, node["$id"]).partition("#")
            if uri != base or not fragment:
                base = uri
                self.ids.setdefault(uri, loc)
            if fragment:
                self.ids.setdefault(f"{uri}#{fragment}", loc)
        self.bases[loc] = base
        number, path = loc
        for key, value in node.items():
            if key in _SUBSCHEMA_ONE and not isinstance(value, list):
                self._walk(value, (number, (*path, key)), base)
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                for i, item in enumerate(value):
                    self._walk(item, (number, (*path, key, i)), base)
            elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                for name, item in value.items():
                    self._walk(item, (number, (*path, key, name)), base)

    def node(self, loc: _Loc) -> Any:
        node = self.docs[loc[0]]
        for part in loc[1]:
            node = node[part]
        return node

    def base(self, loc: _Loc) -> str:
        number, path = loc
        for end in range(len(path), -1, -1):
            if (number, path[:end]) in self.bases:
                return self.bases[(number, path[:end])]
        return ""

    def resolve(self, ref: Any, loc: _Loc) -> _Loc:
        """The location `ref`, written in the schema at `loc`, points to."""
        if not isinstance(ref, str):
            raise SchemaError(f"$ref must be a string, got {ref!r}")
        uri, _, fragment = _join(self.base(loc), ref).partition("#")
        if uri not in self.ids:
            document = _known_document(uri)
            if document is None:
                raise SchemaError(
                    f"cannot resolve $ref {ref!r}: only references inside the document (and to "
                    "the draft-07 meta-schema) are supported"
                )
            self.add(document, uri)
        if not fragment.startswith("/"):
            key = f"{uri}#{fragment}" if fragment else uri
            if key not in self.ids:
                raise SchemaError(f"cannot resolve $ref {ref!r}: no such anchor")
            return self.ids[key]
        number, path = self.ids[uri]
        node = self.node((number, path))
        for raw in unquote(fragment)[1:].split("/"):
            part: Any = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                part = int(part)
            elif not isinstance(node, dict) or part not in node:
                raise SchemaError(f"cannot resolve $ref {ref!r}: nothing at {part!r}")
            node = node[part]
            path = (*path, part)
        return (number, path)


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


_TYPES = ("null", "boolean", "string", "object", "array", "number", "integer")


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
            indent = "    " * depth
            if node.body is None:
                out.append(indent + node.head)
                continue
            head, body = node.head, node.body
            followed = i + 1 < len(nodes) and nodes[i + 1].head == "else:"
            # `if a:` holding only `if b:` becomes `if a and b:`.
            while (head.startswith("if ") and not followed and len(body) == 1
                   and body[0].body and body[0].head.startswith("if ")):  # fmt: skip
                head = f"if {_paren(head[3:-1])} and {_paren(body[0].head[3:-1])}:"
                body = body[0].body
            out.append(indent + head)
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


class _Runtime:
    """Top-level definitions of the run-time modules, by name, with the names each one uses."""

    def __init__(self, modules: tuple[ModuleType, ...]) -> None:
        self.order: list[str] = []
        self.sources: dict[str, str] = {}
        self.uses: dict[str, set[str]] = {}
        self.imports: dict[str, tuple[str, str]] = {}  # bound name -> (module, name or "")
        for module in modules:
            source = inspect.getsource(module)
            lines = source.splitlines()
            for node in ast.parse(source).body:
                self._add(node, lines)
        for name, used in self.uses.items():
            used &= set(self.sources) | set(self.imports)
            used.discard(name)

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
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        for name in names:
            self.order.append(name)
            self.sources[name] = "\n".join(lines[start - 1 : node.end_lineno])
            self.uses[name] = set(used)

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
                stack.extend(self.uses.get(name, ()))
        seen -= set(exclude)
        sources = [self.sources[n] for n in self.order if n in seen]
        plain = sorted(
            {self.imports[n][0] for n in seen if n in self.imports and not self.imports[n][1]}
        )
        froms: dict[str, set[str]] = {}
        for n in seen:
            if n in self.imports and self.imports[n][1]:
                froms.setdefault(self.imports[n][0], set()).add(self.imports[n][1])
        imports = ["from __future__ import annotations\n", *(f"import {m}" for m in plain)]
        imports += [f"from {m} import {', '.join(sorted(ns))}" for m, ns in sorted(froms.items())]
        return sources, imports


_RUNTIME: list[_Runtime] = []


def _runtime() -> _Runtime:
    if not _RUNTIME:
        _RUNTIME.append(_Runtime((_errors, sys.modules[__name__], validation_formats)))
    return _RUNTIME[0]


def _sort_all(names: list[str]) -> list[str]:
    """`__all__` in the order linters expect: CONSTANTS, then Classes, then the rest."""

    def kind(name: str) -> int:
        if name.isupper() and len(name) > 1:
            return 0
        return 1 if name[:1].isupper() else 2

    return sorted(names, key=lambda n: (kind(n), n))


class Draft07Compiler:
    """JSON Schema draft-07: one `generate_<keyword>` method per keyword (applied to the
    instance types the keyword is about; callers do the type checks)."""

    FORMATS: ClassVar[Mapping[str, str]] = {
        k: v
        for k, v in validation_formats.FORMAT_CHECKERS.items()
        if k not in ("byte", validation_formats.DEFERRED_BYTE)
    }

    def __init__(self, document: Any, *, base_uri: str = "", formats: _Formats = True) -> None:
        self.documents = _Documents(_plain(document), base_uri)
        wanted = formats if not isinstance(formats, bool) else self.FORMATS if formats else ()
        self.formats = {k: v for k, v in self.FORMATS.items() if k in wanted}
        self.functions: dict[_Loc, str] = {}
        self.pending: list[_Loc] = []
        self.constants: dict[str, str] = {}  # source -> name
        self.tables: dict[str, str] = {}  # source -> name, emitted after the functions
        self.helpers: set[str] = {"_fail", "_Err", "Any"}
        self.blocks: list[str] = []

    # ------------------------------------------------------------------ module

    def module(
        self,
        entries: Mapping[str, _Loc],
        *,
        standalone: bool = True,
        package: bool = False,
        private: Collection[str] = (),
    ) -> str:
        """The source of a module with a public function per entry (name -> location); the
        names in `private` may start with `_` and stay out of `__all__`. A standalone module
        defines the error classes itself; a `package` module imports them from the package's
        copy of `runtime/_errors.py`; otherwise the caller provides them."""
        for name in entries:
            if not (name.isidentifier() and name.isascii() and not keyword.iskeyword(name)):
                raise ValueError(f"not a valid function name: {name!r}")
            runtime = _runtime()
            reserved = name.startswith("_") and name not in private
            if reserved or name in runtime.sources or name in runtime.imports:
                raise ValueError(f"reserved function name: {name!r}")
        public = []
        for name, loc in entries.items():
            target = self.function(loc, name.removeprefix("validate_"))
            public.append(
                f"def {name}(instance: Any, *, all_errors: bool = False) -> None:\n"
                f"    r = {target}(instance, all_errors)\n"
                "    if r is not None:\n"
                "        raise _fail(r)\n"
            )
        while self.pending:
            self.blocks.append(self._function(self.pending.pop(0)))
        roots = set(self.helpers)
        if any(c.startswith("re.compile(") for c in self.constants):
            roots.add("re")
        if any(c.startswith("Fraction(") for c in self.constants):
            roots.add("Fraction")
        classes = ("ValidationError", "ValidationErrorItem")
        own = standalone and not package
        sources, imports = _runtime().closure(roots | set(classes), () if own else classes)
        if package:
            imports.append(f"\nfrom ._errors import {', '.join(classes)}")
        exported = _sort_all(
            ["ValidationError", "ValidationErrorItem", *(e for e in entries if e not in private)]
        )
        parts = ["\n".join(imports), "__all__ = [" + ", ".join(_lit(n) for n in exported) + "]"]
        parts += list(dict.fromkeys(sources))
        parts += [f"{name} = {source}" for source, name in self.constants.items()]
        parts += self.blocks
        parts += [f"{name} = {source}" for source, name in self.tables.items()]
        parts += public
        return "\n\n\n".join(p.rstrip("\n") for p in parts) + "\n"

    def function(self, loc: _Loc, hint: str = "") -> str:
        """The name of the private function for the schema at `loc` (compiled once)."""
        if loc not in self.functions:
            if not hint and loc[1][:1] == ("definitions",) and len(loc[1]) == 2:
                hint = str(loc[1][1])
            hint = re.sub(r"[^0-9A-Za-z_]", "_", hint)[:40]
            self.functions[loc] = f"_v{len(self.functions)}" + (f"_{hint}" if hint else "")
            self.pending.append(loc)
        return self.functions[loc]

    def constant(self, source: str, prefix: str = "_C") -> str:
        if source not in self.constants:
            self.constants[source] = f"{prefix}{len(self.constants)}"
        return self.constants[source]

    def _function(self, loc: _Loc) -> str:
        body = _Body()
        self.schema(body, self.documents.node(loc), _At("x", (), "", loc))
        lines = [
            f"def {self.functions[loc]}(x: Any, a: bool) -> list[_Err] | None:",
            "    r: list[_Err] | None = None",
            *body.render(),
            "    return r",
        ]
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ emitting

    def fail(self, c: _Ctx, keyword: str, message: str, part: str = "") -> None:
        """Record an error: `keyword` is the schema pointer suffix (escaped), `message` a
        Python expression, `part` a path part (source) below the instance."""
        spath = c.at.spath + ("/" + keyword if keyword else "")
        c.body.line(f"r = _add(r, {c.at.path_source(part)}, {_lit(spath)}, {message})")
        self.helpers.add("_add")
        with c.body.block("if not a:"):
            c.body.line("return r")

    def failing(self, c: _Ctx, cond: _Cond, keyword: str, message: str, part: str = "") -> None:
        """Record an error when `cond` (the failure) holds."""
        if cond == FALSE:
            return
        if cond == TRUE:
            self.fail(c, keyword, message, part)
            return
        with c.body.block(f"if {cond.pos}:"):
            self.fail(c, keyword, message, part)

    def merge(self, c: _Ctx, errors: str, spath: str, extra: str = "") -> None:
        """Add the errors in variable `errors` (from a function called on the instance)."""
        with c.body.block(f"if {errors} is not None:"):
            if extra:
                c.body.line(f"r = _sub_names(r, {errors}, {c.at.path_source()}, {spath}, {extra})")
                self.helpers.add("_sub_names")
            else:
                c.body.line(f"r = _sub(r, {errors}, {c.at.path_source()}, {spath})")
                self.helpers.add("_sub")
            with c.body.block("if not a:"):
                c.body.line("return r")

    def nullable(self, schema: dict[str, Any]) -> bool:
        """Whether null is allowed on top of what the schema says (never, in draft-07)."""
        return False

    def asserts(self, schema: dict[str, Any], key: str) -> bool:
        """Whether `key` in `schema` is a keyword that can fail (not an annotation)."""
        if key == "format":
            return isinstance(schema[key], str) and schema[key] in self.formats
        return key in ASSERTIONS

    def is_trivial(self, schema: Any) -> bool:
        """True when the schema accepts everything."""
        if schema is True:
            return True
        if not isinstance(schema, dict) or "$ref" in schema:
            return False
        return not any(self.asserts(schema, k) for k in schema)

    def types(self, schema: dict[str, Any]) -> list[str]:
        types = schema["type"]
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list) or not all(t in _TYPES for t in types) or not types:
            raise SchemaError(f"invalid type: {schema['type']!r}")
        return list(dict.fromkeys(types))

    def type_cond(self, types: list[str], v: str) -> _Cond:
        self.helpers |= {"_is_int"} if "integer" in types else set()
        self.helpers |= {"_is_num"} if "number" in types else set()
        return _Cond.any([_type_cond(t, v) for t in types])

    def equals(self, value: Any, v: str, known: str | None = None) -> _Cond:
        """The instance equals `value` (JSON equality)."""
        if known is not None and not _may_be(known, [_json_type(value)]):
            return FALSE  # a value known to be of another type (and a test type checkers reject)
        if value is None or isinstance(value, bool):
            return _Cond(f"{v} is {value}", f"{v} is not {value}")
        if isinstance(value, str):
            return _Cond(f"{v} == {_lit(value)}", f"{v} != {_lit(value)}")
        if isinstance(value, (int, float)):
            return _Cond(f"type({v}) is not bool and {v} == {_lit(value)}",
                         f"type({v}) is bool or {v} != {_lit(value)}")  # fmt: skip
        self.helpers.add("_key")
        name = self.constant(f"_key({_lit(value)})")
        return _Cond(f"_key({v}) == {name}", f"_key({v}) != {name}")

    def member(self, values: list[Any], v: str, known: str | None) -> _Cond:
        """The instance is one of `values` (JSON equality)."""
        if known is not None:
            values = [x for x in values if _may_be(known, [_json_type(x)])]
            if not values:
                return FALSE
        if known == "string" or all(isinstance(x, str) for x in values):
            strings = tuple(x for x in values if isinstance(x, str))
            if not strings:
                return FALSE
            name = self.constant(f"frozenset({_lit(strings)})")
            inside = _Cond(f"{v} in {name}", f"{v} not in {name}")
            return inside if known == "string" else _Cond.all([_type_cond("string", v), inside])
        self.helpers.add("_key")
        name = self.constant(f"frozenset(_key(v) for v in {_lit(values)})")
        return _Cond(f"_key({v}) in {name}", f"_key({v}) not in {name}")

    def valid(self, schema: Any, at: _At) -> _Cond:
        """Whether the value in `at.var` is valid against `schema` (a subschema at `at.loc`)."""
        loc = at.loc
        if isinstance(schema, dict) and "$ref" in schema:
            loc = self.documents.resolve(schema["$ref"], loc)
            schema = self.documents.node(loc)
        if self.is_trivial(schema):
            return TRUE
        if schema is False:
            return FALSE
        if not isinstance(schema, dict):
            raise SchemaError(f"not a schema at {at.spath or '/'}: {schema!r}")
        keys = {k for k in schema if self.asserts(schema, k)}
        if keys <= {"type", "const", "enum"} and "$ref" not in keys and not self.nullable(schema):
            conds = [self.type_cond(self.types(schema), at.var)] if "type" in keys else []
            if "const" in keys:
                conds.append(self.equals(schema["const"], at.var))
            if "enum" in keys:
                conds.append(self.member(self.array(schema, "enum", at), at.var, None))
            return _Cond.all(conds)
        call = f"{self.function(loc)}({at.var}, False)"
        return _Cond(f"{call} is None", f"{call} is not None")

    def regex(self, pattern: Any) -> str:
        if not isinstance(pattern, str):
            raise SchemaError(f"pattern is not a string: {pattern!r}")
        try:
            translated = validation_formats._ecma_regex_to_python(pattern)
            re.compile(translated)
        except (ValueError, re.error, RecursionError) as exc:
            raise SchemaError(f"cannot compile pattern {pattern!r}: {exc}") from None
        return self.constant(f"re.compile({_lit(translated)})", "_R")

    # ------------------------------------------------------------------ schemas

    def schema(self, body: _Body, schema: Any, at: _At, known: str | None = None) -> None:
        """Emit the checks of `schema` on the value in `at.var`."""
        if schema is True:
            return
        c = _Ctx(body, schema if isinstance(schema, dict) else {}, at, known)
        if schema is False:
            self.fail(c, "", _lit("no value is allowed here"))
        elif not isinstance(schema, dict):
            raise SchemaError(f"not a schema at {at.spath or '/'}: {schema!r}")
        elif "$ref" in schema:
            self.generate_ref(c)
        else:
            self.keywords(c)

    def keywords(self, c: _Ctx) -> None:
        present = [k for k in c.schema if self.asserts(c.schema, k)]
        types = self.types(c.schema) if "type" in c.schema else None
        if (
            types
            and c.known
            and (types == [c.known] or (c.known == "integer" and types == ["number"]))
        ):
            types = None
        if types and c.known and not _may_be(c.known, types):
            # Inside a check that the value is `known`, a type it cannot be always fails: say
            # so directly (a second type test there is dead code that type checkers reject).
            self.type_error(c, types)
            self.group(c, "", present)
            return
        if types is not None and len(types) == 1:
            with c.body.block(f"if {self.type_cond(types, c.v).pos}:") as node:
                inner = _Ctx(c.body, c.schema, c.at, types[0])
                if types[0] in _GROUP_OF_TYPE:
                    self.group(inner, _GROUP_OF_TYPE[types[0]], present)
                self.group(inner, "", present)
            if _Body.prune([node]):
                with c.body.block("else:"):
                    self.type_error(c, types)
            else:
                node.head = f"if {self.type_cond(types, c.v).neg}:"
                with c.body.into(node):
                    self.type_error(c, types)
            self.group(c, "", present)
            return
        if types is not None:
            with c.body.block(f"if {self.type_cond(types, c.v).neg}:"):
                self.type_error(c, types)
        for group, keywords in _GROUPS.items():
            if not set(present).intersection(keywords):
                continue
            if types is not None and not any(_GROUP_OF_TYPE.get(t) == group for t in types):
                continue
            if c.known is not None:
                if _GROUP_OF_TYPE.get(c.known) == group:
                    self.group(c, group, present)
                continue
            with c.body.block(f"if {self.type_cond([group], c.v).pos}:"):
                self.group(_Ctx(c.body, c.schema, c.at, group), group, present)
        self.group(c, "", present)

    def group(self, c: _Ctx, group: str, present: list[str]) -> None:
        """Emit the keywords of one type group ("": those that apply to any type)."""
        for key in _GROUPS[group] if group else _GENERIC:
            if key in present:
                name = "generate_" + re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()
                getattr(self, name)(c)

    def type_error(self, c: _Ctx, types: list[str]) -> None:
        self.helpers.add("_tn")
        self.fail(c, "type", _lit(f"must be {' or '.join(types)}, got ") + f" + _tn({c.v})")

    def bind(self, body: _Body, schema: Any, at: _At, source: str) -> None:
        """Put the value of `source` in `at.var` (unless nothing looks at it), then check it."""
        if schema is not False:
            body.line(f"{at.var} = {source}")
        self.schema(body, schema, at)

    def call(self, c: _Ctx, loc: _Loc, spath: str) -> None:
        """Validate the instance with the function for the schema at `loc`."""
        target = self.documents.node(loc)
        if self.is_trivial(target):
            return
        if target is False:
            self.fail(c, spath[len(c.at.spath) + 1 :], _lit("no value is allowed here"))
            return
        c.body.line(f"t = {self.function(loc)}({c.v}, a)")
        self.merge(c, "t", _lit(spath))

    # ------------------------------------------------------------------ keywords: any type

    def generate_ref(self, c: _Ctx) -> None:
        self.call(c, self.documents.resolve(c.schema["$ref"], c.at.loc), c.at.spath + "/$ref")

    def generate_const(self, c: _Ctx) -> None:
        value = c.schema["const"]
        self.helpers.add("_short")
        message = _lit(f"must be equal to {reprlib.repr(value)}, got ") + f" + _short({c.v})"
        self.failing(c, ~self.equals(value, c.v, c.known), "const", message)

    def generate_enum(self, c: _Ctx) -> None:
        values = self.array(c.schema, "enum", c.at)
        self.helpers.add("_short")
        message = _lit(f"must be one of {reprlib.repr(values)}, got ") + f" + _short({c.v})"
        self.failing(c, ~self.member(values, c.v, c.known), "enum", message)

    def generate_all_of(self, c: _Ctx) -> None:
        for i, sub in enumerate(self.array(c.schema, "allOf", c.at)):
            self.schema(c.body, sub, c.at.down("allOf", i), c.known)

    def generate_any_of(self, c: _Ctx) -> None:
        branches = self.array(c.schema, "anyOf", c.at)
        if not self.dispatch(c, "anyOf"):
            valid = _Cond.any(
                [self.valid(s, c.at.down("anyOf", i)) for i, s in enumerate(branches)]
            )
            message = _lit("must be valid against at least one schema in anyOf")
            self.failing(c, ~valid, "anyOf", message)

    def generate_one_of(self, c: _Ctx) -> None:
        branches = self.array(c.schema, "oneOf", c.at)
        if self.dispatch(c, "oneOf"):
            return
        valid = [self.valid(s, c.at.down("oneOf", i)) for i, s in enumerate(branches)]
        count = c.body.var("n")
        c.body.line(f"{count} = " + " + ".join(_paren(v.pos) for v in valid))
        text = _lit("must be valid against exactly one schema in oneOf, but is valid against ")
        self.failing(c, _Cond(f"{count} != 1", f"{count} == 1"), "oneOf", f"{text} + str({count})")

    def generate_not(self, c: _Ctx) -> None:
        valid = self.valid(c.schema["not"], c.at.down("not"))
        self.failing(c, valid, "not", _lit("must not be valid against the schema in not"))

    def generate_if(self, c: _Ctx) -> None:
        then, otherwise = c.schema.get("then", True), c.schema.get("else", True)
        if self.is_trivial(then) and self.is_trivial(otherwise):
            return
        condition = self.valid(c.schema["if"], c.at.down("if"))
        if " " in condition.pos and not (self.is_trivial(then) or self.is_trivial(otherwise)):
            name = c.body.var("c")  # evaluate `if` once for both branches
            c.body.line(f"{name} = {condition.pos}")
            condition = _Cond(name, f"not {name}")
        for cond, sub, name in ((condition, then, "then"), (~condition, otherwise, "else")):
            if cond != FALSE and not self.is_trivial(sub):
                if cond == TRUE:
                    self.schema(c.body, sub, c.at.down(name), c.known)
                    continue
                with c.body.block(f"if {cond.pos}:"):
                    self.schema(c.body, sub, c.at.down(name), c.known)

    def dispatch(self, c: _Ctx, key: str) -> bool:
        """oneOf/anyOf whose branches are objects that each require a distinct string `const`
        on one property: look the branch up by that property's value instead of trying all."""
        found = self.discriminated(c, key)
        if found is None:
            return False
        prop, branches = found
        entries = ", ".join(
            f"{_lit(value)}: ({fn}, {_lit(spath)})" for value, fn, spath in branches
        )
        table = self.tables.setdefault("{" + entries + "}", f"_D{len(self.tables)}")
        value, entry = c.body.var("d"), c.body.var("e")
        if c.known == "object":
            c.body.line(f"{value} = {c.v}.get({_lit(prop)})")
        else:
            c.body.line(
                f"{value} = {c.v}.get({_lit(prop)}) if {self.type_cond(['object'], c.v).pos} else None"
            )
        string = _type_cond("string", value).pos
        c.body.line(f"{entry} = {table}.get({value}) if {string} else None")
        self.helpers.add("_short")
        choices = reprlib.repr([v for v, _, _ in branches])
        message = _lit(
            f"must be valid against exactly one schema in {key}: property {prop!r} must be one of {choices}, got "
        )
        with c.body.block(f"if {entry} is None:"):
            self.fail(c, key, f"{message} + _short({value})")
        with c.body.block("else:"):
            c.body.line(f"t = {entry}[0]({c.v}, a)")
            self.merge(c, "t", f"{entry}[1]")
        return True

    def discriminated(self, c: _Ctx, key: str) -> tuple[str, list[tuple[str, str, str]]] | None:
        """The property and, per branch, its value, function and schema path, if `key` can be
        dispatched on one property (see `dispatch`)."""
        hint = c.schema.get("discriminator")
        hint = hint.get("propertyName") if isinstance(hint, dict) else hint
        candidates: list[str] | None = None
        found: list[tuple[_Loc, str, dict[str, str]]] = []
        for i, branch in enumerate(c.schema[key]):
            loc, spath = c.at.loc, f"{c.at.spath}/{key}/{i}"
            loc = (loc[0], (*loc[1], key, i))
            while isinstance(branch, dict) and "$ref" in branch and len(spath) < 1000:
                loc = self.documents.resolve(branch["$ref"], loc)
                branch, spath = self.documents.node(loc), spath + "/$ref"
            if not isinstance(branch, dict) or branch.get("type") not in ("object", ["object"]):
                return None
            props, required = branch.get("properties"), branch.get("required")
            if (
                self.nullable(branch)
                or not isinstance(props, dict)
                or not isinstance(required, list)
            ):
                return None
            consts = {}
            for name in required:
                sub = props.get(name)
                if not isinstance(sub, dict) or "$ref" in sub:
                    continue
                enum = sub.get("enum")
                if isinstance(sub.get("const"), str):
                    consts[name] = sub["const"]
                elif isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
                    consts[name] = enum[0]
            candidates = [n for n in consts if candidates is None or n in candidates]
            found.append((loc, spath, consts))
        if not candidates:
            return None
        prop = hint if isinstance(hint, str) and hint in candidates else candidates[0]
        if len({consts[prop] for _, _, consts in found}) != len(found):
            return None
        return prop, [(consts[prop], self.function(loc), spath) for loc, spath, consts in found]

    # ------------------------------------------------------------------ keywords: strings

    def generate_min_length(self, c: _Ctx) -> None:
        n = self.count(c.schema, "minLength")
        cond = _Cond(f"len({c.v}) < {n}", "") if n else FALSE
        self.failing(c, cond, "minLength", _lit(f"must be at least {n} characters long"))

    def generate_max_length(self, c: _Ctx) -> None:
        n = self.count(c.schema, "maxLength")
        self.failing(
            c,
            _Cond(f"len({c.v}) > {n}", ""),
            "maxLength",
            _lit(f"must be at most {n} characters long"),
        )

    def generate_pattern(self, c: _Ctx) -> None:
        regex = self.regex(c.schema["pattern"])
        message = _lit(f"must match pattern {reprlib.repr(c.schema['pattern'])}")
        self.failing(c, _Cond(f"not {regex}.search({c.v})", ""), "pattern", message)

    def generate_format(self, c: _Ctx) -> None:
        checker = self.formats[c.schema["format"]]
        self.helpers.add(checker)
        what = {
            "byte": "base64 string (format byte)",
            validation_formats.DEFERRED_BYTE: "base64 string (format byte)",
        }.get(c.schema["format"], c.schema["format"])
        message = _lit(f"must be a valid {what}")
        self.failing(c, _Cond(f"not {checker}({c.v})", ""), "format", message)

    # ------------------------------------------------------------------ keywords: numbers

    def bound(self, c: _Ctx, key: str, op: str, text: str) -> None:
        limit = c.schema[key]
        if isinstance(limit, bool) or not isinstance(limit, (int, float)):
            raise SchemaError(f"{key} must be a number at {c.at.spath or '/'}")
        message = _lit(f"must be {text} {limit!r}, got ") + f" + repr({c.v})"
        self.failing(c, _Cond(f"{c.v} {op} {_lit(limit)}", ""), key, message)

    def generate_minimum(self, c: _Ctx) -> None:
        self.bound(c, "minimum", "<", ">=")

    def generate_maximum(self, c: _Ctx) -> None:
        self.bound(c, "maximum", ">", "<=")

    def generate_exclusive_minimum(self, c: _Ctx) -> None:
        self.bound(c, "exclusiveMinimum", "<=", ">")

    def generate_exclusive_maximum(self, c: _Ctx) -> None:
        self.bound(c, "exclusiveMaximum", ">=", "<")

    def generate_multiple_of(self, c: _Ctx) -> None:
        m = c.schema["multipleOf"]
        if isinstance(m, bool) or not isinstance(m, (int, float)) or m <= 0:
            raise SchemaError(f"multipleOf must be a number above 0 at {c.at.spath or '/'}")
        if isinstance(m, int) or (m.is_integer() and m < 2**53):
            check = f"{c.v} % {int(m)}"
        else:
            self.helpers.add("_multiple_of")
            check = f"not _multiple_of({c.v}, {self.constant(f'Fraction({_lit(repr(m))})')})"
        self.failing(c, _Cond(check, ""), "multipleOf", _lit(f"must be a multiple of {m!r}"))

    # ------------------------------------------------------------------ keywords: arrays

    def generate_min_items(self, c: _Ctx) -> None:
        n = self.count(c.schema, "minItems")
        cond = _Cond(f"len({c.v}) < {n}", "") if n else FALSE
        self.failing(c, cond, "minItems", _lit(f"must have at least {n} items"))

    def generate_max_items(self, c: _Ctx) -> None:
        n = self.count(c.schema, "maxItems")
        self.failing(
            c, _Cond(f"len({c.v}) > {n}", ""), "maxItems", _lit(f"must have at most {n} items")
        )

    def generate_unique_items(self, c: _Ctx) -> None:
        if c.schema["uniqueItems"] is True:
            self.helpers.add("_dup")
            message = _lit("must not contain duplicates, item ") + f" + str(_dup({c.v}))"
            cond = _Cond(f"len({c.v}) > 1 and _dup({c.v}) >= 0", "")
            self.failing(c, cond, "uniqueItems", message + " + " + _lit(" repeats an earlier one"))

    def generate_items(self, c: _Ctx) -> None:
        items = c.schema["items"]
        if isinstance(items, list):
            for i, sub in enumerate(items):
                if not self.is_trivial(sub):
                    var = c.body.var("x")
                    with c.body.block(f"if len({c.v}) > {i}:"):
                        at = c.at.down("items", i, var=var, part=str(i))
                        self.bind(c.body, sub, at, f"{c.v}[{i}]")
        elif items is False:
            self.failing(c, _Cond(c.v, ""), "items", _lit("no value is allowed here"), part="0")
        elif not self.is_trivial(items):
            index, var = c.body.var("i"), c.body.var("x")
            exact = self.exact_types(items)
            if exact:
                # Items checked for their type alone: one pass in C first (joining strings is the
                # cheapest such pass); the loop (which also knows `1.0` is an integer) runs only
                # if that fails.
                fast = f"if not {self.constant(exact)}.issuperset(map(type, {c.v})):"
                if exact == "frozenset((str,))":
                    self.helpers.add("_all_str")
                    fast = f"if not _all_str({c.v}):"
                with c.body.block(fast), c.body.block(f"for {index}, {var} in enumerate({c.v}):"):
                    self.schema(c.body, items, c.at.down("items", var=var, part=index))
                return
            with c.body.block(f"for {index}, {var} in enumerate({c.v}):"):
                self.schema(c.body, items, c.at.down("items", var=var, part=index))

    def exact_types(self, schema: Any) -> str:
        """`frozenset((str,))`-like source of the Python types that certainly satisfy a schema
        that asserts nothing but `type`; "" when the schema asserts more."""
        if not isinstance(schema, dict) or "$ref" in schema or self.nullable(schema):
            return ""
        if [k for k in schema if self.asserts(schema, k)] != ["type"]:
            return ""
        python = {
            "string": "str",
            "integer": "int",
            "number": "int, float",
            "boolean": "bool",
            "null": "type(None)",
        }
        kinds = [python.get(t, "") for t in self.types(schema)]
        if not all(kinds):
            return ""
        return f"frozenset(({', '.join(kinds)},))"

    def generate_additional_items(self, c: _Ctx) -> None:
        items, extra = c.schema.get("items", True), c.schema["additionalItems"]
        if not isinstance(items, list) or self.is_trivial(extra):
            return
        n = len(items)
        if extra is False:
            cond = _Cond(f"len({c.v}) > {n}", "")
            self.failing(c, cond, "additionalItems", _lit(f"must have at most {n} items"))
            return
        index, var = c.body.var("i"), c.body.var("x")
        with c.body.block(f"for {index} in range({n}, len({c.v})):"):
            c.body.line(f"{var} = {c.v}[{index}]")
            self.schema(c.body, extra, c.at.down("additionalItems", var=var, part=index))

    def generate_contains(self, c: _Ctx) -> None:
        var = c.body.var("x")
        valid = self.valid(c.schema["contains"], c.at.down("contains", var=var))
        message = _lit("must contain an item valid against contains")
        if valid == TRUE:
            self.failing(c, _Cond(f"not {c.v}", ""), "contains", message)
            return
        if valid != FALSE:
            with c.body.block(f"for {var} in {c.v}:"), c.body.block(f"if {valid.pos}:"):
                c.body.line("break")
            with c.body.block("else:"):
                self.fail(c, "contains", message)
            return
        self.fail(c, "contains", message)

    # ------------------------------------------------------------------ keywords: objects

    def generate_required(self, c: _Ctx) -> None:
        names = c.schema["required"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise SchemaError(f"required must be an array of strings at {c.at.spath or '/'}")
        if names:
            text = "missing required property "
            self.missing(c, list(dict.fromkeys(names)), "required", text, TRUE)

    def missing(self, c: _Ctx, names: list[str], keyword: str, text: str, guard: _Cond) -> None:
        """Fail for each of `names` absent from the object (after a fast check for all)."""
        if len(names) <= 8:
            present = _Cond.all(
                [_Cond(f"{_lit(n)} in {c.v}", f"{_lit(n)} not in {c.v}") for n in names]
            )
        else:
            every = f"{c.v}.keys() >= {self.constant(f'frozenset({_lit(tuple(names))})')}"
            present = _Cond(every, f"not ({every})")
        name = c.body.var("k")
        names_constant = self.constant(_lit(tuple(names)))
        with (
            c.body.block(f"if {_Cond.all([guard, ~present]).pos}:"),
            c.body.block(f"for {name} in {names_constant}:"),
            c.body.block(f"if {name} not in {c.v}:"),
        ):
            self.fail(c, keyword, _lit(text) + f" + repr({name})")

    def generate_min_properties(self, c: _Ctx) -> None:
        n = self.count(c.schema, "minProperties")
        cond = _Cond(f"len({c.v}) < {n}", "") if n else FALSE
        self.failing(c, cond, "minProperties", _lit(f"must have at least {n} properties"))

    def generate_max_properties(self, c: _Ctx) -> None:
        n = self.count(c.schema, "maxProperties")
        cond = _Cond(f"len({c.v}) > {n}", "")
        self.failing(c, cond, "maxProperties", _lit(f"must have at most {n} properties"))

    def generate_properties(self, c: _Ctx) -> None:
        for name, sub in self.mapping(c.schema, "properties", c.at).items():
            if not self.is_trivial(sub):
                var = c.body.var("x")
                with c.body.block(f"if {_lit(name)} in {c.v}:"):
                    at = c.at.down("properties", name, var=var, part=_lit(name))
                    self.bind(c.body, sub, at, f"{c.v}[{_lit(name)}]")

    def generate_pattern_properties(self, c: _Ctx) -> None:
        patterns = self.mapping(c.schema, "patternProperties", c.at)
        active = {p: self.regex(p) for p, s in patterns.items() if not self.is_trivial(s)}
        if active:
            name, var = c.body.var("k"), c.body.var("x")
            values = any(patterns[p] is not False for p in active)
            loop = f"for {name}, {var} in {c.v}.items():" if values else f"for {name} in {c.v}:"
            with c.body.block(loop):
                for pattern, regex in active.items():
                    with c.body.block(f"if {regex}.search({name}):"):
                        at = c.at.down("patternProperties", pattern, var=var, part=name)
                        self.schema(c.body, patterns[pattern], at)

    def generate_additional_properties(self, c: _Ctx) -> None:
        extra = c.schema["additionalProperties"]
        if self.is_trivial(extra):
            return
        names = (
            tuple(self.mapping(c.schema, "properties", c.at)) if "properties" in c.schema else ()
        )
        patterns = (
            self.mapping(c.schema, "patternProperties", c.at)
            if "patternProperties" in c.schema
            else {}
        )
        known = self.constant(f"frozenset({_lit(names)})") if names else ""
        name = c.body.var("k")
        cond = _Cond.all(
            [_Cond(f"{name} not in {known}", "")] * bool(known)
            + [_Cond(f"not {self.regex(p)}.search({name})", "") for p in patterns]
        )
        if extra is False:
            guard = f"not ({c.v}.keys() <= {known})" if known else c.v
            with c.body.block(f"if {guard}:"), c.body.block(f"for {name} in {c.v}:"):
                message = _lit("unexpected property ") + f" + repr({name})"
                self.failing(c, cond, "additionalProperties", message, part=name)
            return
        var = c.body.var("x")
        at = c.at.down("additionalProperties", var=var, part=name)
        with c.body.block(f"for {name}, {var} in {c.v}.items():"):
            if cond == TRUE:
                self.schema(c.body, extra, at)
            else:
                with c.body.block(f"if {cond.pos}:"):
                    self.schema(c.body, extra, at)

    def generate_property_names(self, c: _Ctx) -> None:
        sub = c.schema["propertyNames"]
        if self.is_trivial(sub):
            return
        loc = c.at.down("propertyNames").loc
        if isinstance(sub, dict) and "$ref" in sub:
            loc = self.documents.resolve(sub["$ref"], loc)
        name = c.body.var("k")
        with c.body.block(f"for {name} in {c.v}:"):
            c.body.line(f"t = {self.function(loc)}({name}, a)")
            self.merge(c, "t", _lit(c.at.spath + "/propertyNames"), extra=name)

    def generate_dependencies(self, c: _Ctx) -> None:
        for prop, dependency in self.mapping(c.schema, "dependencies", c.at).items():
            if isinstance(dependency, list):
                if dependency:
                    text = f"property {prop!r} requires property "
                    keyword = "dependencies/" + _escape(prop)
                    guard = _Cond(f"{_lit(prop)} in {c.v}", "")
                    self.missing(c, dependency, keyword, text, guard)
            elif not self.is_trivial(dependency):
                with c.body.block(f"if {_lit(prop)} in {c.v}:"):
                    self.schema(c.body, dependency, c.at.down("dependencies", prop), "object")

    # ------------------------------------------------------------------ schema values

    def mapping(self, schema: dict[str, Any], key: str, at: _At) -> dict[str, Any]:
        value = schema[key]
        if not isinstance(value, dict):
            raise SchemaError(f"{key} must be an object at {at.spath or '/'}")
        return value

    def array(self, schema: dict[str, Any], key: str, at: _At) -> list[Any]:
        value = schema[key]
        if not isinstance(value, list) or (key != "enum" and not value):
            raise SchemaError(f"{key} must be a non-empty array at {at.spath or '/'}")
        return value

    def count(self, schema: dict[str, Any], key: str) -> int:
        value = schema[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SchemaError(f"{key} must be a non-negative integer, got {value!r}")
        return value


class AsyncApiCompiler(Draft07Compiler):
    """Draft-07 plus what AsyncAPI/OpenAPI schema objects add: `nullable: true` also allows
    null, format `byte` is base64 (and `binary` an annotation). `discriminator`, `deprecated`,
    `readOnly`, `writeOnly`, `example(s)`, `externalDocs` and `xml` are annotations."""

    FORMATS: ClassVar[Mapping[str, str]] = dict(validation_formats.FORMAT_CHECKERS)

    def nullable(self, schema: dict[str, Any]) -> bool:
        return schema.get("nullable") is True

    def schema(self, body: _Body, schema: Any, at: _At, known: str | None = None) -> None:
        if isinstance(schema, dict) and self.nullable(schema) and "$ref" not in schema:
            if not self.is_trivial(schema):
                with body.block(f"if {at.var} is not None:"):
                    super().schema(body, schema, at, known)
            return
        super().schema(body, schema, at, known)


# =========================================================================== public API

_Formats = bool | Collection[str]


def compile_module(
    definitions: Mapping[str, Any],
    functions: Mapping[str, str],
    *,
    formats: _Formats = True,
    deferred: Mapping[str, str] | None = None,
    package: bool = False,
) -> str:
    """The source of a module validating named schemas (`package`: inside a generated package,
    importing the error classes from its `_errors` module instead of defining them).

    `definitions` maps names to draft-07 schemas that refer to each other as
    `{"$ref": "#/definitions/<name>"}`; `functions` maps definition names to the public
    function to generate for them (`validate_x(instance, *, all_errors=False) -> None`).
    `deferred` maps definition names to private functions (`_x`) that check the same schema,
    except that `format: byte` text written in that schema itself (not behind a `$ref`) is only
    checked for shape: the models, which decode it strictly on first read, use these, so
    parsing a frame does not scan its audio.
    """
    for name in [*functions, *(deferred or {})]:
        if name not in definitions:
            raise SchemaError(f"no definition named {name!r}")
    names = [*functions.values(), *(deferred or {}).values()]
    if len(set(names)) != len(names):
        raise ValueError("two definitions would get the same function name")
    document = dict(definitions)
    entries = {functions[n]: (0, ("definitions", n)) for n in functions}
    for name, function in (deferred or {}).items():
        key = f"{name}\x00deferred"
        document[key] = defer_byte(definitions[name])
        entries[function] = (0, ("definitions", key))
    compiler = AsyncApiCompiler({"definitions": document}, formats=formats)
    return compiler.module(entries, package=package, private=set((deferred or {}).values()))


def defer_byte(schema: Any) -> Any:
    """A copy of `schema` with `format: byte` replaced by the shape-only check; `$ref` targets
    (other definitions) are left as they are."""
    if isinstance(schema, list):
        return [defer_byte(s) for s in schema]
    if not isinstance(schema, dict) or "$ref" in schema:
        return schema
    data_keys = ("enum", "const", "default", "examples")
    copy = {k: v if k in data_keys else defer_byte(v) for k, v in schema.items()}
    if copy.get("format") == "byte":
        copy["format"] = validation_formats.DEFERRED_BYTE
    return copy


def compile_source(schema: Any, *, formats: _Formats = True, name: str = "validate") -> str:
    """The source of a standalone module whose `name(instance, *, all_errors=False)`
    validates `schema`."""
    return AsyncApiCompiler(schema, formats=formats).module({name: (0, ())})


class CompiledValidator:
    """A compiled schema: call it with an instance; it raises `ValidationError` if invalid."""

    def __init__(self, schema: Any, *, all_errors: bool = False, formats: _Formats = True) -> None:
        compiler = AsyncApiCompiler(schema, formats=formats)
        self.source = compiler.module({"validate": (0, ())}, standalone=False)
        self.all_errors = all_errors
        namespace: dict[str, Any] = {
            "__name__": "asyncgen.compiled",
            "ValidationError": ValidationError,
            "ValidationErrorItem": ValidationErrorItem,
        }
        exec(compile(self.source, "<asyncgen.compiled>", "exec"), namespace)  # noqa: S102
        self._check: Callable[[Any, bool], list[_Err] | None] = namespace[
            compiler.functions[(0, ())]
        ]

    def __call__(self, instance: Any) -> None:
        errors = self._check(instance, self.all_errors)
        if errors is not None:
            raise _fail(errors)

    def is_valid(self, instance: Any) -> bool:
        return self._check(instance, False) is None

    def errors(self, instance: Any) -> list[ValidationErrorItem]:
        """Every error, whatever `all_errors` says; empty when the instance is valid."""
        errors = self._check(instance, True)
        return [] if errors is None else _fail(errors).errors


def compile_validator(
    schema: Any, *, all_errors: bool = False, formats: _Formats = True
) -> CompiledValidator:
    """Compile a draft-07 schema: `compile_validator(schema)(instance)` raises
    `ValidationError` if the instance is invalid. `formats=False` turns format checks off; a
    collection of format names keeps only those."""
    return CompiledValidator(schema, all_errors=all_errors, formats=formats)


# ========================================================================== certainly valid

_PLAIN_KEYWORDS = frozenset(
    ("type", "const", "enum", "format", "minimum", "maximum", "exclusiveMinimum",
     "exclusiveMaximum", "minLength", "maxLength")
)  # fmt: skip
_NUMERIC_BOUNDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}


def certainly_valid(schema: Any, v: str) -> str | None:
    """A cheap Python expression over `v` that is true only for values `schema` accepts (a
    single-typed scalar with bounds, a string or boolean const, an enum of strings, the
    shape-only `byte` format), or None when the schema says more than that. Code that has it can
    skip the full validator for the common valid value and fall back to it for anything else."""
    if not isinstance(schema, dict) or set(schema) & ASSERTIONS - _PLAIN_KEYWORDS:
        return None
    if "const" in schema:
        value = schema["const"]
        if isinstance(value, bool):
            return f"{v} is {value!r}"
        return f"{v} == {_lit(value)}" if isinstance(value, str) else None
    kind = schema.get("type")
    if "enum" in schema:
        values = schema["enum"]
        if (
            kind not in (None, "string")
            or not values
            or not all(isinstance(x, str) for x in values)
        ):
            return None
        return f"type({v}) is str and {v} in {_lit(tuple(dict.fromkeys(values)))}"
    test = {
        "string": f"type({v}) is str",
        "integer": f"type({v}) is int",
        "number": f"(type({v}) is float or type({v}) is int)",
        "boolean": f"type({v}) is bool",
    }.get(kind if isinstance(kind, str) else "")
    if test is None:
        return None
    parts = [test]
    for key, op in _NUMERIC_BOUNDS.items():
        bound = schema.get(key)
        if bound is not None:
            if kind not in ("integer", "number") or isinstance(bound, bool):
                return None
            if not isinstance(bound, (int, float)) or not math.isfinite(bound):
                return None
            parts.append(f"{v} {op} {_lit(bound)}")
    for key, op in (("minLength", ">="), ("maxLength", "<=")):
        if key in schema:
            if kind != "string" or not isinstance(schema[key], int):
                return None
            parts.append(f"len({v}) {op} {schema[key]}")
    fmt = schema.get("format")
    if fmt is not None:
        if fmt == validation_formats.DEFERRED_BYTE and kind == "string":
            parts.append(f"not len({v}) % 4 and {v}.isascii()")
        elif isinstance(fmt, str) and fmt in AsyncApiCompiler.FORMATS:
            return None  # a format worth checking: the full validator does it
    return " and ".join(parts)
