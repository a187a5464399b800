"""IR → file contents: the Jinja environment, the views templates print, and black.

Everything a template needs is computed here (or in `pytypes`/`naming`) from the IR; templates
only print. Text from the document reaches generated code only through the `pystr` and
`docstring` filters, which make it inert whatever it holds (`\"\"\"`, backslashes, `{{`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import jinja2

from . import __version__, ir, runtime, sockets
from .formatting import format_python
from .pytypes import FieldView, Types
from .validation import ASSERTIONS, certainly_valid, defer_byte


@dataclass
class ParsePlan:
    """How one channel direction's frames are decoded, case by case."""

    union: ir.MessageUnion
    binary: list[ir.Message] = field(default_factory=list)
    text_consts: list[tuple[str, ir.Message]] = field(default_factory=list)
    text_any: ir.Message | None = None
    json_tags: list[tuple[str, ir.Message]] = field(default_factory=list)
    json_tag_type: str = "str"
    json_trials: list[ir.Message] = field(default_factory=list)


def parse_plan(union: ir.MessageUnion, types: Types) -> ParsePlan:
    plan = ParsePlan(union)
    by_key = {m.key: m for m in union.messages}
    for message in union.messages:
        if message.framing == "binary":
            plan.binary.append(message)
        elif message.framing == "text":
            payload = types.target(message.payload)
            if isinstance(payload, ir.Const) and isinstance(payload.value, str):
                plan.text_consts.append((repr(payload.value), message))
            elif plan.text_any is None:
                plan.text_any = message
    if union.discriminator:
        plan.json_tags = [(repr(tag), by_key[key]) for tag, key in union.tags]
        plan.json_tag_type = "int" if all(isinstance(t, int) for t, _ in union.tags) else "str"
    else:
        json_messages = [m for m in union.messages if m.framing == "json"]
        # Most specific first: a variant pinned by const properties (`cancel: true`) is tried
        # before a looser one that would also accept its frames.
        plan.json_trials = sorted(json_messages, key=lambda m: -_const_count(m, types))
    return plan


def _payload_field(message: ir.Message, types: Types) -> FieldView:
    """The single `payload` field of a message class that wraps a non-object payload."""
    view = types.field(ir.Property("payload", "payload", message.payload, True))
    if message.framing == "binary":
        return replace(view, annotation="bytes", decode="v", encode="v", const="", lazy_bytes=False)
    if message.framing == "text" and not view.const:
        return replace(view, annotation="str", decode="v", encode="v")
    return view


@dataclass(frozen=True)
class FastField:
    """One field of a model's fast path: `var` holds its wire value, `check` proves it valid."""

    view: FieldView
    var: str
    check: str
    value: str  # what the field gets: the variable, or the const it was checked against


@dataclass(frozen=True)
class FastPath:
    fields: list[FastField]
    unpack: str  # `v0, v1 = d["a"], d["b"]`: the required values, read at once ("" if none)
    first: str  # the variable that is `_UNSET` when the unpacking failed
    optional: list[FastField]


def _fast_path(named: ir.NamedSchema, views: list[FieldView], types: Types) -> FastPath | None:
    """The fields of a model whose every property is a plain scalar (see `certainly_valid`),
    for `from_dict` to check and build in one pass; None when the schema says more."""
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
    if not isinstance(required, list) or not set(required) <= set(properties) or not views:
        return None
    fast = []
    for index, view in enumerate(views):
        var = f"v{index}"
        sub = properties.get(view.prop.wire_name)
        check = certainly_valid(sub, var)
        if check is None or not (view.decode == "v" or view.lazy_bytes):
            return None
        target = types.target(view.prop.schema)
        value = pystr(target.value) if isinstance(target, ir.Const) else var
        if not view.prop.required:
            check = f"({var} is _UNSET or {check})"
        fast.append(FastField(view, var, check, value))
    needed = [f for f in fast if f.view.prop.required]
    comma = "," if len(needed) == 1 else ""
    unpack = ""
    if needed:
        targets = ", ".join(f.var for f in needed)
        sources = ", ".join(f"d[{pystr(f.view.prop.wire_name)}]" for f in needed)
        unpack = f"{targets}{comma} = {sources}{comma}"
    return FastPath(
        fast, unpack, needed[0].var if needed else "", [f for f in fast if not f.view.prop.required]
    )


def _const_count(message: ir.Message, types: Types) -> int:
    obj = types.target(message.payload)
    if not isinstance(obj, ir.Object):
        return 0
    return sum(
        1 for p in obj.properties if p.required and isinstance(types.target(p.schema), ir.Const)
    )


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _import_order(name: str) -> tuple[object, ...]:
    """isort's order inside `from x import (...)`: CONSTANTS, Classes, functions; no case."""
    rank = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return rank, _natural(name.lower())


def _all_order(name: str) -> tuple[object, ...]:
    """ruff's order for `__all__`: the same groups, case-sensitive inside them."""
    rank = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return rank, _natural(name)


