"""`_ws_core` and `_ws_routing`, without a socket: handshake, settings, retry policy, routing
decisions, errors."""

from __future__ import annotations

import logging
import re
from enum import Enum
from operator import attrgetter
from typing import Any, ClassVar

import pytest
from asyncgen.runtime._ws_core import (
    ChannelTables,
    ClientBase,
    ClientError,
    ConnectionClosed,
    handshake_request,
    redacted_log,
    retryable,
)
from asyncgen.runtime._ws_routing import (
    DROPPED,
    DROPPED_IDS,
    DROPPED_LAST,
    ENDS_CONVERSATION,
    ENDS_EVERY,
    TO_CONVERSATION,
    TO_EVERY,
    TO_STREAM,
    find_key,
    remember_dropped,
    route_frame,
    route_invalid,
)
from websockets.datastructures import Headers
from websockets.exceptions import InvalidMessage, InvalidStatus
from websockets.http11 import Response
from ws_frames import KEY_PATHS, ROUTES, Last, Note, Plain


class Color(Enum):
    RED = "red"


# -- handshake ---------------------------------------------------------------------------------


def test_handshake_fills_path_query_and_headers() -> None:
    spec = (
        ("room", "room", "path", ""),
        ("model", "model", "query", ""),
        ("tags", "tag", "query", ""),
        ("token", "Authorization", "header", "Bearer "),
        ("langs", "X-Langs", "header", ""),
        ("color", "color", "query", ""),
        ("loud", "loud", "query", ""),
        ("absent", "absent", "query", ""),
    )
    values: dict[str, Any] = {
        "room": "a b/c",
        "model": "ink-2",
        "tags": ["x", "y"],
        "token": "secret",
        "langs": ("en", "fr"),
        "color": Color.RED,
        "loud": False,
        "absent": None,
    }
    url, headers = handshake_request("wss://host/", "/rooms/{room}", spec, values)
    assert url == "wss://host/rooms/a%20b%2Fc?model=ink-2&tag=x&tag=y&color=red&loud=false"
    assert headers == [("Authorization", "Bearer secret"), ("X-Langs", "en, fr")]
    _, headers = handshake_request("wss://host", "", spec[3:4], {"token": "bearer x"})
    assert headers == [("Authorization", "bearer x")]


def test_handshake_keeps_the_base_query_and_adds_nothing_when_empty() -> None:
    assert handshake_request("ws://h?v=1", "/x", (), {}) == ("ws://h/x?v=1", [])
    assert handshake_request("ws://h", "/x", (), {}) == ("ws://h/x", [])
    spec = (("flag", "flag", "query", ""),)
    url, _ = handshake_request("ws://h?v=1", "/x", spec, {"flag": True})
    assert url == "ws://h/x?v=1&flag=true"


class Tables(ClientBase):
    _SERVERS: ClassVar[dict[str, str]] = {
        "prod": "wss://prod.example",
        "local": "ws://127.0.0.1:1",
    }
    _SECURITY: ClassVar[dict[str, tuple[tuple[str, ...], ...]]] = {
        "prod": (("key",), ("user", "password"))
    }
    _HANDSHAKE = (("key", "X-Key", "header", ""),)


def settings(server: str | None, url: str | None, **values: Any) -> Tables:
    return Tables(
        server,
        url,
        values,
        validate=True,
        max_queue=8,
        open_timeout=1.0,
        reconnect=0,
        reconnect_delay=0.0,
        websocket_options=None,
    )


def test_client_settings_check_server_credentials_and_queue() -> None:
    with pytest.raises(ClientError, match="unknown server 'nowhere'"):
        settings("nowhere", None)
    with pytest.raises(ClientError, match="needs credentials: key or user\\+password"):
        settings("prod", None, user="u")
    with pytest.raises(ValueError, match="max_queue"):
        Tables(
            "local",
            None,
            {},
            validate=True,
            max_queue=0,
            open_timeout=None,
            reconnect=0,
            reconnect_delay=0.0,
            websocket_options=None,
        )
    client = settings("prod", None, user="u", password="p")
    assert client._handshake("/x", (), (), {})[0] == "wss://prod.example/x"
    # An explicit URL skips the document's credentials.
    assert settings("prod", "ws://mock:1")._handshake("/x", (), (), {})[0] == "ws://mock:1/x"
    # Without a server the first is the default: its credentials are checked at once.
    with pytest.raises(ClientError, match="server 'prod' needs credentials"):
        settings(None, None)


def test_repr_never_shows_the_values() -> None:
    client = settings("prod", None, key="s3cret-value")
    assert "s3cret-value" not in repr(client)
    assert "prod" in repr(client)


