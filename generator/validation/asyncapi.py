"""The AsyncAPI/OpenAPI schema object dialect: draft-07 plus `nullable` and format `byte`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .builder import _At, _Body
from .draft07 import Draft07Compiler
from .format_names import FORMAT_CHECKERS


class AsyncApiCompiler(Draft07Compiler):
    """Draft-07 plus what AsyncAPI/OpenAPI schema objects add: `nullable: true` also allows
    null, format `byte` is base64 (and `binary` an annotation). `discriminator`, `deprecated`,
    `readOnly`, `writeOnly`, `example(s)`, `externalDocs` and `xml` are annotations."""

    FORMATS: ClassVar[Mapping[str, str]] = dict(FORMAT_CHECKERS)

    def nullable(self, schema: dict[str, Any]) -> bool:
        return schema.get("nullable") is True

    def schema(self, body: _Body, schema: Any, at: _At, known: str | None = None) -> None:
        if isinstance(schema, dict) and self.nullable(schema) and "$ref" not in schema:
            if not self.is_trivial(schema):
                with body.block(f"if {at.var} is not None:"):
                    super().schema(body, schema, at, known)
            return
        super().schema(body, schema, at, known)
