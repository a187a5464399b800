"""The MQTT link of a broker client, on aiomqtt (MQTT 5 by default, 3.1.1 on request).

Messages are routed to subscriptions as paho reads them (through the queue class aiomqtt
lets a client choose), without a task per message; one watcher task notices a lost
connection. Request/reply needs MQTT 5 (response topic and correlation data properties).
"""

from __future__ import annotations

import asyncio
import re
import ssl
import uuid
from collections.abc import Callable, Hashable
from urllib.parse import unquote, urlsplit

import aiomqtt
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


class _Token:
    __slots__ = ("deliver", "topic_filter")

    def __init__(self, topic_filter: str, deliver: Deliver) -> None:
        self.topic_filter = topic_filter
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
        self._exact: dict[str, list[_Token]] = {}
        self._wild: dict[str, tuple[re.Pattern[str], list[_Token]]] = {}

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

        self._exact = {}
        self._wild = {}
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
        tokens = self._exact.get(topic)
        if tokens is not None:
            for token in tokens:
                token.deliver(incoming)
        for regex, tokens in self._wild.values():
            if regex.fullmatch(topic) is not None:
                for token in tokens:
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
        token = _Token(pattern, deliver)
        # Routed before the broker acknowledges: retained messages follow the SUBACK.
        if "+" in pattern or "#" in pattern:
            entry = self._wild.setdefault(pattern, (filter_regex(pattern), []))
            tokens = entry[1]
        else:
            tokens = self._exact.setdefault(pattern, [])
        tokens.append(token)
        if len(tokens) > 1:
            return token
        try:
            codes = await client.subscribe(pattern, options.qos)
        except aiomqtt.MqttError as error:
            self._forget(token)
            raise ConnectionLost(f"subscribe to {pattern!r} failed: {error}") from error
        if any(_refused(code) for code in codes):
            self._forget(token)
            raise BrokerError(f"the broker refused the subscription to {pattern!r}")
        return token

    def _forget(self, token: _Token) -> bool:
        """Drop `token`'s route; True when it was its filter's last."""
        topic_filter = token.topic_filter
        if topic_filter in self._wild:
            tokens = self._wild[topic_filter][1]
            tokens.remove(token)
            if not tokens:
                del self._wild[topic_filter]
        else:
            tokens = self._exact[topic_filter]
            tokens.remove(token)
            if not tokens:
                del self._exact[topic_filter]
        return not tokens

    async def unsubscribe(self, token: Hashable) -> None:
        if not isinstance(token, _Token):
            raise TypeError("not a subscription of this link")
        try:
            last = self._forget(token)
        except (KeyError, ValueError):
            return  # made before a reconnect: the broker has forgotten it too
        client = self._client
        if last and client is not None:
            try:
                await client.unsubscribe(token.topic_filter)
            except aiomqtt.MqttError as error:
                raise ConnectionLost(f"unsubscribe failed: {error}") from error

    async def inbox(self, deliver: Deliver) -> tuple[str, Hashable]:
        if self.protocol_version != 5:
            raise BrokerError("MQTT 3.1.1 carries no reply topic: use MQTT 5")
        topic = f"replies/{uuid.uuid4().hex}"
        return topic, await self.subscribe(topic, SubscribeOptions(qos=1), deliver)


def _unquoted(text: str | None) -> str | None:
    return None if text is None else unquote(text)


def _refused(code: int | ReasonCode) -> bool:
    """A SUBACK code that refuses (MQTT 3.1.1: 0x80; MQTT 5: any failure reason)."""
    return code.is_failure if isinstance(code, ReasonCode) else code >= 0x80
