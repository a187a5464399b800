"""Scenarios every broker link passes against its real broker (used by test_*_link.py).

Each takes a `make_link(url)` and the broker (see tests/brokers.py), runs inside a time
bound, and talks to 127.0.0.1 only. Messages are small JSON objects decoded by a trivial
`decode` into `Reading`, with the topic's parameters read back through the `Address`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from asyncgen.runtime._broker import (
    Address,
    BrokerClient,
    ConnectionLost,
    Incoming,
    InvalidMessage,
    Link,
    PublishOptions,
    Received,
    SubscribeOptions,
)
from brokers import Broker

T = TypeVar("T")
AT_MOST_ONCE = PublishOptions()
PLAIN = SubscribeOptions()
MakeLink = Callable[[str], Link]
Params = dict[str, str]


@dataclass(frozen=True)
class Reading:
    lumens: int


def run(coro: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await coro

    return asyncio.run(bounded())


def decoder(address: Address) -> Callable[[Incoming], Received[Params, Reading]]:
    def decode(incoming: Incoming) -> Received[Params, Reading]:
        data = json.loads(incoming.payload)
        if not isinstance(data, dict) or type(data.get("lumens")) is not int:
            raise ValueError("not a reading")
        params = address.match(incoming.topic)
        if params is None:
            raise ValueError(f"topic {incoming.topic!r} is not the channel's")
        return Received.of(incoming, Reading(data["lumens"]), params)

    return decode


def payload(lumens: int) -> bytes:
    return json.dumps({"lumens": lumens}).encode()


async def started(make_link: MakeLink, broker: Broker, **options: Any) -> BrokerClient:
    client = BrokerClient(make_link(broker.url), **options)
    await client.start()
    return client


async def publish_subscribe_with_params(
    make_link: MakeLink,
    broker: Broker,
    address: Address,
    publish: PublishOptions = AT_MOST_ONCE,
    subscribe: SubscribeOptions = PLAIN,
) -> None:
    """Params read back from topics; a wildcard level takes every value; invalid payloads
    are `InvalidMessage` and the subscription goes on."""
    decode = decoder(address)
    async with (
        await started(make_link, broker) as consumer,
        await started(make_link, broker) as producer,
        consumer.subscription(address.pattern({"zone": "north"}), subscribe, decode) as messages,
    ):
        for lamp, lumens in (("1", 10), ("lamp-2", 20)):
            topic = address.fill({"zone": "north", "lamp": lamp})
            await producer.publish(topic, payload(lumens), publish)
        await producer.publish(address.fill({"zone": "south", "lamp": "9"}), payload(99), publish)
        await producer.publish(address.fill({"zone": "north", "lamp": "3"}), b"[]", publish)
        await producer.publish(address.fill({"zone": "north", "lamp": "4"}), payload(40), publish)
        first = await anext(messages)
        second = await anext(messages)
        assert (first.message, first.params) == (
            Reading(10),
            {"zone": "north", "lamp": "1"},
        )
        assert second.params == {"zone": "north", "lamp": "lamp-2"}
        try:
            await anext(messages)
            raise AssertionError("an invalid payload decoded")
        except InvalidMessage as error:
            assert error.payload == b"[]"
            assert isinstance(error.error, ValueError)
        fourth = await anext(messages)
        assert (fourth.message, fourth.params["lamp"]) == (Reading(40), "4")


async def request_reply(
    make_link: MakeLink, broker: Broker, topic: str, options: PublishOptions
) -> None:
    """A request carries reply-to and a fresh correlation id; the responder's reply
    reaches the requester, decoded; concurrent requests get their own replies."""

    def decode(incoming: Incoming) -> Received[Params, Reading]:
        return Received.of(incoming, Reading(json.loads(incoming.payload)["lumens"]), {})

    async with (
        await started(make_link, broker) as requester,
        await started(make_link, broker) as responder,
        responder.subscription(topic, SubscribeOptions(), decode) as requests,
    ):

        async def serve() -> None:
            async for request in requests:
                assert request.reply_to and request.correlation_id
                reply = payload(request.message.lumens * 2)
                await responder.reply(request.reply_to, reply, request.correlation_id)

        server = asyncio.create_task(serve())
        try:
            replies = await asyncio.gather(
                *(
                    requester.request(topic, payload(n), options, decode, timeout=5)
                    for n in range(5)
                )
            )
            assert [r.message.lumens for r in replies] == [0, 2, 4, 6, 8]
        finally:
            server.cancel()


async def lost_connection(make_link: MakeLink, broker: Broker, topic: str) -> None:
    """A waiting consumer gets ConnectionLost within 1 s of the broker's end; publishing
    fails with it too."""
    async with (
        await started(make_link, broker) as client,
        client.subscription(topic, SubscribeOptions(), decoder(_any(topic))) as sub,
    ):
        waiting = asyncio.create_task(anext(sub))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        await asyncio.to_thread(broker.stop)
        stopped = time.monotonic()
        try:
            async with asyncio.timeout(1.0):
                await waiting
            raise AssertionError("a message arrived from a stopped broker")
        except ConnectionLost:
            pass
        assert time.monotonic() - stopped <= 1.0
        try:
            await client.publish(topic, payload(1), PublishOptions())
            raise AssertionError("published to a stopped broker")
        except ConnectionLost:
            pass


async def reconnect_resubscribes(make_link: MakeLink, broker: Broker, topic: str) -> None:
    """With `reconnect`, a restarted broker is found again and the subscription renewed."""
    async with (
        await started(make_link, broker, reconnect=True, max_delay=0.5) as client,
        client.subscription(topic, SubscribeOptions(), decoder(_any(topic))) as sub,
    ):
        await asyncio.to_thread(broker.stop)
        await asyncio.to_thread(broker.start)
        while not client.connected:
            await asyncio.sleep(0.05)
        async with await started(make_link, broker) as producer:
            await producer.publish(topic, payload(7), PublishOptions())
        received = await anext(sub)
        assert received.message == Reading(7)


async def many_subscriptions(
    make_link: MakeLink,
    broker: Broker,
    address: Address,
    publish: PublishOptions = AT_MOST_ONCE,
    count: int = 100,
) -> None:
    """100 concurrent subscriptions (one per lamp) each get exactly their own messages."""
    decode = decoder(address)
    async with (
        await started(make_link, broker) as consumer,
        await started(make_link, broker) as producer,
    ):
        subscriptions = [
            consumer.subscription(
                address.pattern({"zone": "z", "lamp": str(n)}), SubscribeOptions(), decode
            )
            for n in range(count)
        ]
        for subscription in subscriptions:
            await subscription.__aenter__()
        try:
            for round_ in range(3):
                for n in range(count):
                    topic = address.fill({"zone": "z", "lamp": str(n)})
                    await producer.publish(topic, payload(n * 10 + round_), publish)

            async def collect(n: int) -> list[int]:
                got = [await anext(subscriptions[n]) for _ in range(3)]
                assert all(r.params["lamp"] == str(n) for r in got)
                return [r.message.lumens for r in got]

            results = await asyncio.gather(*(collect(n) for n in range(count)))
            assert results == [[n * 10, n * 10 + 1, n * 10 + 2] for n in range(count)]
            await asyncio.sleep(0.2)  # nothing more arrives
            assert all(not s._items for s in subscriptions)
        finally:
            for subscription in subscriptions:
                await subscription.__aexit__(None, None, None)


def _any(topic: str) -> Address:
    """An address with no parameters, for the scenarios that need one topic."""
    separator = "/" if "/" in topic else "."
    return Address(topic, separator, "+" if separator == "/" else "*")
