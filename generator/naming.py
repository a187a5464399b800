"""Python names for everything a document names, decided in one place.

Every identifier goes through one pipeline: transliterate to ASCII → split into words → case
(snake_case, PascalCase, UPPER_CASE) → make it a valid, non-reserved identifier → make it unique in
its namespace. The results are typed strings, so a template can only print a name made here.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata


class PythonIdentifier(str):
    """A valid, non-reserved Python identifier (attribute, parameter, function name)."""


class ClassName(str):
    """A valid PascalCase class name that shadows nothing the generated modules import."""


# Names a generated model body or module refers to: a field or class named like one of these
# would shadow it (mypy resolves annotations in class scope) or clash with a generated method.
_TYPING_NAMES = {"Any", "ClassVar", "Enum", "Final", "Literal", "TypeAlias", "Union", "Optional"}
_MODULE_NAMES = {
    "annotations",
    "base64",
    "binascii",
    "dataclass",
    "dataclasses",
    "enum",
    "field",
    "json",
    "re",
    "math",
    "typing",
    "websockets",
    "asyncio",
    "validators",
    "models",
    "ValidationError",
    "ValidationErrorItem",
    "UNSET",
    "Unset",
}
_MODEL_METHODS = {"from_dict", "to_dict", "from_json", "to_json"}
_BUILTINS = {name for name in dir(builtins) if not name.startswith("_")}
RESERVED_ATTRIBUTES = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | _BUILTINS
    | _TYPING_NAMES
    | _MODULE_NAMES
    | _MODEL_METHODS
    | {"self"}
) - {"type", "id", "format", "input", "filter", "map", "hash", "help", "vars", "next", "iter"}
# `type`, `id`, `format` … are everyday wire names; as attributes of a dataclass they shadow
# nothing the generated code uses, so they keep their spelling.
# What client.py/server.py define or import by name beside the models they import.
_SOCKET_NAMES = {
    "Client",
    "BlockingClient",
    "ClientError",
    "ConnectionClosed",
    "ConversationEnded",
    "InvalidFrame",
    "UnknownFrame",
    "Handler",
    "Connection",
    "AsyncIterator",
    "Awaitable",
    "Callable",
    "Generator",
    "Generic",
    "Iterator",
    "Mapping",
    "Never",
    "Protocol",
    "Self",
    "TracebackType",
    "TypeVar",
}
RESERVED_CLASSES = _TYPING_NAMES | _MODULE_NAMES | _BUILTINS | _SOCKET_NAMES

# Words split at punctuation and at case changes, never at digits: `pcm_f32le` → pcm, f32le.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z0-9]+")
_PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")  # `Name`, not `NAME` nor `N`


def ascii_text(text: str) -> str:
    """`Größe` → `Grosse`-like ASCII; characters with no ASCII form are dropped."""
    text = text.replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """Split on punctuation and case changes: `X-API-Key` → X, API, Key."""
    return _WORD.findall(ascii_text(text))


def snake(text: str) -> str:
    return "_".join(word.lower() for word in words(text))


def pascal(text: str) -> str:
    plain = ascii_text(text)
    if _PASCAL.match(plain):
        return plain  # kept as written: `TtsGenerationRequest`, `HTTPError`
    return "".join(word[:1].upper() + word[1:] for word in words(text))


def upper(text: str) -> str:
    return "_".join(word.upper() for word in words(text))


def attribute(wire_name: str, *, fallback: str = "field") -> PythonIdentifier:
    """An attribute or parameter name for a wire name: `continue` → `continue_`."""
    name = snake(wire_name) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in RESERVED_ATTRIBUTES:
        name += "_"
    return PythonIdentifier(name)


def class_name(text: str, *, suffix: str = "", fallback: str = "Model") -> ClassName:
    name = (pascal(text) or fallback) + suffix
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in RESERVED_CLASSES or keyword.iskeyword(name):
        name += "_"
    return ClassName(name)


def enum_member(value: object) -> PythonIdentifier:
    """`Joking/Comedic` → `JOKING_COMEDIC`, `no` → `NO`, `8000` → `VALUE_8000`, -1 → `VALUE_MINUS_1`."""
    if isinstance(value, bool) or value is None:
        return PythonIdentifier(f"VALUE_{str(value).upper()}")
    if isinstance(value, int):
        return PythonIdentifier(f"VALUE_{value}" if value >= 0 else f"VALUE_MINUS_{-value}")
    name = upper(str(value))
    if not name or name[0].isdigit():
        name = f"VALUE_{name}" if name else "VALUE"
    return PythonIdentifier(name)


class Namespace:
    """Hands out unique names in claim order, by the one rule every kind of name follows: the
    first free of `name`, `name` + 2, + 3 … where the number is joined with `_` unless the name
    is written in CamelCase or already ends in `_` (`foo_bar_2`, `FooBar2`, `continue_2`)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self._taken: set[str] = set(taken or ())
        # name -> the last number tried for it: every smaller one was taken then, and names are
        # never released, so the search resumes there (n claims of one name stay linear).
        self._last: dict[str, int] = {}

    def claim(self, name: str) -> str:
        joiner = "" if name.endswith("_") or _CAMEL.match(name) else "_"
        n = self._last.get(name, 1)
        candidate = name if n == 1 else f"{name}{joiner}{n}"
        while candidate in self._taken:
            n += 1
            candidate = f"{name}{joiner}{n}"
        self._last[name] = n
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: object) -> bool:
        return name in self._taken


def unique_attribute(
    namespace: Namespace, wire_name: str, *, fallback: str = "field"
) -> PythonIdentifier:
    return PythonIdentifier(namespace.claim(attribute(wire_name, fallback=fallback)))


def unique_class(namespace: Namespace, text: str, *, suffix: str = "") -> ClassName:
    return ClassName(namespace.claim(class_name(text, suffix=suffix)))


def unique_function(namespace: Namespace, text: str, *, prefix: str = "") -> PythonIdentifier:
    """A module-level function name: `prefix` + the snake_case of `text`, unique in `namespace`
    (`IdServerFrame` and `IDServerFrame` are two classes but one `id_server_frame`)."""
    return PythonIdentifier(namespace.claim(prefix + (snake(text) or "function")))


def package_name(stem: str) -> PythonIdentifier:
    """The DESIGN rule: the spec file's stem, lower-cased, non-identifier characters → `_`."""
    name = re.sub(r"\W", "_", stem.lower(), flags=re.ASCII) or "api"
    if name[0].isdigit():
        name = f"_{name}"
    if keyword.iskeyword(name):
        name += "_"
    return PythonIdentifier(name)


# Modules a generated package imports from outside the standard library; a package of the same
# name (or of a standard library module's) would shadow it for every module of the program.
_THIRD_PARTY_IMPORTS = frozenset({"websockets", "orjson", "pybase64"})


def package_name_problem(name: str) -> str:
    """Why `name` cannot name a generated package; '' when it can."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return f"{name!r} is not a Python identifier (letters, digits and _, not first a digit)"
    if keyword.iskeyword(name):
        return f"{name!r} is a Python keyword: `import {name}` is a syntax error"
    if name in sys.stdlib_module_names:
        return f"{name!r} is a module of the standard library: the package would shadow it"
    if name in _THIRD_PARTY_IMPORTS:
        return f"{name!r} is a module the generated code imports: the package would shadow it"
    return ""


def validator_function(schema_name: str) -> PythonIdentifier:
    return PythonIdentifier(f"validate_{snake(schema_name) or 'schema'}")
