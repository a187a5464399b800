"""What the broker client modules (`mqtt_client.py`, `amqp_client.py`, `nats_client.py`) and
`codec.py` print: every name, signature, encoding statement and option, decided here.

One template (`broker_client.py.jinja`) prints each protocol's module from a `BrokerClientView`
(`views/codec.py` has `codec.py`'s view). Model classes are referred to as `models.<Class>`, so no
schema name can collide with the runtime's names (`Received`, `Subscription`, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import ir, naming
from ..layout import statement
from .layout import call, literal, returns, signature
from .pytypes import Types

# The runtime link and address helper of each protocol, and the URL schemes it takes.
_LINKS = {
    "mqtt": ("MqttLink", "mqtt_address", "MQTT"),
    "amqp": ("AmqpLink", "dotted_address", "AMQP"),
    "nats": ("NatsLink", "dotted_address", "NATS"),
}
_SCHEMES = {
    ("mqtt", False): "mqtt",
    ("mqtt", True): "mqtts",
    ("amqp", False): "amqp",
    ("amqp", True): "amqps",
    ("nats", False): "nats",
    ("nats", True): "tls",
}
MODULES = {"mqtt": "mqtt_client.py", "amqp": "amqp_client.py", "nats": "nats_client.py"}


@dataclass(frozen=True)
class ParamView:
    py_name: str
    wire: str  # literal of the parameter's name in the address
    annotation: str
    text: str  # the value as address text
    read: str  # the value read back from `values` (the matched topic)
    description: str


@dataclass(frozen=True)
class EncodeView:
    """One message turned into payload bytes, validated first."""

    method: str
    cls: str  # `models.<Class>`
    doc: str
    lines: tuple[str, ...]  # statements leaving the bytes in `payload`


@dataclass(frozen=True)
class RequestView:
    method: str
    cls: str
    doc: str
    lines: tuple[str, ...]
    reply: str  # `models.<reply alias>`
    decode: str  # the channel's private method decoding the reply
    parse: str  # `models.parse_<reply alias>`
    payload: str  # what the parse function is given: `incoming.payload(.decode())`
    decode_signature: str  # `def <decode>(...) -> ...:`, laid out
    parse_line: str  # `message = <parse>(...)`, laid out


@dataclass(frozen=True)
class BrokerChannelView:
    attr: str
    cls: str
    params_cls: str
    params_doc: str
    doc: str
    address: str  # literal
    params: tuple[ParamView, ...]
    alias: str  # `models.<union>`
    publishes: tuple[EncodeView, ...]
    requests: tuple[RequestView, ...]
    replies: tuple[EncodeView, ...]  # `reply_<message>`: answer a received request
    subscribe_doc: str
    lines: dict[str, str]  # the statements that may need splitting, laid out (see `_lines`)

    @property
    def encoders(self) -> tuple[EncodeView | RequestView, ...]:
        """Every method that sends a message, in the order they are printed."""
        return (*self.publishes, *self.requests, *self.replies)


@dataclass(frozen=True)
class BrokerClientView:
    protocol: str  # mqtt, amqp, nats
    module: str  # the file name
    doc: str  # module docstring
    client_doc: str
    connect_doc: str
    link: str  # `MqttLink`
    servers: tuple[tuple[str, str], ...]  # (name literal, URL literal)
    server_choice: str  # `Literal[...]`
    default_server: str  # literal
    client_ids: tuple[tuple[str, str], ...]  # MQTT: (server literal, clientId literal)
    clean_sessions: tuple[tuple[str, str], ...]  # MQTT: (server literal, True/False)
    secure_scheme: str  # literal of the URL prefix that defaults to TLS
    token: bool  # NATS: `connect` takes the `token` of a token-like security scheme
    channels: tuple[BrokerChannelView, ...]
    imports: tuple[str, ...]  # the package's own modules' import statements, in isort's order


def clients(api: ir.Api) -> tuple[str, ...]:
    """The broker clients the package gets, in module order."""
    found = {s.client for s in api.servers}
    return tuple(p for p in _LINKS if p in found) if api.brokers else ()


def has_ws(api: ir.Api) -> bool:
    """Whether the package gets today's WebSocket client and server: a ws server, or none."""
    return api.websocket


def has_codec(api: ir.Api) -> bool:
    return any(s.client == "" for s in api.servers)


