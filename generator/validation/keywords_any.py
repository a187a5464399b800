"""Draft-07 keywords that apply to any instance: `const`, `enum` and the applicators
`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else` (with the one-property dispatch for
`oneOf`/`anyOf` of tagged objects)."""

from __future__ import annotations

import reprlib

from .builder import FALSE, TRUE, _Cond, _Ctx, _lit, _paren, _type_cond
from .compiler import _Compiler
from .documents import _Loc


class _AnyTypeKeywords(_Compiler):
    """Keywords that apply to any instance type."""

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
