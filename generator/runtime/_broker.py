"""What every broker client shares: addresses, options, subscriptions and the client itself.

A `Link` (one per protocol: `_mqtt.py`, `_amqp.py`, `_nats.py`) moves bytes to and from the
broker; `BrokerClient` keeps the subscriptions, their bounded queues, request/reply and the
connection's state on top of it. Standard library only: the protocol's library is imported by
its link module alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

from ._addresses import Address, dotted_address, mqtt_address

__all__ = [
    "Address",
    "BrokerClient",
    "BrokerError",
    "ClientClosed",
    "ConnectionLost",
    "Deliver",
    "Incoming",
    "InvalidMessage",
    "Link",
    "MessagesDropped",
    "PublishOptions",
    "Received",
    "SubscribeOptions",
    "Subscription",
    "dotted_address",
    "mqtt_address",
]

P = TypeVar("P")
M = TypeVar("M")


class BrokerError(Exception):
    """Any failure of a broker client."""


class ConnectionLost(BrokerError):
    """The broker connection was lost: every waiting consumer is woken with it."""


class ClientClosed(BrokerError):
    """The client was closed by its user."""


class MessagesDropped(BrokerError):
    """A subscription's queue was full: `count` messages were dropped since the last one.

    Raised once from `__anext__`, after the messages that were queued; the subscription
    stays usable.
    """

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} messages dropped: the consumer fell behind")
        self.count = count


class InvalidMessage(BrokerError):
    """A received payload that is not one of the channel's messages.

    Raised from `__anext__`; the subscription stays usable.
    """

    def __init__(self, topic: str, payload: bytes, error: Exception) -> None:
        super().__init__(f"invalid message on {topic!r}: {error}")
        self.topic = topic
        self.payload = payload
        self.error = error


@dataclass(frozen=True)
class PublishOptions:
    qos: int = 0
    retain: bool = False
    exchange: str = ""  # AMQP: "" = the broker's `amq.topic` exchange
    exchange_type: str = "topic"
    exchange_durable: bool = False
    exchange_auto_delete: bool = False
    delivery_mode: int | None = None  # AMQP: 1 transient, 2 persistent
    reply_to: str | None = None
    correlation_id: str | None = None
    queue: str | None = None  # AMQP: straight to this queue (the default exchange)


@dataclass(frozen=True)
class SubscribeOptions:
    qos: int = 0
    exchange: str = ""  # AMQP: "" = the broker's `amq.topic` exchange
    exchange_type: str = "topic"
    exchange_durable: bool = False
    exchange_auto_delete: bool = False
    queue: str | None = None  # AMQP: consume this named queue (binding `is: queue`)
    queue_durable: bool = False
    queue_exclusive: bool = False  # AMQP: the named queue is this connection's only
    queue_auto_delete: bool = False  # AMQP: the named queue goes with its last consumer
    group: str | None = None  # NATS queue group


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message as the link received it."""

    topic: str
    payload: bytes
    reply_to: str | None = None
    correlation_id: str | None = None


Deliver = Callable[[Incoming], None]


class Link(Protocol):
    """One protocol's connection. `deliver` callbacks are called on the event loop."""

    on_lost: Callable[[BaseException], None] | None

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(
        self, topic: str, payload: bytes, options: PublishOptions
    ) -> None: ...

    async def subscribe(
        self, pattern: str, options: SubscribeOptions, deliver: Deliver
    ) -> Hashable: ...

    async def unsubscribe(self, token: Hashable) -> None: ...

    async def inbox(self, deliver: Deliver) -> tuple[str, Hashable]:
        """A private address for replies: (its reply-to value, its subscription token)."""
        ...


@dataclass(frozen=True)
class Received(Generic[P, M]):
    message: M
    params: P
    topic: str
    reply_to: str | None = None
    correlation_id: str | None = None

    @classmethod
    def of(cls, incoming: Incoming, message: M, params: P) -> Received[P, M]:
        """`message` and `params` as received in `incoming` (topic, reply-to, id kept)."""
        return cls(
            message, params, incoming.topic, incoming.reply_to, incoming.correlation_id
        )


class _Closed(Exception):
    """A subscription's normal end: `__anext__` raises StopAsyncIteration."""


