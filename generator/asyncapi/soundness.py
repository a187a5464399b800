"""Warnings about schemas that decode badly: unions whose variants cannot be told apart, and
schemas that no value can satisfy.

Both are legal JSON Schema, and both are common in documents written by others. An ambiguous
union decodes a frame as whichever variant is tried first; an unsatisfiable schema makes every
frame of its message invalid. Neither stops generation: the warnings say where and why, so the
document can be fixed (or the client told `validate_incoming=False`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import ir
from ..diagnostics import Problems
from ..loading import Document, pointer_join

_SUBSCHEMAS = (
    "items",
    "additionalItems",
    "additionalProperties",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "definitions", "dependencies")


def check(api: ir.Api, doc: Document, problems: Problems) -> None:
    """Add a `union-ambiguous` warning per union whose variants overlap, and a
    `schema-unsatisfiable` warning per schema (or part of one) that admits no value."""
    named = {n.name: n for n in api.schemas}
    for channel in api.channels:
        for union in (channel.sends, channel.receives):
            objects = [
                (m.class_name, _object(m.payload, named))
                for m in union.messages
                if m.framing == "json" and not m.wrapped
            ]
            pair = None if union.discriminator else _ambiguous(objects)
            if pair is not None:
                origin = channel.origin or ir.Origin("")
                _warn_ambiguous(problems, doc, origin, f"messages of {union.alias}", pair)
    for schema in api.schemas:
        origin = schema.origin or ir.Origin("")
        for found in _unions(schema.schema):
            variants = [(_variant_name(v.schema, named), _object(v.schema, named)) for v in found]
            pair = _ambiguous(variants)
            if pair is not None:
                what = f"the variants of a union in {schema.name!r}"
                _warn_ambiguous(problems, doc, origin, what, pair)
        for pointer, reason in _unsatisfiable(schema.json_schema, "", named):
            problems.warning(
                "schema-unsatisfiable",
                f"schema {schema.name!r} admits no value: {reason}; every frame that needs it "
                "fails validation",
                pointer=origin.pointer + pointer,
                position=_position(doc, origin, pointer),
                hint="fix the schema, or connect with `validate_incoming=False`",
            )


# -- ambiguous unions ----------------------------------------------------------------------------


def _object(schema: ir.Schema, named: dict[str, ir.NamedSchema]) -> ir.Object | None:
    for _ in range(100):
        if not isinstance(schema, ir.Ref):
            break
        schema = named[schema.name].schema
    return schema if isinstance(schema, ir.Object) else None


def _variant_name(schema: ir.Schema, named: dict[str, ir.NamedSchema]) -> str:
    return named[schema.name].class_name if isinstance(schema, ir.Ref) else "an inline variant"


def _unions(schema: ir.Schema) -> Iterator[tuple[ir.UnionVariant, ...]]:
    """The unions without discriminator written inside a named schema (not behind a `Ref`)."""
    if isinstance(schema, ir.Union_):
        if not schema.discriminator:
            yield schema.variants
        for variant in schema.variants:
            yield from _unions(variant.schema)
    elif isinstance(schema, ir.Object):
        for prop in schema.properties:
            yield from _unions(prop.schema)
    elif isinstance(schema, ir.Array):
        yield from _unions(schema.items)
    elif isinstance(schema, ir.Map):
        yield from _unions(schema.values)


def _ambiguous(variants: list[tuple[str, ir.Object | None]]) -> tuple[str, str] | None:
    """The first two object variants that no const or required property tells apart."""
    objects = [(name, obj) for name, obj in variants if obj is not None]
    if len(objects) < 2 or _tagged([obj for _, obj in objects]):
        return None
    for i, (first, a) in enumerate(objects):
        for second, b in objects[i + 1 :]:
            if not _distinct(a, b):
                return first, second
    return None


def _tagged(objects: list[ir.Object]) -> bool:
    """Whether one property holds a const that every object requires, a different one in each:
    then every two are told apart (the common case, found without comparing every pair)."""
    for p in objects[0].properties:
        if not (p.required and isinstance(p.schema, ir.Const)):
            continue
        seen: set[str] = set()
        for obj in objects:
            q = next((q for q in obj.properties if q.wire_name == p.wire_name), None)
            if q is None or not q.required or not isinstance(q.schema, ir.Const):
                break
            value = _key(q.schema.value)
            if value in seen:
                break
            seen.add(value)
        else:
            return True
    return False


def _distinct(a: ir.Object, b: ir.Object) -> bool:
    """Whether every frame of one can be told from the other's: a property both require holds
    different consts, or one requires a property the other does not declare."""
    props_a = {p.wire_name: p for p in a.properties}
    props_b = {p.wire_name: p for p in b.properties}
    for wire, p in props_a.items():
        q = props_b.get(wire)
        if (
            q is not None
            and p.required
            and q.required
            and isinstance(p.schema, ir.Const)
            and isinstance(q.schema, ir.Const)
            and _key(p.schema.value) != _key(q.schema.value)
        ):
            return True
    required_a = {w for w, p in props_a.items() if p.required}
    required_b = {w for w, p in props_b.items() if p.required}
    return bool(required_a - set(props_b) or required_b - set(props_a))


def _warn_ambiguous(
    problems: Problems, doc: Document, origin: ir.Origin, what: str, pair: tuple[str, str]
) -> None:
    problems.warning(
        "union-ambiguous",
        f"{what} cannot be told apart: {pair[0]} and {pair[1]} share no distinguishing const, "
        "discriminator or required property, so a frame is decoded as the first that accepts it",
        pointer=origin.pointer,
        position=_position(doc, origin, ""),
        hint="give each variant a required `const` property (such as `type`)",
    )


# -- unsatisfiable schemas -----------------------------------------------------------------------


def _unsatisfiable(
    schema: Any, pointer: str, named: dict[str, ir.NamedSchema]
) -> Iterator[tuple[str, str]]:
    """(pointer inside the schema, reason) for each subschema no value satisfies."""
    if not isinstance(schema, dict):
        return
    reason = _contradiction(schema, named)
    if reason:
        yield pointer, reason
    for key in _SUBSCHEMAS:
        if isinstance(schema.get(key), dict):
            yield from _unsatisfiable(schema[key], pointer_join(pointer, key), named)
    for key in _SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            for index, sub in enumerate(schema[key]):
                yield from _unsatisfiable(sub, pointer_join(pointer, key, index), named)
    for key in _SUBSCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            for name, sub in schema[key].items():
                yield from _unsatisfiable(sub, pointer_join(pointer, key, name), named)


def _contradiction(schema: dict[str, Any], named: dict[str, ir.NamedSchema]) -> str:
    """Why the schema, with the parts of its `allOf`, admits no value ("" if it may)."""
    if schema.get("enum") == []:
        return "`enum` is empty"
    parts = [schema] + [_resolve(p, named) for p in _list(schema.get("allOf"))]
    parts = [p for p in parts if isinstance(p, dict)]
    consts = {_key(p["const"]) for p in parts if "const" in p}
    if len(consts) > 1:
        return "its `const` values conflict"
    for part in parts:
        enum = part.get("enum")
        if consts and isinstance(enum, list) and not consts <= {_key(v) for v in enum}:
            return "its `const` is not one of its `enum` values"
    types: set[str] | None = None
    for part in parts:
        kinds = part.get("type")
        if isinstance(kinds, str):
            kinds = [kinds]
        if isinstance(kinds, list):
            own = {k for k in kinds if isinstance(k, str)}
            own |= {"integer"} if "number" in own else set()
            types = own if types is None else types & own
    if types is not None and not types:
        return "the `type`s of its `allOf` parts have nothing in common"
    required = {r for p in parts for r in _list(p.get("required")) if isinstance(r, str)}
    for index, part in enumerate(parts):
        if part.get("additionalProperties") is False and not part.get("patternProperties"):
            allowed = set(_dict(part.get("properties")))
            missing = sorted(required - allowed)
            if missing:
                where = "it" if index == 0 else f"`allOf` part {index - 1}"
                return (
                    f"required {missing[0]!r} is not allowed by {where} "
                    "(`additionalProperties: false`)"
                )
    by_property: dict[str, set[str]] = {}
    for part in parts:
        for name, sub in _dict(part.get("properties")).items():
            sub = _resolve(sub, named)
            if isinstance(sub, dict) and "const" in sub:
                by_property.setdefault(name, set()).add(_key(sub["const"]))
    for name, values in by_property.items():
        if len(values) > 1 and name in required:
            return f"the `allOf` parts require different consts of {name!r}"
    return ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _resolve(schema: Any, named: dict[str, ir.NamedSchema]) -> Any:
    """A `#/definitions/<name>` reference followed to that named schema's text."""
    for _ in range(100):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
            break
        name = ref[len("#/definitions/") :].replace("~1", "/").replace("~0", "~")
        if name not in named:
            break
        schema = named[name].json_schema
    return schema


def _key(value: Any) -> str:
    """A JSON value compared as JSON does (1 and true differ, 1 and 1.0 do not)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(float(value))
    return json.dumps(value, sort_keys=True)


def _position(doc: Document, origin: ir.Origin, pointer: str) -> Any:
    """Where `pointer` inside the schema at `origin` is written (or its nearest parent)."""
    file = Path(origin.file) if origin.file else doc.root_file
    full = origin.pointer + pointer
    while True:
        found = doc.position(file, full)
        if found is not None or not full:
            return found
        full = full.rpartition("/")[0]
