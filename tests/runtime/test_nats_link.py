"""The NATS link against a real nats-server on 127.0.0.1 (tests/brokers.py)."""

from __future__ import annotations

import asyncio
import collections

from asyncgen.runtime._broker import PublishOptions, SubscribeOptions, dotted_address
from asyncgen.runtime._nats import NatsLink
from broker_scenarios import (
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


def test_publish_subscribe_with_params(nats_server: Broker) -> None:
    run(publish_subscribe_with_params(NatsLink, nats_server, ADDRESS))


def test_a_queue_group_gives_each_message_to_one_member(nats_server: Broker) -> None:
    async def scenario() -> None:
        address = dotted_address("work.{kind}")
        options = SubscribeOptions(group="workers")
        async with (
            await started(NatsLink, nats_server) as one,
            await started(NatsLink, nats_server) as two,
            await started(NatsLink, nats_server) as producer,
            one.subscription("work.*", options, decoder(address)) as first,
            two.subscription("work.*", options, decoder(address)) as second,
        ):
            for n in range(40):
                await producer.publish("work.job", payload(n), PublishOptions())
            seen: collections.Counter[int] = collections.Counter()
            per_member = []
            for member in (first, second):
                got = []
                while True:
                    try:
                        async with asyncio.timeout(0.5):
                            got.append((await anext(member)).message.lumens)
                    except TimeoutError:
                        break
                per_member.append(got)
                seen.update(got)
            assert seen == collections.Counter(range(40))  # each once
            assert all(per_member)  # both members took a share

    run(scenario())


def test_request_reply_with_reply_subjects(nats_server: Broker) -> None:
    run(request_reply(NatsLink, nats_server, "service.double", PublishOptions()))


def test_a_stopped_broker_wakes_the_consumer(nats_server_private: Broker) -> None:
    run(lost_connection(NatsLink, nats_server_private, "lost.topic"))


def test_reconnect_subscribes_again(nats_server_private: Broker) -> None:
    run(reconnect_resubscribes(NatsLink, nats_server_private, "again.topic"))


def test_100_subscriptions_get_exactly_their_messages(nats_server: Broker) -> None:
    run(many_subscriptions(NatsLink, nats_server, ADDRESS))
