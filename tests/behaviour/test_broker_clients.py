"""The broker clients of the MQTT, AMQP and NATS fixtures, imported and run against real brokers
(mosquitto, RabbitMQ, nats-server on 127.0.0.1, started by `tests/brokers.py`), and the codec of
the Kafka fixture."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from brokers import Broker
from conftest import FIXTURES, build, import_package

pytestmark = pytest.mark.xdist_group("brokers")

T = TypeVar("T")


def run(make: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(make(), timeout)

    return asyncio.run(bounded())


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("brokers")
    found = {}
    for name in ("streetlights_mqtt", "orders_amqp", "sensors_nats", "events_kafka"):
        build(FIXTURES / name / "spec.yaml", root, f"broker_{name}")
        found[name] = import_package(root, f"broker_{name}")
    found["_root"] = {"path": root}  # type: ignore[dict-item]
    return found


async def _next(subscription: Any, timeout: float = 5.0) -> Any:
    return await asyncio.wait_for(subscription.__anext__(), timeout)


async def _nothing(subscription: Any, wait: float = 0.3) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(subscription.__anext__(), wait)


# -- which modules each document gets -------------------------------------------------------


def test_protocol_decides_the_modules(packages: dict[str, dict[str, ModuleType]]) -> None:
    root: Path = packages["_root"]["path"]  # type: ignore[assignment]
    files = {
        name: sorted(p.name for p in (root / f"broker_{name}").glob("*.py"))
        for name in ("streetlights_mqtt", "orders_amqp", "sensors_nats", "events_kafka")
    }
    assert "mqtt_client.py" in files["streetlights_mqtt"]
    assert "amqp_client.py" in files["orders_amqp"] and "_amqp.py" in files["orders_amqp"]
    assert "nats_client.py" in files["sensors_nats"] and "_nats.py" in files["sensors_nats"]
    for name in ("streetlights_mqtt", "orders_amqp", "sensors_nats"):
        # No WebSocket client for a broker document, and no other protocol's link.
        assert "client.py" not in files[name] and "server.py" not in files[name]
        assert "codec.py" not in files[name]
        # Nor the WebSocket runtime, which imports websockets.
        assert not [f for f in files[name] if f.startswith("_ws_")], name
    assert "_mqtt.py" not in files["orders_amqp"] and "_amqp.py" not in files["sensors_nats"]
    # Kafka: codec only, beside the WebSocket client of its ws server (which has only /live).
    assert {"codec.py", "client.py", "server.py", "_ws_client.py"} <= set(files["events_kafka"])
    assert not any(f.endswith(("mqtt_client.py", "amqp_client.py", "nats_client.py", "_broker.py")) for f in files["events_kafka"])
    client = packages["events_kafka"]["client"]
    channels = [n for n in vars(client) if n.endswith("Channel") and not n.startswith("_")]
    assert channels == ["LiveChannel", "LiveBlockingChannel"]


# -- MQTT -------------------------------------------------------------------------------------


def test_mqtt_publish_subscribe_typed_with_parameters(
    packages: dict[str, dict[str, ModuleType]], mosquitto: Broker
) -> None:
    mqtt = packages["streetlights_mqtt"]["mqtt_client"]
    models = packages["streetlights_mqtt"]["models"]

    async def scenario() -> None:
        # One client, two overlapping subscriptions (a wildcard one, and one for lamp-2):
        # each gets its messages once.
        async with mqtt.Client.connect(url=mosquitto.url) as client:
            channel = client.lighting_measured
            async with channel.subscribe() as everything, channel.subscribe(streetlight_id="lamp-2") as only_two:
                await channel.publish_light_measured(models.LightMeasuredPayload(lumens=7), streetlight_id="lamp-1")
                await channel.publish_light_measured(models.LightMeasuredPayload(lumens=9), streetlight_id="lamp-2")
                first, second = await _next(everything), await _next(everything)
                assert (first.params.streetlight_id, first.message.lumens) == ("lamp-1", 7)
                assert (second.params.streetlight_id, second.message.lumens) == ("lamp-2", 9)
                assert first.topic == "smartylighting/streetlights/1/0/event/lamp-1/lighting/measured"
                assert isinstance(first.message, models.LightMeasuredPayload)
                await _nothing(everything)
                mine = await _next(only_two)
                assert mine.params == mqtt.LightingMeasuredParams(streetlight_id="lamp-2")
                await _nothing(only_two)

    run(scenario)


def test_mqtt_validates_before_publishing_and_refuses_level_breaking_values(
    packages: dict[str, dict[str, ModuleType]], mosquitto: Broker
) -> None:
    mqtt = packages["streetlights_mqtt"]["mqtt_client"]
    models = packages["streetlights_mqtt"]["models"]
    errors = packages["streetlights_mqtt"]["package"]

    async def scenario() -> None:
        client = await mqtt.Client.connect(url=mosquitto.url)  # awaited: a started client
        try:
            with pytest.raises(errors.ValidationError):  # lumens has minimum 0
                await client.lighting_measured.publish_light_measured(
                    models.LightMeasuredPayload(lumens=-1), streetlight_id="a"
                )
            with pytest.raises(ValueError, match="streetlightId"):
                await client.lighting_measured.publish_light_measured(
                    models.LightMeasuredPayload(lumens=1), streetlight_id="a/b"
                )
        finally:
            await client.close()
        with pytest.raises(mqtt.ClientClosed):
            await client.lighting_measured.publish_light_measured(
                models.LightMeasuredPayload(lumens=1), streetlight_id="a"
            )

    run(scenario)


def test_mqtt_qos_and_retain_are_honoured(
    packages: dict[str, dict[str, ModuleType]], mosquitto: Broker
) -> None:
    import aiomqtt

    mqtt = packages["streetlights_mqtt"]["mqtt_client"]
    models = packages["streetlights_mqtt"]["models"]
    assert mqtt.LightsDimChannel._PUBLISH.qos == 1 and mqtt.LightsDimChannel._PUBLISH.retain is True
    assert mqtt.LightTurnOnChannel._PUBLISH.retain is False

    async def scenario() -> None:
        port = int(mosquitto.url.rsplit(":", 1)[1])
        async with mqtt.Client.connect(url=mosquitto.url) as client:
            await client.lights_dim.publish_dim_light(models.DimLightPayload(percentage=40), streetlight_id="retained-1")
            # Retained: a subscription made afterwards still receives it.
            async with client.lights_dim.subscribe(streetlight_id="retained-1") as late:
                received = await _next(late)
                assert received.message.percentage == 40
            # QoS 1 as delivered by the broker to a plain aiomqtt subscriber asking for QoS 2.
            async with aiomqtt.Client("127.0.0.1", port) as raw:
                await raw.subscribe("smartylighting/streetlights/1/0/action/+/turn/on", qos=2)
                await client.light_turn_on.publish_turn_on_off(models.TurnOnOffPayload(command=models.TurnOnOffPayloadCommand.ON), streetlight_id="q")
                async with asyncio.timeout(5):
                    async for message in raw.messages:
                        assert message.qos == 1 and message.retain is False
                        break
        # Clear the retained message for later tests on the same broker.
        async with aiomqtt.Client("127.0.0.1", port) as raw:
            await raw.publish("smartylighting/streetlights/1/0/action/retained-1/dim", b"", retain=True)

    run(scenario)


def test_mqtt_invalid_payload_is_invalid_message_and_the_subscription_goes_on(
    packages: dict[str, dict[str, ModuleType]], mosquitto: Broker
) -> None:
    mqtt = packages["streetlights_mqtt"]["mqtt_client"]
    models = packages["streetlights_mqtt"]["models"]

    async def scenario() -> None:
        async with mqtt.Client.connect(url=mosquitto.url) as client:
            channel = client.lighting_measured
            async with channel.subscribe(streetlight_id="bad") as messages:
                topic = "smartylighting/streetlights/1/0/event/bad/lighting/measured"
                await client._client.publish(topic, b'{"lumens": "lots"}', channel._PUBLISH)
                await channel.publish_light_measured(models.LightMeasuredPayload(lumens=2), streetlight_id="bad")
                with pytest.raises(mqtt.InvalidMessage) as caught:
                    await _next(messages)
                assert caught.value.topic == topic and caught.value.payload == b'{"lumens": "lots"}'
                assert (await _next(messages)).message.lumens == 2

    run(scenario)


def _ids(packages: dict[str, dict[str, ModuleType]], protocol: str) -> tuple[Any, Any, Callable[[Any], Any], Callable[[Any, int, int], Awaitable[None]], Callable[[int], dict[str, Any]]]:
    """For a protocol: its client module, models, a channel of a client, how to publish the
    message numbered `value` for subscriber `index`, and the parameters of that subscriber."""
    if protocol == "mqtt":
        models = packages["streetlights_mqtt"]["models"]

        async def mqtt_publish(channel: Any, index: int, value: int) -> None:
            await channel.publish_light_measured(models.LightMeasuredPayload(lumens=value), streetlight_id=f"many-{index}")

        return (packages["streetlights_mqtt"]["mqtt_client"], models, lambda c: c.lighting_measured, mqtt_publish, lambda i: {"streetlight_id": f"many-{i}"})
    if protocol == "amqp":
        models = packages["orders_amqp"]["models"]

        async def amqp_publish(channel: Any, index: int, value: int) -> None:
            await channel.publish_order_created(models.OrderCreatedPayload(order_id=str(value), total=1.0), region=models.Region.EU, shop=f"many-{index}")

        return (packages["orders_amqp"]["amqp_client"], models, lambda c: c.order_created, amqp_publish, lambda i: {"region": models.Region.EU, "shop": f"many-{i}"})
    models = packages["sensors_nats"]["models"]

    async def nats_publish(channel: Any, index: int, value: int) -> None:
        await channel.publish_reading(models.ReadingPayload(value=value, unit=models.ReadingPayloadUnit.PERCENT), building="many", sensor_id=f"s{index}")

    return (packages["sensors_nats"]["nats_client"], models, lambda c: c.reading, nats_publish, lambda i: {"building": "many", "sensor_id": f"s{i}"})


def _value(protocol: str, received: Any) -> int:
    message = received.message
    return int(message.lumens if protocol == "mqtt" else message.order_id if protocol == "amqp" else message.value)


PROTOCOLS = {"mqtt": "mosquitto", "amqp": "rabbitmq", "nats": "nats_server"}


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_broker_stopped_mid_subscription_is_connection_lost_within_a_second(
    packages: dict[str, dict[str, ModuleType]], protocol: str, request: pytest.FixtureRequest
) -> None:
    broker: Broker = request.getfixturevalue(PROTOCOLS[protocol] + "_private")
    module, _, channel_of, _, _ = _ids(packages, protocol)

    async def scenario() -> float:
        client = module.Client.connect(url=broker.url)
        async with client, channel_of(client).subscribe() as messages:
            waiting = asyncio.ensure_future(_next(messages, timeout=30))
            await asyncio.sleep(0.1)
            await asyncio.to_thread(broker.stop)  # returns once the process is gone
            gone = time.monotonic()
            with pytest.raises(module.ConnectionLost):
                await waiting
            return time.monotonic() - gone

    assert run(scenario, timeout=60) < 1.0


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_hundred_concurrent_subscribers_each_receive_exactly_theirs(
    packages: dict[str, dict[str, ModuleType]], protocol: str, request: pytest.FixtureRequest
) -> None:
    broker: Broker = request.getfixturevalue(PROTOCOLS[protocol])
    module, _, channel_of, publish, params = _ids(packages, protocol)

    async def scenario() -> None:
        async with module.Client.connect(url=broker.url) as client:
            channel = channel_of(client)
            subscriptions = [channel.subscribe(**params(i)) for i in range(100)]
            for subscription in subscriptions:
                await subscription.__aenter__()
            try:
                for round_ in range(3):
                    await asyncio.gather(*(publish(channel, i, i * 10 + round_) for i in range(100)))

                async def collect(i: int) -> list[int]:
                    got = [(await _next(subscriptions[i])) for _ in range(3)]
                    assert all(vars_of(r.params) == params(i) for r in got)
                    return sorted(_value(protocol, r) for r in got)

                results = await asyncio.gather(*(collect(i) for i in range(100)))
                assert results == [[i * 10, i * 10 + 1, i * 10 + 2] for i in range(100)]
                for subscription in subscriptions[:5]:
                    await _nothing(subscription, 0.1)
            finally:
                for subscription in subscriptions:
                    await subscription.__aexit__(None, None, None)

    run(scenario, timeout=90)


def vars_of(params: Any) -> dict[str, Any]:
    return {name: getattr(params, name) for name in params.__dataclass_fields__}


# -- AMQP -------------------------------------------------------------------------------------


def test_amqp_topic_exchange_with_typed_parameters_and_union(
    packages: dict[str, dict[str, ModuleType]], rabbitmq: Broker
) -> None:
    amqp = packages["orders_amqp"]["amqp_client"]
    models = packages["orders_amqp"]["models"]
    assert amqp.OrderCreatedChannel._PUBLISH.exchange == "orders"
    assert amqp.OrderCreatedChannel._PUBLISH.delivery_mode == 2

    async def scenario() -> None:
        async with amqp.Client.connect(url=rabbitmq.url) as client:
            channel = client.order_created
            async with channel.subscribe(region=models.Region.EU) as eu:
                await channel.publish_order_created(models.OrderCreatedPayload(order_id="o1", total=12.5), region=models.Region.US, shop="s1")
                await channel.publish_order_created(models.OrderCreatedPayload(order_id="o2", total=3.0), region=models.Region.EU, shop="s2")
                await channel.publish_order_cancelled(models.OrderCancelledPayload(order_id="o2", reason="late"), region=models.Region.EU, shop="s2")
                created, cancelled = await _next(eu), await _next(eu)
                assert isinstance(created.message, models.OrderCreatedPayload) and created.message.order_id == "o2"
                assert created.params.region is models.Region.EU and created.params.shop == "s2"
                assert created.topic == "orders.eu.s2.created"
                assert isinstance(cancelled.message, models.OrderCancelledPayload) and cancelled.message.reason == "late"
                await _nothing(eu)

    run(scenario)


def test_amqp_request_reply_and_named_queue(
    packages: dict[str, dict[str, ModuleType]], rabbitmq: Broker
) -> None:
    import aio_pika

    amqp = packages["orders_amqp"]["amqp_client"]
    models = packages["orders_amqp"]["models"]
    assert amqp.AuditChannel._SUBSCRIBE.queue == "audit-log"
    # The bindings' `exclusive` and `autoDelete` (RabbitMQ refuses a redeclaration that differs).
    assert amqp.AuditChannel._SUBSCRIBE.queue_exclusive is True
    assert amqp.AuditChannel._SUBSCRIBE.queue_auto_delete is True
    assert amqp.PriceQuoteChannel._SUBSCRIBE.exchange_auto_delete is True
    assert amqp.PriceQuoteChannel._PUBLISH.exchange_auto_delete is True
    assert amqp.OrderCreatedChannel._SUBSCRIBE.exchange_auto_delete is False

    async def scenario() -> None:
        async with amqp.Client.connect(url=rabbitmq.url) as server, amqp.Client.connect(url=rabbitmq.url) as client:
            async with server.price_quote.subscribe() as requests:

                async def answer() -> None:
                    request = await _next(requests)
                    price = request.message.quantity * 2.5
                    assert request.params.sku == "sku-9"
                    await server.price_quote.reply_quote(request, models.QuotePayload(price=price))

                answering = asyncio.ensure_future(answer())
                reply = await client.price_quote.request_quote_request(models.QuoteRequestPayload(quantity=4), sku="sku-9", timeout=10)
                await answering
                assert isinstance(reply, models.QuotePayload) and reply.price == 10.0

            async with client.audit.subscribe() as lines:
                await server.audit.publish_audit_line(models.AuditLine(payload="checked"))
                assert (await _next(lines)).message.payload == "checked"
            # Exclusive and auto-delete: gone once its consumer is.
            await asyncio.sleep(0.2)
            async with await aio_pika.connect(rabbitmq.url) as other:
                with pytest.raises(aio_pika.exceptions.ChannelNotFoundEntity):
                    await (await other.channel()).declare_queue("audit-log", passive=True)

    run(scenario)


# -- NATS -------------------------------------------------------------------------------------


def test_nats_subjects_with_parameters(
    packages: dict[str, dict[str, ModuleType]], nats_server: Broker
) -> None:
    nats = packages["sensors_nats"]["nats_client"]
    models = packages["sensors_nats"]["models"]

    async def scenario() -> None:
        client = nats.Client.connect(url=nats_server.url)
        async with client, client.reading.subscribe(building="b1") as b1:
            reading = models.ReadingPayload(value=21.5, unit=models.ReadingPayloadUnit.CELSIUS)
            await client.reading.publish_reading(reading, building="b2", sensor_id="t1")
            await client.reading.publish_reading(reading, building="b1", sensor_id="t7")
            got = await _next(b1)
            assert (got.params.building, got.params.sensor_id) == ("b1", "t7")
            assert got.message == reading and got.topic == "sensors.b1.t7.reading"
            await _nothing(b1)

    run(scenario)


def test_nats_token_of_the_documents_security_scheme(
    packages: dict[str, dict[str, ModuleType]], nats_server_token: Broker
) -> None:
    # The server's security scheme `token` (httpApiKey) is `connect(token=...)`.
    nats = packages["sensors_nats"]["nats_client"]
    models = packages["sensors_nats"]["models"]
    token = nats_server_token.token  # type: ignore[attr-defined]
    assert "`token` is the authentication token" in (nats.Client.connect.__doc__ or "")

    async def scenario() -> None:
        with pytest.raises(nats.BrokerError):
            await nats.Client.connect(url=nats_server_token.url, token="wrong")
        async with nats.Client.connect(url=nats_server_token.url, token=token) as client, client.jobs.subscribe() as jobs:
            await client.jobs.publish_job(models.JobPayload(id=1))
            assert (await _next(jobs)).message.id == 1

    run(scenario)


def test_nats_queue_group_shares_the_work_and_request_reply(
    packages: dict[str, dict[str, ModuleType]], nats_server: Broker
) -> None:
    nats = packages["sensors_nats"]["nats_client"]
    models = packages["sensors_nats"]["models"]
    assert nats.JobsChannel._SUBSCRIBE.group == "workers"

    async def scenario() -> None:
        async with nats.Client.connect(url=nats_server.url) as client:
            async with client.jobs.subscribe() as one, client.jobs.subscribe() as two:
                for n in range(20):
                    await client.jobs.publish_job(models.JobPayload(id=n))
                ids: list[int] = []
                for subscription in (one, two):
                    while True:
                        try:
                            ids.append((await _next(subscription, 0.5)).message.id)
                        except TimeoutError:
                            break
                assert sorted(ids) == list(range(20))  # each job once, to one member of the group

            async with client.ping.subscribe() as pings:

                async def answer() -> None:
                    ping = await _next(pings)
                    await client.ping.reply_pong(ping, models.PongPayload(seq=ping.message.seq, server="here"))

                answering = asyncio.ensure_future(answer())
                pong = await client.ping.request_ping(models.PingPayload(seq=5), timeout=5)
                await answering
                assert pong == models.PongPayload(seq=5, server="here")

    run(scenario)


# -- codec (Kafka) ----------------------------------------------------------------------------


def test_kafka_codec_round_trip(packages: dict[str, dict[str, ModuleType]]) -> None:
    codec = packages["events_kafka"]["codec"]
    models = packages["events_kafka"]["models"]
    errors = packages["events_kafka"]["package"]
    signed = models.SignedUpPayload(user_id=3, email="a@example.com")
    payload = codec.encode_signed_up(signed)
    assert payload == b'{"userId":3,"email":"a@example.com"}'
    assert codec.decode_user_user_id_signedup(payload) == signed
    with pytest.raises(errors.ValidationError):
        codec.encode_signed_up(models.SignedUpPayload(user_id=3, email="not an address"))
    with pytest.raises(errors.ValidationError):
        codec.decode_user_user_id_signedup(b'{"userId": "x"}')
    png = b"\x89PNG\r\n\x1a\n\x00\xff"
    assert codec.decode_user_user_id_avatar(codec.encode_avatar(models.Avatar(payload=png))).payload == png
    assert codec.decode_audit(codec.encode_audit_publish_message(models.AuditPublishMessage(payload="é"))).payload == "é"
