"""The NATS link of a broker client, on nats-py.

Subjects are `.`-separated with `*` for one token; a queue group shares a subscription's
messages among its members (each message to one). Requests carry their reply subject
(`<inbox>.<correlation id>`) and the correlation id in a `correlation-id` header.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Hashable
from urllib.parse import urlsplit

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as NatsSubscription
from nats.errors import Error as NatsError

from ._broker import (
    BrokerError,
    ConnectionLost,
    Deliver,
    Incoming,
    PublishOptions,
    SubscribeOptions,
)

CORRELATION_HEADER = "correlation-id"


class NatsLink:
    """One NATS connection (`nats://host:port`, `tls://host:port`)."""

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if tls_context is None and urlsplit(url).scheme == "tls":
            tls_context = ssl.create_default_context()
        self.url = url
        self.username = username
        self.password = password
        self.token = token
        self.tls_context = tls_context
        self.on_lost: Callable[[BaseException], None] | None = None
        self._client: Client | None = None
        self._inbox: str | None = None

    async def open(self) -> None:
        client = Client()

        async def closed() -> None:
            self._ended(client)

        async def ignore(error: Exception) -> None:
            """Errors the link reports elsewhere (a lost connection, a failed call)."""

        try:
            await client.connect(
                servers=[self.url],
                user=self.username,
                password=self.password,
                token=self.token,
                tls=self.tls_context,
                allow_reconnect=False,
                connect_timeout=10,
                closed_cb=closed,
                disconnected_cb=closed,
                error_cb=ignore,
            )
        except (NatsError, OSError) as error:
            raise BrokerError(f"cannot connect to {self.url}: {error}") from error
        self._client = client
        self._inbox = None

    def _ended(self, client: Client) -> None:
        if self._client is not client:
            return  # closed by `close`, or already reported
        self._client = None
        on_lost = self.on_lost
        if on_lost is not None:
            cause = client.last_error or ConnectionLost(
                "the server closed the connection"
            )
            on_lost(cause)

    def _connected(self) -> Client:
        client = self._client
        if client is None:
            raise ConnectionLost(f"not connected to {self.url}")
        return client

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and not client.is_closed:
            try:
                await client.close()
            except (NatsError, OSError):
                pass

    async def publish(
        self, topic: str, payload: bytes, options: PublishOptions
    ) -> None:
        client = self._connected()
        reply = options.reply_to or ""
        headers = None
        if options.correlation_id is not None:
            headers = {CORRELATION_HEADER: options.correlation_id}
            if reply and reply == self._inbox:
                reply = f"{reply}.{options.correlation_id}"
        try:
            await client.publish(topic, payload, reply=reply, headers=headers)
        except (NatsError, OSError) as error:
            raise ConnectionLost(f"publish to {topic!r} failed: {error}") from error

    async def subscribe(
        self, pattern: str, options: SubscribeOptions, deliver: Deliver
    ) -> Hashable:
        client = self._connected()

        async def on_message(message: Msg) -> None:
            headers = message.headers
            deliver(
                Incoming(
                    message.subject,
                    message.data,
                    message.reply or None,
                    None if headers is None else headers.get(CORRELATION_HEADER),
                )
            )

        try:
            subscription = await client.subscribe(
                pattern, queue=options.group or "", cb=on_message
            )
            await client.flush(timeout=10)  # the server has the subscription
        except (NatsError, OSError) as error:
            raise ConnectionLost(f"subscribe to {pattern!r} failed: {error}") from error
        return subscription

    async def unsubscribe(self, token: Hashable) -> None:
        if not isinstance(token, NatsSubscription):
            raise TypeError("not a subscription of this link")
        if self._client is None:
            return
        try:
            await token.unsubscribe()
        except (NatsError, OSError) as error:
            raise ConnectionLost(f"unsubscribe failed: {error}") from error

    async def inbox(self, deliver: Deliver) -> tuple[str, Hashable]:
        client = self._connected()
        inbox = client.new_inbox()
        token = await self.subscribe(f"{inbox}.*", SubscribeOptions(), deliver)
        self._inbox = inbox
        return inbox, token
