"""The package's README.md: what it was generated from, its servers, sockets, messages, the
arguments of `Client.connect`, and a client example, as strings the README template prints.

Document text reaches Markdown only through `cell` (one table cell: pipes escaped, one line) and
`code` (an inline code span whatever backticks it holds). The example is chosen so that it runs
against the package's own server stub: it opens a socket whose required `open(...)` values can be
made up (strings, numbers, booleans, enum members) and sends a message that needs no fields when
the socket has one; `url=` names the server (`URL = ...`, a line a reader or a test replaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import __version__, ir
from .brokers import BrokerClientView
from .codec import CodecView
from .handshake import Param
from .pytypes import Types
from .socket_types import ChannelView, SocketsView

EXAMPLE_URL = "ws://127.0.0.1:8080"
# The broker examples' `URL = ...` lines (a reader or a test replaces them).
BROKER_EXAMPLE_URLS = {
    "mqtt": "mqtt://127.0.0.1:1883",
    "amqp": "amqp://guest:guest@127.0.0.1:5672/",
    "nats": "nats://127.0.0.1:4222",
}
_LITERAL_FIRST = re.compile(r"Literal\[((?:'[^'\\]*'|\"[^\"\\]*\"|-?\d+))")
_FRAMES = {"json": "JSON text frame", "text": "text frame", "binary": "binary frame"}
_PAYLOADS = {"json": "JSON payload", "text": "text payload", "binary": "binary payload"}
_SAMPLES = {"str": '"example"', "int": "1", "float": "1.0", "bool": "True"}


def cell(text: str) -> str:
    """`text` as one Markdown table cell: on one line, its pipes and backslashes escaped."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def code(text: str) -> str:
    """An inline code span holding `text` as it is (longer fences when it holds backticks)."""
    text = " ".join(text.split())
    if not text:
        return "` `"
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or ticks != "`" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]

    @property
    def line(self) -> str:
        return "| " + " | ".join(self.cells) + " |"


@dataclass(frozen=True)
class SocketDoc:
    attr: str
    url: str
    carries: str
    open_rows: tuple[Row, ...]
    sends: str
    receives: str
    description: str


@dataclass(frozen=True)
class BrokerDoc:
    """One broker client module, as the README describes it."""

    heading: str  # `MQTT client (`mqtt_client.py`)`
    connect: str  # the `Client.connect(...)` paragraph
    channels: tuple[Row, ...]  # attribute, address, parameters, methods
    example: str


@dataclass(frozen=True)
class MessageDoc:
    heading: str
    description: str
    direction: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ReadmeView:
    title: str
    package: str
    source: str  # what the package was generated from, one Markdown line
    description: str
    servers: tuple[Row, ...]
    sockets: tuple[SocketDoc, ...]
    messages: tuple[MessageDoc, ...]
    connect_rows: tuple[Row, ...]
    example: str  # Python source, "" when the package has no socket to open
    websocket: bool = True  # the package has client.py and server.py
    intro: str = ""  # what the package holds and needs, for packages with other clients
    brokers: tuple[BrokerDoc, ...] = ()
    codec: str = ""  # the codec's functions, for servers no client is generated for

    def context(self) -> dict[str, object]:
        return {"readme": self}


@dataclass
class _Example:
    api: ir.Api
    imports: set[str] = field(default_factory=set)

    def sample(self, annotation: str) -> str | None:
        """A value of type `annotation` made up for the example, None when there is no easy one."""
        if annotation in _SAMPLES:
            return _SAMPLES[annotation]
        literal = _LITERAL_FIRST.match(annotation)
        if literal:
            return literal.group(1)
        for named in self.api.schemas:
            if named.class_name == annotation and isinstance(named.schema, ir.Enum):
                if not named.schema.members:
                    return None
                self.imports.add(annotation)
                return f"{annotation}.{named.schema.members[0].py_name}"
        return None

    def arguments(self, params: tuple[Param, ...]) -> list[str] | None:
        out = []
        for p in params:
            # A path value left None is still needed by the sockets whose address names it.
            if not p.required and not (p.location == "path" and p.default == "None"):
                continue
            value = self.sample(p.annotation.removesuffix(" | None"))
            if value is None:
                return None
            out.append(f"{p.py_name}={value}")
        return out


def _call(head: str, args: list[str], indent: str) -> str:
    one_line = f"{head}({', '.join(args)})"
    if len(indent) + len(one_line) <= 88 or not args:
        return one_line
    inner = "".join(f"{indent}    {a},\n" for a in args)
    return f"{head}(\n{inner}{indent})"


