"""The views `models.py.jinja` prints: enums, model classes, wrapped messages, decoders, imports.

Each model field's statements are decided here, once, from its `pytypes.FieldView`: its line in
the class body, what `_from_valid` stores, what the one-pass `from_dict` stores, and its entry in
`to_dict`. Module-level names made here (the raw slot of each `format: byte` field, the tag
tables) are claimed in one `naming.Namespace` seeded with every other module-level name.
"""

from __future__ import annotations

import ast
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace

from .. import ir, naming
from ..validation import ASSERTIONS, certainly_valid, defer_byte, same_shapes
from .ordering import all_order, import_order
from .parsers import UnionView, decoded_unions, union_views
from .pytypes import FieldView, Types

# The runtime's helpers, each bound to a private module-level name of its own in models.py
# (one global lookup on the hot paths): short name → (runtime module, name there).
RUNTIME_HELPERS = {
    "_UNSET": ("_models", "UNSET"),
    "_is_valid": ("_models", "is_valid"),
    "_lazy_base64": ("_models", "lazy_base64"),
    "_to_wire": ("_models", "to_wire"),
    "_wire_bytes": ("_models", "wire_bytes"),
    "_b64decode": ("_wire", "b64decode"),
    "_b64encode": ("_wire", "b64encode"),
    "_dumps": ("_wire", "dumps"),
    "_json_loads": ("_wire", "json_loads"),
    "_loads": ("_wire", "loads"),
    "_not_json": ("_wire", "not_json"),
}
_TYPING = ("Any", "Literal", "TypeAlias")


@dataclass(frozen=True)
class EnumView:
    class_name: str
    base: str  # `str` or `int`
    description: str
    members: tuple[tuple[str, str], ...]  # (member name, value literal)
    aliases: tuple[str, ...] = ()  # class names of schemas of the same shape: `Alias = Enum`


@dataclass(frozen=True)
class FastPathView:
    """`from_dict` in one pass, for a model whose every property is a plain scalar."""

    unpack: str  # `v0, v1 = d["a"], d["b"]`: the required values, read at once ("" if none)
    first: str  # the variable that is `_UNSET` when the unpacking failed
    reads: tuple[str, ...]  # `v2 = d.get("c", _UNSET)`: the optional values
    checks: tuple[str, ...]  # conditions that together prove every value valid
    stores: tuple[str, ...]  # statements filling the new instance from the values


@dataclass(frozen=True)
class ModelView:
    schema_name: str
    class_name: str
    description: str
    validator: str  # the `validators` function `from_dict` calls
    declarations: tuple[str, ...]  # class-body lines, one per field
    builds: tuple[str, ...]  # `_from_valid` statements, one (or two lines) per field
    entries: tuple[str, ...]  # `"wire": value` items of the dict `to_dict` returns
    omitted: tuple[str, ...]  # blocks adding an optional field to `out` unless it is None
    fast: FastPathView | None
    slots: tuple[str, ...]  # after the class: each `format: byte` field's raw slot, kept
    aliases: tuple[str, ...] = ()  # class names of schemas of the same shape: `Alias = Model`


@dataclass(frozen=True)
class WrappedView:
    """A message whose payload is not an object: a class with one `payload` field."""

    class_name: str
    doc: str
    framing: str  # `binary`, `text` or `json`
    declaration: str  # the `payload` line of the class body
    validator: str  # checks the payload
    frame_type: str  # what `to_frame` returns
    build: str  # what ends `from_frame` once the frame is checked
    encode: str  # `to_frame` of a JSON payload: the payload `v` as a JSON value


@dataclass(frozen=True)
class ImportsView:
    stdlib: tuple[str, ...]  # import statements, in isort's order
    local: tuple[str, ...]


@dataclass(frozen=True)
class ModelsView:
    imports: ImportsView
    exports: tuple[str, ...]  # the public names, in import order
    all_exports: tuple[str, ...]  # the same, in `__all__` order
    enums: tuple[EnumView, ...]
    models: tuple[ModelView, ...]
    wrapped: tuple[WrappedView, ...]
    union_helpers: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # name, (test, decode)
    unions: tuple[UnionView, ...]
    deferred: tuple[tuple[str, str], ...]  # schema name → private validator checking bytes later


