"""The AMQP link against a real RabbitMQ on 127.0.0.1 (tests/brokers.py)."""

from __future__ import annotations

import asyncio
import json

import aio_pika
import aiormq
import pytest
from asyncgen.runtime._amqp import AmqpLink
from asyncgen.runtime._broker import PublishOptions, SubscribeOptions, dotted_address
from broker_scenarios import (
    Reading,
    decoder,
    lost_connection,
    many_subscriptions,
    payload,
    publish_subscribe_with_params,
    reconnect_resubscribes,
    request_reply,
    run,
    started,
)
from brokers import BROKERS, Broker

pytestmark = BROKERS

ADDRESS = dotted_address("city.{zone}.lamp.{lamp}.measured")


def test_url_parts_and_credentials() -> None:
    link = AmqpLink("amqp://user:p%40ss@broker.example:5673/my%2Fvhost")
    assert (link.host, link.port, link.username, link.password, link.vhost) == (
        "broker.example",
        5673,
        "user",
        "p@ss",
        "my/vhost",
    )
    assert AmqpLink("amqp://h").vhost == "/"
    secure = AmqpLink("amqps://h", username="u", password="p")
    assert (secure.port, secure.username, secure.tls_context is not None) == (5671, "u", True)


def test_publish_subscribe_through_the_topic_exchange(rabbitmq: Broker) -> None:
    run(publish_subscribe_with_params(AmqpLink, rabbitmq, ADDRESS))


def test_a_declared_exchange_and_persistent_delivery(rabbitmq: Broker) -> None:
    """A named exchange is declared as the binding says; delivery_mode reaches the wire."""
    exchange = {"exchange": "lights", "exchange_type": "topic", "exchange_durable": True}
    run(
        publish_subscribe_with_params(
            AmqpLink,
            rabbitmq,
            ADDRESS,
            PublishOptions(delivery_mode=2, **exchange),  # type: ignore[arg-type]
            SubscribeOptions(**exchange),  # type: ignore[arg-type]
        )
    )

    async def delivery_mode_seen() -> None:
        connection = await aio_pika.connect(rabbitmq.url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(exclusive=True)
            await queue.bind("amq.topic", "modes.#")
            async with await started(AmqpLink, rabbitmq) as client:
                for mode in (1, 2):
                    options = PublishOptions(delivery_mode=mode)
                    await client.publish(f"modes.{mode}", payload(mode), options)
            seen = []
            async with queue.iterator() as messages:
                async for message in messages:
                    await message.ack()
                    seen.append((message.routing_key, message.delivery_mode))
                    if len(seen) == 2:
                        break
            assert [(key, int(mode)) for key, mode in seen] == [("modes.1", 1), ("modes.2", 2)]

    run(delivery_mode_seen())


def test_a_named_queue_is_consumed_and_published_to_directly(rabbitmq: Broker) -> None:
    async def scenario() -> None:
        address = dotted_address("jobs-queue")
        options = SubscribeOptions(queue="jobs-queue", queue_durable=True)
        async with (
            await started(AmqpLink, rabbitmq) as client,
            client.subscription("jobs", options, decoder(address)) as jobs,
        ):
            for n in range(3):
                await client.publish(
                    "jobs", payload(n), PublishOptions(queue="jobs-queue", delivery_mode=2)
                )
            got = [await anext(jobs) for _ in range(3)]
            assert [r.message for r in got] == [Reading(0), Reading(1), Reading(2)]
            assert {r.topic for r in got} == {"jobs-queue"}

    run(scenario())


def test_request_reply_with_amqp_properties(rabbitmq: Broker) -> None:
    run(request_reply(AmqpLink, rabbitmq, "service.double", PublishOptions()))


def test_the_reply_properties_are_amqp_properties(rabbitmq: Broker) -> None:
    async def scenario() -> None:
        connection = await aio_pika.connect(rabbitmq.url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(exclusive=True)
            await queue.bind("amq.topic", "props.raw")
            async with await started(AmqpLink, rabbitmq) as client:
                request = asyncio.create_task(
                    client.request(
                        "props.raw", payload(1), PublishOptions(), decoder(ADDRESS), timeout=5
                    )
                )
                message = None
                while message is None:
                    await asyncio.sleep(0.02)
                    message = await queue.get(fail=False)
                assert message.reply_to and message.correlation_id
                assert json.loads(message.body) == {"lumens": 1}
                request.cancel()
                await asyncio.gather(request, return_exceptions=True)

    run(scenario())


def test_a_stopped_broker_wakes_the_consumer(rabbitmq_private: Broker) -> None:
    run(lost_connection(AmqpLink, rabbitmq_private, "lost.topic"), timeout=60)


def test_reconnect_subscribes_again(rabbitmq_private: Broker) -> None:
    run(reconnect_resubscribes(AmqpLink, rabbitmq_private, "again.topic"), timeout=90)


def test_100_subscriptions_get_exactly_their_messages(rabbitmq: Broker) -> None:
    run(many_subscriptions(AmqpLink, rabbitmq, ADDRESS), timeout=60)


def test_exclusive_and_auto_delete_queues_and_exchanges(rabbitmq: Broker) -> None:
    """The queue binding's `exclusive` and `autoDelete`, the exchange's `autoDelete`: declared
    so, as RabbitMQ then shows (another connection is refused the exclusive queue; both
    auto-delete objects are gone once the subscription ends)."""

    async def exists(channel: aio_pika.abc.AbstractChannel, kind: str, name: str) -> bool:
        try:
            async with asyncio.timeout(5):
                if kind == "queue":
                    await channel.declare_queue(name, passive=True)
                else:
                    await channel.declare_exchange(name, passive=True)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            return False
        return True

    async def scenario() -> None:
        address = dotted_address("{zone}.lamp")
        queue = SubscribeOptions(
            queue="private-jobs",
            queue_exclusive=True,
            queue_auto_delete=True,
            exchange="short-lived",
            exchange_auto_delete=True,
        )
        async with await started(AmqpLink, rabbitmq) as client:
            async with client.subscription("*.lamp", queue, decoder(address)) as jobs:
                await client.publish(
                    "hall.lamp",
                    payload(1),
                    PublishOptions(exchange="short-lived", exchange_auto_delete=True),
                )
                assert (await anext(jobs)).params == {"zone": "hall"}
                async with await aio_pika.connect(rabbitmq.url) as other:
                    channel = await other.channel()
                    with pytest.raises(aiormq.exceptions.ChannelLockedResource):
                        await channel.declare_queue("private-jobs", passive=True)
            await asyncio.sleep(0.2)  # the queue goes with its consumer, the exchange with it
            async with await aio_pika.connect(rabbitmq.url) as other:
                assert not await exists(await other.channel(), "queue", "private-jobs")
                assert not await exists(await other.channel(), "exchange", "short-lived")

    run(scenario())


def test_queues_and_exchanges_stay_by_default(rabbitmq: Broker) -> None:
    async def scenario() -> None:
        address = dotted_address("{zone}.lamp")
        options = SubscribeOptions(queue="kept-jobs", exchange="kept-exchange")
        async with (
            await started(AmqpLink, rabbitmq) as client,
            client.subscription("*.lamp", options, decoder(address)),
        ):
            pass
        async with await aio_pika.connect(rabbitmq.url) as other:
            channel = await other.channel()
            await channel.declare_queue("kept-jobs", passive=True)
            await channel.declare_exchange("kept-exchange", passive=True)
            await channel.queue_delete("kept-jobs")
            await channel.exchange_delete("kept-exchange")

    run(scenario())