def example(api: ir.Api, sockets: SocketsView) -> str:
    """A short asyncio client session that opens one socket (and sends one message)."""
    chosen: tuple[ChannelView, list[str], str] | None = None
    made = _Example(api)
    connect = made.arguments(sockets.arguments)
    if connect is None:
        return ""
    for view in sockets.channels:
        opening = made.arguments(view.params)
        if opening is None:
            continue
        send = next((s.method for s in view.sends if not any(k.required for k in s.kwargs)), "")
        if chosen is None or (send and not chosen[2]):
            chosen = (view, opening, send)
    if chosen is None:
        return ""
    view, opening, send = chosen
    lines = ["import asyncio", "", f"from {api.package}.client import Client"]
    if made.imports:
        lines.append(f"from {api.package}.models import {', '.join(sorted(made.imports))}")
    lines += [
        "",
        f'URL = "{EXAMPLE_URL}"  # leave out `url=` below to use the server the document names',
        "",
        "",
        "async def main() -> None:",
        f"    async with {_call('Client.connect', ['url=URL', *connect], '    ')} as client:",
        f"        async with {_call(f'client.{view.attr}.open', opening, '        ')} as socket:",
    ]
    if view.recv_alias:
        lines.append("            # `async for frame in socket:` reads what the server sends")
    if send:
        lines.append(f"            await socket.{send}()")
    else:
        lines.append(f'            print("connected: client.{view.attr}")')
    lines += ["", "", "asyncio.run(main())"]
    return "\n".join(lines)


def build(
    api: ir.Api,
    sockets: SocketsView,
    websocket: bool = True,
    brokers: tuple[BrokerClientView, ...] = (),
    codec: CodecView | None = None,
) -> ReadmeView:
    types = Types(api)  # its own: the README's annotations add nothing to the package's views
    version = f", version {code(api.version)}" if api.version else ""
    source = (
        f"Generated by asyncgen {__version__} from {code(api.spec_name)} "
        f"(AsyncAPI {api.asyncapi_version}): {cell(api.title)}{version}. "
        f"Do not edit: change the document and run `asyncgen build` again."
    )
    return ReadmeView(
        title=cell(f"{api.package}: {api.title} {api.version}".strip()),
        package=api.package,
        source=source,
        description=_paragraphs(api.description),
        servers=tuple(
            Row((_tcode(s.name), _tcode(s.url), cell(s.protocol), cell(s.description)))
            for s in api.servers
        ),
        sockets=tuple(_socket(v) for v in sockets.channels),
        messages=_messages(api, sockets if websocket else None, brokers, types),
        connect_rows=tuple(_param_row(p) for p in sockets.arguments),
        example=example(api, sockets) if websocket else "",
        websocket=websocket,
        intro=_intro(websocket, brokers, codec) if brokers or codec else "",
        brokers=tuple(_broker(api, b) for b in brokers),
        codec=", ".join(code(f"{name}()") for name in codec.functions) if codec else "",
    )


_UNUSED = {False: "not used by any socket", True: "not used by any client"}
_LIBRARIES = {"mqtt": "aiomqtt", "amqp": "aio-pika", "nats": "nats-py"}


def _intro(websocket: bool, brokers: tuple[BrokerClientView, ...], codec: CodecView | None) -> str:
    needs = ["`websockets`"] if websocket else []
    needs += [f"`{_LIBRARIES[b.protocol]}` (for `{b.module}`)" for b in brokers]
    holds = [
        (
            "`models.py` holds one dataclass per schema and message, `validators.py` their "
            "compiled validators"
        )
    ]
    if websocket:
        holds.append(
            "`client.py` the asyncio WebSocket `Client` and the threaded `BlockingClient`, "
            "`server.py` a `serve()` stub with a `Handler` protocol"
        )
    holds += [f"`{b.module}` the {b.protocol.upper()} `Client`" for b in brokers]
    if codec is not None:
        holds.append("`codec.py` payload encoders and decoders for the other protocols")
    return (
        f"The package needs Python 3.11 and {', '.join(needs) or 'nothing else'} "
        "(`pip install` them, or the project's extras); `orjson` and `pybase64`, when installed, "
        f"make JSON and base64 faster. {'; '.join(holds)}."
    )


def _broker(api: ir.Api, view: BrokerClientView) -> BrokerDoc:
    label = view.protocol.upper()
    module = view.module.removesuffix(".py")
    extra = ", `client_id=`" if view.protocol == "mqtt" else ""
    connect = (
        f"`Client.connect(server=..., url=None, *, user=, password=, tls_context={extra}, "
        "reconnect=, validate_incoming=)` opens one connection: `async with` it, or `await` it "
        "for a started client. Each channel below is an attribute of the client; "
        "`subscribe(...)` is used as `async with`, then `async for received in subscription` "
        "yields `Received` values (`message`, `params` read back from the topic, `topic`). A "
        "parameter left None when subscribing is a wildcard. A lost connection raises "
        "`ConnectionLost` in every consumer; a payload that is none of the channel's messages "
        "raises `InvalidMessage` once."
    )
    rows = []
    for channel in view.channels:
        methods = [e.method for e in channel.encoders]
        rows.append(
            Row(
                (
                    _tcode(f"client.{channel.attr}"),
                    _tcode(channel.address.strip("'\"")),
                    ", ".join(_tcode(f"{p.py_name}: {p.annotation}") for p in channel.params)
                    or "none",
                    ", ".join(_tcode(m) for m in [*methods, "subscribe"]),
                )
            )
        )
    return BrokerDoc(
        heading=f"{label} client (`{view.module}`)",
        connect=connect,
        channels=tuple(rows),
        example=_broker_example(api, view, module),
    )