def build(api: ir.Api, types: Types) -> ModelsView:
    named = [n for n in api.schemas if isinstance(n.schema, (ir.Object, ir.Enum))]
    shared = shared_classes(api)
    aliases: dict[str, list[str]] = {}
    for n in named:
        if shared[n.name] != n.name:
            aliases.setdefault(shared[n.name], []).append(n.class_name)
    objects = [n for n in named if isinstance(n.schema, ir.Object) and shared[n.name] == n.name]
    fields = {n.name: [types.field(p) for p in _properties(n)] for n in objects}
    wrapped = [m for m in api.messages if m.wrapped]
    payloads = {m.key: _payload_field(m, types) for m in wrapped}
    helpers: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    while len(helpers) < len(types.unions):  # a helper's cases may register more helpers
        helper, schema = types.unions[len(helpers)]
        helpers.append((helper, tuple(types.union_cases(schema))))
    # Fields where null is a value tell absence apart with `UNSET` (of type `Unset`), which
    # users test against: both are then exported.
    unset_fields = [f for fs in fields.values() for f in fs if f.unset]
    unset = {"UNSET"} if unset_fields else set()
    unset |= {"Unset"} if any(f.annotation != "Any" for f in unset_fields) else set()
    exports = sorted(
        unset
        | {n.class_name for n in named}
        | {m.class_name for m in api.messages}
        | {u.alias for _, u in decoded_unions(api)}
        | {u.parse_name for _, u in decoded_unions(api)}
        | {"ValidationError"},
        key=import_order,
    )
    module = naming.Namespace(
        set(exports)
        | {name for name, _ in helpers}
        | set(RUNTIME_HELPERS)
        | set(naming.RESERVED_CLASSES)
        | {"validators", "cls", "self"}
    )
    models = tuple(
        replace(_model(n, fields[n.name], types, module), aliases=tuple(aliases.get(n.name, ())))
        for n in objects
    )
    messages = tuple(_wrapped(m, payloads[m.key], api) for m in wrapped)
    unions = union_views(api, types, module)
    enums = tuple(
        replace(_enum(n), aliases=tuple(aliases.get(n.name, ())))
        for n in named
        if isinstance(n.schema, ir.Enum) and shared[n.name] == n.name
    )
    return ModelsView(
        imports=_imports(enums, models, messages, helpers, unions),
        exports=tuple(exports),
        all_exports=tuple(sorted(exports, key=all_order)),
        enums=enums,
        models=models,
        wrapped=messages,
        union_helpers=tuple(helpers),
        unions=unions,
        deferred=tuple((m.schema_name, m.validator) for m in models if m.validator.startswith("_")),
    )


def shared_classes(api: ir.Api) -> dict[str, str]:
    """Each named schema -> the first of the same shape (`validation.same_shapes`), whose class
    serves both: the other class names are aliases of it. Only models and enums of the same
    description are shared, and two payloads of one channel keep classes of their own (its
    client and server tell messages apart by their class)."""
    definitions = {n.name: n.json_schema for n in api.schemas}
    kinds: dict[str, Hashable] = {n.name: (type(n.schema), n.description) for n in api.schemas}
    same = same_shapes(definitions, kinds)
    for channel in api.channels:
        taken: dict[str, str] = {}  # the class's schema -> the payload using it
        for message in (*channel.sends.messages, *channel.receives.messages):
            name = message.payload_schema
            if message.wrapped or taken.setdefault(same[name], name) == name:
                continue
            kinds[name] = (name,)  # a kind of its own
    return same_shapes(definitions, kinds)


def _properties(named: ir.NamedSchema) -> tuple[ir.Property, ...]:
    assert isinstance(named.schema, ir.Object)
    return named.schema.properties


def _enum(named: ir.NamedSchema) -> EnumView:
    enum = named.schema
    assert isinstance(enum, ir.Enum)
    return EnumView(
        class_name=enum.class_name,
        base=enum.kind,
        description=named.description,
        members=tuple((m.py_name, repr(m.value)) for m in enum.members),
    )


def _model(
    named: ir.NamedSchema, fields: list[FieldView], types: Types, module: naming.Namespace
) -> ModelView:
    obj = named.schema
    assert isinstance(obj, ir.Object)
    # A `format: byte` field's slot is replaced by a descriptor that decodes on first read; the
    # slot itself stays reachable under this name, for storing and reading the wire text.
    raw_slots = {
        f.prop.py_name: module.claim(f"_{obj.class_name}_{f.prop.py_name}")
        for f in fields
        if f.lazy_bytes
    }
    # Models of schemas that hold `format: byte` text check it for shape only when parsing (the
    # slot decodes it strictly on first read), through a private variant of the validator;
    # defer_byte copies the schema with its own `byte` checks changed: a change means it has some.
    deferred = defer_byte(named.json_schema) != named.json_schema
    return ModelView(
        schema_name=named.name,
        class_name=obj.class_name,
        description=named.description,
        validator=f"_model_{named.validator_name}" if deferred else named.validator_name,
        declarations=tuple(_declaration(f, f.prop.py_name) for f in fields),
        builds=tuple(_build(f, raw_slots.get(f.prop.py_name, "")) for f in fields),
        entries=tuple(
            f"{f.prop.wire_name!r}: {_encoded(f, raw_slots)}" for f in fields if not f.omit_none
        ),
        omitted=tuple(_omitted(f, raw_slots) for f in fields if f.omit_none),
        fast=_fast_path(named, fields, types, raw_slots),
        slots=tuple(
            f"{slot} = _lazy_base64({obj.class_name}, {name!r}, {_wire_name(fields, name)!r})"
            for name, slot in raw_slots.items()
        ),
    )


