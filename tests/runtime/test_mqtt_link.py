"""The MQTT link against a real mosquitto on 127.0.0.1 (tests/brokers.py)."""

from __future__ import annotations

import asyncio

import pytest
from asyncgen.runtime._broker import (
    BrokerError,
    PublishOptions,
    SubscribeOptions,
    mqtt_address,
)
from asyncgen.runtime._mqtt import MqttLink, filter_regex
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
