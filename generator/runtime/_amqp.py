"""The AMQP 0-9-1 link of a broker client, on aio-pika.

Publishing sends to an exchange (the channel's, else `amq.topic`) with the filled address as
routing key, or straight to a named queue. Subscribing binds a fresh exclusive auto-delete
queue to the exchange with the pattern, or consumes the channel's named queue. Reply-to and
correlation id travel as the message's AMQP properties.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Hashable
from urllib.parse import unquote, urlsplit

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
)
from aio_pika.exceptions import AMQPError

from ._broker import (
    BrokerError,
    ConnectionLost,
    Deliver,
    Incoming,
    PublishOptions,
    SubscribeOptions,
)

TOPIC_EXCHANGE = "amq.topic"  # every RabbitMQ broker has it; used when none is named


class _Token:
    __slots__ = ("queue", "tag")

    def __init__(self, queue: AbstractQueue, tag: str) -> None:
        self.queue = queue
        self.tag = tag


class AmqpLink:
    """One AMQP connection (`amqp://user:password@host:port/vhost`, `amqps://...`)."""

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        self.secure = parts.scheme == "amqps"
        if tls_context is None and self.secure:
            tls_context = ssl.create_default_context()
        self.url = url
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (5671 if self.secure else 5672)
        self.username = username or unquote(parts.username or "") or "guest"
        self.password = password or unquote(parts.password or "") or "guest"
        self.vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
        self.tls_context = tls_context
        self.on_lost: Callable[[BaseException], None] | None = None
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}

    async def open(self) -> None:
        try:
            connection = await aio_pika.connect(
                host=self.host,
                port=self.port,
                login=self.username,
                password=self.password,
                virtualhost=self.vhost,
                ssl=self.secure,
                ssl_context=self.tls_context,
                timeout=10,
            )
        except (AMQPError, OSError) as error:
            raise BrokerError(f"cannot connect to {self.url}: {error}") from error
        try:
            channel = await connection.channel()
        except (AMQPError, OSError) as error:
            await connection.close()
            raise BrokerError(
                f"cannot open a channel on {self.url}: {error}"
            ) from error
        self._connection = connection
        self._channel = channel
        self._exchanges = {}
        connection.close_callbacks.add(self._closed)
        channel.close_callbacks.add(self._closed)

    def _closed(self, sender: object, error: BaseException | None = None) -> None:
        if self._connection is None:
            return  # closed by `close`, or already reported
        self._connection = None
        self._channel = None
        on_lost = self.on_lost
        if on_lost is not None:
            on_lost(error or ConnectionLost("the broker closed the connection"))

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        self._channel = None
        if connection is not None:
            try:
                await connection.close()
            except (AMQPError, OSError):
                pass

    def _connected(self) -> AbstractChannel:
        channel = self._channel
        if channel is None:
            raise ConnectionLost(f"not connected to {self.url}")
        return channel

    async def _exchange(
        self, name: str, kind: str, durable: bool, auto_delete: bool
    ) -> AbstractExchange:
        name = name or TOPIC_EXCHANGE
        exchange = self._exchanges.get(name)
        if exchange is None:
            channel = self._connected()
            if name.startswith("amq."):  # predeclared; clients may not declare them
                exchange = await channel.get_exchange(name, ensure=False)
            else:
                exchange = await channel.declare_exchange(
                    name, kind, durable=durable, auto_delete=auto_delete
                )
            self._exchanges[name] = exchange
        return exchange

    async def publish(
        self, topic: str, payload: bytes, options: PublishOptions
    ) -> None:
        channel = self._connected()
        message = aio_pika.Message(
            payload,
            delivery_mode=options.delivery_mode,
            reply_to=options.reply_to,
            correlation_id=options.correlation_id,
        )
        try:
            if options.queue is not None:
                exchange = channel.default_exchange
                routing_key = options.queue
            else:
                exchange = await self._exchange(
                    options.exchange,
                    options.exchange_type,
                    options.exchange_durable,
                    options.exchange_auto_delete,
                )
                routing_key = topic
            await exchange.publish(message, routing_key, mandatory=False)
        except (AMQPError, OSError) as error:
            raise ConnectionLost(f"publish to {topic!r} failed: {error}") from error

    async def subscribe(
        self, pattern: str, options: SubscribeOptions, deliver: Deliver
    ) -> Hashable:
        channel = self._connected()
        try:
            if options.queue is not None:
                queue = await channel.declare_queue(
                    options.queue,
                    durable=options.queue_durable,
                    exclusive=options.queue_exclusive,
                    auto_delete=options.queue_auto_delete,
                )
                if options.exchange:
                    exchange = await self._exchange(
                        options.exchange,
                        options.exchange_type,
                        options.exchange_durable,
                        options.exchange_auto_delete,
                    )
                    await queue.bind(exchange, pattern)
            else:
                exchange = await self._exchange(
                    options.exchange,
                    options.exchange_type,
                    options.exchange_durable,
                    options.exchange_auto_delete,
                )
                queue = await channel.declare_queue(exclusive=True, auto_delete=True)
                await queue.bind(exchange, pattern)
            return await self._consume(queue, deliver)
        except (AMQPError, OSError) as error:
            raise ConnectionLost(f"subscribe to {pattern!r} failed: {error}") from error

    async def _consume(self, queue: AbstractQueue, deliver: Deliver) -> _Token:
        async def on_message(message: AbstractIncomingMessage) -> None:
            deliver(
                Incoming(
                    message.routing_key or "",
                    message.body,
                    message.reply_to,
                    message.correlation_id,
                )
            )

        return _Token(queue, await queue.consume(on_message, no_ack=True))

    async def unsubscribe(self, token: Hashable) -> None:
        if not isinstance(token, _Token):
            raise TypeError("not a subscription of this link")
        if self._channel is None:
            return
        try:
            await token.queue.cancel(token.tag)
        except (AMQPError, OSError) as error:
            raise ConnectionLost(f"unsubscribe failed: {error}") from error

    async def inbox(self, deliver: Deliver) -> tuple[str, Hashable]:
        channel = self._connected()
        try:
            queue = await channel.declare_queue(exclusive=True, auto_delete=True)
            return queue.name, await self._consume(queue, deliver)
        except (AMQPError, OSError) as error:
            raise ConnectionLost(f"reply queue failed: {error}") from error