def _wire_name(fields: list[FieldView], py_name: str) -> str:
    return next(f.prop.wire_name for f in fields if f.prop.py_name == py_name)


def _declaration(f: FieldView, name: str) -> str:
    if f.const:
        return f"{name}: {f.annotation} = field(default={f.const}, init=False)"
    line = f"{name}: {f.annotation} = {f.default}" if f.default else f"{name}: {f.annotation}"
    if f.documented:
        return f"# Absent means the document's default, {f.documented} (applied by the receiver)\n{line}"
    return line


def _absent(f: FieldView) -> str:
    """What `_from_valid` reads for an optional wire value: None, or `_UNSET`, when absent."""
    return "_UNSET" if f.unset else "None"


def _build(f: FieldView, raw_slot: str) -> str:
    """What `_from_valid` does for the field, with `d` the validated wire object."""
    attr = f"self.{f.prop.py_name}"
    if f.const:
        return f"{attr} = {f.const}"
    get = f"d.get({f.prop.wire_name!r})" if not f.unset else f"d.get({f.prop.wire_name!r}, _UNSET)"
    if raw_slot:
        value = f"d[{f.prop.wire_name!r}]" if f.prop.required else get
        return f"{raw_slot}.__set__(self, {value})"
    if f.prop.required:
        return f"{attr} = {f.decode_item}"
    if f.decode == "v":
        return f"{attr} = {get}"
    return f"v = {get}\n{attr} = {_absent(f)} if v is {_absent(f)} else {f.decode}"


def _encoded(f: FieldView, raw_slots: dict[str, str]) -> str:
    """The field's wire value for `to_dict` (undecoded base64 text is passed on as it is)."""
    if f.lazy_bytes:
        return f"_wire_bytes({raw_slots[f.prop.py_name]}.__get__(self))"
    return f.encode_attr


def _omitted(f: FieldView, raw_slots: dict[str, str]) -> str:
    wire = repr(f.prop.wire_name)
    if f.lazy_bytes:
        raw = f"{raw_slots[f.prop.py_name]}.__get__(self)"
        return f"v = {raw}\nif v is not None:\n    out[{wire}] = _wire_bytes(v)"
    return f"if self.{f.prop.py_name} is not {_absent(f)}:\n    out[{wire}] = {f.encode_attr}"


def _fast_path(
    named: ir.NamedSchema, views: list[FieldView], types: Types, raw_slots: dict[str, str]
) -> FastPathView | None:
    """`from_dict` in one pass when every property is a plain scalar (see `certainly_valid`);
    None when the schema says more."""
    schema = defer_byte(named.json_schema)
    if not isinstance(schema, dict) or set(schema) & ASSERTIONS - {
        "type",
        "properties",
        "required",
    }:
        return None
    properties, required = schema.get("properties"), schema.get("required", [])
    if schema.get("type", "object") != "object" or not isinstance(properties, dict):
        return None
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        return None
    if not set(required) <= set(properties) or not views:
        return None
    checks, stores, needed, reads = [], [], [], []
    for index, view in enumerate(views):
        var = f"v{index}"
        check = certainly_valid(properties.get(view.prop.wire_name), var)
        if check is None or not (view.decode == "v" or view.lazy_bytes):
            return None
        target = types.target(view.prop.schema)
        value = repr(target.value) if isinstance(target, ir.Const) else var
        if view.prop.required:
            needed.append((var, view.prop.wire_name))
        else:
            check = f"({var} is _UNSET or {check})"
            reads.append(f"{var} = d.get({view.prop.wire_name!r}, _UNSET)")
            value = var if view.unset else f"None if {var} is _UNSET else {value}"
        checks.append(check)
        raw_slot = raw_slots.get(view.prop.py_name)
        if view.const:
            stores.append(f"self.{view.prop.py_name} = {view.const}")
        elif raw_slot:
            stores.append(f"{raw_slot}.__set__(self, {value})")
        else:
            stores.append(f"self.{view.prop.py_name} = {value}")
    unpack = ""
    if needed:
        comma = "," if len(needed) == 1 else ""
        targets = ", ".join(var for var, _ in needed)
        sources = ", ".join(f"d[{wire!r}]" for _, wire in needed)
        unpack = f"{targets}{comma} = {sources}{comma}"
    return FastPathView(
        unpack=unpack,
        first=needed[0][0] if needed else "",
        reads=tuple(reads),
        checks=tuple(checks),
        stores=tuple(stores),
    )


