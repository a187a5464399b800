"""Schema documents: where each subschema lives, its base URI, and `$ref` resolution.

A location is `(document number, path inside the document)`: document 0 is the schema being
compiled; the draft-07 meta-schema is added as another document when a `$ref` names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urljoin


class SchemaError(ValueError):
    """The schema cannot be compiled (malformed, or a reference that cannot be resolved)."""


_Loc = tuple[int, tuple[Any, ...]]  # (document number, path inside the document)

# Keywords whose values are schemas (or arrays/maps of schemas), for indexing `$id`s.
_SUBSCHEMA = ("additionalItems", "additionalProperties", "contains", "propertyNames", "not")
_SUBSCHEMA_ONE = ("if", "then", "else", "items", *_SUBSCHEMA)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "definitions", "dependencies")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_KNOWN_DOCUMENTS = ("http://json-schema.org/draft-07/schema",)


def _plain(value: Any) -> Any:
    """A copy made of dict/list/str/int/float/bool/None only (YAML loaders give subclasses)."""
    if value is None or isinstance(value, bool):
        return value if value is None else bool(value)
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):  # YAML timestamps
        return str(value.isoformat())
    raise SchemaError(f"not a JSON value: {value!r}")


def _join(base: str, ref: str) -> str:
    if _SCHEME_RE.match(ref):
        return ref
    if ref.startswith("#"):
        return base.partition("#")[0] + ref
    return urljoin(base, ref) if base else ref


def _known_document(uri: str) -> Any:
    if uri not in _KNOWN_DOCUMENTS:
        return None
    try:
        import jsonschema_specifications  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - installed with jsonschema
        return None
    return _plain(jsonschema_specifications.REGISTRY.contents(uri))


class _Documents:
    """Schema documents, their `$id`s and anchors, and the base URI at every subschema."""

    def __init__(self, root: Any, base: str) -> None:
        self.docs: list[Any] = []
        self.ids: dict[str, _Loc] = {}
        self.bases: dict[_Loc, str] = {}
        self.add(root, base)

    def add(self, doc: Any, base: str) -> None:
        number = len(self.docs)
        self.docs.append(doc)
        base = base.partition("#")[0]
        self.ids.setdefault(base, (number, ()))
        self._walk(doc, (number, ()), base)

    def _walk(self, node: Any, loc: _Loc, base: str) -> None:
        if isinstance(node, bool):
            self.bases[loc] = base
        if not isinstance(node, dict):
            return
        if "$ref" not in node and isinstance(node.get("$id"), str):  # $ref hides its siblings
            uri, _, fragment = _join(base, node["$id"]).partition("#")
            if uri != base or not fragment:
                base = uri
                self.ids.setdefault(uri, loc)
            if fragment:
                self.ids.setdefault(f"{uri}#{fragment}", loc)
        self.bases[loc] = base
        number, path = loc
        for key, value in node.items():
            if key in _SUBSCHEMA_ONE and not isinstance(value, list):
                self._walk(value, (number, (*path, key)), base)
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                for i, item in enumerate(value):
                    self._walk(item, (number, (*path, key, i)), base)
            elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                for name, item in value.items():
                    self._walk(item, (number, (*path, key, name)), base)

    def node(self, loc: _Loc) -> Any:
        node = self.docs[loc[0]]
        for part in loc[1]:
            node = node[part]
        return node

    def base(self, loc: _Loc) -> str:
        number, path = loc
        for end in range(len(path), -1, -1):
            if (number, path[:end]) in self.bases:
                return self.bases[(number, path[:end])]
        return ""

    def resolve(self, ref: Any, loc: _Loc) -> _Loc:
        """The location `ref`, written in the schema at `loc`, points to."""
        if not isinstance(ref, str):
            raise SchemaError(f"$ref must be a string, got {ref!r}")
        uri, _, fragment = _join(self.base(loc), ref).partition("#")
        if uri not in self.ids:
            document = _known_document(uri)
            if document is None:
                raise SchemaError(
                    f"cannot resolve $ref {ref!r}: only references inside the document (and to "
                    "the draft-07 meta-schema) are supported"
                )
            self.add(document, uri)
        if not fragment.startswith("/"):
            key = f"{uri}#{fragment}" if fragment else uri
            if key not in self.ids:
                raise SchemaError(f"cannot resolve $ref {ref!r}: no such anchor")
            return self.ids[key]
        number, path = self.ids[uri]
        node = self.node((number, path))
        for raw in unquote(fragment)[1:].split("/"):
            part: Any = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                part = int(part)
            elif not isinstance(node, dict) or part not in node:
                raise SchemaError(f"cannot resolve $ref {ref!r}: nothing at {part!r}")
            node = node[part]
            path = (*path, part)
        return (number, path)
