"""What AsyncAPI 2.x and 3.x share: messages, direction unions, security, servers, ws bindings.

The version modules walk their own object model and hand the pieces to a `Builder`, which makes
the IR objects and claims every Python name in one deterministic order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from .. import ir, naming
from ..diagnostics import Problems
from ..loading import Document
from .schemas import Loc, SchemaBuilder

JSON_SCHEMA_FORMATS = re.compile(
    r"^application/schema(\+json|\+yaml)?(;version=draft-0[4-7])?$"
    r"|^application/vnd\.aai\.asyncapi(\+json|\+yaml)?(;version=[0-9.]+)?$"
)


class Builder:
    def __init__(self, doc: Document, problems: Problems, default_content_type: str) -> None:
        self.doc = doc
        self.problems = problems
        self.default_content_type = default_content_type or "application/json"
        self.classes = naming.Namespace(naming.RESERVED_CLASSES)
        self.schemas = SchemaBuilder(doc, problems, self.classes)
        self.message_names = naming.Namespace(naming.RESERVED_ATTRIBUTES)
        self.message_keys = naming.Namespace()
        self.channel_attrs = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"connect", "close"})
        self.functions = naming.Namespace(naming.RESERVED_ATTRIBUTES)  # models.py's parse_*
        self.messages: dict[Loc, ir.Message] = {}
        # A parameter's schema is built once, also when the WebSocket and a broker client
        # both have its channel (a second build would name its enum class twice).
        self.param_schemas: dict[Loc, ir.Schema] = {}
        self.message_order: list[ir.Message] = []

    # -- helpers -------------------------------------------------------------------------------

    def deref(self, value: Any, loc: Loc) -> tuple[Any, Loc]:
        for _ in range(64):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                break
            found = self.doc.resolve(value["$ref"], loc.file)
            if found is None:
                return None, loc
            value, loc = found.value, Loc(found.file, found.pointer)
        return value, loc

    def position(self, loc: Loc) -> Any:
        """Where `loc` is written; for a key that is missing, where its nearest parent is."""
        pointer = loc.pointer
        while True:
            found = self.doc.position(loc.file, pointer)
            if found is not None or not pointer:
                return found
            pointer = pointer.rpartition("/")[0]

    def warn(self, rule: str, message: str, loc: Loc, hint: str = "") -> None:
        self.problems.warning(
            rule, message, pointer=loc.pointer, position=self.position(loc), hint=hint
        )

    def note(self, rule: str, message: str, loc: Loc, hint: str = "") -> None:
        self.problems.note(
            rule, message, pointer=loc.pointer, position=self.position(loc), hint=hint
        )

    def error(self, rule: str, message: str, loc: Loc, hint: str = "") -> None:
        self.problems.error(
            rule, message, pointer=loc.pointer, position=self.position(loc), hint=hint
        )

    def api(
        self,
        root: dict[str, Any],
        package: str,
        spec_name: str,
        servers: tuple[ir.Server, ...],
        channels: tuple[ir.Channel, ...],
        security: tuple[ir.SecurityScheme, ...],
        brokers: tuple[ir.BrokerChannel, ...] = (),
    ) -> ir.Api:
        """The finished IR: the pieces a version's parser made, and what the builder collected."""
        info = root.get("info")
        info = info if isinstance(info, dict) else {}
        return ir.Api(
            title=_text(info, "title"),
            version=str(info.get("version", "")),
            description=_text(info, "description"),
            asyncapi_version=str(root.get("asyncapi", "")),
            spec_name=spec_name,
            package=package,
            servers=servers,
            channels=channels,
            schemas=self.schemas.named_schemas(),
            messages=tuple(self.message_order),
            security_schemes=security,
            input_hash=self.doc.input_hash(),
            brokers=brokers,
        )

    # -- messages ------------------------------------------------------------------------------

    def message(self, value: Any, loc: Loc, key: str) -> ir.Message | None:
        """The IR message for the message object at `loc` (built once per location)."""
        value, loc = self.deref(value, loc)
        if loc in self.messages:
            return self.messages[loc]
        if not isinstance(value, dict):
            self.error("message", "a message must be an object", loc)
            return None
        value = self._apply_traits(value, loc)
        # Keys identify messages everywhere downstream: two 3.x channels may both call theirs `msg`.
        key = self.message_keys.claim(
            _text(value, "messageId") or key or _text(value, "name") or "message"
        )
        name = self.message_names.claim(naming.attribute(key, fallback="message"))
        content_type = _text(value, "contentType") or self.default_content_type
        payload_value = value.get("payload", {})
        payload_loc = loc.child("payload")
        schema_format = _text(value, "schemaFormat")
        format_loc = loc.child("schemaFormat")
        if (
            isinstance(payload_value, dict)
            and "schemaFormat" in payload_value
            and "schema" in payload_value
        ):
            schema_format = _text(payload_value, "schemaFormat")  # 3.0 multi-format schema
            format_loc = payload_loc.child("schemaFormat")
            payload_value, payload_loc = payload_value["schema"], payload_loc.child("schema")
        if schema_format and not JSON_SCHEMA_FORMATS.match(schema_format.replace(" ", "")):
            self.warn(
                "schema-format",
                f"payload schema format {schema_format!r} is not JSON Schema; "
                "the payload is passed through unvalidated",
                format_loc,
            )
            payload_value = True
        target, _ = self.deref(payload_value, payload_loc)
        framing = _framing(content_type, target)
        payload_name = self._payload_name(payload_value, payload_loc, key)
        # A payload that is only a reference to another named schema has that one's class.
        named = self.schemas.named(self.schemas.last_named(ir.Ref(payload_name)))
        obj = self.schemas.object_of(ir.Ref(payload_name))
        wrapped = obj is None or framing != "json"
        class_name = naming.unique_class(self.classes, key) if wrapped else named.class_name
        message = ir.Message(
            key=key,
            name=name,
            class_name=class_name,
            title=_text(value, "title"),
            summary=_text(value, "summary"),
            description=_text(value, "description"),
            content_type=content_type,
            framing=framing,
            payload=ir.Ref(payload_name),
            headers=None,
            correlation_id=self._correlation_id(value, loc, obj),
            conversation=self._conversation(value, loc),
            wrapped=wrapped,
            payload_schema=payload_name,
            examples=_examples(value),
            deprecated=value.get("deprecated") is True,
            origin=ir.Origin(loc.pointer),
        )
        self.messages[loc] = message
        self.message_order.append(message)
        return message

    def _payload_name(self, payload: Any, loc: Loc, key: str) -> str:
        if isinstance(payload, dict) and isinstance(payload.get("$ref"), str):
            found = self.doc.resolve(payload["$ref"], loc.file)
            if found is not None:
                ref = self.schemas.build(payload, loc, "")
                if isinstance(ref, ir.Ref):
                    return ref.name
        base = naming.pascal(key) + "Payload"
        return self.schemas.name_at(payload, loc, base, class_hint=base)

    def _apply_traits(self, value: dict[str, Any], loc: Loc) -> dict[str, Any]:
        traits = value.get("traits")
        if not isinstance(traits, list):
            return value
        merged: dict[str, Any] = {}
        for index, trait in enumerate(traits):
            trait, _ = self.deref(trait, loc.child("traits", index))
            if isinstance(trait, list):  # 2.x allows [trait, bindings-of-trait]
                trait = trait[0] if trait else {}
            if isinstance(trait, dict):
                merged.update(trait)
        # The message's own fields win over its traits' (AsyncAPI 3.0 made this explicit).
        merged.update({k: v for k, v in value.items() if k != "traits"})
        return merged

    def _correlation_id(
        self, value: dict[str, Any], loc: Loc, obj: ir.Object | None
    ) -> ir.CorrelationId | None:
        raw, raw_loc = self.deref(value.get("correlationId"), loc.child("correlationId"))
        if not isinstance(raw, dict) or not isinstance(raw.get("location"), str):
            return None
        location = raw["location"]
        match = re.fullmatch(r"\$message\.payload#((?:/[^/]*)*)", location)
        if match is None:
            if not location.startswith("$message.header"):
                self.warn(
                    "correlation-id", f"cannot read correlation id location {location!r}", raw_loc
                )
            return None
        path = tuple(t.replace("~1", "/").replace("~0", "~") for t in match.group(1).split("/")[1:])
        py_path: list[str] = []
        current: ir.Object | None = obj
        for token in path:
            prop = (
                next((p for p in current.properties if p.wire_name == token), None)
                if current
                else None
            )
            if prop is None:
                self.warn(
                    "correlation-id",
                    f"correlation id {location!r} names {token!r}, which the payload does not declare",
                    raw_loc.child("location"),
                )
                return None
            py_path.append(prop.py_name)
            current = self.schemas.object_of(prop.schema)
        return ir.CorrelationId(location, path, tuple(py_path), _text(raw, "description"))

    def _conversation(self, value: dict[str, Any], loc: Loc) -> Literal["", "end", "cancel"]:
        marker = value.get("x-conversation")
        if marker is None:
            return ""
        if marker in ("end", "cancel"):
            return marker  # type: ignore[no-any-return]
        self.warn(
            "x-conversation",
            f"x-conversation must be 'end' or 'cancel', not {marker!r}",
            loc.child("x-conversation"),
        )
        return ""

    # -- channels ------------------------------------------------------------------------------

    def channel(
        self,
        key: str,
        address: str,
        value: dict[str, Any],
        loc: Loc,
        sends: list[ir.Message],
        receives: list[ir.Message],
        parameters: Any,
        servers: tuple[str, ...],
        *,
        name: str = "",
        bindings: Sequence[Any] = (),
        bindings_locs: Sequence[Loc] = (),
    ) -> ir.Channel:
        """One socket. `name` (a socket on a server's URL) replaces the address as the source
        of its names; `bindings` are its channels' bindings (default: the channel's own), whose
        ws values are merged, the first declaration of a wire name winning."""
        name = name or address or key
        attr = self.channel_attrs.claim(naming.attribute(name, fallback="channel"))
        base = naming.pascal(name) or "Channel"
        class_name = naming.unique_class(self.classes, base, suffix="Channel")
        params_ns = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"server", "url", "self"})
        params = self._path_params(parameters, loc.child("parameters"), params_ns)
        if not bindings:
            bindings, bindings_locs = [value.get("bindings")], [loc.child("bindings")]
        seen: set[tuple[str, str]] = set()
        for raw, at in zip(bindings, bindings_locs):
            for param in self._binding_params(raw, at, params_ns):
                if (param.location, param.wire_name.lower()) not in seen:
                    seen.add((param.location, param.wire_name.lower()))
                    params.append(param)
        return ir.Channel(
            key=key,
            address=address,
            attr_name=attr,
            class_name=class_name,
            title=_text(value, "title"),
            description=_text(value, "description"),
            params=tuple(params),
            sends=self._union(base, "ClientFrame", sends),
            receives=self._union(base, "ServerFrame", receives),
            server_names=servers,
            origin=ir.Origin(loc.pointer),
        )

    def union(self, base: str, role: str, messages: list[ir.Message]) -> ir.MessageUnion:
        """The messages as one union: its alias `<base><role>` and decoder claimed here."""
        return self._union(base, role, messages)

    def _union(self, base: str, role: str, messages: list[ir.Message]) -> ir.MessageUnion:
        alias = naming.unique_class(self.classes, base + role)
        unique = list({m.key: m for m in messages}.values())
        json_objects = [m for m in unique if m.framing == "json" and not m.wrapped]
        discriminator: str | None = None
        tags: tuple[tuple[Any, str], ...] = ()
        if len(json_objects) > 1:
            found = self.schemas._discriminate({}, tuple(m.payload for m in json_objects))
            if isinstance(found, ir.Union_) and found.discriminator:
                discriminator = found.discriminator
                tags = tuple((v.tag, m.key) for v, m in zip(found.variants, json_objects))
        return ir.MessageUnion(
            alias=alias,
            parse_name=naming.unique_function(self.functions, alias, prefix="parse_"),
            messages=tuple(unique),
            discriminator=discriminator,
            tags=tags,
        )

    def _path_params(self, parameters: Any, loc: Loc, names: naming.Namespace) -> list[ir.WsParam]:
        parameters, loc = self.deref(parameters, loc)
        out = []
        for wire, param in (parameters or {}).items() if isinstance(parameters, dict) else ():
            param, param_loc = self.deref(param, loc.child(wire))
            schema_value = (
                param.get("schema", _param_schema(param)) if isinstance(param, dict) else {}
            )
            out.append(
                ir.WsParam(
                    wire_name=wire,
                    py_name=names.claim(naming.attribute(wire, fallback="param")),
                    location="path",
                    schema=self._parameter_schema(schema_value, param_loc, wire),
                    required=True,
                    description=_text(param, "description"),
                )
            )
        return out

    def _parameter_schema(self, value: Any, loc: Loc, wire: str) -> ir.Schema:
        if loc not in self.param_schemas:
            self.param_schemas[loc] = self.schemas.build(
                value, loc.child("schema"), naming.pascal(wire)
            )
        return self.param_schemas[loc]

    def _binding_params(self, bindings: Any, loc: Loc, names: naming.Namespace) -> list[ir.WsParam]:
        bindings, loc = self.deref(bindings, loc)
        ws, ws_loc = self.deref(
            bindings.get("ws") if isinstance(bindings, dict) else None, loc.child("ws")
        )
        if not isinstance(ws, dict):
            return []
        out = []
        for where in ("query", "headers"):
            schema, schema_loc = self.deref(ws.get(where), ws_loc.child(where))
            if not isinstance(schema, dict):
                continue
            properties, required = schema.get("properties") or {}, schema.get("required") or []
            if not isinstance(properties, dict) or not isinstance(required, list):
                bad = "properties" if not isinstance(properties, dict) else "required"
                message = f"the ws binding's `{where}` schema: `{bad}` is not a " + (
                    "mapping" if bad == "properties" else "list"
                )
                self.error("schema", message, schema_loc.child(bad))
                continue
            for wire, sub in properties.items():
                sub_target, _ = self.deref(sub, schema_loc.child("properties", wire))
                py = naming.attribute(wire, fallback="param")
                if where == "headers" and py in names:
                    py = naming.PythonIdentifier(py + "_header")
                out.append(
                    ir.WsParam(
                        wire_name=wire,
                        py_name=names.claim(py),
                        location="query" if where == "query" else "header",
                        schema=self.schemas.build(
                            sub, schema_loc.child("properties", wire), naming.pascal(wire)
                        ),
                        required=wire in required,
                        default=(
                            sub_target.get("default", ir.MISSING)
                            if isinstance(sub_target, dict)
                            else ir.MISSING
                        ),
                        description=_text(sub_target, "description"),
                    )
                )
        return out

    def server_binding_params(self, server: dict[str, Any], loc: Loc) -> tuple[ir.WsParam, ...]:
        bindings = server.get("bindings")
        ws = bindings.get("ws") if isinstance(bindings, dict) else None
        if isinstance(ws, dict) and ({"query", "headers"} & set(ws)):
            self.warn(
                "ws-server-binding",
                "ws `headers`/`query` belong in the channel binding (ws binding 0.1.0); "
                "they are applied to every channel of this server",
                loc.child("bindings", "ws"),
                hint="move them to channels.<name>.bindings.ws",
            )
            return tuple(
                self._binding_params(
                    bindings, loc.child("bindings"), naming.Namespace(naming.RESERVED_ATTRIBUTES)
                )
            )
        return ()


def _text(value: Any, key: str) -> str:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, str) else ""


def _param_schema(param: dict[str, Any]) -> dict[str, Any]:
    """A parameter without `schema`: a string, with 3.x's `enum` and `default` when given."""
    return {"type": "string", **{k: param[k] for k in ("enum", "default") if k in param}}


def _framing(content_type: str, payload: Any) -> ir.Framing:
    ct = content_type.split(";")[0].strip().lower()
    if (
        isinstance(payload, dict)
        and payload.get("type") == "string"
        and payload.get("format") == "binary"
    ):
        return "binary"
    if ct == "application/json" or ct.endswith(("+json", "/json")):
        return "json"
    if ct.startswith("text/") or ct.endswith("xml"):
        return "text"
    return "binary"


def _examples(value: dict[str, Any]) -> tuple[Any, ...]:
    examples = value.get("examples")
    if not isinstance(examples, list):
        return ()
    return tuple(e["payload"] for e in examples if isinstance(e, dict) and "payload" in e)
