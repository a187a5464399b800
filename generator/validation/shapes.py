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
# Rounds of refinement after which the schemas are taken as all different (always correct).
_MAX_ROUNDS = 64


def same_shapes(
    definitions: Mapping[str, Any], kinds: Mapping[str, Hashable] | None = None
) -> dict[str, str]:
    """Each definition's name -> the first name (in mapping order) of a definition of the same
    shape; definitions refer to each other as `{"$ref": "#/definitions/<name>"}`. `kinds`
    tells more apart: definitions of different kinds never share a shape, nor do those that
    refer, at the same place, to definitions of different kinds."""
    names = list(definitions)
    texts: list[Hashable] = []
    targets: list[tuple[int, ...]] = []
    index = {name: i for i, name in enumerate(names)}
    for name in names:
        found: list[int] = []
        blanked = _blank(definitions[name], index, found)
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


def _blank(value: Any, index: Mapping[str, int], found: list[int]) -> Any:
    """`value` with each `$ref` to a definition in `index` blanked, its target in `found`."""
    if isinstance(value, dict):
        # Walked in the order the text is written in (sorted keys), so that the targets of two
        # schemas of the same text are listed in the same order.
        out: dict[str, Any] = {}
        for key in sorted(value):
            item = value[key]
            if key == "$ref" and isinstance(item, str) and item.startswith(_PREFIX):
                token = item[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")
                if token in index:
                    found.append(index[token])
                    out[key] = None
                    continue
            out[key] = _blank(item, index, found)
        return out
    if isinstance(value, list):
        return [_blank(v, index, found) for v in value]
    return value
