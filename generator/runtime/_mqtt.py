"""The MQTT link of a broker client, on aiomqtt (MQTT 5 by default, 3.1.1 on request).

Messages are routed to subscriptions as paho reads them (through the queue class aiomqtt
lets a client choose), without a task per message; one watcher task notices a lost
connection. Request/reply needs MQTT 5 (response topic and correlation data properties).

A broker sends a client one copy of a message per subscription it matches, so overlapping
subscriptions (`a/+` and `a/b`) must be told apart: under MQTT 5 each distinct filter is
subscribed with its own subscription identifier and a copy goes to the filters whose
identifiers it carries. Without identifiers (MQTT 3.1.1, or a broker that has none) the
filters subscribed at the broker never overlap: a filter overlapping others is subscribed
through one filter covering them all (`a/+/c` and `a/b/+` through `a/+/+`), and each copy is
matched against the subscriptions' own filters here.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import uuid
from collections.abc import Callable, Hashable
from urllib.parse import unquote, urlsplit

import aiomqtt
from paho.mqtt import client as mqtt
from paho.mqtt.client import MQTT_CLEAN_START_FIRST_ONLY
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from ._broker import (
    BrokerError,
    ConnectionLost,
    Deliver,
    Incoming,
    PublishOptions,
    SubscribeOptions,
)

_SECURE_SCHEMES = ("mqtts", "secure-mqtt", "ssl")


def filter_regex(topic_filter: str) -> re.Pattern[str]:
    """What an MQTT topic filter (`+` one level, `#` the rest) matches, as a regex."""
    levels = topic_filter.split("/")
    rest = levels[-1] == "#"
    if rest:
        levels.pop()
    body = "/".join("[^/]*" if level == "+" else re.escape(level) for level in levels)
    if rest:
        body = f"{body}(?:/.*)?" if levels else ".*"
    if topic_filter.startswith(("+", "#")):
        body = r"(?!\$)" + body  # wildcards do not match `$SYS/...` topics
    return re.compile(body, re.DOTALL)


def _wild_over_dollar(level: str, other: str) -> bool:
    """A first-level wildcard facing a `$` topic level, which it does not match."""
    return level in ("+", "#") and other.startswith("$")


def filters_overlap(one: str, other: str) -> bool:
    """Whether some topic matches both filters."""
    left, right = one.split("/"), other.split("/")
    for index in range(max(len(left), len(right))):
        if index >= len(left) or index >= len(right):
            # `a/#` matches `a` itself: a shorter filter meets a `#` right after it.
            longer = right if index >= len(left) else left
            return longer[index] == "#"
        level, facing = left[index], right[index]
        if index == 0 and (
            _wild_over_dollar(level, facing) or _wild_over_dollar(facing, level)
        ):
            return False
        if "#" in (level, facing):
            return True
        if level != facing and "+" not in (level, facing):
            return False
    return True


def filter_covers(broad: str, narrow: str) -> bool:
    """Whether every topic matching `narrow` matches `broad`."""
    wide, slim = broad.split("/"), narrow.split("/")
    for index, level in enumerate(wide):
        if index == 0 and _wild_over_dollar(level, slim[0]):
            return False
        if level == "#":
            return True
        if index >= len(slim) or slim[index] == "#":
            return False
        if level != "+" and slim[index] != level:
            return False
    return len(slim) == len(wide)


def covering_filter(one: str, other: str) -> str:
    """A filter matching every topic either overlapping filter matches."""
    left, right = one.split("/"), other.split("/")
    levels: list[str] = []
    for index in range(max(len(left), len(right))):
        if (
            index >= len(left)
            or index >= len(right)
            or "#" in (left[index], right[index])
        ):
            levels.append("#")
            break
        levels.append(left[index] if left[index] == right[index] else "+")
    return "/".join(levels)


class _Route:
    """The subscriptions of one distinct filter."""

    __slots__ = ("identifier", "regex", "retained", "tokens", "topic_filter")

    def __init__(self, topic_filter: str, identifier: int | None) -> None:
        self.topic_filter = topic_filter
        self.regex = filter_regex(topic_filter)
        self.identifier = identifier  # its MQTT 5 subscription identifier
        self.tokens: list[_Token] = []
        # Without identifiers: the topics whose retained message it was handed (subscribing
        # to a covering filter again sends every retained message it matches once more).
        self.retained: set[str] = set()


class _Token:
    __slots__ = ("deliver", "route")

    def __init__(self, route: _Route, deliver: Deliver) -> None:
        self.route = route
        self.deliver = deliver


class MqttLink:
    """One MQTT connection (`mqtt://host:port`, `mqtts://host:port`)."""

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        clean_session: bool | None = None,
        tls_context: ssl.SSLContext | None = None,
        keepalive: int = 60,
        protocol_version: int = 5,
    ) -> None:
        parts = urlsplit(url)
        secure = parts.scheme in _SECURE_SCHEMES
        if tls_context is None and secure:
            tls_context = ssl.create_default_context()
        self.url = url
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (8883 if secure else 1883)
        self.username = username if username is not None else _unquoted(parts.username)
        self.password = password if password is not None else _unquoted(parts.password)
        self.client_id = client_id
        self.clean_session = clean_session
        self.tls_context = tls_context
        self.keepalive = keepalive
        if protocol_version not in (4, 5):
            raise ValueError("protocol_version is 4 (MQTT 3.1.1) or 5 (MQTT 5)")
        self.protocol_version = protocol_version
        self.on_lost: Callable[[BaseException], None] | None = None
        self._client: aiomqtt.Client | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._reset()

    def _reset(self) -> None:
        self._exact: dict[str, _Route] = {}
        self._wild: dict[str, _Route] = {}
        self._by_identifier: dict[int, _Route] = {}
        self._next_identifier = 1
        # Without identifiers: the filters subscribed at the broker (never overlapping) and
        # their QoS; changed one at a time.
        self._covers: dict[str, int] = {}
        self._changing = asyncio.Lock()
        self._identifiers = self.protocol_version == 5

    def _connect_options(self) -> dict[str, object]:
        if self.protocol_version == 4:
            return {
                "protocol": aiomqtt.ProtocolVersion.V311,
                "clean_session": self.clean_session,
            }
        options: dict[str, object] = {"protocol": aiomqtt.ProtocolVersion.V5}
        if self.clean_session is None:
            options["clean_start"] = MQTT_CLEAN_START_FIRST_ONLY
        else:
            options["clean_start"] = self.clean_session
        if self.clean_session is False:
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]  # paho: unannotated
            properties.SessionExpiryInterval = 0xFFFFFFFF  # kept as in MQTT 3.1.1
            options["properties"] = properties
        return options

    async def open(self) -> None:
        link = self

        class Router(asyncio.Queue[aiomqtt.Message]):
            """aiomqtt's incoming queue: each message is routed as it arrives."""

            def put_nowait(self, item: aiomqtt.Message) -> None:
                link._dispatch(item)

        self._reset()
        client = aiomqtt.Client(
            self.host,
            self.port,
            username=self.username,
            password=self.password,
            identifier=self.client_id,
            queue_type=Router,
            keepalive=self.keepalive,
            tls_context=self.tls_context,
            timeout=10,
            **self._connect_options(),  # type: ignore[arg-type]  # checked per version
        )

        def connected(
            paho: mqtt.Client,
            userdata: object,
            flags: mqtt.ConnectFlags,
            reason: ReasonCode,
            properties: Properties | None = None,
        ) -> None:
            # A broker without subscription identifiers says so in its CONNACK.
            if getattr(properties, "SubscriptionIdentifierAvailable", 1) == 0:
                self._identifiers = False
            client._on_connect(paho, userdata, flags, reason, properties)

        client._client.on_connect = connected
        try:
            await client.__aenter__()
        except aiomqtt.MqttError as error:
            raise BrokerError(f"cannot connect to {self.url}: {error}") from error
        self._client = client
        self._watcher = asyncio.get_running_loop().create_task(self._watch(client))

    async def _watch(self, client: aiomqtt.Client) -> None:
        # The router keeps aiomqtt's queue empty: this iteration only ends by an error.
        try:
            async for _message in client.messages:
                pass
        except aiomqtt.MqttError as error:
            cause: BaseException = error
        else:
            cause = ConnectionLost("the message stream ended")
        if self._client is client:
            self._client = None
            on_lost = self.on_lost
            if on_lost is not None:
                on_lost(cause)

    def _dispatch(self, message: aiomqtt.Message) -> None:
        topic = message.topic.value
        reply_to = correlation_id = None
        properties = message.properties
        if properties is not None:
            reply_to = getattr(properties, "ResponseTopic", None)
            data = getattr(properties, "CorrelationData", None)
            if data is not None:
                correlation_id = bytes(data).decode("utf-8", "replace")
        payload = message.payload
        if not isinstance(payload, bytes):
            payload = str(payload).encode()
        incoming = Incoming(topic, payload, reply_to, correlation_id)
        identifiers = getattr(properties, "SubscriptionIdentifier", None)
        if identifiers:
            # One copy per subscription, or one copy naming several: either way each
            # distinct filter gets the copies that carry its identifier.
            for identifier in identifiers:
                route = self._by_identifier.get(identifier)
                if route is not None:
                    for token in route.tokens:
                        token.deliver(incoming)
            return
        # The filters subscribed at the broker do not overlap: this is the only copy.
        route = self._exact.get(topic)
        if route is not None:
            self._deliver(route, incoming, message.retain)
        for route in self._wild.values():
            if route.regex.fullmatch(topic) is not None:
                self._deliver(route, incoming, message.retain)

    @staticmethod
    def _deliver(route: _Route, incoming: Incoming, retained: bool) -> None:
        if retained:
            if incoming.topic in route.retained:
                return  # sent again for a subscription to its covering filter
            route.retained.add(incoming.topic)
        for token in route.tokens:
            token.deliver(incoming)

    def _connected(self) -> aiomqtt.Client:
        client = self._client
        if client is None:
            raise ConnectionLost(f"not connected to {self.url}")
        return client

    async def close(self) -> None:
        client, self._client = self._client, None
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
        if client is not None:
            try:
                async with asyncio.timeout(5):
                    await client.__aexit__(None, None, None)
            except (aiomqtt.MqttError, TimeoutError):
                pass

    async def publish(
        self, topic: str, payload: bytes, options: PublishOptions
    ) -> None:
        client = self._connected()
        properties = None
        if options.reply_to is not None or options.correlation_id is not None:
            if self.protocol_version != 5:
                raise BrokerError("MQTT 3.1.1 carries no reply topic: use MQTT 5")
            properties = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]  # paho: unannotated
            if options.reply_to is not None:
                properties.ResponseTopic = options.reply_to
            if options.correlation_id is not None:
                properties.CorrelationData = options.correlation_id.encode()
        try:
            await client.publish(
                topic, payload, options.qos, options.retain, properties
            )
        except aiomqtt.MqttError as error:
            raise ConnectionLost(f"publish to {topic!r} failed: {error}") from error

    async def subscribe(
        self, pattern: str, options: SubscribeOptions, deliver: Deliver
    ) -> Hashable:
        client = self._connected()
        wild = "+" in pattern or "#" in pattern
        routes = self._wild if wild else self._exact
        route = routes.get(pattern)
        if route is None:
            identifier = None
            if self._identifiers:
                identifier = self._next_identifier
                self._next_identifier += 1
            route = routes[pattern] = _Route(pattern, identifier)
            if identifier is not None:
                self._by_identifier[identifier] = route
        token = _Token(route, deliver)
        # Routed before the broker acknowledges: retained messages follow the SUBACK.
        route.tokens.append(token)
        if len(route.tokens) > 1:
            return token
        try:
            if route.identifier is not None:
                properties = Properties(PacketTypes.SUBSCRIBE)  # type: ignore[no-untyped-call]  # paho: unannotated
                properties.SubscriptionIdentifier = route.identifier
                codes = await client.subscribe(
                    pattern, options.qos, properties=properties
                )
                _check(codes, pattern)
            else:
                await self._subscribe_covered(client, pattern, options.qos)
        except aiomqtt.MqttError as error:
            self._forget(token)
            raise ConnectionLost(f"subscribe to {pattern!r} failed: {error}") from error
        except BaseException:
            self._forget(token)
            raise
        return token

    async def _subscribe_covered(
        self, client: aiomqtt.Client, pattern: str, qos: int
    ) -> None:
        """Subscribe at the broker to a filter covering `pattern` and every filter already
        subscribed that overlaps it; those are then unsubscribed. (A message published while
        both are subscribed may come twice.)"""
        async with self._changing:
            cover, replaced = pattern, []
            widened = True
            while widened:
                widened = False
                for other in self._covers:
                    if other not in replaced and filters_overlap(cover, other):
                        replaced.append(other)
                        cover = covering_filter(cover, other)
                        widened = True
            qos = max([qos, *(self._covers[other] for other in replaced)])
            _check(await client.subscribe(cover, qos), cover)
            for other in replaced:
                del self._covers[other]
            self._covers[cover] = qos
            stale = [other for other in replaced if other != cover]
            if stale:
                await client.unsubscribe(stale)

    def _forget(self, token: _Token) -> bool:
        """Drop `token`'s route; True when it was its filter's last."""
        route = token.route
        route.tokens.remove(token)
        if route.tokens:
            return False
        for routes in (self._exact, self._wild):
            if routes.get(route.topic_filter) is route:
                del routes[route.topic_filter]
        if route.identifier is not None:
            self._by_identifier.pop(route.identifier, None)
        return True

    async def unsubscribe(self, token: Hashable) -> None:
        if not isinstance(token, _Token):
            raise TypeError("not a subscription of this link")
        try:
            last = self._forget(token)
        except ValueError:
            return  # made before a reconnect: the broker has forgotten it too
        client = self._client
        if not last or client is None:
            return
        try:
            if token.route.identifier is not None:
                await client.unsubscribe(token.route.topic_filter)
                return
            async with self._changing:
                cover = next(
                    (
                        c
                        for c in self._covers
                        if filter_covers(c, token.route.topic_filter)
                    ),
                    None,
                )
                if cover is None or any(
                    filter_covers(cover, route.topic_filter)
                    for routes in (self._exact, self._wild)
                    for route in routes.values()
                ):
                    return  # still needed by another filter
                del self._covers[cover]
                await client.unsubscribe(cover)
        except aiomqtt.MqttError as error:
            raise ConnectionLost(f"unsubscribe failed: {error}") from error

    async def inbox(self, deliver: Deliver) -> tuple[str, Hashable]:
        if self.protocol_version != 5:
            raise BrokerError("MQTT 3.1.1 carries no reply topic: use MQTT 5")
        topic = f"replies/{uuid.uuid4().hex}"
        return topic, await self.subscribe(topic, SubscribeOptions(qos=1), deliver)


def _unquoted(text: str | None) -> str | None:
    return None if text is None else unquote(text)


def _check(codes: tuple[int, ...] | list[ReasonCode], topic_filter: str) -> None:
    if any(_refused(code) for code in codes):
        raise BrokerError(f"the broker refused the subscription to {topic_filter!r}")


def _refused(code: int | ReasonCode) -> bool:
    """A SUBACK code that refuses (MQTT 3.1.1: 0x80; MQTT 5: any failure reason)."""
    return code.is_failure if isinstance(code, ReasonCode) else code >= 0x80
