"""The imports of `models.py`: exactly the names its statements use (an unused import fails the
linters), read from the statements themselves, and the runtime helpers bound to private names."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

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
class ImportsView:
    stdlib: tuple[str, ...]  # import statements, in isort's order
    local: tuple[str, ...]


def used_imports(used: set[str], sources: list[str]) -> ImportsView:
    """The import statements of `used` and of every name `sources` (snippets of the module's
    statements) refer to."""
    used = used | _names(sources)
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


# The names `used_imports` imports something for.
_IMPORTABLE = frozenset(
    {"Callable", "dataclass", "field", "Enum", *_TYPING, "validators", "UNSET", "Unset"}
    | {"ValidationError", "ValidationErrorItem", *RUNTIME_HELPERS}
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _names(sources: Iterable[str]) -> set[str]:
    """The names of `_IMPORTABLE` the snippets of Python source refer to (names in string
    literals are not). Only a snippet holding one of those words is parsed, each text once:
    modules repeat many statements, and most use none of them."""
    found: set[str] = set()
    for text in dict.fromkeys(sources):
        if text and not _IMPORTABLE.isdisjoint(_WORD.findall(text)):
            found |= {n.id for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Name)}
    return found & _IMPORTABLE