def test_client_handshake_merges_client_and_channel_values() -> None:
    client = settings("prod", None, key="k")
    url, headers = client._handshake(
        "/rooms/{room}", (("room", "room", "path", ""),), (), {"room": "r1"}
    )
    assert (url, headers) == ("wss://prod.example/rooms/r1", [("X-Key", "k")])
    # A socket that `prod` does not serve uses its own server.
    assert client._handshake("/x", (), ("local",), {})[0] == "ws://127.0.0.1:1/x"
    assert settings("prod", "ws://mock:1")._handshake("/x", (), ("local",), {})[0] == (
        "ws://mock:1/x"
    )
    with pytest.raises(ClientError, match="/rooms/{room} needs room"):
        client._handshake("/rooms/{room}", (("room", "room", "path", ""),), (), {})


class TwoServers(ClientBase):
    _SERVERS: ClassVar[dict[str, str]] = {
        "public": "wss://md.example/ws/2",
        "private": "wss://{region}.trade.example/v1/{account}/orders",
    }
    _SECURITY: ClassVar[dict[str, tuple[tuple[str, ...], ...]]] = {"private": (("token",),)}
    _HANDSHAKE = (
        ("token", "Authorization", "header", "Token "),
        ("region", "region", "path", ""),
        ("account", "account", "path", ""),
    )


def two(url: str | None = None, **values: Any) -> TwoServers:
    return TwoServers(
        None,
        url,
        values,
        validate=True,
        max_queue=8,
        open_timeout=1.0,
        reconnect=0,
        reconnect_delay=0.0,
        websocket_options=None,
    )


def test_each_socket_uses_its_own_server_and_its_credentials() -> None:
    client = two(region="eu", account="a/1")
    # The default server needs nothing; the private one is checked when its socket opens.
    assert client._handshake("", (), ("public",), {}) == ("wss://md.example/ws/2", [])
    with pytest.raises(ClientError, match="server 'private' needs credentials: token"):
        client._handshake("", (), ("private",), {})
    client = two(region="eu", account="a/1", token="Token abc")
    url, headers = client._handshake("", (), ("private",), {})
    assert url == "wss://eu.trade.example/v1/a%2F1/orders"
    assert headers == [("Authorization", "Token abc")]  # the prefix is not doubled


def test_url_replaces_scheme_host_and_port_and_keeps_the_servers_path() -> None:
    client = two("ws://127.0.0.1:9", region="eu", account="a")
    assert client._handshake("", (), ("public",), {})[0] == "ws://127.0.0.1:9/ws/2"
    assert client._handshake("", (), ("private",), {})[0] == "ws://127.0.0.1:9/v1/a/orders"
    client = two("ws://127.0.0.1:9/elsewhere?x=1")
    assert client._handshake("", (), ("public",), {})[0] == "ws://127.0.0.1:9/elsewhere?x=1"


# -- retry policy ------------------------------------------------------------------------------


def status(code: int) -> InvalidStatus:
    return InvalidStatus(Response(code, "", Headers()))


@pytest.mark.parametrize(
    ("error", "again"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (InvalidMessage("bad handshake"), True),
        (status(429), True),
        (status(503), True),
        (status(401), False),
        (status(404), False),
        (ValueError("bad URL"), False),
    ],
)
def test_retryable(error: Exception, again: bool) -> None:
    assert retryable(error) is again


# -- routing -----------------------------------------------------------------------------------


class Holder:
    def __init__(self, id: object) -> None:
        self.id = id


class Nested:
    """A message whose correlation id sits in an optional object (`meta.id`)."""

    def __init__(self, meta: Holder | None) -> None:
        self.meta = meta


NESTED_ROUTES: dict[type[Any], tuple[Any, bool]] = {
    **ROUTES,
    Nested: (attrgetter("meta.id"), True),
}
OPEN = {"a": "conversation a"}
GONE = {"z": None}


