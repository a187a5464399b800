"""The routing decision of a WebSocket client's reader, without any I/O: given a received frame
(decoded, or not), where it goes and whether it ends a conversation; and what the reader leaves
behind when it stops. `_ws_client` (asyncio) and `_ws_blocking` (threads) act on these decisions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from ._ws_core import ConnectionClosed, KeyPaths, Routes

_X = TypeVar("_X")

DROPPED_IDS = (
    1024  # conversations closed locally whose late frames are still recognised
)

# Where a received frame goes (the first item of a routing decision).
TO_STREAM: Final = 0  # the channel stream: no open conversation claims it
TO_CONVERSATION: Final = 1  # the open conversation of its correlation id
ENDS_CONVERSATION: Final = 2  # the same conversation, which it ends
DROPPED: Final = 3  # nowhere: its conversation was closed here
DROPPED_LAST: Final = 4  # nowhere, and it was that conversation's last: forget the id
ENDS_EVERY: Final = 5  # every open conversation, which it ends, then the channel stream
TO_EVERY: Final = 6  # every open conversation (which goes on), then the channel stream

_STREAM: Final = (TO_STREAM, None, None)
_EVERY: Final = (ENDS_EVERY, None, None)
_ALL: Final = (TO_EVERY, None, None)


def route_frame(
    frame: object,
    routes: Routes,
    contexts: Mapping[Any, _X],
    dropped: Mapping[Any, None],
) -> tuple[int, Any, _X | None]:
    """Where a decoded frame goes: (one of the constants above, correlation id, conversation).

    A frame whose class has no route, or whose id cannot name a conversation (unhashable),
    goes to the stream. A frame of a class that carries a correlation id but arrives without
    one (or whose optional id holder is absent) concerns the whole connection (an `error`
    without `context_id`): it reaches every open conversation and the stream, and ends the
    conversations if it is a conversation's last frame.
    """
    route = routes.get(type(frame))
    if route is None:
        return _STREAM
    ends = route[1]
    try:
        key = route[0](frame)
        hash(key)
    except AttributeError:  # an optional object holding the id is absent
        key = None
    except TypeError:  # an id that cannot name a conversation: not routed
        return _STREAM
    if key is None:
        return _EVERY if ends else _ALL
    context = contexts.get(key)
    if context is not None:
        return (ENDS_CONVERSATION if ends else TO_CONVERSATION), key, context
    if key in dropped:
        return (DROPPED_LAST if ends else DROPPED), key, None
    return _STREAM


def find_key(frame: str | bytes, paths: KeyPaths) -> Any:
    """The correlation id of a frame that did not decode, if it has a readable one (a frame
    nested too deep for the JSON reader, or too large for memory, has none)."""
    try:
        data = json.loads(frame)
    except (ValueError, TypeError, RecursionError, MemoryError):
        return None
    for path in paths:
        value = data
        for token in path:
            value = value.get(token) if isinstance(value, dict) else None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return value
    return None


def route_invalid(
    frame: str | bytes,
    paths: KeyPaths,
    contexts: Mapping[Any, _X],
    dropped: Mapping[Any, None],
) -> tuple[int, Any, _X | None]:
    """Where the `InvalidFrame` of an undecodable frame goes: TO_CONVERSATION when a readable
    correlation id names an open conversation, DROPPED when it names one closed here, else
    TO_STREAM (the same tuple as `route_frame`)."""
    key = find_key(frame, paths) if paths else None
    if key is None:
        return _STREAM
    if key in dropped:
        return DROPPED, key, None
    context = contexts.get(key)
    if context is not None:
        return TO_CONVERSATION, key, context
    return _STREAM


def reader_failed(exc: BaseException) -> ConnectionClosed:
    """What the consumers get when the client's own reader stopped on `exc`: the cause is the
    client's (the socket is closed with 1011), never the server's."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return ConnectionClosed(
        1011, f"the client's reader failed: {text[:300]}", by_client=True
    )


def remember_dropped(dropped: dict[Any, None], key: Any) -> None:
    """Remember a conversation closed locally (the latest `DROPPED_IDS` of them)."""
    dropped[key] = None
    if len(dropped) > DROPPED_IDS:
        dropped.pop(next(iter(dropped)), None)
