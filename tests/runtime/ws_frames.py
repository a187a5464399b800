"""The messages of a tiny test channel, with the tables a generated channel would have.

`Note` carries a correlation id, `Last` carries one and ends its conversation, `Plain` has none.
Frames are JSON objects told apart by `type`; anything else fails to parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from asyncgen.runtime._errors import ValidationError, ValidationErrorItem


@dataclass(frozen=True)
class Note:
    id: str | None
    text: str


@dataclass(frozen=True)
class Last:
    id: str | None


@dataclass(frozen=True)
class Plain:
    text: str


Frame = Note | Last | Plain

ROUTES: dict[type[Any], tuple[Any, bool]] = {
    Note: (attrgetter("id"), False),
    Last: (attrgetter("id"), True),
}
KEY_PATHS = (("id",),)


def parse(raw: str | bytes) -> Frame:
    data = json.loads(raw)  # not JSON: the decoder's own error
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "note":
        return Note(data.get("id"), data["text"])
    if kind == "last":
        return Last(data.get("id"))
    if kind == "plain":
        return Plain(data["text"])
    raise ValidationError([ValidationErrorItem("/type", "", f"unknown type {kind!r}")])


def note(id: str | None, text: str) -> str:
    return json.dumps({"type": "note", "id": id, "text": text})


def last(id: str | None) -> str:
    return json.dumps({"type": "last", "id": id})


def plain(text: str) -> str:
    return json.dumps({"type": "plain", "text": text})


def unknown(id: str | None) -> str:
    return json.dumps({"type": "unknown", "id": id})
