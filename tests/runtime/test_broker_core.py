"""_broker.py as source: addresses, subscription queues and the client's states, over a fake
link (no broker)."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

import pytest
from asyncgen.runtime._broker import (
    Address,
    BrokerClient,
    BrokerError,
    ClientClosed,
    ConnectionLost,
    Deliver,
    Incoming,
    InvalidMessage,
    MessagesDropped,
    PublishOptions,
    Received,
    SubscribeOptions,
    dotted_address,
    mqtt_address,
)
from broker_scenarios import run

LIGHTS = mqtt_address("smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured")


def test_address_names_fill_pattern_and_match() -> None:
    assert LIGHTS.names() == ("streetlightId",)
    topic = LIGHTS.fill({"streetlightId": "lamp-7"})
    assert topic == "smartylighting/streetlights/1/0/event/lamp-7/lighting/measured"
    assert LIGHTS.pattern({}) == "smartylighting/streetlights/1/0/event/+/lighting/measured"
    assert LIGHTS.pattern({"streetlightId": None}) == LIGHTS.pattern({})
    assert LIGHTS.pattern({"streetlightId": "3"}) == LIGHTS.fill({"streetlightId": "3"})
    assert LIGHTS.match(topic) == {"streetlightId": "lamp-7"}
    assert LIGHTS.match(topic + "/more") is None
    assert LIGHTS.match("smartylighting/streetlights/1/0/event//lighting/measured") is None


def test_several_parameters_in_one_level_and_repeated_names() -> None:
    address = dotted_address("{region}-{zone}.{kind}.{kind}")
    assert address.names() == ("region", "zone", "kind")
    assert address.pattern({"region": "eu", "kind": "a"}) == "*.a.a"
    assert address.pattern({"region": "eu", "zone": "1", "kind": None}) == "eu-1.*.*"
    assert address.match("eu-1.a.a") == {"region": "eu", "zone": "1", "kind": "a"}
    assert address.match("eu-1.a.b") is None  # one parameter, two values


def test_literal_parts_are_not_regex() -> None:
    address = dotted_address("a(b)+.{x}.[c]")
    assert address.match("a(b)+.1.[c]") == {"x": "1"}
    assert address.match("abb.1.c") is None
    assert Address("no-params", "/", "+").match("no-params") == {}


@pytest.mark.parametrize(
    ("address", "value"),
    [
        (LIGHTS, "a/b"),
        (LIGHTS, "+"),
        (LIGHTS, "#"),
        (LIGHTS, "x\0y"),
        (LIGHTS, ""),
        (dotted_address("t.{streetlightId}"), "a.b"),
        (dotted_address("t.{streetlightId}"), "*"),
        (dotted_address("t.{streetlightId}"), ">"),
        (dotted_address("t.{streetlightId}"), "#"),
        (dotted_address("t.{streetlightId}"), "a b"),  # NATS: would split the PUB line
        (dotted_address("t.{streetlightId}"), "a\r\nPUB x 1"),
    ],
)
def test_hostile_values_are_refused_by_name(address: Address, value: str) -> None:
    with pytest.raises(ValueError, match="streetlightId"):
        address.fill({"streetlightId": value})
    with pytest.raises(ValueError, match="streetlightId"):
        address.pattern({"streetlightId": value})


def test_a_missing_value_is_named() -> None:
    with pytest.raises(ValueError, match="'streetlightId' has no value"):
        LIGHTS.fill({})


def test_values_with_regex_and_unicode_read_back() -> None:
    for value in (".*", "(?P<x>)", "ü😀", "a\\b", "$1"):
        assert LIGHTS.match(LIGHTS.fill({"streetlightId": value})) == {"streetlightId": value}


class FakeLink:
    """A link whose broker is a dict of subscriptions; `drop()` loses the connection."""

    def __init__(self) -> None:
        self.on_lost = None
        self.opened = 0
        self.fail_opens = 0
        self.routes: dict[object, tuple[str, Deliver]] = {}
        self.published: list[tuple[str, bytes, PublishOptions]] = []
        self.up = False

    async def open(self) -> None:
        if self.fail_opens:
            self.fail_opens -= 1
            raise BrokerError("refused")
        self.opened += 1
        self.routes = {}
        self.up = True

    async def close(self) -> None:
        self.up = False

    async def publish(self, topic: str, payload: bytes, options: PublishOptions) -> None:
        if not self.up:
            raise ConnectionLost("down")
        self.published.append((topic, payload, options))
        incoming = Incoming(topic, payload, options.reply_to, options.correlation_id)
        for pattern, deliver in list(self.routes.values()):
            if pattern == topic:
                deliver(incoming)

    async def subscribe(
        self, pattern: str, options: SubscribeOptions, deliver: Deliver
    ) -> Hashable:
        token = object()
        self.routes[token] = (pattern, deliver)
        return token

    async def unsubscribe(self, token: Hashable) -> None:
        del self.routes[token]

    async def inbox(self, deliver: Deliver) -> tuple[str, Hashable]:
        return "inbox", await self.subscribe("inbox", SubscribeOptions(), deliver)

    def drop(self) -> None:
        self.up = False
        assert self.on_lost is not None
        self.on_lost(OSError("reset"))


def text(incoming: Incoming) -> Received[dict[str, str], str]:
    if incoming.payload == b"bad":
        raise ValueError("bad payload")
    return Received.of(incoming, incoming.payload.decode(), {})


def test_messages_in_order_invalid_ones_raised_and_the_subscription_goes_on() -> None:
    async def scenario() -> None:
        async with BrokerClient(FakeLink()) as client:
            async with client.subscription("t", SubscribeOptions(), text) as messages:
                for body in (b"one", b"bad", b"two"):
                    await client.publish("t", body, PublishOptions())
                assert (await anext(messages)).message == "one"
                with pytest.raises(InvalidMessage) as caught:
                    await anext(messages)
                assert (caught.value.topic, caught.value.payload) == ("t", b"bad")
                assert (await anext(messages)).message == "two"
            with pytest.raises(StopAsyncIteration):
                await anext(messages)

    run(scenario())


def test_a_full_queue_drops_and_says_how_many() -> None:
    async def scenario() -> None:
        async with (
            BrokerClient(FakeLink(), queue_size=2) as client,
            client.subscription("t", SubscribeOptions(), text) as messages,
        ):
            for n in range(5):
                await client.publish("t", str(n).encode(), PublishOptions())
            assert [(await anext(messages)).message for _ in range(2)] == ["0", "1"]
            with pytest.raises(MessagesDropped) as caught:
                await anext(messages)
            assert caught.value.count == 3
            await client.publish("t", b"5", PublishOptions())
            assert (await anext(messages)).message == "5"

    run(scenario())


def test_a_lost_connection_wakes_every_consumer_and_fails_publish_and_requests() -> None:
    async def scenario() -> None:
        link = FakeLink()
        client = BrokerClient(link)
        await client.start()
        subscriptions = [client.subscription(f"t{n}", SubscribeOptions(), text) for n in range(3)]
        for subscription in subscriptions:
            await subscription.__aenter__()
        waiting = [asyncio.create_task(anext(s)) for s in subscriptions]
        request = asyncio.create_task(
            client.request("svc", b"x", PublishOptions(), text, timeout=None)
        )
        await asyncio.sleep(0)
        link.drop()
        for task in (*waiting, request):
            with pytest.raises(ConnectionLost, match="reset"):
                await task
        with pytest.raises(ConnectionLost):
            await client.publish("t0", b"x", PublishOptions())
        with pytest.raises(ConnectionLost):
            await client.subscription("t", SubscribeOptions(), text).__aenter__()
        await client.close()
        await client.close()
        with pytest.raises(ClientClosed):
            await client.publish("t0", b"x", PublishOptions())

    run(scenario())


def test_close_ends_consumers_normally() -> None:
    async def scenario() -> None:
        client = BrokerClient(FakeLink())
        await client.start()
        subscription = client.subscription("t", SubscribeOptions(), text)
        await subscription.__aenter__()
        waiting = asyncio.create_task(anext(subscription))
        await asyncio.sleep(0)
        await client.close()
        with pytest.raises(StopAsyncIteration):
            await waiting

    run(scenario())


def test_one_reader_per_subscription() -> None:
    async def scenario() -> None:
        async with (
            BrokerClient(FakeLink()) as client,
            client.subscription("t", SubscribeOptions(), text) as messages,
        ):
            first = asyncio.create_task(anext(messages))
            await asyncio.sleep(0)
            with pytest.raises(BrokerError, match="already reading"):
                await anext(messages)
            first.cancel()

    run(scenario())


def test_reconnect_reopens_with_backoff_and_subscribes_again() -> None:
    async def scenario() -> None:
        link = FakeLink()
        async with (
            BrokerClient(link, reconnect=True, max_delay=0.2) as client,
            client.subscription("t", SubscribeOptions(), text) as messages,
        ):
            waiting = asyncio.create_task(anext(messages))
            link.fail_opens = 2
            link.drop()
            assert not client.connected
            with pytest.raises(ConnectionLost, match="reconnecting"):
                await client.publish("t", b"x", PublishOptions())
            while not client.connected:
                await asyncio.sleep(0.01)
            assert link.opened == 2 and len(link.routes) == 1
            await client.publish("t", b"back", PublishOptions())
            assert (await waiting).message == "back"

    run(scenario())


def test_request_sets_reply_to_and_correlation_id_and_matches_the_reply() -> None:
    async def scenario() -> None:
        link = FakeLink()
        async with BrokerClient(link) as client:
            async with client.subscription("svc", SubscribeOptions(), text) as requests:

                async def serve() -> None:
                    async for request in requests:
                        assert request.reply_to == "inbox"
                        await client.reply("unrelated", b"noise", "other-id")
                        await client.reply(
                            request.reply_to,
                            request.message.upper().encode(),
                            request.correlation_id,
                        )

                server = asyncio.create_task(serve())
                replies = await asyncio.gather(
                    *(client.request("svc", w.encode(), PublishOptions(), text) for w in "ab")
                )
                assert [r.message for r in replies] == ["A", "B"]
                with pytest.raises(TimeoutError):
                    await client.request("nobody", b"x", PublishOptions(), text, timeout=0.05)
                server.cancel()
            ids = {options.correlation_id for _t, _p, options in link.published}
            assert len(ids) == 4  # two answered requests, the unanswered one, "other-id"

    run(scenario())
