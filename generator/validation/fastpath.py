"""What the generated models' one-pass path uses: expressions that accept only valid values
(`certainly_valid`), and schemas whose `format: byte` is checked for shape only (`defer_byte`).
`ASSERTIONS` (the keywords that can fail) comes from the compiler."""

from __future__ import annotations

import math
from typing import Any

from .asyncapi import AsyncApiCompiler
from .builder import _lit
from .compiler import ASSERTIONS
from .format_names import DEFERRED_BYTE


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
        copy["format"] = DEFERRED_BYTE
    return copy


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
        if fmt == DEFERRED_BYTE and kind == "string":
            parts.append(f"not len({v}) % 4 and {v}.isascii()")
        elif isinstance(fmt, str) and fmt in AsyncApiCompiler.FORMATS:
            return None  # a format worth checking: the full validator does it
    return " and ".join(parts)