def build(api: ir.Api, types: Types, protocol: str) -> BrokerClientView:
    link, _, label = _LINKS[protocol]
    servers = [s for s in api.servers if s.client == protocol]
    channels = tuple(
        _channel(c, types, protocol) for c in channels_of(api, {s.name for s in servers})
    )
    tokens = _token_schemes(api, servers) if protocol == "nats" else ()
    title = f"{api.title} {api.version}"
    choice = "Literal[" + ", ".join(literal(s.name) for s in servers) + "]"
    return BrokerClientView(
        protocol=protocol,
        module=MODULES[protocol],
        doc=f"{label} client for {title}.\n\n{_MODULE_DOC.format(label=label)}",
        client_doc=f"The {label} client of {api.title!r}: one attribute per channel.",
        connect_doc=_connect_doc(servers, label, tokens),
        link=link,
        servers=tuple((literal(s.name), literal(_url(s, protocol))) for s in servers),
        server_choice=choice,
        default_server=literal(servers[0].name),
        client_ids=tuple((literal(s.name), literal(s.client_id)) for s in servers if s.client_id),
        clean_sessions=tuple(
            (literal(s.name), repr(s.clean_session)) for s in servers if s.clean_session is not None
        ),
        secure_scheme=literal(f"{_SCHEMES[(protocol, True)]}://"),
        token=bool(tokens),
        channels=channels,
        imports=_imports(protocol, tuple(e for c in channels for e in c.encoders)),
    )


_MODULE_DOC = (
    "`Client.connect(...)` opens the {label} connection (`await` it, or use it as `async with`); "
    "each channel is an attribute with `publish_<message>(message, *, <parameters>)` (validated "
    "before it is sent) and `subscribe(*, <parameters>)`, an `async with` subscription whose "
    "`async for` yields `Received` values: the decoded message and the parameters read back from "
    "the topic. A parameter left None is a wildcard. A lost connection wakes every consumer with "
    "`ConnectionLost`; a payload that is none of the channel's messages is `InvalidMessage`."
)


def channels_of(api: ir.Api, servers: set[str]) -> list[ir.BrokerChannel]:
    """The channels that name one of `servers`, or no server; each with messages."""
    known = {s.name for s in api.servers}
    return [
        c
        for c in api.brokers
        if c.messages.messages
        and (
            not any(n in known for n in c.server_names) or any(n in servers for n in c.server_names)
        )
    ]


def _url(server: ir.Server, protocol: str) -> str:
    """The server's URL in the scheme the link takes, variables filled with their defaults."""
    rest = server.url.split("://", 1)[1] if "://" in server.url else server.url
    for variable in server.variables:
        if variable.default is not ir.MISSING:
            rest = rest.replace("{" + variable.wire_name + "}", str(variable.default))
    return f"{_SCHEMES[(protocol, server.secure)]}://{rest}"


def _token_schemes(api: ir.Api, servers: list[ir.Server]) -> tuple[str, ...]:
    """The servers' security schemes that are a token (API keys, HTTP bearer): NATS tokens."""
    keys = {key for server in servers for option in server.security for key in option}
    return tuple(s.key for s in api.security_schemes if s.key in keys and s.token)


def _connect_doc(servers: list[ir.Server], label: str, tokens: tuple[str, ...] = ()) -> str:
    lines = [
        (
            f"Connect to a {label} server: `server` names one of the document's, `url` replaces "
            "its URL. Use the result with `async with`, or `await` it for a started client."
        ),
        "",
        "Servers:",
    ]
    for server in servers:
        unfilled = [v.wire_name for v in server.variables if v.default is ir.MISSING]
        note = f" (pass `url`: no default for {', '.join(unfilled)})" if unfilled else ""
        lines.append(f"- `{server.name}`: {server.url}{note}")
    if tokens:
        schemes = ", ".join(f"`{key}`" for key in tokens)
        lines += ["", f"`token` is the authentication token of the security scheme {schemes}."]
    return "\n".join(lines)