@pytest.mark.parametrize(
    ("frame", "decision"),
    [
        (Plain("p"), (TO_STREAM, None, None)),  # no route for its class
        (Note("a", "t"), (TO_CONVERSATION, "a", "conversation a")),
        (Last("a"), (ENDS_CONVERSATION, "a", "conversation a")),
        (Note("b", "t"), (TO_STREAM, None, None)),  # no open conversation
        (Last("b"), (TO_STREAM, None, None)),
        (Note("z", "t"), (DROPPED, "z", None)),  # closed here
        (Last("z"), (DROPPED_LAST, "z", None)),
        (Note(None, "t"), (TO_EVERY, None, None)),  # no id: the whole connection
        (Last(None), (ENDS_EVERY, None, None)),  # ends without id: ends all
        (Nested(None), (ENDS_EVERY, None, None)),  # the id's holder is absent
        (Nested(Holder("a")), (ENDS_CONVERSATION, "a", "conversation a")),
        (Nested(Holder(["a"])), (TO_STREAM, None, None)),  # unhashable: not routed
    ],
)
def test_route_frame(frame: object, decision: tuple[int, Any, Any]) -> None:
    assert route_frame(frame, NESTED_ROUTES, OPEN, GONE) == decision


@pytest.mark.parametrize(
    ("raw", "decision"),
    [
        ('{"id": "a", "type": "?"}', (TO_CONVERSATION, "a", "conversation a")),
        ('{"id": "z"}', (DROPPED, "z", None)),
        ('{"id": "b"}', (TO_STREAM, None, None)),
        ("not json", (TO_STREAM, None, None)),
        ('{"id": ["a"]}', (TO_STREAM, None, None)),
    ],
)
def test_route_invalid(raw: str, decision: tuple[int, Any, Any]) -> None:
    assert route_invalid(raw, KEY_PATHS, OPEN, GONE) == decision
    assert route_invalid(raw, (), OPEN, GONE) == (TO_STREAM, None, None)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ('{"id": "a"}', "a"),
        ('{"id": 7}', 7),
        (b'{"meta": {"id": "n"}}', "n"),
        ('{"meta": null, "id": "top"}', "top"),
        ('{"id": true}', None),
        ('{"id": 1.5}', None),
        ('{"id": {"x": 1}}', None),
        ("[1, 2]", None),
        ("not json", None),
        (b"\xff\xfe", None),
    ],
)
def test_find_key(raw: str | bytes, key: object) -> None:
    assert find_key(raw, (("meta", "id"), ("id",))) == key


def test_remember_dropped_keeps_the_latest_ids() -> None:
    dropped: dict[Any, None] = {}
    for key in range(DROPPED_IDS + 5):
        remember_dropped(dropped, key)
    assert len(dropped) == DROPPED_IDS
    assert 4 not in dropped and 5 in dropped and DROPPED_IDS + 4 in dropped


def test_a_channel_without_incoming_messages_rejects_every_frame() -> None:
    with pytest.raises(ValueError, match="declares no incoming messages"):
        ChannelTables[Any]()._parse("{}")


# -- errors ------------------------------------------------------------------------------------


def test_connection_closed_describes_itself() -> None:
    by_server = ConnectionClosed(1011, "boom")
    assert str(by_server) == "connection closed by the server or the network (code 1011: boom)"
    assert not by_server.ok
    lost = ConnectionClosed(None, "", by_client=True)
    assert str(lost) == "connection closed by the client (no close frame)"
    copy = ConnectionClosed(1000, "bye", by_client=True).copy()
    assert (copy.code, copy.reason, copy.by_client, copy.ok) == (1000, "bye", True, True)


def test_the_handshake_log_hides_header_and_query_values(caplog: pytest.LogCaptureFixture) -> None:
    url = "wss://api.example.com/v1/ws?api_key=s3cret%2Fvalue&lang=en"
    log = redacted_log("client", url, [("Authorization", "Bearer tok-123456")])
    with caplog.at_level(logging.DEBUG, logger="websockets.client"):
        log.debug("> GET %s HTTP/1.1", "/v1/ws?api_key=s3cret%2Fvalue&lang=en")
        log.debug("> %s: %s", "Authorization", "Bearer tok-123456")
        log.info("plain text stays")
    assert [r.getMessage() for r in caplog.records] == [
        "> GET /v1/ws?api_key=***&lang=en HTTP/1.1",
        "> Authorization: ***",
        "plain text stays",
    ]


def test_odd_addresses_are_percent_encoded_as_the_server_stub_routes_them() -> None:
    from asyncgen.runtime import _ws_core
    from asyncgen.views import sockets

    assert _ws_core.PATH_SAFE == sockets.PATH_SAFE  # one encoding, on both sides
    url, _ = _ws_core.handshake_request(
        "ws://h", "/a b\x00/{id}", (("id", "id", "path", ""),), {"id": "x/y"}
    )
    assert url == "ws://h/a%20b%00/x%2Fy"
    regex, names = sockets._path_regex("/a b\x00/{id}")
    match = re.match(regex, "/a%20b%00/x%2Fy")
    assert match is not None and names == (("p0", "id"),) and match.group("p0") == "x%2Fy"
