"""Receive path of the MQTT broker client against a bare aiomqtt loop, through mosquitto.

The script starts mosquitto on a free 127.0.0.1 port (as tests/brokers.py does). For each run
a consumer process subscribes, then a publisher process sends 50,000 small JSON messages (the
streetlights `lightMeasured` payload) at QoS 0 to `…/event/{streetlightId}/lighting/measured`
for 100 lamps. The consumer's CPU time (`time.process_time`, its own process only) and wall
time are taken from the first message received to the last.

  bare     an `aiomqtt.Client`: `async for message in client.messages`, `json.loads`,
           the compiled validator
  client   `BrokerClient(MqttLink(...))`: a subscription to the `+` pattern whose decode does
           `json.loads`, the same validator, and reads the lamp back from the topic
           (`Address.match`), yielding `Received`

Both validate with the same validator compiled from the payload's schema, and both use MQTT 5.
Runs alternate (bare, client, bare, ...); the median of each is printed with its spread.

    python benchmarks/brokers.py [--messages 50000] [--repeat 3]

Prints a table; no assertion, no time limit. Target: client CPU/message <= 1.1 x bare.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

TEMPLATE = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"
SCHEMA = {
    "type": "object",
    "properties": {
        "lumens": {"type": "integer", "minimum": 0},
        "sentAt": {"type": "string", "format": "date-time"},
    },
}
LAMPS = 100


def _validator() -> Any:
    from asyncgen.validation import compile_validator

    return compile_validator(SCHEMA)


async def consume_bare(url: str, count: int) -> tuple[float, float, int]:
    import aiomqtt

    validate = _validator()
    host, port = url.rsplit("//", 1)[1].split(":")
    pattern = TEMPLATE.replace("{streetlightId}", "+")
    received = 0
    async with aiomqtt.Client(host, int(port), protocol=aiomqtt.ProtocolVersion.V5) as client:
        await client.subscribe(pattern)
        print("ready", flush=True)
        cpu = wall = 0.0
        async for message in client.messages:
            if not received:
                cpu, wall = time.process_time(), time.perf_counter()
            assert isinstance(message.payload, bytes)
            data = json.loads(message.payload)
            validate(data)
            received += 1
            if received == count:
                break
    return time.process_time() - cpu, time.perf_counter() - wall, received


async def consume_client(url: str, count: int) -> tuple[float, float, int]:
    from asyncgen.runtime._broker import (
        BrokerClient,
        Incoming,
        MessagesDropped,
        Received,
        SubscribeOptions,
        mqtt_address,
    )
    from asyncgen.runtime._mqtt import MqttLink

    validate = _validator()
    address = mqtt_address(TEMPLATE)
    loads = json.loads

    def decode(incoming: Incoming) -> Received[dict[str, str] | None, Any]:
        data = loads(incoming.payload)
        validate(data)
        return Received.of(incoming, data, address.match(incoming.topic))

    received = dropped = 0
    async with (
        BrokerClient(MqttLink(url)) as client,
        client.subscription(address.pattern({}), SubscribeOptions(), decode) as messages,
    ):
        print("ready", flush=True)
        cpu = wall = 0.0
        while received + dropped < count:
            try:
                await anext(messages)
            except MessagesDropped as error:
                dropped += error.count
                continue
            if not received:
                cpu, wall = time.process_time(), time.perf_counter()
            received += 1
    return time.process_time() - cpu, time.perf_counter() - wall, received


def publish(url: str, count: int) -> None:
    import paho.mqtt.client as mqtt

    host, port = url.rsplit("//", 1)[1].split(":")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect(host, int(port))
    client.loop_start()
    topics = [TEMPLATE.replace("{streetlightId}", f"lamp-{n}") for n in range(LAMPS)]
    for n in range(count):
        body = json.dumps({"lumens": n % 1000, "sentAt": "2024-05-01T12:00:00Z"})
        info = client.publish(topics[n % LAMPS], body, qos=0)
        if n % 1000 == 999:
            info.wait_for_publish(10)
    client.loop_stop()
    client.disconnect()


def run_once(kind: str, url: str, count: int) -> tuple[float, float, int]:
    consumer = subprocess.Popen(
        [sys.executable, __file__, "--role", kind, "--url", url, "--messages", str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert consumer.stdout is not None
    assert consumer.stdout.readline().strip() == "ready"
    subprocess.run(
        [sys.executable, __file__, "--role", "publish", "--url", url, "--messages", str(count)],
        check=True,
        timeout=300,
    )
    output, _ = consumer.communicate(timeout=300)
    cpu, wall, received = json.loads(output.strip().splitlines()[-1])
    return cpu, wall, received


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--role", choices=("bare", "client", "publish"))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.role == "publish":
        publish(args.url, args.messages)
        return
    if args.role is not None:
        consume = consume_bare if args.role == "bare" else consume_client
        print(json.dumps(asyncio.run(consume(args.url, args.messages))))
        return

    from brokers import MOSQUITTO, Mosquitto

    broker = Mosquitto(MOSQUITTO)
    results: dict[str, list[tuple[float, float, int]]] = {"bare": [], "client": []}
    try:
        broker.start()
        for _ in range(args.repeat):
            for kind, runs in results.items():
                runs.append(run_once(kind, broker.url, args.messages))
    finally:
        broker.cleanup()

    print(f"{args.messages:,} messages, median of {args.repeat} alternating runs (min-max)")
    print(f"{'consumer':<8} {'messages/s':>24} {'CPU µs/message':>22} {'received':>9}")
    cpu_median = {}
    for kind, runs in results.items():
        rates = [received / wall for _cpu, wall, received in runs]
        cpus = [cpu / received * 1e6 for cpu, _wall, received in runs]
        cpu_median[kind] = statistics.median(cpus)
        print(
            f"{kind:<8} {statistics.median(rates):>10,.0f} ({min(rates):,.0f}-{max(rates):,.0f})"
            f" {cpu_median[kind]:>8.1f} ({min(cpus):.1f}-{max(cpus):.1f})"
            f" {min(r for _c, _w, r in runs):>9,}"
        )
    print(f"client / bare CPU per message: {cpu_median['client'] / cpu_median['bare']:.2f}x")


if __name__ == "__main__":
    main()