def pystr(value: Any) -> str:
    """A Python literal for any JSON value (repr escapes everything that could break out)."""
    return repr(value)


def docstring(text: str, indent: int = 4) -> str:
    """A safe docstring body: no closing quotes, no escapes that change meaning."""
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}" for ch in text)
    if text.endswith('"'):
        text += " "
    pad = " " * indent
    return "\n".join((pad + line).rstrip() if line else "" for line in text.splitlines()).lstrip()


def comment(text: str) -> str:
    """One line of text, safe inside a `#` comment."""
    return " ".join(text.split())


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pystr"] = pystr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.filters["json"] = lambda v: json.dumps(v, sort_keys=True)
    return env


def _template_source(name: str) -> str | None:
    path = resources.files("asyncgen.templates").joinpath(name)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def header(api: ir.Api) -> str:
    return (
        f"# Generated by asyncgen {__version__} from {comment(api.spec_name)}; do not edit.\n"
        f"# Input hash: {api.input_hash}\n"
    )


def render(api: ir.Api) -> dict[str, str]:
    """File name (relative to the package folder) → content, formatted, deterministic."""
    from .validation import compile_module

    env = _environment()
    types = Types(api)
    models = [n for n in api.schemas if isinstance(n.schema, (ir.Object, ir.Enum))]
    plans = {}
    for channel in api.channels:
        for union in (channel.sends, channel.receives):
            plans[union.alias] = parse_plan(union, types)
    fields = {
        n.name: [types.field(p) for p in n.schema.properties]
        for n in models
        if isinstance(n.schema, ir.Object)
    }
    wrapped_payloads = {m.key: _payload_field(m, types) for m in api.messages if m.wrapped}
    union_helpers: list[tuple[str, list[tuple[str, str]]]] = []
    while len(union_helpers) < len(types.unions):  # a helper's cases may register more helpers
        helper, schema = types.unions[len(union_helpers)]
        union_helpers.append((helper, types.union_cases(schema)))
    views = [f for fs in fields.values() for f in fs] + list(wrapped_payloads.values())
    imports = {
        "field": any(f.const or f.default.startswith("field(") for f in views),
        "enum": any(isinstance(n.schema, ir.Enum) for n in models),
        "literal": any("Literal[" in f.annotation for f in views),
    }
    exports = sorted(
        {n.class_name for n in models}
        | {m.class_name for m in api.messages}
        | {u.alias for c in api.channels for u in (c.sends, c.receives) if u.messages}
        | {u.parse_name for c in api.channels for u in (c.sends, c.receives) if u.messages}
        | {"ValidationError"},
        key=_import_order,
    )
    # Models of schemas that hold `format: byte` text check it for shape only when parsing (the
    # slot decodes it strictly on first read), through a private variant of the validator.
    model_validators = {
        # defer_byte copies the schema with its own `byte` checks changed: a change means it has some
        n.name: (
            f"_model_{n.validator_name}"
            if defer_byte(n.json_schema) != n.json_schema
            else n.validator_name
        )
        for n in models
        if isinstance(n.schema, ir.Object)
    }
    fast_paths = {
        n.name: fast
        for n in models
        if isinstance(n.schema, ir.Object) and (fast := _fast_path(n, fields[n.name], types))
    }
    context = {
        "model_validators": model_validators,
        "fast_paths": fast_paths,
        "imports": imports,
        "exports": exports,
        "all_exports": sorted(exports, key=_all_order),
        "api": api,
        "types": types,
        "models": models,
        "enums": [n for n in models if isinstance(n.schema, ir.Enum)],
        "objects": [n for n in models if isinstance(n.schema, ir.Object)],
        "wrapped": [m for m in api.messages if m.wrapped],
        "plans": plans,
        "fields": fields,
        "wrapped_payloads": wrapped_payloads,
        "union_helpers": union_helpers,
        "named": {n.name: n for n in api.schemas},
        "header": header(api),
        "version": __version__,
        # client.py / server.py: handshake values, sends, routes and their names
        "sockets": sockets.build(api, types),
    }
    out: dict[str, str] = {}
    # models first: rendering it discovers the union helpers that `models.py` itself prints.
    for name in ("models.py", "client.py", "server.py", "__init__.py"):
        try:
            template = env.get_template(name + ".jinja")
        except jinja2.TemplateNotFound:
            continue
        out[name] = format_python(template.render(context))
    validators = compile_module(
        {n.name: n.json_schema for n in api.schemas},
        {n.name: n.validator_name for n in api.schemas},
        deferred={n: v for n, v in model_validators.items() if v.startswith("_")},
        package=True,
    )
    out["validators.py"] = format_python(header(api) + "\n" + validators)
    for name, source in runtime.sources().items():
        out[name] = header(api) + "\n" + source
    out["py.typed"] = ""
    return dict(sorted(out.items()))