def _payload_field(message: ir.Message, types: Types) -> FieldView:
    """The single `payload` field of a message class that wraps a non-object payload."""
    view = types.field(ir.Property("payload", "payload", message.payload, True))
    if message.framing == "binary":
        return replace(view, annotation="bytes", decode="v", encode="v", const="", lazy_bytes=False)
    if message.framing == "text" and not view.const:
        return replace(view, annotation="str", decode="v", encode="v")
    return view


def _wrapped(message: ir.Message, f: FieldView, api: ir.Api) -> WrappedView:
    payload = api.schema(message.payload_schema)
    if f.const:
        build = "return cls()"
    elif message.framing == "json":
        build = f"v = data\nreturn cls(payload={f.decode})"
    else:
        build = "return cls(payload=frame)"
    return WrappedView(
        class_name=message.class_name,
        doc=(
            f"Message `{message.key}` ({message.content_type}). "
            f"{message.summary or message.description}"
        ),
        framing=message.framing,
        declaration=_declaration(f, "payload"),
        validator=payload.validator_name,
        frame_type="bytes" if message.framing == "binary" else "str",
        build=build,
        encode=f.encode,
    )


def _imports(
    enums: tuple[EnumView, ...],
    models: tuple[ModelView, ...],
    wrapped: tuple[WrappedView, ...],
    helpers: list[tuple[str, tuple[tuple[str, str], ...]]],
    unions: tuple[UnionView, ...],
) -> ImportsView:
    """Exactly the imports the module uses (an unused one fails the linters)."""
    used = {"ValidationError"} | ({"Enum"} if enums else set())
    sources: list[str] = []
    for model in models:
        used |= {"dataclass", "Any", "validators", "_loads", "_dumps"}
        used |= {"_UNSET"} if model.fast else set()
        sources += model.declarations + model.builds + model.omitted + model.slots
        sources += [f"{{{entry}}}" for entry in model.entries]
        if model.fast:
            sources += [model.fast.unpack, *model.fast.reads, *model.fast.stores]
            sources += model.fast.checks
    for message in wrapped:
        used |= {"dataclass", "ValidationError"}
        used |= {"_loads", "_dumps"} if message.framing == "json" else {"ValidationErrorItem"}
        used |= set() if message.framing == "binary" else {"validators"}
        sources += [message.declaration, message.build, message.encode]
    for _, cases in helpers:
        used.add("Any")
        sources += [text for case in cases for text in case]
    for union in unions:
        used |= union.names()
        sources += union.expressions()
    used |= _names(sources)
    stdlib = []
    if "Callable" in used:
        stdlib.append("from collections.abc import Callable")
    dataclasses = [name for name in ("dataclass", "field") if name in used]
    if dataclasses:
        stdlib.append(f"from dataclasses import {', '.join(dataclasses)}")
    if "Enum" in used:
        stdlib.append("from enum import Enum")
    typing = [name for name in _TYPING if name in used]
    if typing:
        stdlib.append(f"from typing import {', '.join(typing)}")
    local = ["from . import validators"] if "validators" in used else []
    # isort's style: plain names share one statement, each `name as alias` has its own.
    errors = [name for name in ("ValidationError", "ValidationErrorItem") if name in used]
    local.append(f"from ._errors import {', '.join(errors)}")
    public = [name for name in ("UNSET", "Unset") if name in used]
    if public:
        local.append(f"from ._models import {', '.join(public)}")
    for short, (module, name) in sorted(RUNTIME_HELPERS.items(), key=lambda item: item[1]):
        if short in used:
            local.append(f"from .{module} import {name} as {short}")
    return ImportsView(stdlib=tuple(stdlib), local=tuple(local))


def _names(sources: Iterable[str]) -> set[str]:
    """Every name the snippets of Python source refer to (names in string literals are not)."""
    found: set[str] = set()
    for text in sources:
        if text:
            found |= {n.id for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Name)}
    return found