def _broker_example(api: ir.Api, view: BrokerClientView, module: str) -> str:
    if not view.channels:
        return ""
    channel = view.channels[0]  # subscribed to with every parameter a wildcard
    return "\n".join(
        [
            "import asyncio",
            "",
            f"from {api.package}.{module} import Client",
            "",
            (
                f'URL = "{BROKER_EXAMPLE_URLS[view.protocol]}"  # leave out `url=` below to use '
                "the server the document names"
            ),
            "",
            "",
            "async def main() -> None:",
            "    async with Client.connect(url=URL) as client:",
            f"        async with client.{channel.attr}.subscribe() as messages:",
            f'            print("subscribed: client.{channel.attr}", flush=True)',
            "            async for received in messages:",
            "                print(received.params, received.message)",
            "",
            "",
            "asyncio.run(main())",
        ]
    )


def _paragraphs(text: str) -> str:
    """Document prose (CommonMark already) as written, without trailing spaces or blank runs."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _tcode(text: str) -> str:
    """An inline code span inside a table cell: GitHub splits cells at pipes even there."""
    return code(text).replace("|", "\\|")


def _param_row(p: Param) -> Row:
    where = {"query": "query parameter", "header": "header", "path": "server variable"}
    place = f"{where.get(p.location, p.location)} {_tcode(p.wire_name)}"
    return Row(
        (
            _tcode(p.py_name),
            _tcode(p.annotation),
            cell(place),
            "yes" if p.required else f"no (default {_tcode(p.default)})",
            cell(p.description),
        )
    )


def _methods(sends: tuple[str, ...]) -> str:
    return ", ".join(code(s) for s in sends) or "nothing"


def _socket(view: ChannelView) -> SocketDoc:
    return SocketDoc(
        attr=view.attr,
        url=code(view.url),
        carries=", ".join(code(c) for c in view.carries),
        open_rows=tuple(_param_row(p) for p in view.params),
        sends=_methods(tuple(s.method for s in view.sends)),
        receives=_methods(tuple(m.class_name for m in view.channel.receives.messages)),
        description=_paragraphs(view.channel.description),
    )


def _messages(
    api: ir.Api,
    sockets: SocketsView | None,
    brokers: tuple[BrokerClientView, ...],
    types: Types,
) -> tuple[MessageDoc, ...]:
    ways: dict[str, list[str]] = {}
    for broker in brokers:
        by_alias = {f"models.{c.messages.alias}": c for c in api.brokers}
        for channel in broker.channels:
            for m in by_alias[channel.alias].messages.messages:
                ways.setdefault(m.key, []).append(
                    f"published and received on `client.{channel.attr}` ({broker.module})"
                )
    for view in sockets.channels if sockets is not None else ():
        for m in view.channel.sends.messages:
            ways.setdefault(m.key, []).append(f"sent on `client.{view.attr}`")
        for m in view.channel.receives.messages:
            ways.setdefault(m.key, []).append(f"received on `client.{view.attr}`")
    docs = []
    for message in api.messages:
        prose = message.description or message.summary or message.title
        heading = f"`{message.class_name}`" + (
            f" ({cell(message.key)})" if message.key != message.class_name else ""
        )
        docs.append(
            MessageDoc(
                heading=heading,
                description=_paragraphs(prose),
                direction=f"{(_FRAMES if sockets is not None else _PAYLOADS)[message.framing]}; "
                + ("; ".join(ways.get(message.key, [])) or _UNUSED[bool(brokers)]),
                rows=_fields(message, types),
            )
        )
    return tuple(docs)


def _fields(message: ir.Message, types: Types) -> tuple[Row, ...]:
    target = types.target(message.payload)
    if message.framing == "binary" or not isinstance(target, ir.Object) or message.wrapped:
        annotation = types.annotation(message.payload, binary=message.framing == "binary")
        return (Row((_tcode("payload"), _tcode(annotation), "yes", "the whole frame")),)
    rows = []
    for prop in target.properties:
        name = _tcode(prop.py_name)
        if prop.wire_name != prop.py_name:
            name += f" (wire {_tcode(prop.wire_name)})"
        rows.append(
            Row(
                (
                    name,
                    _tcode(types.field(prop).annotation),
                    "yes" if prop.required else "no",
                    cell(prop.description),
                )
            )
        )
    return tuple(rows)
