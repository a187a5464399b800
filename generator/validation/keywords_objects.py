"""Draft-07 keywords for objects: `required`, `minProperties`, `maxProperties`, `properties`,
`patternProperties`, `additionalProperties`, `propertyNames`, `dependencies`."""

from __future__ import annotations

from .builder import FALSE, TRUE, _Cond, _Ctx, _escape, _lit
from .compiler import _Compiler
from .documents import SchemaError


class _ObjectKeywords(_Compiler):
    """Keywords for objects (callers have checked the type)."""

    def generate_required(self, c: _Ctx) -> None:
        names = c.schema["required"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise SchemaError(f"required must be an array of strings at {c.at.spath or '/'}")
        if names:
            text = "missing required property "
            self.missing(c, list(dict.fromkeys(names)), "required", text, TRUE)

    def missing(self, c: _Ctx, names: list[str], keyword: str, text: str, guard: _Cond) -> None:
        """Fail for each of `names` absent from the object (after a fast check for all)."""
        if len(names) <= 8:
            present = _Cond.all(
                [_Cond(f"{_lit(n)} in {c.v}", f"{_lit(n)} not in {c.v}") for n in names]
            )
        else:
            every = f"{c.v}.keys() >= {self.constant(f'frozenset({_lit(tuple(names))})')}"
            present = _Cond(every, f"not ({every})")
        name = c.body.var("k")
        names_constant = self.constant(_lit(tuple(names)))
        with (
            c.body.block(f"if {_Cond.all([guard, ~present]).pos}:"),
            c.body.block(f"for {name} in {names_constant}:"),
            c.body.block(f"if {name} not in {c.v}:"),
        ):
            self.fail(c, keyword, _lit(text) + f" + repr({name})")

    def generate_min_properties(self, c: _Ctx) -> None:
        n = self.count(c.schema, "minProperties")
        cond = _Cond(f"len({c.v}) < {n}", "") if n else FALSE
        self.failing(c, cond, "minProperties", _lit(f"must have at least {n} properties"))

    def generate_max_properties(self, c: _Ctx) -> None:
        n = self.count(c.schema, "maxProperties")
        cond = _Cond(f"len({c.v}) > {n}", "")
        self.failing(c, cond, "maxProperties", _lit(f"must have at most {n} properties"))

    def generate_properties(self, c: _Ctx) -> None:
        for name, sub in self.mapping(c.schema, "properties", c.at).items():
            if not self.is_trivial(sub):
                var = c.body.var("x")
                with c.body.block(f"if {_lit(name)} in {c.v}:"):
                    at = c.at.down("properties", name, var=var, part=_lit(name))
                    self.bind(c.body, sub, at, f"{c.v}[{_lit(name)}]")

    def generate_pattern_properties(self, c: _Ctx) -> None:
        patterns = self.mapping(c.schema, "patternProperties", c.at)
        active = {p: self.regex(p) for p, s in patterns.items() if not self.is_trivial(s)}
        if active:
            name, var = c.body.var("k"), c.body.var("x")
            values = any(patterns[p] is not False for p in active)
            loop = f"for {name}, {var} in {c.v}.items():" if values else f"for {name} in {c.v}:"
            with c.body.block(loop):
                for pattern, regex in active.items():
                    with c.body.block(f"if {regex}.search({name}):"):
                        at = c.at.down("patternProperties", pattern, var=var, part=name)
                        self.schema(c.body, patterns[pattern], at)

    def generate_additional_properties(self, c: _Ctx) -> None:
        extra = c.schema["additionalProperties"]
        if self.is_trivial(extra):
            return
        names = (
            tuple(self.mapping(c.schema, "properties", c.at)) if "properties" in c.schema else ()
        )
        patterns = (
            self.mapping(c.schema, "patternProperties", c.at)
            if "patternProperties" in c.schema
            else {}
        )
        known = self.constant(f"frozenset({_lit(names)})") if names else ""
        name = c.body.var("k")
        cond = _Cond.all(
            [_Cond(f"{name} not in {known}", "")] * bool(known)
            + [_Cond(f"not {self.regex(p)}.search({name})", "") for p in patterns]
        )
        if extra is False:
            guard = f"not ({c.v}.keys() <= {known})" if known else c.v
            with c.body.block(f"if {guard}:"), c.body.block(f"for {name} in {c.v}:"):
                message = _lit("unexpected property ") + f" + repr({name})"
                self.failing(c, cond, "additionalProperties", message, part=name)
            return
        var = c.body.var("x")
        at = c.at.down("additionalProperties", var=var, part=name)
        with c.body.block(f"for {name}, {var} in {c.v}.items():"):
            if cond == TRUE:
                self.schema(c.body, extra, at)
            else:
                with c.body.block(f"if {cond.pos}:"):
                    self.schema(c.body, extra, at)

    def generate_property_names(self, c: _Ctx) -> None:
        sub = c.schema["propertyNames"]
        if self.is_trivial(sub):
            return
        loc = c.at.down("propertyNames").loc
        if isinstance(sub, dict) and "$ref" in sub:
            loc = self.documents.resolve(sub["$ref"], loc)
        name = c.body.var("k")
        with c.body.block(f"for {name} in {c.v}:"):
            c.body.line(f"t = {self.function(loc)}({name}, a)")
            self.merge(c, "t", _lit(c.at.spath + "/propertyNames"), extra=name)

    def generate_dependencies(self, c: _Ctx) -> None:
        for prop, dependency in self.mapping(c.schema, "dependencies", c.at).items():
            if isinstance(dependency, list):
                if dependency:
                    text = f"property {prop!r} requires property "
                    keyword = "dependencies/" + _escape(prop)
                    guard = _Cond(f"{_lit(prop)} in {c.v}", "")
                    self.missing(c, dependency, keyword, text, guard)
            elif not self.is_trivial(dependency):
                with c.body.block(f"if {_lit(prop)} in {c.v}:"):
                    self.schema(c.body, dependency, c.at.down("dependencies", prop), "object")
