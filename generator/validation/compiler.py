"""The compiler's machinery, shared by every dialect: the keyword vocabulary, module assembly,
one private function per schema that must stand alone, emitting checks and errors, and the
walk from a schema to its keywords (the `generate_<keyword>` methods are in `keywords_*.py`)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection, Mapping
from typing import Any, ClassVar

from . import ecma_regex
from .builder import FALSE, TRUE, _At, _Body, _Cond, _Ctx, _lit, _type_cond
from .documents import SchemaError, _Documents, _Loc, _plain
from .runtime import _json_type, _may_be, _runtime

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
_TYPES = ("null", "boolean", "string", "object", "array", "number", "integer")
# Blocks open in a function past which a subschema is compiled as a function of its own.
_MAX_INLINE_BLOCKS = 12

# `formats=`: every format the dialect knows (True), none (False), or only the named ones.
_Formats = bool | Collection[str]


def _sort_all(names: list[str]) -> list[str]:
    """`__all__` in the order linters expect: CONSTANTS, then Classes, then the rest."""

    def kind(name: str) -> int:
        if name.isupper() and len(name) > 1:
            return 0
        return 1 if name[:1].isupper() else 2

    def natural(name: str) -> tuple[object, ...]:  # `validate_a2` before `validate_a10`
        return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))

    return sorted(names, key=lambda n: (kind(n), natural(n)))


class _Compiler:
    """What the keyword methods stand on: the documents, the functions and constants compiled
    so far, and the run-time helpers the module will need."""

    FORMATS: ClassVar[Mapping[str, str]]  # format name -> checker name, set by each dialect

    def __init__(self, document: Any, *, base_uri: str = "", formats: _Formats = True) -> None:
        self.documents = _Documents(_plain(document), base_uri)
        wanted = formats if not isinstance(formats, bool) else self.FORMATS if formats else ()
        self.formats = {k: v for k, v in self.FORMATS.items() if k in wanted}
        self.functions: dict[_Loc, str] = {}
        # The location of a schema -> that of one of the same shape, whose function it uses.
        self.shared: dict[_Loc, _Loc] = {}
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
        defined: dict[str, str] = {}  # private function -> the entry that calls it
        for name, loc in entries.items():
            target = self.function(loc, name.removeprefix("validate_"))
            if target in defined:  # a schema of the same shape as an earlier entry's
                public.append(f"{name} = {defined[target]}\n")
                continue
            defined[target] = name
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
        loc = self.shared.get(loc, loc)
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
            translated = ecma_regex._ecma_regex_to_python(pattern)
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
        elif len(body.stack) > _MAX_INLINE_BLOCKS and self.documents.node(at.loc) is schema:
            # Deep inside loops and checks already: Python refuses more than 20 nested loops
            # (and 100 indentation levels) in one function, so the rest goes in its own.
            self.call(c, at.loc, at.spath)
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

    def generate_ref(self, c: _Ctx) -> None:
        """`$ref`: in draft-07 it hides its siblings, so `schema` emits it instead of them."""
        self.call(c, self.documents.resolve(c.schema["$ref"], c.at.loc), c.at.spath + "/$ref")

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
