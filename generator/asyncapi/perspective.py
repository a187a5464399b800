"""Which side a document describes: the server (the convention) or the client.

asyncgen reads a document as a description of the server: in 2.x `publish` is what the client
sends, in 3.x `action: receive` is. Many published documents are written the other way round, and
their operations say so in their own words: `receiveAudioChunk` under `publish`, `sendMessage`
with `action: send`. The words of an operation are taken as what the *client* does: the first of
its operation id (3.x: its key, then `operationId`), `summary` and `title` that holds one of the
verbs below decides, by the first such verb in it (`on` counts only as a first word, as in
`onMessage`). When at least two operations contradict the convention and they are more than
twice as many as those that agree with it, the document is read the other way round, with a
warning. `--perspective` (or the per-spec configuration) decides instead, without a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .common import Builder
from .schemas import Loc

Perspective = Literal["server", "client"]

_HINT = (
    "if the document describes the server, pass --perspective server (or set perspective = "
    '"server" for this spec in [tool.asyncgen.per-spec] of pyproject.toml)'
)


def _forms(*verbs: str) -> frozenset[str]:
    forms = set()
    for verb in verbs:
        stem = verb.removesuffix("e")
        forms |= {verb, verb + "s", verb + "es", stem + "ed", stem + "ing"}
    return frozenset(forms)


_SENDS = _forms("send", "publish", "emit", "write", "push", "request") | {"sent", "emitted"}
_RECEIVES = _forms("receive", "subscribe", "listen", "get", "read", "consume") | {"got", "getting"}
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


@dataclass(frozen=True)
class Operation:
    """An operation as the version reads it, and the texts that may say what it does."""

    client_sends: bool  # what the version's convention makes of it
    texts: tuple[tuple[str, Loc], ...]  # operation id, summary, title: each where it is written
    label: str  # where the warning says it is: "under publish", "action: send"


def says_client_sends(text: str) -> bool | None:
    """What `text` says the client does: True for sending, False for receiving, None if unsaid."""
    for index, word in enumerate(w.lower() for w in _WORD.findall(text)):
        if word in _SENDS:
            return True
        if word in _RECEIVES or (word == "on" and index == 0):
            return False
    return None


def client_side(
    builder: Builder, operations: Iterable[Operation], forced: Perspective | None, reading: str
) -> bool:
    """Whether the document is to be read as describing the client (see the module docstring).
    `reading` says, for the warning, what reading it so means."""
    if forced is not None:
        return forced == "client"
    agree, contradict = 0, []
    for operation in operations:
        said = next(
            (
                (sends, text, loc)
                for text, loc in operation.texts
                if (sends := says_client_sends(text)) is not None
            ),
            None,
        )
        if said is None:
            continue
        if said[0] == operation.client_sends:
            agree += 1
        else:
            contradict.append((operation, said[1], said[2]))
    if len(contradict) < 2 or len(contradict) <= 2 * agree:
        return False
    first, text, where = contradict[0]
    said_count = len(contradict) + agree
    builder.warn(
        "perspective",
        f"the document is read as describing the client ({reading}): {len(contradict)} of the "
        f"{said_count} operations whose words say a direction say the opposite of the usual "
        f"reading, first {text!r} ({first.label})",
        where,
        hint=_HINT,
    )
    return True