def _channel(channel: ir.BrokerChannel, types: Types, protocol: str) -> BrokerChannelView:
    params = tuple(_param(p, types) for p in channel.params)
    methods = naming.Namespace({"subscribe", "_decode", "_client", "_validate_incoming"})
    publishes = tuple(
        encode_view(m, types, methods.claim(f"publish_{m.name}"), "Publish", channel)
        for m in channel.messages.messages
    )
    requests = []
    replies: dict[str, EncodeView] = {}
    for reply in channel.replies:
        decode = methods.claim("_decode_reply")
        by_key = {m.key: m for m in channel.messages.messages}
        for key in reply.requests:
            if key not in by_key:
                continue
            sent = encode_view(
                by_key[key], types, methods.claim(f"request_{by_key[key].name}"), "Send"
            )
            requests.append(
                RequestView(
                    sent.method,
                    sent.cls,
                    f"{sent.doc[:-1]} as a request, and return the reply "
                    f"({', '.join(m.key for m in reply.union.messages)}).",
                    sent.lines,
                    f"models.{reply.union.alias}",
                    decode,
                    f"models.{reply.union.parse_name}",
                    payload_expression(reply.union),
                    signature(
                        f"def {decode}",
                        "self, incoming: _broker.Incoming",
                        f"Received[None, models.{reply.union.alias}]",
                        4,
                    ),
                    call(
                        f"message = models.{reply.union.parse_name}",
                        f"{payload_expression(reply.union)}, self._validate_incoming",
                        8,
                    ),
                )
            )
        for message in reply.union.messages:
            if message.key not in replies:
                name = methods.claim(f"reply_{message.name}")
                replies[message.key] = encode_view(message, types, name, "Answer a request with")
    options = channel.options
    publish = {
        "qos": options.qos,
        "retain": options.retain,
        "exchange": options.exchange,
        "exchange_type": options.exchange_type,
        "exchange_durable": options.exchange_durable,
        "exchange_auto_delete": options.exchange_auto_delete,
        "delivery_mode": options.delivery_mode,
        "queue": options.queue or None,
    }
    subscribe = {
        "qos": options.qos,
        "exchange": options.exchange,
        "exchange_type": options.exchange_type,
        "exchange_durable": options.exchange_durable,
        "exchange_auto_delete": options.exchange_auto_delete,
        "queue": options.queue or None,
        "queue_durable": options.queue_durable,
        "queue_exclusive": options.queue_exclusive,
        "queue_auto_delete": options.queue_auto_delete,
        "group": options.group or None,
    }
    # MQTT's and NATS's options; AMQP has every other one.
    relevant = {"mqtt": {"qos", "retain"}, "nats": {"group"}}.get(protocol)
    relevant = relevant or set(_DEFAULTS) - {"qos", "retain", "group"}
    return BrokerChannelView(
        attr=channel.attr_name,
        cls=channel.class_name,
        params_cls=channel.params_class,
        params_doc=f"The parameters of {channel.address!r}, as read from a received topic.",
        doc=_channel_doc(channel),
        address=literal(channel.address),
        params=params,
        alias=f"models.{channel.messages.alias}",
        publishes=publishes,
        requests=tuple(requests),
        replies=tuple(replies.values()),
        subscribe_doc=(
            f"Subscribe to {channel.address!r}"
            + (": a parameter left None matches any value (a wildcard level)." if params else ".")
            + " Use it as `async with`, then `async for received in subscription`."
        ),
        lines=_lines(channel, params, protocol, publish, subscribe, relevant),
    )


def _lines(
    channel: ir.BrokerChannel,
    params: tuple[ParamView, ...],
    protocol: str,
    publish: dict[str, object],
    subscribe: dict[str, object],
    relevant: set[str],
) -> dict[str, str]:
    """The channel's statements whose length depends on the document, laid out for black:
    `address`, `publish`, `subscribe` (class body), `fill`, `pattern` (method body), `decode`
    (the signature), `parse` and `params` (arguments of `Received`), `init` (in `Client`)."""
    fill = "{" + ", ".join(f"{p.wire}: {p.text}" for p in params) + "}"
    pattern = (
        "{"
        + ", ".join(
            (
                f"{p.wire}: {p.py_name}"
                if p.text == p.py_name
                else f"{p.wire}: None if {p.py_name} is None else {p.text}"
            )
            for p in params
        )
        + "}"
    )
    alias = f"models.{channel.messages.alias}"
    _, helper, _ = _LINKS[protocol]
    values = ", ".join(f"{p.py_name}={p.read}" for p in params)
    return {
        "address": call(
            f"_ADDRESS: ClassVar[_broker.Address] = _broker.{helper}",
            literal(channel.address),
            4,
        ),
        "publish": call(
            "_PUBLISH: ClassVar[_broker.PublishOptions] = _broker.PublishOptions",
            _options(publish, relevant),
            4,
        ),
        "subscribe": call(
            "_SUBSCRIBE: ClassVar[_broker.SubscribeOptions] = _broker.SubscribeOptions",
            _options(subscribe, relevant),
            4,
        ),
        "fill": call("topic = self._ADDRESS.fill", fill, 8),
        "pattern": call("pattern = self._ADDRESS.pattern", pattern, 8),
        "subscribe_returns": returns(f"Subscription[{channel.params_class}, {alias}]", 4),
        "decode": signature(
            "def _decode",
            "self, incoming: _broker.Incoming",
            f"Received[{channel.params_class}, {alias}]",
            4,
        ),
        "parse": call(
            f"models.{channel.messages.parse_name}",
            f"{payload_expression(channel.messages)}, self._validate_incoming",
            12,
            ",",
        ),
        "params": call(channel.params_class, values, 12, ","),
        "init": call(
            f"self.{channel.attr_name} = {channel.class_name}", "client, validate_incoming", 8
        ),
    }


