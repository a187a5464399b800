"""JSON Schema (AsyncAPI's schema object) → the IR's schema tree and named-schema table.

Shared by the 2.x and 3.x parsers. A schema gets a name of its own when it is a component, the
target of a `$ref`, a message payload, or an inline object or enum that needs a class; every such
name is claimed once, here, in document order, so the output is deterministic. Each named schema
keeps its full draft-07 text (with `$ref`s rewritten to `#/definitions/<name>`) for the validator
compiler, while the tree records only what the models need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import ir, naming
from ..diagnostics import Problems
from ..loading import Document, Resolved, pointer_join

# Keywords whose value is a schema, a list of schemas, or a map of names to schemas: only these
# are walked when `$ref`s are rewritten (a property named `description` is not an annotation).
_SCHEMA_KEYWORDS = {
    "items",
    "additionalItems",
    "additionalProperties",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
}
_SCHEMA_LIST_KEYWORDS = {"allOf", "anyOf", "oneOf", "items"}
_SCHEMA_MAP_KEYWORDS = {"properties", "patternProperties", "definitions", "dependencies"}
# How many schemas may be built inside each other before a `$ref`'s target is left for later.
_DEFER_AT_DEPTH = 24


@dataclass(frozen=True)
class Loc:
    """A node's home: the file it is written in and its JSON pointer there."""

    file: Path
    pointer: str

    def child(self, *tokens: str | int) -> Loc:
        return Loc(self.file, pointer_join(self.pointer, *tokens))


