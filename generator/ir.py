"""The intermediate representation: a version-neutral, frozen picture of an API.

The parsers (`asyncapi/v2.py`, `asyncapi/v3.py`) build it; the renderer and the templates read it
and nothing else. Every Python name a template prints is decided before the IR is built (by
`naming.py`) and stored here, so templates only print.

Directions are always from the client's point of view: `Channel.sends` holds what a client sends
(AsyncAPI 2.x `publish`, 3.0 `action: receive`), `Channel.receives` what it receives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Self

from .diagnostics import Position

JSON = Any


class _Missing:
    """The absence of a default (distinct from a default of `null`)."""

    _instance: Self | None = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


@dataclass(frozen=True)
class Origin:
    """Where an IR node came from: its JSON pointer in the file that holds it (and, when known,
    its position there; the loader can work it out from `file` and `pointer`)."""

    pointer: str
    position: Position | None = None
    file: str = ""


# ---------------------------------------------------------------------------------------------
# Schema type tree: small and closed. `json_schema` on named schemas keeps the full draft-07
# text for the validator compiler; this tree is the typed view the models are made from.


@dataclass(frozen=True)
class Primitive:
    kind: Literal["string", "integer", "number", "boolean", "null"]
    format: str | None = None


@dataclass(frozen=True)
class Property:
    wire_name: str
    py_name: str
    schema: Schema
    required: bool
    default: JSON = MISSING
    description: str = ""
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False


@dataclass(frozen=True)
class Object:
    """An object with declared properties: rendered as a dataclass named `class_name`."""

    class_name: str
    properties: tuple[Property, ...]
    additional: Schema | bool = True
    description: str = ""


@dataclass(frozen=True)
class Map:
    """An object without declared properties: `dict[str, values]`."""

    values: Schema


@dataclass(frozen=True)
class Array:
    items: Schema


@dataclass(frozen=True)
class EnumMember:
    py_name: str
    value: JSON


@dataclass(frozen=True)
class Enum:
    """A closed set of string or integer values: rendered as an Enum class named `class_name`."""

    class_name: str
    kind: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str = ""


@dataclass(frozen=True)
class Const:
    value: JSON


@dataclass(frozen=True)
class UnionVariant:
    schema: Schema
    tag: JSON = MISSING  # the discriminator value that selects this variant


@dataclass(frozen=True)
class Union_:
    """`oneOf`/`anyOf` of several schemas; `discriminator` is the wire name of the property whose
    const value tells the variants apart (decoding is then one dict lookup)."""

    variants: tuple[UnionVariant, ...]
    discriminator: str | None = None


@dataclass(frozen=True)
class Ref:
    """A named schema (`Api.schemas[name]`); named schemas make cycles representable."""

    name: str


@dataclass(frozen=True)
class AnyValue:
    pass


Schema = Primitive | Object | Map | Array | Enum | Const | Union_ | Ref | AnyValue


@dataclass(frozen=True)
class NamedSchema:
    """A schema with a name of its own: a component, or an inline payload or nested object."""

    name: str  # the key it is known by in the document (or a synthesised one)
    class_name: str  # the Python class (or type alias) name
    validator_name: str  # `validate_<snake_case>` in validators.py
    schema: Schema
    json_schema: JSON  # draft-07 text; `$ref`s to other named schemas are `#/definitions/<name>`
    description: str = ""
    origin: Origin | None = None


# ---------------------------------------------------------------------------------------------
# Messages, channels, servers


Framing = Literal["json", "text", "binary"]


@dataclass(frozen=True)
class CorrelationId:
    """`$message.payload#/context_id` → `location` as written, `path` the payload keys."""

    location: str
    path: tuple[str, ...]
    py_path: tuple[str, ...]  # attribute names on the payload model, in order
    description: str = ""


@dataclass(frozen=True)
class Message:
    key: str  # unique name of the message in the document
    name: str  # snake_case, unique: `send_<name>`, `on_<name>`
    class_name: str  # model of the payload (`Ref` target or `<Name>Payload`)
    title: str
    summary: str
    description: str
    content_type: str
    framing: Framing
    payload: Schema
    headers: Schema | None
    correlation_id: CorrelationId | None
    # `x-conversation` on the message: "end" = a frame that ends the conversation named by its
    # correlation id; "cancel" = the client message that abandons one.
    conversation: Literal["", "end", "cancel"]
    # The payload is not an object: the message class wraps it in a single `payload` field.
    wrapped: bool
    payload_schema: str  # NamedSchema.name of the payload (its validator checks the payload)
    examples: tuple[JSON, ...] = ()
    deprecated: bool = False
    origin: Origin | None = None


@dataclass(frozen=True)
class MessageUnion:
    """All messages of one channel direction: `alias` (a type alias), `parse_name` (decoder)."""

    alias: str
    parse_name: str
    messages: tuple[Message, ...]
    discriminator: str | None  # wire name of the JSON property that tells them apart
    tags: tuple[tuple[JSON, str], ...]  # (discriminator value, message key)


@dataclass(frozen=True)
class WsParam:
    """A handshake value the client supplies: ws binding header/query, or channel parameter."""

    wire_name: str
    py_name: str
    location: Literal["header", "query", "path"]
    schema: Schema
    required: bool
    default: JSON = MISSING
    description: str = ""


@dataclass(frozen=True)
class Channel:
    key: str
    address: str  # path on the server, `{param}` placeholders kept
    attr_name: str  # `client.<attr_name>`
    class_name: str
    title: str
    description: str
    params: tuple[WsParam, ...]  # path parameters, ws binding query and headers
    sends: MessageUnion
    receives: MessageUnion
    server_names: tuple[str, ...] = ()
    origin: Origin | None = None
    # The document's channels this socket carries (several when they are topics or events on
    # one server URL; then `address` is "" and the socket is the server's URL itself).
    carries: tuple[str, ...] = ()
    path: str = ""  # the socket's full path on its server (server path + address), `{names}` kept


@dataclass(frozen=True)
class SecurityScheme:
    key: str
    type: str  # AsyncAPI type: httpApiKey, http, apiKey, userPassword, oauth2, ...
    location: Literal["header", "query", "cookie", "user", "password", ""]
    wire_name: str  # header or query parameter name; "Authorization" for http bearer/basic
    scheme: str  # `bearer`, `basic` for type http
    py_name: str  # keyword argument of `Client.connect`
    description: str = ""
    supported: bool = True  # False: the client cannot supply it on a WebSocket handshake
    prefix: str = ""  # written before the value on the wire: `Bearer `, `Token `

    @property
    def token(self) -> bool:
        """An API key or an HTTP bearer token: what a NATS client sends as its token."""
        bearer = self.type == "http" and self.scheme == "bearer"
        return bearer or self.type in ("httpApiKey", "apiKey")


@dataclass(frozen=True)
class Server:
    name: str
    py_name: str
    url: str  # scheme://host/path, `{variable}` placeholders kept
    protocol: str
    description: str
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme keys
    params: tuple[WsParam, ...] = ()  # ws server binding headers/query (kept for old documents)
    variables: tuple[WsParam, ...] = ()  # declared or found in the URL (location "path")
    # Which client reaches it: "ws", "mqtt", "amqp", "nats", or "" (no client: codec only).
    client: str = "ws"
    secure: bool = False  # mqtts, amqps, secure-mqtt, wss, tls nats: TLS by default
    client_id: str = ""  # MQTT server binding `clientId`
    clean_session: bool | None = None  # MQTT server binding `cleanSession`


# ---------------------------------------------------------------------------------------------
# Broker channels (MQTT, AMQP, NATS, and the codec of other protocols)


@dataclass(frozen=True)
class BrokerOptions:
    """The protocol bindings a broker client honours, as the document declares them."""

    qos: int = 0  # MQTT
    retain: bool = False  # MQTT, publish
    exchange: str = ""  # AMQP `is: routingKey`; "" = the default exchange
    exchange_type: str = "topic"
    exchange_durable: bool = False
    exchange_auto_delete: bool = False
    queue: str = ""  # AMQP `is: queue`: the named queue a subscription reads
    queue_durable: bool = False
    queue_exclusive: bool = False
    queue_auto_delete: bool = False
    delivery_mode: int | None = None  # AMQP, publish: 1 transient, 2 persistent
    group: str = ""  # NATS queue group of a subscription


@dataclass(frozen=True)
class Reply:
    """A 3.x operation's reply on a broker channel: the requests and what answers them."""

    requests: tuple[str, ...]  # keys of the messages sent as requests
    union: MessageUnion  # the replies
    address: str  # the reply's address as the document writes it ("" when it names none)