_DEFAULTS = {
    "qos": 0,
    "retain": False,
    "exchange": "",
    "exchange_type": "topic",
    "exchange_durable": False,
    "exchange_auto_delete": False,
    "delivery_mode": None,
    "queue": None,
    "queue_durable": False,
    "queue_exclusive": False,
    "queue_auto_delete": False,
    "group": None,
}


def _options(values: dict[str, object], relevant: set[str]) -> str:
    """The options' arguments that differ from the runtime's defaults."""
    given = [
        f"{k}={literal(v) if isinstance(v, str) else repr(v)}"
        for k, v in values.items()
        if k in relevant and v != _DEFAULTS[k]
    ]
    return ", ".join(given)


def _channel_doc(channel: ir.BrokerChannel) -> str:
    lines = [f"Channel {channel.key!r}: {channel.address!r}."]
    if channel.title or channel.description:
        lines += ["", " ".join(f"{channel.title} {channel.description}".split())]
    if channel.sent:
        lines += ["", "The document's clients publish " + ", ".join(channel.sent) + "."]
    if channel.received:
        lines += ["", "The document's clients receive " + ", ".join(channel.received) + "."]
    return "\n".join(lines)


def _param(param: ir.WsParam, types: Types) -> ParamView:
    target = types.target(param.schema)
    name, wire = param.py_name, literal(param.wire_name)
    value = f"values[{wire}]"
    if isinstance(target, ir.Enum):
        cls = f"models.{target.class_name}"
        text = f"{name}.value" if target.kind == "str" else f"str({name}.value)"
        read = f"{cls}({value})" if target.kind == "str" else f"{cls}(int({value}))"
        return ParamView(name, wire, cls, text, read, param.description)
    if isinstance(target, ir.Primitive) and target.kind in ("integer", "number"):
        kind = "int" if target.kind == "integer" else "float"
        return ParamView(
            name, wire, kind, f"str({name})", f"{kind}({value})", param.description
        )
    return ParamView(name, wire, "str", name, value, param.description)


def payload_expression(union: ir.MessageUnion) -> str:
    """Binary messages take the payload's bytes; any other union its UTF-8 text."""
    if any(m.framing == "binary" for m in union.messages):
        return "incoming.payload"
    return "incoming.payload.decode()"


def encode_view(
    message: ir.Message,
    types: Types,
    method: str,
    verb: str,
    channel: ir.BrokerChannel | None = None,
    depth: int = 2,
) -> EncodeView:
    """The statements leaving a message's bytes in `payload`, laid out `depth` levels in (a
    method of a channel class, or a codec function at depth 1)."""
    named = types.api.schema(message.payload_schema)
    check = f"validators.{named.validator_name}"
    if message.wrapped and message.framing == "binary":
        lines: tuple[str, ...] = ("payload = message.to_frame()",)
    elif message.wrapped and message.framing == "text":
        lines = ("frame = message.to_frame()", f"{check}(frame)", "payload = frame.encode()")
    elif message.wrapped:
        lines = ("frame = message.to_frame()", f"{check}(loads(frame))", "payload = frame.encode()")
    else:
        lines = ("data = message.to_dict()", f"{check}(data)", "payload = dumps(data).encode()")
    what = message.summary or message.title or message.description
    where = f" to {channel.address!r}" if channel is not None else ""
    doc = f"{verb} `{message.key}` ({message.content_type}){where}."
    if what:
        doc = f"{doc[:-1]}: {' '.join(what.split())}"
        doc = doc if doc.endswith(".") else doc + "."
    laid_out = tuple(statement(line, depth).lstrip(" ") for line in lines)  # the template indents
    return EncodeView(method, f"models.{message.class_name}", doc, laid_out)


_RUNTIME_IMPORT = (
    "from ._broker import (\n"
    + "".join(
        f"    {name},\n"
        for name in (
            "BrokerError",
            "ClientClosed",
            "ConnectionLost",
            "InvalidMessage",
            "Received",
            "Subscription",
        )
    )
    + ")"
)


def _imports(protocol: str, views: tuple[EncodeView | RequestView, ...]) -> tuple[str, ...]:
    """`from . import ...` first, then the private modules by name."""
    link, _, _ = _LINKS[protocol]
    modules = {"._broker": _RUNTIME_IMPORT, f"._{protocol}": f"from ._{protocol} import {link}"}
    if wire_imports(views):
        modules["._wire"] = f"from ._wire import {wire_imports(views)}"
    return ("from . import _broker, models, validators", *(modules[k] for k in sorted(modules)))


def wire_imports(views: tuple[EncodeView | RequestView, ...]) -> str:
    """The `_wire` functions the encoding statements call, in import order."""
    used = {n for v in views for line in v.lines for n in re.findall(r"\b(dumps|loads)\(", line)}
    return ", ".join(sorted(used))