class Subscription(Generic[P, M]):
    """Messages of one subscription, decoded by the consumer as it reads them.

    `async with client.subscription(...) as messages: async for received in messages: ...`
    The queue holds at most the client's `queue_size` messages; beyond that messages are
    dropped and the consumer is told with `MessagesDropped` after the queued ones.
    """

    def __init__(
        self,
        client: BrokerClient,
        pattern: str,
        options: SubscribeOptions,
        decode: Callable[[Incoming], Received[P, M]],
    ) -> None:
        self.pattern = pattern
        self.options = options
        self._client = client
        self._decode = decode
        self._items: deque[Incoming] = deque()
        self._limit = client.queue_size
        self._dropped = 0
        self._end: BaseException | None = None
        self._getter: asyncio.Future[None] | None = None
        self._token: Hashable | None = None
        self._active = False

    async def __aenter__(self) -> Self:
        if self._active or self._end is not None:
            raise BrokerError("a subscription is entered once")
        await self._client._add(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._finish(_Closed())
        await self._client._remove(self)

    def __aiter__(self) -> Subscription[P, M]:
        return self

    async def __anext__(self) -> Received[P, M]:
        items = self._items
        while not items:
            if self._dropped:
                count, self._dropped = self._dropped, 0
                raise MessagesDropped(count)
            end = self._end
            if end is not None:
                if isinstance(end, (_Closed, ClientClosed)):
                    raise StopAsyncIteration
                raise end.with_traceback(None)
            if self._getter is not None:
                raise BrokerError("another task is already reading this subscription")
            getter = asyncio.get_running_loop().create_future()
            self._getter = getter
            try:
                await getter
            finally:
                self._getter = None
        incoming = items.popleft()
        try:
            return self._decode(incoming)
        except Exception as error:
            raise InvalidMessage(incoming.topic, incoming.payload, error) from error

    def _deliver(self, incoming: Incoming) -> None:
        if self._end is not None:
            return
        if len(self._items) >= self._limit:
            self._dropped += 1
            return
        self._items.append(incoming)
        getter = self._getter
        if getter is not None and not getter.done():
            getter.set_result(None)

    def _finish(self, end: BaseException) -> None:
        if self._end is None:
            self._end = end
        getter = self._getter
        if getter is not None and not getter.done():
            getter.set_result(None)


_OPEN, _LOST, _RECONNECTING, _CLOSED, _NEW = (
    "open",
    "lost",
    "reconnecting",
    "closed",
    "new",
)


class BrokerClient:
    """Subscriptions, publishing and request/reply over one `Link`.

    A lost connection wakes every waiting consumer with `ConnectionLost` and fails every
    publish, unless `reconnect`: then the link is reopened with a growing delay (0.1 s
    doubling up to `max_delay`), every subscription is made again, and consumers keep
    waiting; publishing while the link is down raises `ConnectionLost`.
    """

    def __init__(
        self,
        link: Link,
        *,
        reconnect: bool = False,
        queue_size: int = 1024,
        max_delay: float = 5.0,
    ) -> None:
        self.link = link
        self.reconnect = reconnect
        self.queue_size = queue_size
        self.max_delay = max_delay
        self._state = _NEW
        self._error: BrokerError | None = None
        self._subscriptions: dict[Subscription[Any, Any], None] = {}
        self._pending: dict[str, asyncio.Future[Incoming]] = {}
        self._inbox: str | None = None
        self._inbox_lock = asyncio.Lock()
        self._reconnecting: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        return self._state == _OPEN

    async def start(self) -> None:
        """Open the link."""
        if self._state != _NEW:
            raise BrokerError("a client is started once")
        self.link.on_lost = self._lost
        await self.link.open()
        self._state = _OPEN

    async def close(self) -> None:
        """Close the link; consumers end (StopAsyncIteration). Idempotent."""
        if self._state == _CLOSED:
            return
        was_open = self._state in (_OPEN, _RECONNECTING, _LOST)
        self._state = _CLOSED
        self._error = ClientClosed("the client is closed")
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        self._wake_all(self._error)
        if was_open:
            with contextlib.suppress(BrokerError):
                await self.link.close()

    async def __aenter__(self) -> Self:
        if self._state == _NEW:
            await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _check(self) -> None:
        if self._state == _OPEN:
            return
        if self._state == _NEW:
            raise BrokerError("the client is not started")
        if self._state == _RECONNECTING:
            raise ConnectionLost("the broker connection is lost; reconnecting")
        assert self._error is not None
        raise self._error.with_traceback(None)

    async def publish(
        self, topic: str, payload: bytes, options: PublishOptions
    ) -> None:
        self._check()
        await self.link.publish(topic, payload, options)

    def subscription(
        self,
        pattern: str,
        options: SubscribeOptions,
        decode: Callable[[Incoming], Received[P, M]],
    ) -> Subscription[P, M]:
        """A subscription to `pattern`, made at the broker when entered (`async with`)."""
        return Subscription(self, pattern, options, decode)

    async def _add(self, subscription: Subscription[P, M]) -> None:
        self._check()
        token = await self.link.subscribe(
            subscription.pattern, subscription.options, subscription._deliver
        )
        subscription._token = token
        subscription._active = True
        self._subscriptions[subscription] = None

    async def _remove(self, subscription: Subscription[P, M]) -> None:
        self._subscriptions.pop(subscription, None)
        token, subscription._token = subscription._token, None
        subscription._active = False
        if token is not None and self._state == _OPEN:
            with contextlib.suppress(BrokerError):
                await self.link.unsubscribe(token)

    async def reply(
        self, reply_to: str, payload: bytes, correlation_id: str | None = None
    ) -> None:
        """Answer a request: `payload` to its `reply_to`, with its correlation id."""
        self._check()
        options = PublishOptions(correlation_id=correlation_id, queue=reply_to)
        await self.link.publish(reply_to, payload, options)

    async def request(
        self,
        topic: str,
        payload: bytes,
        options: PublishOptions,
        decode: Callable[[Incoming], Received[P, M]],
        timeout: float | None = 10.0,
    ) -> Received[P, M]:
        """Publish with a reply-to address and a fresh correlation id; the reply decoded.

        `TimeoutError` when no reply comes within `timeout` seconds; `InvalidMessage` when
        the reply does not decode.
        """
        self._check()
        async with self._inbox_lock:
            if self._inbox is None:
                self._inbox, _token = await self.link.inbox(self._on_reply)
        correlation_id = uuid.uuid4().hex
        future: asyncio.Future[Incoming] = asyncio.get_running_loop().create_future()
        self._pending[correlation_id] = future
        try:
            options = replace(
                options, reply_to=self._inbox, correlation_id=correlation_id
            )
            await self.link.publish(topic, payload, options)
            async with asyncio.timeout(timeout):
                incoming = await future
        finally:
            self._pending.pop(correlation_id, None)
        try:
            return decode(incoming)
        except Exception as error:
            raise InvalidMessage(incoming.topic, incoming.payload, error) from error

    def _on_reply(self, incoming: Incoming) -> None:
        correlation_id = incoming.correlation_id
        if correlation_id is None and incoming.topic.startswith(f"{self._inbox}."):
            correlation_id = incoming.topic.rpartition(".")[2]
        future = self._pending.get(correlation_id or "")
        if future is not None and not future.done():
            future.set_result(incoming)

    def _wake_all(self, error: BrokerError) -> None:
        for subscription in list(self._subscriptions):
            subscription._finish(error)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)

    def _lost(self, cause: BaseException) -> None:
        """Called by the link when its connection ends without `close`."""
        if self._state != _OPEN:
            return
        error = ConnectionLost(f"the broker connection was lost: {cause}")
        error.__cause__ = cause
        self._inbox = None
        if self.reconnect:
            self._state = _RECONNECTING
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(error)
            self._reconnecting = asyncio.get_running_loop().create_task(
                self._reconnect()
            )
            return
        self._state = _LOST
        self._error = error
        self._wake_all(error)
        self._subscriptions.clear()

    async def _reconnect(self) -> None:
        delay = 0.1
        while self._state == _RECONNECTING:
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_delay)
            with contextlib.suppress(BrokerError):
                await self.link.close()
            try:
                await self.link.open()
                for subscription in list(self._subscriptions):
                    subscription._token = await self.link.subscribe(
                        subscription.pattern,
                        subscription.options,
                        subscription._deliver,
                    )
            except (BrokerError, OSError):
                continue
            if self._state == _RECONNECTING:
                self._state = _OPEN
        self._reconnecting = None