@dataclass(frozen=True)
class BrokerChannel:
    """One channel of the document as a topic, routing key or subject (no socket grouping)."""

    key: str
    address: str  # `{param}` placeholders kept
    attr_name: str  # `client.<attr_name>`
    class_name: str
    params_class: str  # the dataclass of the parameter values read back from a topic
    title: str
    description: str
    params: tuple[WsParam, ...]  # channel parameters, in declaration order (location "path")
    messages: MessageUnion  # every message the channel carries
    sent: tuple[str, ...]  # keys of the messages the document has a client publish
    received: tuple[str, ...]  # keys of the messages the document has a client receive
    server_names: tuple[str, ...]  # the servers it names ("" = every server)
    options: BrokerOptions = BrokerOptions()
    replies: tuple[Reply, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    asyncapi_version: str
    spec_name: str  # file name of the spec as given (no directories)
    package: str
    servers: tuple[Server, ...]
    channels: tuple[Channel, ...]
    schemas: tuple[NamedSchema, ...]  # in dependency-friendly, deterministic order
    messages: tuple[Message, ...]
    security_schemes: tuple[SecurityScheme, ...]
    input_hash: str = ""
    brokers: tuple[BrokerChannel, ...] = ()  # empty for a document whose servers are all ws
    extras: dict[str, JSON] = field(default_factory=dict)

    @property
    def websocket(self) -> bool:
        """Whether the package gets the WebSocket client and server: a ws server, or none."""
        return not self.servers or any(s.client == "ws" for s in self.servers)

    def schema(self, name: str) -> NamedSchema:
        return self.schemas_by_name[name]

    @cached_property
    def schemas_by_name(self) -> dict[str, NamedSchema]:
        return {named.name: named for named in self.schemas}

    @cached_property
    def class_names(self) -> frozenset[str]:
        """The class names of the named schemas."""
        return frozenset(named.class_name for named in self.schemas)
