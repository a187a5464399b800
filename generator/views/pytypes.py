"""How each IR schema is spelled in generated Python: annotations, decode and encode expressions.

The models template prints what these functions return; it never decides a type itself. Decode
expressions turn an already validated JSON value into the Python value (nested models, enums,
lists of them); encode expressions do the reverse. Identity conversions are recognised so the
common case (strings, numbers, lists of them) costs nothing per frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from .. import ir
from ..layout import literal, number

# How deep a type is spelled out in place (arrays, maps, unions and the named schemas they refer
# to that are not classes); below that, and where a schema would contain itself through no class
# (`Tree: {type: array, items: {$ref: Tree}}`), the value is kept as plain JSON: `Any`.
MAX_TYPE_DEPTH = 48

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _bounded(
    method: Callable[Concatenate[Types, ir.Schema, _P], _R],
) -> Callable[Concatenate[Types, ir.Schema, _P], _R]:
    """Runs `method` on `schema` one level deeper, on `AnyValue` instead past MAX_TYPE_DEPTH or
    where a named schema is met again inside itself. Every walk decides alike, so an annotation
    and its conversions agree on where the plain JSON starts."""

    @functools.wraps(method)
    def walk(self: Types, schema: ir.Schema, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        name = schema.name if isinstance(schema, ir.Ref) else ""
        if len(self.path) >= MAX_TYPE_DEPTH or (name and name in self.path):
            schema, name = ir.AnyValue(), ""
        self.path.append(name)
        try:
            return method(self, schema, *args, **kwargs)
        finally:
            self.path.pop()

    return walk


@dataclass(frozen=True)
class FieldView:
    """One dataclass field as the models template prints it."""

    prop: ir.Property
    annotation: str
    default: str  # "None" or "UNSET" (what an absent optional holds), "" when required
    const: str  # Python source of the fixed value, "" unless the field is a const
    documented: str  # the document's `default` of an optional field, as text ("" if none)
    decode: str  # expression over `v` (the validated wire value)
    decode_item: str  # the same over `d[<wire name>]`, for required fields
    encode: str  # expression over `v` (the attribute value)
    encode_attr: str  # the same over `self.<py_name>`
    lazy_bytes: bool  # `format: byte`: base64 text kept until first access
    omit_none: bool  # optional: left out of `to_dict` when absent (None, or UNSET)

    @property
    def unset(self) -> bool:
        """Null is a valid value of this optional field, so absence is `UNSET`, not None."""
        return self.default == "UNSET"


class Types:
    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self._named = {n.name: n for n in api.schemas}
        self.unions: list[tuple[str, ir.Union_]] = []  # helper decoders, numbered in order
        self.path: list[str] = []  # the walk's levels: the named schema of each ('' if none)

    def final(self, ref: ir.Ref) -> ir.NamedSchema:
        """The named schema at the end of a chain of named schemas that are only a reference
        (walked in a loop: a chain may be long; the parser leaves none that goes round)."""
        named, seen = self._named[ref.name], {ref.name}
        while isinstance(named.schema, ir.Ref) and named.schema.name not in seen:
            seen.add(named.schema.name)
            named = self._named[named.schema.name]
        return named

    def target(self, schema: ir.Schema) -> ir.Schema:
        return self.final(schema).schema if isinstance(schema, ir.Ref) else schema

    def class_of(self, schema: ir.Schema) -> str | None:
        """The generated class a Ref stands for (model or enum), if any."""
        if isinstance(schema, ir.Ref):
            named = self.final(schema)
            if isinstance(named.schema, (ir.Object, ir.Enum)):
                return named.class_name
        return None

    # -- annotations ---------------------------------------------------------------------------

    @_bounded
    def annotation(self, schema: ir.Schema, *, binary: bool = False) -> str:
        cls = self.class_of(schema)
        if cls:
            return cls
        if isinstance(schema, ir.Ref):  # one level per named schema, as `decode` counts them
            return self.annotation(self.final(schema).schema, binary=binary)
        if isinstance(schema, ir.Primitive):
            if schema.kind == "string" and (
                schema.format == "byte" or (binary and schema.format == "binary")
            ):
                return "bytes"
            return {
                "string": "str",
                "integer": "int",
                "number": "float",
                "boolean": "bool",
                "null": "None",
            }[schema.kind]
        if isinstance(schema, ir.Const):
            return _literal(schema.value)
        if isinstance(schema, ir.Array):
            return f"list[{self.annotation(schema.items)}]"
        if isinstance(schema, ir.Map):
            return f"dict[str, {self.annotation(schema.values)}]"
        if isinstance(schema, ir.Union_):
            parts: list[str] = []
            for variant in schema.variants:
                text = self.annotation(variant.schema)
                if text == "Any":
                    return "Any"
                for part in _union_members(text):  # a union of unions is one flat union
                    if part not in parts:
                        parts.append(part)
            if not parts:  # no variant: the parser has refused it; nothing narrower holds
                return "Any"
            if "None" in parts:  # `X | None` reads best with None last
                parts = [p for p in parts if p != "None"] + ["None"]
            literals = [p[len("Literal[") : -1] for p in parts if p.startswith("Literal[")]
            if len(literals) > 1:  # one `Literal[a, b]`, not `Literal[a] | Literal[b]`
                merged = f"Literal[{', '.join(literals)}]"
                first = next(i for i, p in enumerate(parts) if p.startswith("Literal["))
                parts = [p for p in parts if not p.startswith("Literal[")]
                parts.insert(first, merged)
            return " | ".join(parts)
        return "Any"

    # -- conversions ---------------------------------------------------------------------------

    @_bounded
    def decode(self, schema: ir.Schema, expr: str) -> str:
        """Python value from a validated JSON value; `expr` itself when no conversion is needed."""
        if isinstance(schema, ir.Ref):
            named = self.final(schema)
            if isinstance(named.schema, ir.Object):
                return f"{named.class_name}._from_valid({expr})"
            if isinstance(named.schema, ir.Enum):
                return f"{named.class_name}({expr})"
            return self.decode(named.schema, expr)
        if isinstance(schema, ir.Primitive) and schema.kind == "string" and schema.format == "byte":
            return f"_b64decode({expr})"
        if isinstance(schema, ir.Array):
            inner = self.decode(schema.items, "x")
            return expr if inner == "x" else f"[{inner} for x in {expr}]"
        if isinstance(schema, ir.Map):
            inner = self.decode(schema.values, "x")
            return expr if inner == "x" else f"{{k: {inner} for k, x in {expr}.items()}}"
        if isinstance(schema, ir.Union_):
            if all(self.decode(v.schema, "x") == "x" for v in schema.variants):
                return expr
            return f"{self._union_helper(schema)}({expr})"
        return expr

    @_bounded
    def encode(self, schema: ir.Schema, expr: str) -> str:
        if isinstance(schema, ir.Ref):
            named = self.final(schema)
            if isinstance(named.schema, ir.Object):
                return f"{expr}.to_dict()"
            if isinstance(named.schema, ir.Enum):
                return f"{expr}.value"
            return self.encode(named.schema, expr)
        if isinstance(schema, ir.Primitive) and schema.kind == "string" and schema.format == "byte":
            return f"_b64encode({expr})"
        if isinstance(schema, ir.Array):
            inner = self.encode(schema.items, "x")
            return expr if inner == "x" else f"[{inner} for x in {expr}]"
        if isinstance(schema, ir.Map):
            inner = self.encode(schema.values, "x")
            return expr if inner == "x" else f"{{k: {inner} for k, x in {expr}.items()}}"
        if isinstance(schema, ir.Union_):
            if all(self.encode(v.schema, "x") == "x" for v in schema.variants):
                return expr
            return f"_to_wire({expr})"
        return expr

    def _union_helper(self, union: ir.Union_) -> str:
        for name, known in self.unions:
            if known == union:
                return name
        name = f"_decode_union_{len(self.unions) + 1}"
        self.unions.append((name, union))
        return name

    def union_cases(self, union: ir.Union_) -> list[tuple[str, str]]:
        """(test, decode) pairs for a union helper: first matching test wins."""
        cases = []
        for variant in union.variants:
            if union.discriminator and variant.tag is not ir.MISSING:
                # Validated already: the discriminator's value alone picks the variant.
                test = f"v.get({literal(union.discriminator)}) == {literal(variant.tag)}"
            else:
                test = self.test(variant.schema, "v")
            cases.append((test, self.decode(variant.schema, "v")))
        return cases

    @_bounded
    def test(self, schema: ir.Schema, expr: str) -> str:
        """A cheap check that a validated value belongs to this variant."""
        if isinstance(schema, ir.Ref):
            named = self.final(schema)
            if isinstance(named.schema, ir.Object):
                return f"_is_valid(validators.{named.validator_name}, {expr})"
            return self.test(named.schema, expr)
        if isinstance(schema, ir.Primitive):
            return {
                "string": f"isinstance({expr}, str)",
                "integer": f"(isinstance({expr}, int) and not isinstance({expr}, bool))",
                "number": f"(isinstance({expr}, (int, float)) and not isinstance({expr}, bool))",
                "boolean": f"isinstance({expr}, bool)",
                "null": f"{expr} is None",
            }[schema.kind]
        if isinstance(schema, ir.Const):
            return f"{expr} == {literal(schema.value)}"
        if isinstance(schema, ir.Enum):
            return f"{expr} in {literal(tuple(m.value for m in schema.members))}"
        if isinstance(schema, ir.Array):
            return f"isinstance({expr}, list)"
        if isinstance(schema, ir.Map):
            return f"isinstance({expr}, dict)"
        return "True"

    # -- fields --------------------------------------------------------------------------------

    def field(self, prop: ir.Property) -> FieldView:
        schema = prop.schema
        target = self.target(schema)
        annotation = self.annotation(schema)
        lazy = (
            isinstance(target, ir.Primitive) and target.format == "byte" and target.kind == "string"
        )
        # A const is fixed and always written, even where the schema leaves it optional:
        # servers route on such tags.
        # A list or dict is not a field default a dataclass allows (it would be shared).
        fixed = isinstance(target, ir.Const) and _immutable(target.value)
        const = literal(target.value) if isinstance(target, ir.Const) and fixed else ""
        default = documented = ""
        if not prop.required and not const:
            # An absent optional stays absent (a schema `default` is the receiver's business,
            # documented on the field); where null is itself a value, absence is `UNSET`.
            if prop.default is not ir.MISSING:
                documented = repr(prop.default)
            if annotation == "Any" or _optional(annotation):
                annotation = "Any" if annotation == "Any" else f"{annotation} | Unset"
                default = "UNSET"
            else:
                annotation = f"{annotation} | None"
                default = "None"
        decode = "v" if lazy else self.decode(schema, "v")
        encode = "v" if lazy else self.encode(schema, "v")
        return FieldView(
            prop=prop,
            annotation=annotation,
            default=default,
            const=const,
            documented=documented,
            decode=decode,
            decode_item=self.decode(schema, f"d[{literal(prop.wire_name)}]"),
            encode=encode,
            encode_attr=self.encode(schema, f"self.{prop.py_name}"),
            lazy_bytes=lazy,
            omit_none=bool(default),
        )

    def _accepts(self, schema: ir.Schema, value: Any) -> bool:
        """Whether `value` can be the field's default: it must have the field's type (documents
        do write `default: "false"` for a boolean) and, as it is printed as a literal, need no
        conversion (an enum member is printed by name)."""
        target = self.target(schema)
        if isinstance(target, ir.Enum):
            return any(type(m.value) is type(value) and m.value == value for m in target.members)
        if self.decode(schema, "v") != "v" or self.encode(schema, "v") != "v":
            return False
        return self._fits(schema, value)

    @_bounded
    def _fits(self, schema: ir.Schema, value: Any) -> bool:
        target = self.target(schema)
        if isinstance(target, ir.Primitive):
            kinds: dict[str, Any] = {
                "string": str,
                "integer": int,
                "number": (int, float),
                "boolean": bool,
                "null": type(None),
            }
            return isinstance(value, kinds[target.kind]) and (
                target.kind == "boolean" or not isinstance(value, bool)
            )
        if isinstance(target, ir.Const):
            return type(value) is type(target.value) and value == target.value
        if isinstance(target, ir.Union_):
            return any(self._fits(v.schema, value) for v in target.variants)
        if isinstance(target, ir.Array):
            return isinstance(value, list) and all(self._fits(target.items, x) for x in value)
        if isinstance(target, ir.Map):
            return isinstance(value, dict) and all(
                self._fits(target.values, x) for x in value.values()
            )
        return not isinstance(target, (ir.Object, ir.Enum))  # AnyValue takes anything

    def default_source(self, schema: ir.Schema, value: Any) -> str:
        target = self.target(schema)
        if isinstance(target, ir.Enum):
            member = next(m for m in target.members if m.value == value)
            return f"{target.class_name}.{member.py_name}"
        if isinstance(value, (list, dict)):
            return f"field(default_factory=lambda: {literal(value)})"
        if isinstance(target, ir.Primitive) and target.kind == "number" and isinstance(value, int):
            return number(float(value))
        return literal(value)


def _literal(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, (str, bool, int)):
        return f"Literal[{literal(value)}]"
    if isinstance(value, float):
        return "float"
    return "Any"


def _union_members(annotation: str) -> list[str]:
    """The members of the union `annotation` (itself when it is not a union), split at each
    top-level `|` (outside brackets and the string literals of a `Literal`)."""
    if " | " not in annotation:
        return [annotation]
    members: list[str] = []
    depth, quote, escaped, start = 0, "", False, 0
    for index, ch in enumerate(annotation):
        if quote:
            if ch == quote and not escaped:
                quote = ""
            escaped = ch == "\\" and not escaped
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            members.append(annotation[start:index].strip())
            start = index + 1
    return [*members, annotation[start:].strip()]


def _immutable(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int, float))


def _optional(annotation: str) -> bool:
    return annotation.endswith("| None") or annotation == "None"
