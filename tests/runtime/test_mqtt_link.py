"""The MQTT link against a real mosquitto on 127.0.0.1 (tests/brokers.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asyncgen.runtime._broker import (
    BrokerError,
    PublishOptions,
    SubscribeOptions,
    mqtt_address,
)
from asyncgen.runtime._mqtt import (
    MqttLink,
    covering_filter,
    filter_covers,
    filter_regex,
    filters_overlap,
)
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

ADDRESS = mqtt_address("city/{zone}/lamp/{lamp}/measured")


def test_filters_match_as_mqtt_says() -> None:
    assert filter_regex("a/+/c").fullmatch("a/b/c")
    assert filter_regex("a/+/c").fullmatch("a//c")
    assert not filter_regex("a/+/c").fullmatch("a/b/x/c")
    assert filter_regex("a/#").fullmatch("a")
    assert filter_regex("a/#").fullmatch("a/b/c")
    assert not filter_regex("a/#").fullmatch("ab")
    assert not filter_regex("#").fullmatch("$SYS/load")
    assert not filter_regex("+/load").fullmatch("$SYS/load")
    assert filter_regex("a.b/(x)").fullmatch("a.b/(x)")
    assert not filter_regex("a.b").fullmatch("axb")


def test_overlapping_filters_and_the_filter_covering_them() -> None:
    assert filters_overlap("a/+/c", "a/b/+") and covering_filter("a/+/c", "a/b/+") == "a/+/+"
    assert filters_overlap("a", "a/#") and covering_filter("a", "a/#") == "a/#"
    assert filters_overlap("a/+", "a/b/#") and covering_filter("a/+", "a/b/#") == "a/+/#"
    assert filters_overlap("#", "a/b") and covering_filter("a/b", "#") == "#"
    assert not filters_overlap("a/b", "a/c") and not filters_overlap("a/b", "a/b/c")
    assert not filters_overlap("#", "$SYS/load") and not filters_overlap("+/load", "$SYS/+")
    assert filter_covers("a/+", "a/b") and filter_covers("a/#", "a") and filter_covers("#", "a/b")
    assert filter_covers("a/+/+", "a/+/c") and filter_covers("$SYS/#", "$SYS/load")
    assert not filter_covers("a/b", "a/+") and not filter_covers("a/+", "a/#")
    assert not filter_covers("a/+", "a/b/c") and not filter_covers("#", "$SYS/load")


def test_publish_subscribe_with_params_at_qos_1(mosquitto: Broker) -> None:
    run(
        publish_subscribe_with_params(
            MqttLink, mosquitto, ADDRESS, PublishOptions(qos=1), SubscribeOptions(qos=1)
        )
    )


def test_a_retained_message_reaches_a_later_subscriber(mosquitto: Broker) -> None:
    topic = ADDRESS.fill({"zone": "retained", "lamp": "1"})

    async def scenario() -> None:
        async with await started(MqttLink, mosquitto) as producer:
            await producer.publish(topic, payload(5), PublishOptions(qos=1, retain=True))
            await producer.publish(
                ADDRESS.fill({"zone": "retained", "lamp": "2"}),
                payload(6),
                PublishOptions(qos=1),
            )
        async with await started(MqttLink, mosquitto) as consumer:
            pattern = ADDRESS.pattern({"zone": "retained"})
            async with consumer.subscription(
                pattern, SubscribeOptions(qos=1), decoder(ADDRESS)
            ) as messages:
                received = await anext(messages)
                assert (received.message, received.params["lamp"]) == (Reading(5), "1")
                with pytest.raises(TimeoutError):  # the unretained one is gone
                    async with asyncio.timeout(0.3):
                        await anext(messages)
            async with await started(MqttLink, mosquitto) as cleaner:
                await cleaner.publish(topic, b"", PublishOptions(qos=1, retain=True))

    run(scenario())


def test_request_reply_with_mqtt_5_properties(mosquitto: Broker) -> None:
    run(request_reply(MqttLink, mosquitto, "service/double", PublishOptions(qos=1)))


def test_mqtt_3_refuses_request_reply(mosquitto: Broker) -> None:
    async def scenario() -> None:
        link = MqttLink(mosquitto.url, protocol_version=4)
        async with await started(lambda url: link, mosquitto) as client:
            with pytest.raises(BrokerError, match="MQTT 5"):
                await client.request("x", b"{}", PublishOptions(), decoder(ADDRESS))
            async with client.subscription(
                "v3/+", SubscribeOptions(), decoder(mqtt_address("v3/{zone}"))
            ) as messages:
                await client.publish("v3/a", payload(1), PublishOptions())
                assert (await anext(messages)).params == {"zone": "a"}

    run(scenario())


def test_a_stopped_broker_wakes_the_consumer(mosquitto_private: Broker) -> None:
    run(lost_connection(MqttLink, mosquitto_private, "lost/topic"))


def test_reconnect_subscribes_again(mosquitto_private: Broker) -> None:
    run(reconnect_resubscribes(MqttLink, mosquitto_private, "again/topic"))


def test_100_subscriptions_get_exactly_their_messages(mosquitto: Broker) -> None:
    run(many_subscriptions(MqttLink, mosquitto, ADDRESS, PublishOptions(qos=1)))


def test_unreachable_broker_is_a_broker_error() -> None:
    from brokers import free_port

    async def scenario() -> None:
        link = MqttLink(f"mqtt://127.0.0.1:{free_port()}")
        with pytest.raises(BrokerError, match="cannot connect"):
            await link.open()

    run(scenario())


async def _lumens(messages: Any, count: int) -> list[int]:
    """`count` readings from `messages`, then nothing more within 0.3 s."""
    got = [(await anext(messages)).message.lumens for _ in range(count)]
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            extra = await anext(messages)
            got.append(extra.message.lumens)
    return got


@pytest.mark.parametrize("version", [5, 4])
@pytest.mark.parametrize(
    "filters",
    [
        ("overlap/+/x", "overlap/a/x"),  # the specific one covered by the wildcard
        ("overlap/a/x", "overlap/+/x"),  # the wildcard widens the specific one
        ("overlap/+/x", "overlap/a/+"),  # neither covers the other
        ("overlap/#", "overlap/a/x"),
    ],
    ids=["covered", "widened", "crossed", "multi-level"],
)
def test_overlapping_subscriptions_on_one_client_get_one_copy_each(
    mosquitto: Broker, version: int, filters: tuple[str, str]
) -> None:
    prefix = f"v{version}-{filters[0].count('+')}{filters[1].count('+')}"
    first, second = (f.replace("overlap", prefix, 1) for f in filters)
    address = mqtt_address(f"{prefix}/{{a}}/{{b}}")
    topics = [f"{prefix}/a/x", f"{prefix}/b/x", f"{prefix}/a/y"]

    async def scenario() -> None:
        link = MqttLink(mosquitto.url, protocol_version=version)
        async with await started(lambda url: link, mosquitto) as client:
            options = SubscribeOptions(qos=1)
            async with client.subscription(
                first, options, decoder(address)
            ) as one, client.subscription(second, options, decoder(address)) as two:
                for lumens, topic in enumerate(topics):
                    await client.publish(topic, payload(lumens), PublishOptions(qos=1))
                for topic_filter, messages in ((first, one), (second, two)):
                    expected = [
                        n for n, t in enumerate(topics) if filter_regex(topic_filter).fullmatch(t)
                    ]
                    assert await _lumens(messages, len(expected)) == expected, topic_filter
            # Each subscription ended on its own: the other one still receives.
            async with client.subscription(first, options, decoder(address)) as one:
                async with client.subscription(second, options, decoder(address)):
                    pass
                await client.publish(topics[0], payload(9), PublishOptions(qos=1))
                assert await _lumens(one, 1) == [9]

    run(scenario())


def test_mqtt_3_retained_messages_reach_each_subscription_once(mosquitto: Broker) -> None:
    # MQTT 3.1.1: `retained/a/x` is subscribed through `retained/+/x` again, which sends the
    # retained message once more; only the new subscription takes it.
    topic = "retained3/a/x"
    address = mqtt_address("retained3/{a}/x")

    async def scenario() -> None:
        link = MqttLink(mosquitto.url, protocol_version=4)
        async with await started(lambda url: link, mosquitto) as client:
            await client.publish(topic, payload(4), PublishOptions(qos=1, retain=True))
            options = SubscribeOptions(qos=1)
            async with client.subscription("retained3/+/x", options, decoder(address)) as wide:
                assert await _lumens(wide, 1) == [4]
                async with client.subscription(topic, options, decoder(address)) as narrow:
                    assert await _lumens(narrow, 1) == [4]
                    assert await _lumens(wide, 0) == []
            await client.publish(topic, b"", PublishOptions(qos=1, retain=True))

    run(scenario())
