"""The generator's broker side: which client each server gets (`asyncapi/brokers.py`), what the
broker views decide (`views/brokers.py`), and that the broker templates print black's layout
(their output is black-stable as printed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncgen.diagnostics import Problems
from asyncgen.formatting import format_python
from asyncgen.pipeline import Reading, generate
from asyncgen.render import render
from asyncgen.views import package
from asyncgen.views.layout import call, literal, returns, signature
from conftest import DATA, FIXTURES

SERVERS = """\
asyncapi: 2.6.0
info: {title: Mixed, version: '1'}
servers:
  plain: {url: 'broker:1883', protocol: mqtt}
  tls: {url: 'broker:8883', protocol: secure-mqtt, bindings: {mqtt: {clientId: lamp, cleanSession: false, keepAlive: 30}}}
  rabbit: {url: 'amqps://rabbit:5671', protocol: amqps}
  nats: {url: 'tls://nats:4222', protocol: nats}
  stream: {url: 'kafka:9092', protocol: kafka}
  socket: {url: 'wss://host/ws', protocol: wss}
channels:
  lamps/{id}:
    servers: [plain, tls]
    parameters: {id: {schema: {type: integer}}}
    publish: {message: {payload: {type: object, properties: {on: {type: boolean}}}}}
  /live:
    servers: [socket]
    subscribe: {message: {payload: {type: string}, contentType: text/plain}}
  everywhere:
    subscribe: {message: {payload: {type: object, properties: {n: {type: integer}}}}}
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Problems]:
    spec = tmp_path_factory.mktemp("mixed") / "mixed.yaml"
    spec.write_text(SERVERS, encoding="utf-8")
    result = generate(spec)
    assert result.files is not None and result.api is not None, result.problems.format()
    clients = {s.name: (s.client, s.secure) for s in result.api.servers}
    assert clients == {
        "plain": ("mqtt", False),
        "tls": ("mqtt", True),
        "rabbit": ("amqp", True),
        "nats": ("nats", True),
        "stream": ("", False),
        "socket": ("ws", True),
    }
    tls = next(s for s in result.api.servers if s.name == "tls")
    assert (tls.client_id, tls.clean_session) == ("lamp", False)
    return result.files, result.problems


def test_one_module_per_protocol(mixed: tuple[dict[str, str], Problems]) -> None:
    files, _ = mixed
    modules = {"client.py", "server.py", "mqtt_client.py", "amqp_client.py", "nats_client.py"}
    assert modules | {"codec.py", "_broker.py", "_mqtt.py", "_amqp.py", "_nats.py"} <= set(files)
    mqtt = files["mqtt_client.py"]
    assert '"tls": "mqtts://broker:8883"' in mqtt and '"tls": "lamp"' in mqtt
    assert "self.lamps_id = LampsIdChannel" in mqtt and "self.everywhere = " in mqtt
    assert "id: int" in mqtt and '"id": str(id)' in mqtt and 'id=int(values["id"])' in mqtt
    # The AMQP and NATS clients have only the channel that names no server.
    for name in ("amqp_client.py", "nats_client.py"):
        assert "self.everywhere = " in files[name] and "lamps" not in files[name]
    # The WebSocket client has /live and the channel naming no server, not the MQTT topic.
    assert "LiveChannel" in files["client.py"] and "LampsId" not in files["client.py"]
    assert '"wss://host/ws"' in files["client.py"] or "wss://host/ws" in files["client.py"]


def test_located_warnings(mixed: tuple[dict[str, str], Problems]) -> None:
    _, problems = mixed
    found = {(p.rule, p.pointer) for p in problems}
    assert ("protocol-not-generated", "/servers/stream/protocol") in found
    assert ("binding-ignored", "/servers/tls/bindings/mqtt/keepAlive") in found
    text = next(p.message for p in problems if p.rule == "protocol-not-generated")
    assert text == "no client for kafka server `stream`: models, validators and codec.py only"
    assert all(p.position is not None for p in problems)


def test_literals_and_layouts_follow_black() -> None:
    assert literal("a") == '"a"' and literal("it's") == '"it\'s"' and literal('say "x"') == "'say \"x\"'"
    assert call("x = f", "a, b", 0) == "x = f(a, b)"
    long = ", ".join(f"argument_{n}=value_{n}" for n in range(6))
    assert call("result = function", long, 4) == format_python(f"def g():\n    result = function({long})\n").split("\n", 1)[1].rstrip("\n").removeprefix("    ")
    annotation = "Received[" + "A" * 50 + ", models." + "B" * 50 + "]"
    text = f"class C:\n    {signature('def m', 'self, incoming: Incoming', annotation, 4)}\n        pass\n"
    assert format_python(text) == text
    assert returns("bytes", 4) == ") -> bytes:"


BLACK_STABLE = [
    FIXTURES / "streetlights_mqtt" / "spec.yaml",
    FIXTURES / "orders_amqp" / "spec.yaml",
    FIXTURES / "sensors_nats" / "spec.yaml",
    FIXTURES / "events_kafka" / "spec.yaml",
    DATA / "corpus" / "spec-v2.6.0" / "streetlights-mqtt.yml",  # long names
    DATA / "corpus" / "generator" / "apps" / "generator" / "test" / "docs" / "dummy.yml",
]


@pytest.mark.parametrize("spec", BLACK_STABLE, ids=lambda p: p.parent.name + "/" + p.name)
def test_broker_templates_print_black_stable_code(spec: Path) -> None:
    """The broker modules need no formatting: what the templates print is black's layout."""
    result = generate(spec, package="pkg", reading=Reading(root=DATA / "corpus") if DATA in spec.parents else Reading())
    assert result.api is not None
    view = package.build(result.api)
    printed = [render("broker_client.py", {"header": view.header, "client": c}) for c in view.brokers]
    if view.codec is not None:
        printed.append(render("codec.py", {"header": view.header, "codec": view.codec}))
    assert printed
    for text in printed:
        assert text is not None and format_python(text) == text


def test_amqp_exclusive_and_auto_delete_are_read() -> None:
    result = generate(FIXTURES / "orders_amqp" / "spec.yaml", package="pkg")
    assert result.api is not None
    options = {c.key: c.options for c in result.api.brokers}
    assert (options["audit"].queue_exclusive, options["audit"].queue_auto_delete) == (True, True)
    assert options["priceQuote"].exchange_auto_delete is True
    assert options["orderCreated"].exchange_auto_delete is False  # `autoDelete: false`
    assert not [p for p in result.problems if "exclusive" in p.message or "autoDelete" in p.message]


def test_a_nats_token_only_where_a_server_declares_one(mixed: tuple[dict[str, str], Problems]) -> None:
    files, _ = mixed  # its nats server declares no security
    assert "token" not in files["nats_client.py"]
    result = generate(FIXTURES / "sensors_nats" / "spec.yaml", package="pkg")
    assert result.files is not None
    assert "        token: str | None = None,\n" in result.files["nats_client.py"]
    assert "            token=token,\n" in result.files["nats_client.py"]
