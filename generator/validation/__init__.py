"""JSON Schema draft-07 → straight-line Python validators.

The compiler turns a schema into the source of a Python module: one private function per schema
that must be callable on its own (each definition, each `$ref` target, each branch of
`anyOf`/`oneOf`/`not`/`if`/`contains`), with every other keyword inlined as plain `if`
statements. Functions call each other by name, so references and cycles just work.

A private function is `_vN(x, a) -> list[_Err] | None`: `x` is the instance, `a` asks for all
errors instead of the first. A valid instance returns `None` having allocated nothing: no path
is built until something fails. Errors are `(path parts, schema pointer, message)` relative to
the function's instance and schema; a caller that gets some back prefixes them with its own
location (`_sub`). The public `validate_…(instance, *, all_errors=False)` raises
`ValidationError`.

Two flavours: `Draft07Compiler` is plain draft-07; `AsyncApiCompiler` adds what AsyncAPI and
OpenAPI schema objects use (`nullable: true` also allows null, formats `byte` and `binary`).
Unknown keywords, `discriminator`, `deprecated`, `readOnly`, `writeOnly`, `example(s)`… are
annotations. Run-time helpers and format checkers are copied into each compiled module, so
generated code imports nothing but the standard library.

The package, by concern (each `keywords_*` module is a mixin of `Draft07Compiler`):

- `__init__`: the public API (`compile_validator`, `CompiledValidator`, `compile_module`,
  `compile_source`);
- `documents`: schema documents, `$id`s and `$ref` resolution; `SchemaError`;
- `builder`: literals, conditions with their negation, and the tree of emitted statements;
- `compiler`: the keyword vocabulary and the machinery every keyword method uses (module
  assembly, one function per standalone schema, emitting checks and errors);
- `keywords_any`, `keywords_scalars`, `keywords_arrays`, `keywords_objects`: one
  `generate_<keyword>` method per keyword, by the instance type it applies to;
- `draft07`, `asyncapi`: the two dialects;
- `fastpath`: `certainly_valid` and `defer_byte`, for the models' one-pass path;
- `runtime`: the helpers copied into compiled modules, and the closure that copies them;
- `formats`, `idna`, `ecma_regex`: format checkers (also copied), IDNA host names and e-mail,
  and the ECMA-262 → `re` translation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..runtime._errors import ValidationError, ValidationErrorItem
from .asyncapi import AsyncApiCompiler
from .compiler import ASSERTIONS, _Formats
from .documents import SchemaError
from .draft07 import Draft07Compiler
from .fastpath import certainly_valid, defer_byte
from .runtime import _Err, _fail
from .shapes import same_shapes

__all__ = [
    "ASSERTIONS",
    "AsyncApiCompiler",
    "CompiledValidator",
    "Draft07Compiler",
    "SchemaError",
    "ValidationError",
    "ValidationErrorItem",
    "certainly_valid",
    "compile_module",
    "compile_source",
    "compile_validator",
    "defer_byte",
    "same_shapes",
]


def compile_module(
    definitions: Mapping[str, Any],
    functions: Mapping[str, str],
    *,
    formats: _Formats = True,
    deferred: Mapping[str, str] | None = None,
    package: bool = False,
) -> str:
    """The source of a module validating named schemas (`package`: inside a generated package,
    importing the error classes from its `_errors` module instead of defining them).

    `definitions` maps names to draft-07 schemas that refer to each other as
    `{"$ref": "#/definitions/<name>"}`; `functions` maps definition names to the public
    function to generate for them (`validate_x(instance, *, all_errors=False) -> None`).
    `deferred` maps definition names to private functions (`_x`) that check the same schema,
    except that `format: byte` text written in that schema itself (not behind a `$ref`) is only
    checked for shape: the models, which decode it strictly on first read, use these, so
    parsing a frame does not scan its audio.
    """
    for name in [*functions, *(deferred or {})]:
        if name not in definitions:
            raise SchemaError(f"no definition named {name!r}")
    names = [*functions.values(), *(deferred or {}).values()]
    if len(set(names)) != len(names):
        raise ValueError("two definitions would get the same function name")
    document = dict(definitions)
    entries = {functions[n]: (0, ("definitions", n)) for n in functions}
    for name, function in (deferred or {}).items():
        key = f"{name}\x00deferred"
        document[key] = defer_byte(definitions[name])
        entries[function] = (0, ("definitions", key))
    compiler = AsyncApiCompiler({"definitions": document}, formats=formats)
    # Definitions of the same shape, whatever their annotations, share one function
    # (`validate_b = validate_a`).
    compiler.shared = {
        (0, ("definitions", name)): (0, ("definitions", first))
        for name, first in same_shapes(document, annotations=False).items()
        if name != first
    }
    return compiler.module(entries, package=package, private=set((deferred or {}).values()))


def compile_source(schema: Any, *, formats: _Formats = True, name: str = "validate") -> str:
    """The source of a standalone module whose `name(instance, *, all_errors=False)`
    validates `schema`."""
    return AsyncApiCompiler(schema, formats=formats).module({name: (0, ())})


class CompiledValidator:
    """A compiled schema: call it with an instance; it raises `ValidationError` if invalid."""

    def __init__(self, schema: Any, *, all_errors: bool = False, formats: _Formats = True) -> None:
        compiler = AsyncApiCompiler(schema, formats=formats)
        self.source = compiler.module({"validate": (0, ())}, standalone=False)
        self.all_errors = all_errors
        namespace: dict[str, Any] = {
            "__name__": "asyncgen.compiled",
            "ValidationError": ValidationError,
            "ValidationErrorItem": ValidationErrorItem,
        }
        exec(compile(self.source, "<asyncgen.compiled>", "exec"), namespace)  # noqa: S102
        self._check: Callable[[Any, bool], list[_Err] | None] = namespace[
            compiler.functions[(0, ())]
        ]

    def __call__(self, instance: Any) -> None:
        errors = self._check(instance, self.all_errors)
        if errors is not None:
            raise _fail(errors)

    def is_valid(self, instance: Any) -> bool:
        return self._check(instance, False) is None

    def errors(self, instance: Any) -> list[ValidationErrorItem]:
        """Every error, whatever `all_errors` says; empty when the instance is valid."""
        errors = self._check(instance, True)
        return [] if errors is None else _fail(errors).errors


def compile_validator(
    schema: Any, *, all_errors: bool = False, formats: _Formats = True
) -> CompiledValidator:
    """Compile a draft-07 schema: `compile_validator(schema)(instance)` raises
    `ValidationError` if the instance is invalid. `formats=False` turns format checks off; a
    collection of format names keeps only those."""
    return CompiledValidator(schema, all_errors=all_errors, formats=formats)
