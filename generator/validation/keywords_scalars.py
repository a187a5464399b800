"""Draft-07 keywords for strings (`minLength`, `maxLength`, `pattern`, `format`) and numbers
(`minimum`, `maximum`, their exclusive forms, `multipleOf`)."""

from __future__ import annotations

import reprlib

from .builder import FALSE, _Cond, _Ctx, _lit
from .compiler import _Compiler
from .documents import SchemaError
from .format_names import DEFERRED_BYTE


class _ScalarKeywords(_Compiler):
    """Keywords for strings and numbers (callers have checked the type)."""

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
            DEFERRED_BYTE: "base64 string (format byte)",
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
