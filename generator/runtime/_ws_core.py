"""What the asyncio and the threaded WebSocket clients share, without any I/O.

The errors the clients raise, the handshake (URL, query and headers of a channel's socket), the
client's settings, which handshake failures are worth another attempt, and what a generated
channel class states about its channel. Where a received frame goes is `_ws_routing`'s; `_ws_client`
(asyncio) and `_ws_blocking` (threads) are thin shells that act on these decisions.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from websockets.exceptions import InvalidMessage, InvalidStatus

from ._errors import ValidationError, ValidationErrorItem

_F = TypeVar("_F")

# Handshake value: (keyword argument, wire name, "query" | "header" | "path", value prefix).
Handshake = tuple[tuple[str, str, str, str], ...]
# Incoming message class → (correlation id getter, whether the frame ends its conversation).
Routes = dict[type[Any], tuple[Callable[[Any], Any], bool]]
# Where a frame's correlation id may be, as key paths into its JSON object.
KeyPaths = tuple[tuple[str, ...], ...]

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


class UnknownFrame:
    """A received frame that is none of the channel's messages, delivered as a value (with
    `unknown_frames="yield"`) so that iteration goes on: a message type the document does not
    describe, or a frame its schema rejects.

    `frame` is the frame as received, `data` its decoded JSON (None when it is not JSON), and
    `error` the `ValidationError` that says why it fits no message.
    """

    __slots__ = ("data", "error", "frame")

    def __init__(self, frame: str | bytes, data: Any, error: ValidationError) -> None:
        self.frame = frame
        self.data = data
        self.error = error

    def __repr__(self) -> str:
        return f"UnknownFrame({self.frame!r}, error={str(self.error)!r})"


UNKNOWN_FRAMES = ("raise", "yield")


def undecodable(
    frame: str | bytes, error: ValidationError, unknown_frames: str
) -> InvalidFrame | UnknownFrame:
    """What a frame that did not decode becomes for its consumer: an `InvalidFrame` it raises
    (`unknown_frames="raise"`), or an `UnknownFrame` it receives (`"yield"`)."""
    if unknown_frames == "raise":
        return InvalidFrame(frame, error)
    try:
        data = json.loads(frame)
    except (ValueError, TypeError):
        data = None
    return UnknownFrame(frame, data, error)


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


# What a channel address keeps as written in a request path (the rest is percent-encoded);
# `views/sockets.py` builds the server stub's routes with the same set.
PATH_SAFE = "/{}%!$&'()*+,;=:@-._~"


def handshake_request(
    base: str, address: str, spec: Handshake, values: Mapping[str, Any]
) -> tuple[str, list[tuple[str, str]]]:
    """The URL (base URL + channel address + query) and headers of one socket's handshake.

    A value that is None is not sent; a list becomes repeated query parameters or one
    comma-separated header; path values (server variables and channel parameters) fill their
    `{name}` anywhere in the URL, URL-quoted; a query already in `base` is kept. A prefix
    (`Bearer `, `Token `) is added unless the value already starts with it.
    """
    base, _, base_query = base.partition("?")
    # The address as the server stub routes it: what is not URL text percent-encoded.
    url = base.rstrip("/") + quote(address, safe=PATH_SAFE) if address else base
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    for name, wire, where, prefix in spec:
        value = values.get(name)
        if value is None:
            continue
        many = isinstance(value, (list, tuple))
        if where == "path":
            url = url.replace("{" + wire + "}", quote(handshake_text(value), safe=""))
        elif where == "query":
            items = value if many else [value]
            query.extend((wire, prefixed(prefix, handshake_text(v))) for v in items)
        else:
            if many:
                text = ", ".join(handshake_text(v) for v in value)
            else:
                text = handshake_text(value)
            headers.append((wire, prefixed(prefix, text)))
    query_text = "&".join(q for q in (base_query, urlencode(query)) if q)
    return (url + "?" + query_text if query_text else url), headers


def prefixed(prefix: str, text: str) -> str:
    """`text` with its scheme prefix (`Bearer `), not doubled when the caller wrote it."""
    if not prefix or text.lower().startswith(prefix.lower()):
        return text
    return prefix + text


def rebase(url: str, server_url: str) -> str:
    """`url` (a mock, a proxy) in place of the server's scheme, host and port: the server's path
    is kept unless `url` has a path of its own."""
    given = urlsplit(url)
    if given.path not in ("", "/"):
        return url
    path = urlsplit(server_url).path if "://" in server_url else ""
    return urlunsplit(given._replace(path=path or given.path))


class RedactedLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """`websockets`' log with the handshake's header and query values (credentials, mostly)
    written as `***`: at DEBUG level it logs every request line and header as sent."""

    def __init__(self, logger: logging.Logger, secrets: Iterable[str]) -> None:
        super().__init__(logger, {})
        # Longest first, so that a value containing another is replaced whole.
        self.secrets = sorted(
            {s for s in secrets if len(s) >= 4}, key=len, reverse=True
        )

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        return self.redact(msg), kwargs

    def log(self, level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            text, options = self.process(msg, kwargs)
            self.logger.log(level, text, *[self.redact(a) for a in args], **options)

    def redact(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        for secret in self.secrets:
            value = value.replace(secret, "***")
        return value


def redacted_log(side: str, url: str, headers: list[tuple[str, str]]) -> RedactedLog:
    """The logger `websockets` gets for one handshake (`side`: "client")."""
    secrets = [value for _, value in headers]
    for _, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        secrets += [value, quote_plus(value), quote(value, safe="")]
    return RedactedLog(logging.getLogger(f"websockets.{side}"), secrets)


def retryable(exc: Exception) -> bool:
    """Handshake failures worth another attempt: network errors, timeouts, 429 and 5xx."""
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        return status == 429 or status >= 500
    return isinstance(exc, (OSError, TimeoutError, InvalidMessage))


class ClientBase:
    """The settings of a client and the handshake of its sockets.

    The generated client sets the document's tables: `_SERVERS` (name → URL template),
    `_SECURITY` (per server, the alternative sets of credentials it accepts, as keyword
    argument names) and `_HANDSHAKE` (the values every socket of the client carries: the
    credentials and the server variables).

    Each socket uses the first of its servers (`server` given: that one where it serves the
    socket). The credentials of the client's default server (`server`, else the first) are
    checked here; another server's when a socket on it opens.
    """

    _SERVERS: ClassVar[dict[str, str]] = {}
    _SECURITY: ClassVar[dict[str, tuple[tuple[str, ...], ...]]] = {}
    _HANDSHAKE: ClassVar[Handshake] = ()
    # The channel classes, each made once and set as the attribute it names (`_ATTRIBUTE`).
    _CHANNELS: ClassVar[tuple[type[Any], ...]] = ()
    _RECONNECTS: ClassVar[bool] = True  # the threaded client never reconnects

    def __init__(
        self,
        server: str | None,
        url: str | None,
        values: dict[str, Any],
        *,
        validate: bool = True,
        validate_incoming: bool = True,
        unknown_frames: str = "raise",
        max_queue: int = 64,
        open_timeout: float | None = 10.0,
        reconnect: int = 0,
        reconnect_delay: float = 0.5,
        websocket_options: Mapping[str, Any] | None = None,
    ) -> None:
        if server is not None and server not in self._SERVERS:
            raise ClientError(f"unknown server {server!r}; pass url=... instead")
        if url is None and not self._SERVERS:
            raise ClientError("the document names no WebSocket server; pass url=...")
        self._server = server
        self._url = url
        self._values = values
        default = server or next(iter(self._SERVERS), None)
        # With an explicit URL the document's credentials are not checked: it may be a mock
        # server, a proxy or another deployment.
        if url is None and default is not None:
            self._check_credentials(default)
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        if unknown_frames not in UNKNOWN_FRAMES:
            raise ValueError(
                f"unknown_frames must be 'raise' or 'yield', not {unknown_frames!r}"
            )
        self._validate = validate
        self._validate_incoming = validate_incoming
        self._unknown_frames = unknown_frames
        self._max_queue = max_queue
        self._open_timeout = open_timeout
        self._reconnect = reconnect if self._RECONNECTS else 0
        self._reconnect_delay = reconnect_delay
        self._websocket_options: dict[str, Any] = dict(websocket_options or {})
        self._channels = tuple(channel(self) for channel in self._CHANNELS)
        for channel in self._channels:
            setattr(self, channel._ATTRIBUTE, channel)

    def __repr__(self) -> str:
        # Never the values: they hold credentials.
        return f"<{type(self).__name__} server={self._server!r}>"

    def _check_credentials(self, server: str) -> None:
        alternatives = self._SECURITY.get(server, ())
        if alternatives and not any(
            all(self._values.get(n) is not None for n in alt) for alt in alternatives
        ):
            wanted = " or ".join("+".join(alt) for alt in alternatives)
            raise ClientError(f"server {server!r} needs credentials: {wanted}")

    def _server_of(self, servers: tuple[str, ...]) -> str | None:
        """The server a socket uses: the chosen one where it serves the socket, else the
        first of the socket's servers, else the default."""
        if self._server is not None and (not servers or self._server in servers):
            return self._server
        if servers and servers[0] in self._SERVERS:
            return servers[0]
        return self._server or next(iter(self._SERVERS), None)

    def _handshake(
        self,
        address: str,
        spec: Handshake,
        servers: tuple[str, ...],
        values: Mapping[str, Any],
    ) -> tuple[str, list[tuple[str, str]]]:
        server = self._server_of(servers)
        server_url = self._SERVERS[server] if server is not None else ""
        if self._url is not None:
            base = rebase(self._url, server_url)
        else:
            assert server is not None
            self._check_credentials(server)
            base = server_url
        merged = {**self._values, **values}
        spec = self._client_values(server) + spec
        missing = [
            name
            for name, wire, where, _ in spec
            if where == "path" and "{" + wire + "}" in base + address
            if merged.get(name) is None
        ]
        if missing:
            raise ClientError(f"{address or base} needs {', '.join(missing)}")
        return handshake_request(base, address, spec, merged)

    def _client_values(self, server: str | None) -> Handshake:
        """The client-wide handshake values a socket on `server` sends: a credential only to
        the servers whose security names it, never to another server."""
        credentials = {
            n for alts in self._SECURITY.values() for alt in alts for n in alt
        }
        if server is None or not credentials:
            return self._HANDSHAKE
        own = {n for alt in self._SECURITY.get(server, ()) for n in alt}
        return tuple(
            v for v in self._HANDSHAKE if v[0] not in credentials or v[0] in own
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
