"""Which named schemas have the same shape: the same text once each `$ref` to another named schema
is read as that schema's shape. Such schemas validate (and decode) alike, so one validator, and
one class, serves them all.

Found by partition refinement: schemas start grouped by their text with every reference blanked
out, and a group is split while its members refer, at the same places, to schemas of different
groups. Each round costs the number of references; rounds are few (the depth of the references
that tell schemas apart) and capped, past which nothing is shared.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from typing import Any

_PREFIX = "#/definitions/"
# Keywords whose value is a schema, a list of schemas, or a map of names to schemas.
_SCHEMA_KEYWORDS = frozenset(
    ("items", "additionalItems", "additionalProperties", "contains", "propertyNames", "if", "then",
     "else", "not")
)  # fmt: skip
_SCHEMA_LIST_KEYWORDS = frozenset(("allOf", "anyOf", "oneOf", "items"))
_SCHEMA_MAP_KEYWORDS = frozenset(("properties", "patternProperties", "definitions", "dependencies"))
# What says nothing about validity (nor do `x-` extensions): left out when only validators are
# shared, kept when classes are (docstrings and comments print them).
_ANNOTATIONS = frozenset(
    ("title", "description", "default", "examples", "example", "$comment", "readOnly",
     "writeOnly", "deprecated", "externalDocs")
)  # fmt: skip
# Rounds of refinement after which the schemas are taken as all different (always correct).
_MAX_ROUNDS = 64


def same_shapes(
    definitions: Mapping[str, Any],
    kinds: Mapping[str, Hashable] | None = None,
    *,
    annotations: bool = True,
) -> dict[str, str]:
    """Each definition's name -> the first name (in mapping order) of a definition of the same
    shape; definitions refer to each other as `{"$ref": "#/definitions/<name>"}`. `kinds`
    tells more apart: definitions of different kinds never share a shape, nor do those that
    refer, at the same place, to definitions of different kinds. Without `annotations`,
    definitions that differ only in annotations (`description`, `title`, ...) are alike."""
    names = list(definitions)
    texts: list[Hashable] = []
    targets: list[tuple[int, ...]] = []
    index = {name: i for i, name in enumerate(names)}
    for name in names:
        found: list[int] = []
        blanked = _blank(definitions[name], index, found, annotations)
        text = json.dumps(blanked, sort_keys=True, separators=(",", ":"))
        texts.append((text, kinds.get(name)) if kinds else text)
        targets.append(tuple(found))
    groups = _numbered(texts)
    for _ in range(_MAX_ROUNDS):
        keys = [(groups[i], tuple(groups[t] for t in targets[i])) for i in range(len(names))]
        refined = _numbered(keys)
        if max(refined, default=-1) == max(groups, default=-1):
            first: dict[int, str] = {}
            return {name: first.setdefault(refined[i], name) for i, name in enumerate(names)}
        groups = refined
    return {name: name for name in names}


def _numbered(keys: list[Any]) -> list[int]:
    """Each key's group number, numbered in order of first appearance."""
    numbers: dict[Any, int] = {}
    return [numbers.setdefault(key, len(numbers)) for key in keys]


def _blank(schema: Any, index: Mapping[str, int], found: list[int], annotations: bool) -> Any:
    """`schema` with each `$ref` to a definition in `index` blanked, its target in `found`, and
    without its annotations unless `annotations`. Walked in the order the text is written in
    (sorted keys), so that the targets of two schemas of the same text come in the same order;
    only schema positions are walked (a `const` holding a `$ref` is a value, kept as it is)."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key in sorted(schema):
        item = schema[key]
        if not annotations and (key in _ANNOTATIONS or key.startswith("x-")):
            continue
        if key == "$ref" and isinstance(item, str) and item.startswith(_PREFIX):
            token = item[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")
            if token in index:
                found.append(index[token])
                out[key] = None
                continue
        if key in _SCHEMA_MAP_KEYWORDS and isinstance(item, dict):
            out[key] = {k: _blank(item[k], index, found, annotations) for k in sorted(item)}
        elif key in _SCHEMA_LIST_KEYWORDS and isinstance(item, list):
            out[key] = [_blank(v, index, found, annotations) for v in item]
        elif key in _SCHEMA_KEYWORDS:
            out[key] = _blank(item, index, found, annotations)
        else:
            out[key] = item
    return out
