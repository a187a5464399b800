"""What the asyncio and the threaded WebSocket clients share, without any I/O.

The errors the clients raise, the handshake (URL, query and headers of a channel's socket), the
client's settings, which handshake failures are worth another attempt, and the routing decision
of a socket's reader: given a received frame, where it goes and whether it ends a conversation.
`_ws_client` (asyncio) and `_ws_blocking` (threads) are thin shells that act on these decisions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, ClassVar, Final, Generic, TypeVar
from urllib.parse import quote, urlencode

from websockets.exceptions import InvalidMessage, InvalidStatus

from ._errors import ValidationError, ValidationErrorItem

_F = TypeVar("_F")
_X = TypeVar("_X")

# Handshake value: (keyword argument, wire name, "query" | "header" | "path", value prefix).
Handshake = tuple[tuple[str, str, str, str], ...]
# Incoming message class → (correlation id getter, whether the frame ends its conversation).
Routes = dict[type[Any], tuple[Callable[[Any], Any], bool]]
# Where a frame's correlation id may be, as key paths into its JSON object.
KeyPaths = tuple[tuple[str, ...], ...]

DROPPED_IDS = (
    1024  # conversations closed locally whose late frames are still recognised
)
MAX_RECONNECT_DELAY = 30.0


class ClientError(Exception):
    """Base class of the errors this client raises (validation errors aside)."""


class ConnectionClosed(ClientError):
    """The socket closed: raised to every consumer waiting on it and by sends on it.

    `code` and `reason` come from the closing handshake (`code` is None when the connection
    was lost without one); `by_client` is True when this side closed it.
    """

    def __init__(
        self, code: int | None, reason: str, *, by_client: bool = False
    ) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason
        self.by_client = by_client

    @property
    def ok(self) -> bool:
        """A normal closure (1000 or 1001), as opposed to an error or a lost connection."""
        return self.code in (1000, 1001)

    def copy(self) -> ConnectionClosed:
        return ConnectionClosed(self.code, self.reason, by_client=self.by_client)

    def __str__(self) -> str:
        who = "by the client" if self.by_client else "by the server or the network"
        code = "no close frame" if self.code is None else f"code {self.code}"
        reason = f": {self.reason}" if self.reason else ""
        return f"connection closed {who} ({code}{reason})"


class InvalidFrame(ClientError):
    """A received frame that is none of the channel's messages (unknown type, invalid, not JSON).

    `frame` is the frame as received, `error` the `ValidationError` (its `errors` name the
    offending JSON pointers). The socket stays open and the stream goes on after it.
    """

    def __init__(self, frame: str | bytes, error: ValidationError) -> None:
        super().__init__(f"invalid frame: {error}")
        self.frame = frame
        self.error = error


class ConversationEnded(ClientError):
    """`recv()` on a conversation that has ended (its last frame, `cancel()` or `close()`)."""

    def __init__(self, key: Any) -> None:
        super().__init__(f"conversation {key!r} has ended")
        self.key = key


# -- the handshake ---------------------------------------------------------------------------


def handshake_text(value: Any) -> str:
    """A handshake value as text: enums by value, booleans as JSON spells them."""
    if isinstance(value, Enum):
        value = value.value
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def handshake_request(
    base: str, address: str, spec: Handshake, values: Mapping[str, Any]
) -> tuple[str, list[tuple[str, str]]]:
    """The URL (base URL + channel address + query) and headers of one socket's handshake.

    A value that is None is not sent; a list becomes repeated query parameters or one
    comma-separated header; path values are URL-quoted; a query already in `base` is kept.
    """
    base, _, base_query = base.partition("?")
    path = address
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    for name, wire, where, prefix in spec:
        value = values.get(name)
        if value is None:
            continue
        many = isinstance(value, (list, tuple))
        if where == "path":
            path = path.replace("{" + wire + "}", quote(handshake_text(value), safe=""))
        elif where == "query":
            items = value if many else [value]
            query.extend((wire, prefix + handshake_text(v)) for v in items)
        else:
            if many:
                text = ", ".join(handshake_text(v) for v in value)
            else:
                text = handshake_text(value)
            headers.append((wire, prefix + text))
    url = base.rstrip("/") + path
    query_text = "&".join(q for q in (base_query, urlencode(query)) if q)
    return (url + "?" + query_text if query_text else url), headers


def retryable(exc: Exception) -> bool:
    """Handshake failures worth another attempt: network errors, timeouts, 429 and 5xx."""
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        return status == 429 or status >= 500
    return isinstance(exc, (OSError, TimeoutError, InvalidMessage))


class ClientBase:
    """The settings of a client and the handshake of its sockets.

    The generated client sets the document's tables: `_SERVERS` (name → URL), `_SECURITY`
    (per server, the alternative sets of credentials it accepts, as keyword argument names)
    and `_HANDSHAKE` (the values every socket of the client carries).
    """

    _SERVERS: ClassVar[dict[str, str]] = {}
    _SECURITY: ClassVar[dict[str, tuple[tuple[str, ...], ...]]] = {}
    _HANDSHAKE: ClassVar[Handshake] = ()

    def __init__(
        self,
        server: str | None,
        url: str | None,
        values: dict[str, Any],
        *,
        validate: bool,
        max_queue: int,
        open_timeout: float | None,
        reconnect: int,
        reconnect_delay: float,
        websocket_options: Mapping[str, Any] | None,
    ) -> None:
        # With an explicit URL the document's servers (their channels, their credentials) are
        # not checked: it may be a mock server, a proxy or another deployment.
        self._server = None if url is not None else server
        if url is None:
            if server is None or server not in self._SERVERS:
                raise ClientError(f"unknown server {server!r}; pass url=... instead")
            alternatives = self._SECURITY.get(server, ())
            if alternatives and not any(
                all(values.get(n) is not None for n in alt) for alt in alternatives
            ):
                wanted = " or ".join("+".join(alt) for alt in alternatives)
                raise ClientError(f"server {server!r} needs credentials: {wanted}")
            url = self._SERVERS[server]
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        self._base_url = url
        self._values = values
        self._validate = validate
        self._max_queue = max_queue
        self._open_timeout = open_timeout
        self._reconnect = reconnect
        self._reconnect_delay = reconnect_delay
        self._websocket_options: dict[str, Any] = dict(websocket_options or {})

    def _handshake(
        self,
        address: str,
        spec: Handshake,
        servers: tuple[str, ...],
        values: Mapping[str, Any],
    ) -> tuple[str, list[tuple[str, str]]]:
        if self._server is not None and servers and self._server not in servers:
            raise ClientError(
                f"{address} is not served by server {self._server!r}"
                f" (only {', '.join(servers)})"
            )
        return handshake_request(
            self._base_url, address, self._HANDSHAKE + spec, {**self._values, **values}
        )


class ChannelTables(Generic[_F]):
    """What the generated channel class states about its channel, read by both readers.

    `_ADDRESS` (with `{parameter}` placeholders), `_HANDSHAKE` (the channel's own values),
    `_SERVERS` (the servers that serve it; empty: all), `_ROUTES` (see `Routes`), `_KEY_PATHS`
    (where an undecodable frame's correlation id may be), `_NEEDS_OPEN` (it has required
    values, so it does not open on first use), `_ATTRIBUTE` (its name on the client) and
    `_parse` (frame → one of its messages, or `ValidationError`).
    """

    _ADDRESS: ClassVar[str] = ""
    _HANDSHAKE: ClassVar[Handshake] = ()
    _SERVERS: ClassVar[tuple[str, ...]] = ()
    _ROUTES: ClassVar[Routes] = {}
    _KEY_PATHS: ClassVar[KeyPaths] = ()
    _NEEDS_OPEN: ClassVar[bool] = False
    _ATTRIBUTE: ClassVar[str] = ""

    def _parse(self, frame: str | bytes) -> _F:
        raise ValidationError(
            [
                ValidationErrorItem(
                    path="",
                    schema_path="",
                    message="this channel declares no incoming messages",
                )
            ]
        )


# -- routing ---------------------------------------------------------------------------------

# Where a received frame goes (the first item of a routing decision).
TO_STREAM: Final = 0  # the channel stream: no open conversation claims it
TO_CONVERSATION: Final = 1  # the open conversation of its correlation id
ENDS_CONVERSATION: Final = 2  # the same conversation, which it ends
DROPPED: Final = 3  # nowhere: its conversation was closed here
DROPPED_LAST: Final = 4  # nowhere, and it was that conversation's last: forget the id
ENDS_EVERY: Final = 5  # every open conversation, which it ends, then the channel stream

_STREAM: Final = (TO_STREAM, None, None)
_EVERY: Final = (ENDS_EVERY, None, None)


def route_frame(
    frame: object,
    routes: Routes,
    contexts: Mapping[Any, _X],
    dropped: Mapping[Any, None],
) -> tuple[int, Any, _X | None]:
    """Where a decoded frame goes: (one of the constants above, correlation id, conversation).

    A frame whose class has no route, or whose id cannot name a conversation (unhashable),
    goes to the stream; one whose optional id holder is absent has no id: if it ends its
    conversation it ends every one (a connection-level error).
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
        return _EVERY if ends else _STREAM
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
