"""Draft-07 keywords for arrays: `minItems`, `maxItems`, `uniqueItems`, `items`,
`additionalItems`, `contains`."""

from __future__ import annotations

from typing import Any

from .builder import FALSE, TRUE, _Cond, _Ctx, _lit
from .compiler import _Compiler


class _ArrayKeywords(_Compiler):
    """Keywords for arrays (callers have checked the type)."""

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