class SchemaBuilder:
    def __init__(self, doc: Document, problems: Problems, class_names: naming.Namespace) -> None:
        self.doc = doc
        self.problems = problems
        self.class_names = class_names
        self._schema_names = naming.Namespace()
        self._validator_names = naming.Namespace()
        self._by_loc: dict[Loc, str] = {}
        self._named: dict[str, ir.NamedSchema] = {}
        self._order: list[str] = []
        self._fixed_classes: dict[Loc, str] = {}
        self._depth = 0  # schemas being built inside each other
        self._later: list[tuple[Any, Loc, str, str]] = []  # schemas to build when depth is 0

    def keep_class_names(self, components: list[tuple[str, Loc]]) -> None:
        """Components already named in PascalCase keep that spelling as their class name, even
        when a schema met earlier (`item` → `Item`) would have claimed it first."""
        for key, loc in components:
            if (
                naming.pascal(key) == key
                and naming.class_name(key) == key
                and key not in self.class_names
            ):
                self._fixed_classes[loc] = self.class_names.claim(key)

    # -- public -------------------------------------------------------------------------------

    def named_schemas(self) -> tuple[ir.NamedSchema, ...]:
        return tuple(self._named[name] for name in self._order)

    def named(self, name: str) -> ir.NamedSchema:
        return self._named[name]

    def name_at(
        self, value: Any, loc: Loc, name: str, *, class_hint: str = "", defer: bool = False
    ) -> str:
        """Give the schema at `loc` a name (once) and build it (`defer`: once the schema being
        built is done); returns the name."""
        if loc in self._by_loc:
            return self._by_loc[loc]
        name = self._schema_names.claim(name or "Schema")
        self._by_loc[loc] = name
        self._order.append(name)
        class_name = self._fixed_classes.get(loc) or naming.unique_class(
            self.class_names, class_hint or name
        )
        # A placeholder first, so that cycles through this schema find its name.
        self._named[name] = ir.NamedSchema(
            name, class_name, "", ir.AnyValue(), {}, origin=self._origin(loc)
        )
        if defer:
            self._later.append((value, loc, name, class_name))
        else:
            self._complete(value, loc, name, class_name)
            self._build_later()
        return name

    def _complete(self, value: Any, loc: Loc, name: str, class_name: str) -> None:
        tree = self._build(value, loc, class_name, top=True)
        if isinstance(tree, ir.Ref) and self.last_named(tree) == name:
            # Only a reference to itself (`A: {oneOf: [{$ref: B}]}`, `B: {allOf: [{$ref: A}]}`):
            # no value is described, so any is taken; the validator still says what is valid.
            tree = ir.AnyValue()
        validator_name = self._validator_names.claim(naming.validator_function(name))
        self._depth += 1  # the schemas its `$ref`s name are built inside it too
        try:
            json_schema = self._json_schema(value, loc)
        finally:
            self._depth -= 1
        self._named[name] = ir.NamedSchema(
            name=name,
            class_name=class_name,
            validator_name=validator_name,
            schema=tree,
            json_schema=json_schema,
            description=_text(value, "description"),
            origin=self._origin(loc),
        )

    def _build_later(self) -> None:
        """Builds the schemas whose building was put off, once nothing is being built."""
        while self._later and not self._depth:
            self._complete(*self._later.pop(0))

    def build(self, value: Any, loc: Loc, class_hint: str) -> ir.Schema:
        """The tree of an inline schema; objects and enums inside get named by `class_hint`."""
        tree = self._build(value, loc, class_hint, top=False)
        self._build_later()
        return tree

    def deref(self, value: Any, loc: Loc) -> tuple[Any, Loc]:
        """Follow a `$ref` (if `value` is one) to its target."""
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            found = self.doc.resolve(value["$ref"], loc.file)
            if found is not None:
                return found.value, Loc(found.file, found.pointer)
        return value, loc

    def object_of(self, schema: ir.Schema) -> ir.Object | None:
        schema = (
            self.named(self.last_named(schema)).schema if isinstance(schema, ir.Ref) else schema
        )
        return schema if isinstance(schema, ir.Object) else None

    def last_named(self, ref: ir.Ref) -> str:
        """The named schema at the end of a chain of named schemas that are only a reference
        (`oneOf` of one `$ref`, say); the chain never goes round (see `_complete`)."""
        name, seen = ref.name, {ref.name}
        while isinstance(self._named[name].schema, ir.Ref):
            name = self._named[name].schema.name  # type: ignore[union-attr]
            if name in seen:
                break
            seen.add(name)
        return name

    # -- tree ---------------------------------------------------------------------------------

    def _build(self, value: Any, loc: Loc, hint: str, *, top: bool) -> ir.Schema:
        self._depth += 1
        try:
            return self._build_at_depth(value, loc, hint, top=top)
        finally:
            self._depth -= 1

    def _build_at_depth(self, value: Any, loc: Loc, hint: str, *, top: bool) -> ir.Schema:
        if isinstance(value, dict) and "$ref" in value:
            return self._ref(value, loc)
        if value is True or value is False or not isinstance(value, dict):
            if not isinstance(value, bool):
                self.problems.error(
                    "schema-type",
                    f"a schema must be an object or a boolean, not {type(value).__name__}",
                    pointer=loc.pointer,
                    position=self._position(loc),
                )
            return ir.AnyValue()
        if value.get("nullable") is True:
            self.problems.warning(
                "nullable",
                "`nullable` is an OpenAPI 3.0 keyword, not part of AsyncAPI's schema dialect; "
                "read as also allowing null",
                pointer=pointer_join(loc.pointer, "nullable"),
                position=self._position(loc.child("nullable")),
                hint="write `type: [<type>, 'null']` instead",
            )
            inner = self._build_plain(value, loc, hint, top=top)
            return _nullable(inner)
        return self._build_plain(value, loc, hint, top=top)

    def _build_plain(self, value: dict[str, Any], loc: Loc, hint: str, *, top: bool) -> ir.Schema:
        if "const" in value:
            return ir.Const(value["const"])
        if "enum" in value and isinstance(value["enum"], list):
            return self._enum(value, loc, hint, top=top)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(value.get(keyword), list) and "properties" not in value:
                return self._union(value, keyword, loc, hint)
        if isinstance(value.get("allOf"), list) and value["allOf"]:
            return self._all_of(value, loc, hint, top=top)
        kind = value.get("type")
        if isinstance(kind, list):
            return self._type_list(value, kind, loc, hint, top=top)
        if kind == "object" or (kind is None and "properties" in value):
            return self._object(value, loc, hint, top=top)
        if kind == "array":
            return self._array(value, loc, hint)
        if kind in ("string", "integer", "number", "boolean", "null"):
            fmt = value.get("format")
            return ir.Primitive(kind, fmt if isinstance(fmt, str) else None)
        return ir.AnyValue()

    def _ref(self, value: dict[str, Any], loc: Loc) -> ir.Schema:
        ref = value["$ref"]
        found = self.doc.resolve(ref, loc.file) if isinstance(ref, str) else None
        if found is None:
            return ir.AnyValue()  # the loader has reported it
        target = Loc(found.file, found.pointer)
        # A chain of references (a ring of a hundred schemas, say) is built one schema after the
        # other past a depth, not inside each other: that would overflow Python's stack.
        defer = self._depth > _DEFER_AT_DEPTH
        named = ir.Ref(self.name_at(found.value, target, _ref_name(found), defer=defer))
        enum = found.value.get("enum") if isinstance(found.value, dict) else None
        if isinstance(enum, list) and None in enum and len(enum) > 1:
            return _nullable(named)  # the enum class holds the other values
        return named

    def _type_list(
        self, value: dict[str, Any], kinds: list[Any], loc: Loc, hint: str, *, top: bool
    ) -> ir.Schema:
        if not kinds:
            self.problems.error(
                "schema-type",
                "`type` lists no type, so no value would be valid",
                pointer=pointer_join(loc.pointer, "type"),
                position=self._position(loc.child("type")),
                hint="name at least one type, or leave `type` out to allow any value",
            )
            return ir.AnyValue()
        others = [k for k in kinds if k != "null"]
        variants = [self._build_plain({**value, "type": k}, loc, hint, top=top) for k in others]
        if "null" in kinds:
            variants.append(ir.Primitive("null"))
        if len(variants) == 1:
            return variants[0]
        return ir.Union_(tuple(ir.UnionVariant(v) for v in variants))

    def _enum(self, value: dict[str, Any], loc: Loc, hint: str, *, top: bool) -> ir.Schema:
        values = value["enum"]
        if len(values) == 1:
            return ir.Const(values[0])
        present = [v for v in values if v is not None]
        if all(isinstance(v, str) for v in present):
            kind = "str"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            kind = "int"
        else:
            return ir.AnyValue()  # mixed enums: only the validator can express them
        if not present:
            return ir.Primitive("null")
        if not top:
            named = ir.Ref(self.name_at(value, loc, hint, class_hint=hint))
            return _nullable(named) if None in values else named
        members = naming.Namespace()
        return ir.Enum(
            class_name=hint,
            kind=kind,  # type: ignore[arg-type]
            members=tuple(ir.EnumMember(members.claim(naming.enum_member(v)), v) for v in present),
            description=_text(value, "description"),
        )

    def _union(self, value: dict[str, Any], keyword: str, loc: Loc, hint: str) -> ir.Schema:
        if not value[keyword]:
            self.problems.error(
                "schema-type",
                f"`{keyword}` lists no schema, so no value would be valid",
                pointer=pointer_join(loc.pointer, keyword),
                position=self._position(loc.child(keyword)),
                hint=f"list at least one schema in `{keyword}`, or leave it out",
            )
            return ir.AnyValue()
        variants = []
        for index, item in enumerate(value[keyword]):
            variants.append(
                self._build(item, loc.child(keyword, index), f"{hint}{index + 1}", top=False)
            )
        if len(variants) == 1:
            return variants[0]
        return self._discriminate(value, tuple(variants))

    def _discriminate(self, value: dict[str, Any], variants: tuple[ir.Schema, ...]) -> ir.Schema:
        """Find the property whose const tells every variant apart (`type` first)."""
        objects = [self.object_of(v) for v in variants]
        plain = tuple(ir.UnionVariant(v) for v in variants)
        if any(o is None for o in objects):
            return ir.Union_(plain)
        declared = value.get("discriminator")
        if isinstance(declared, dict):
            declared = declared.get("propertyName")
        candidates: list[str] = [declared] if isinstance(declared, str) else []
        candidates += ["type"] + [p.wire_name for o in objects[:1] if o for p in o.properties]
        for candidate in candidates:
            tags = [_const_of(o, candidate) for o in objects if o]
            if all(t is not ir.MISSING for t in tags) and _distinct(tags):
                return ir.Union_(
                    tuple(ir.UnionVariant(v, t) for v, t in zip(variants, tags)), candidate
                )
        return ir.Union_(plain)

    def _all_of(self, value: dict[str, Any], loc: Loc, hint: str, *, top: bool) -> ir.Schema:
        """Merge the parts' properties when every part is an object; else only validate."""
        parts = value["allOf"]
        if len(parts) == 1 and not value.get("properties"):
            return self._build(parts[0], loc.child("allOf", 0), hint, top=top)
        if not top:
            return ir.Ref(self.name_at(value, loc, hint, class_hint=hint))
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        homes: dict[str, Loc] = {}
        for part, part_loc in [
            *(self._resolve_all(p, loc.child("allOf", i)) for i, p in enumerate(parts)),
            (value, loc),
        ]:
            if part is value and not value.get("properties"):
                continue
            if not isinstance(part, dict) or not (
                part.get("type") == "object" or "properties" in part
            ):
                return ir.AnyValue()
            # What is not a mapping or a list here is refused by the validator compiler.
            properties, required = part.get("properties") or {}, part.get("required")
            if not isinstance(properties, dict):
                return ir.AnyValue()
            for wire, sub in properties.items():
                merged["properties"][wire] = sub
                homes[wire] = part_loc.child("properties", wire)
            if isinstance(required, list):
                merged["required"] += [r for r in required if isinstance(r, str)]
        return self._object(merged, loc, hint, top=top, homes=homes)

    def _resolve_all(self, part: Any, loc: Loc) -> tuple[Any, Loc]:
        seen = 0
        while isinstance(part, dict) and "$ref" in part and seen < 64:
            part, loc = self.deref(part, loc)
            seen += 1
        return part, loc

    def _object(
        self,
        value: dict[str, Any],
        loc: Loc,
        hint: str,
        *,
        top: bool,
        homes: dict[str, Loc] | None = None,
    ) -> ir.Schema:
        properties = value.get("properties")
        additional = value.get("additionalProperties", True)
        if not isinstance(properties, dict) or not properties:
            if isinstance(additional, dict):
                return ir.Map(
                    self._build(
                        additional, loc.child("additionalProperties"), f"{hint}Value", top=False
                    )
                )
            return ir.Map(ir.AnyValue())
        if not top:
            return ir.Ref(self.name_at(value, loc, hint, class_hint=hint))
        required = {r for r in value.get("required") or [] if isinstance(r, str)}
        attrs = naming.Namespace(naming.RESERVED_ATTRIBUTES)
        props = []
        for wire, sub in properties.items():
            sub_loc = homes[wire] if homes else loc.child("properties", wire)
            target, _ = self._resolve_all(sub, sub_loc)
            target = target if isinstance(target, dict) else {}
            props.append(
                ir.Property(
                    wire_name=wire,
                    py_name=naming.unique_attribute(attrs, wire),
                    schema=self._build(sub, sub_loc, hint + naming.pascal(wire), top=False),
                    required=wire in required,
                    default=target.get("default", ir.MISSING),
                    description=_text(target, "description"),
                    deprecated=target.get("deprecated") is True,
                    read_only=target.get("readOnly") is True,
                    write_only=target.get("writeOnly") is True,
                )
            )
        extra: ir.Schema | bool = True
        if additional is False:
            extra = False
        elif isinstance(additional, dict):
            extra = self._build(
                additional, loc.child("additionalProperties"), f"{hint}Value", top=False
            )
        return ir.Object(hint, tuple(props), extra, _text(value, "description"))

    def _array(self, value: dict[str, Any], loc: Loc, hint: str) -> ir.Schema:
        items = value.get("items")
        if isinstance(items, dict):
            return ir.Array(self._build(items, loc.child("items"), f"{hint}Item", top=False))
        return ir.Array(ir.AnyValue())

    # -- draft-07 text for the validators ------------------------------------------------------

    def _json_schema(self, value: Any, loc: Loc, *, top: bool = True) -> Any:
        """A copy of the schema with every `$ref` pointing at `#/definitions/<name>`, and every
        inline schema that has a name of its own (a nested object's class) referred to by it,
        so that each is compiled into one validator function, not once per enclosing schema."""
        if not isinstance(value, dict):
            return value
        if not top and loc in self._by_loc:
            return {"$ref": "#/definitions/" + _pointer_token(self._by_loc[loc])}
        ref = value.get("$ref")
        if isinstance(ref, str):
            found = self.doc.resolve(ref, loc.file)
            if found is None:
                return {}
            target, defer = Loc(found.file, found.pointer), self._depth > _DEFER_AT_DEPTH
            name = self.name_at(found.value, target, _ref_name(found), defer=defer)
            return {"$ref": "#/definitions/" + _pointer_token(name)}
        out: dict[str, Any] = {}
        for key, sub in value.items():
            if key in _SCHEMA_LIST_KEYWORDS and isinstance(sub, list):  # before `items: {}`
                out[key] = [
                    self._json_schema(s, loc.child(key, i), top=False) for i, s in enumerate(sub)
                ]
            elif key in _SCHEMA_KEYWORDS:
                out[key] = self._json_schema(sub, loc.child(key), top=False)
            elif key in _SCHEMA_MAP_KEYWORDS and isinstance(sub, dict):
                out[key] = {
                    name: (
                        self._json_schema(s, loc.child(key, name), top=False)
                        if isinstance(s, dict)
                        else s
                    )
                    for name, s in sub.items()
                }
            elif key != "$id":  # refs are resolved already; an `$id` would re-scope `#/...`
                out[key] = sub
        return out

    # -- positions -----------------------------------------------------------------------------

    def _position(self, loc: Loc) -> Any:
        return self.doc.position(loc.file, loc.pointer)

    def _origin(self, loc: Loc) -> ir.Origin:
        # No position: finding one can cost a re-parse (JSON files), and only problems need it.
        return ir.Origin(loc.pointer, file=str(loc.file))


def _text(value: Any, key: str) -> str:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, str) else ""


def _pointer_token(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _ref_name(found: Resolved) -> str:
    """`#/components/schemas/TtsChunk` → `TtsChunk`; a whole file → its stem."""
    if not found.pointer:
        return found.file.stem
    return found.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _nullable(schema: ir.Schema) -> ir.Schema:
    return ir.Union_((ir.UnionVariant(schema), ir.UnionVariant(ir.Primitive("null"))))


def _const_of(obj: ir.Object, wire: str) -> Any:
    for prop in obj.properties:
        if prop.wire_name == wire and prop.required and isinstance(prop.schema, ir.Const):
            value = prop.schema.value
            if isinstance(value, (str, int)) or value is None:
                return value
    return ir.MISSING


def _distinct(tags: list[Any]) -> bool:
    keys = [(type(t), t) for t in tags]
    return len(set(keys)) == len(keys)
