"""The views of `models.py`'s frame decoders: one `parse_<direction>` per channel direction.

Each decoder tries the frame's cases in a fixed order: a binary frame, text frames fixed by
their payload, any other text frame, then JSON, told apart by the discriminator's value (a
table from tag to class) or, without one, by trying each message, most specific first. A
message whose properties are all optional takes only a frame that carries one of them, so an
unrelated frame is an error, not that message with every field unset. Without validation
(`validate=False`) the message is picked by its consts and required properties alone and built
from the decoded JSON as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import ir, naming
from ..layout import literal, statement
from .pytypes import Types


@dataclass(frozen=True)
class TrialView:
    """One JSON message of a union without discriminator, as the decoder tries it."""

    checked: str  # the call that validates and builds: `X.from_dict(data)`
    unchecked: str  # the call that builds without validating: `X._from_valid(data)`
    fits: str  # condition on `data`: its consts and required properties are there
    carries: str  # all-optional message: the condition that `data` holds one of them ("")
    carries_none: str  # literal error message when it holds none


@dataclass(frozen=True)
class UnionView:
    """One channel direction: its type alias, its tag table and its decoder."""

    alias: str
    members: str  # the alias's value: `A | B | C`
    parse_name: str
    doc: str  # the decoder's docstring (first line)
    binary: str  # class that takes any binary frame ("" if none)
    text_consts: tuple[tuple[str, str], ...]  # (frame literal, class) for fixed text frames
    text_any: str  # class that takes any other non-JSON text frame ("" if none)
    tags_table: str  # module-level dict from tag to `from_dict` ("" without a discriminator)
    unchecked_table: str  # the same to `_from_valid`, for decoding without validation
    tags: tuple[tuple[str, str], ...]  # (tag literal, class)
    tag_type: str  # `int` or `str`: the type every tag has
    discriminator: str  # literal of the discriminator's wire name
    pointer: str  # literal JSON pointer of the discriminator, for the error
    unknown: str  # literal start of the error message for an unknown tag
    trials: tuple[TrialView, ...]  # without a discriminator: the messages tried in turn
    trials_need_data: bool  # whether a trial reads the decoded JSON (`data`)
    fits_none: str  # literal error message when no message fits (without validation)

    def names(self) -> set[str]:
        """The module-level names the decoder's fixed text refers to."""
        used = {"TypeAlias", "ValidationError", "ValidationErrorItem"}
        if self.tags_table:
            used |= {"Any", "Callable", "_json_loads", "_not_json"}
        elif self.trials_need_data:
            used.add("_loads")
        return used

    @property
    def printed(self) -> dict[str, Any]:
        """The decoder's statements that hold names or values, laid out."""
        tables = {}
        if self.tags_table:
            for table, builder in ((self.tags_table, "from_dict"), (self.unchecked_table, "_from_valid")):
                head = f"{table}: dict[Any, Callable[[Any], {self.alias}]] = {{"
                items = [f"{tag}: {cls}.{builder}" for tag, cls in self.tags]
                tables[table] = statement(head + ", ".join(items) + ",}")
        unknown = f"message={self.unknown} + repr(tag),"
        error = "raise ValidationError([ValidationErrorItem(path={}, schema_path=\"\", {})])"
        trials = []
        for t in self.trials:
            depth = 3 if t.carries else 2
            item = f'ValidationErrorItem(path="", schema_path="", message={t.carries_none})'
            trials.append(
                {
                    "fits": statement(f"if {t.fits}:", 2),
                    "unchecked": statement(f"return {t.unchecked}", 3),
                    "carries": statement(f"if {t.carries}:", 1) if t.carries else "",
                    "checked": statement(f"return {t.checked}", depth),
                    "carries_none": statement(f"errors.append({item})", 2),
                }
            )
        return {
            "alias": statement(f"{self.alias}: TypeAlias = {self.members}"),
            "tags_table": tables.get(self.tags_table, ""),
            "unchecked_table": tables.get(self.unchecked_table, ""),
            "parse": statement(
                f"def {self.parse_name}(frame: str | bytes, validate: bool = True) -> {self.alias}:"
            ),
            "binary": statement(f"return {self.binary}.from_frame(frame)", 2),
            "text_consts": tuple(
                (statement(f"if frame == {value}:", 1), statement(f"return {cls}.from_frame(frame)", 2))
                for value, cls in self.text_consts
            ),
            "text_any": statement(f"return {self.text_any}.from_frame(frame)", 2),
            "tag": statement(f"tag = data.get({self.discriminator})", 2),
            "build": statement(
                f"build = ({self.tags_table} if validate else {self.unchecked_table}).get(tag)", 3
            ),
            "unknown": statement(error.format(self.pointer, unknown), 2),
            "trials": tuple(trials),
            "fits_none": statement(error.format('""', f"message={self.fits_none}"), 2),
        }

    def expressions(self) -> list[str]:
        """The trials' generated conditions and calls (the names they use are imported)."""
        return [text for t in self.trials for text in (t.checked, t.unchecked, t.fits, t.carries)]


def decoded_unions(api: ir.Api) -> list[tuple[str, ir.MessageUnion]]:
    """(address, union) of every union with messages that models.py decodes: each WebSocket
    channel direction, then each broker channel's messages and replies, in document order."""
    out = [
        (channel.address, union)
        for channel in api.channels
        for union in (channel.sends, channel.receives)
    ]
    for broker in api.brokers:
        out.append((broker.address, broker.messages))
        out.extend((broker.address, reply.union) for reply in broker.replies)
    return [(address, union) for address, union in out if union.messages]


def union_views(api: ir.Api, types: Types, module: naming.Namespace) -> tuple[UnionView, ...]:
    """The decoders of every union `decoded_unions` lists."""
    return tuple(
        _union_view(address, union, types, module) for address, union in decoded_unions(api)
    )


def _union_view(
    address: str, union: ir.MessageUnion, types: Types, module: naming.Namespace
) -> UnionView:
    binary: list[ir.Message] = []
    text_consts: list[tuple[str, str]] = []
    text_any = ""
    for message in union.messages:
        if message.framing == "binary":
            binary.append(message)
        elif message.framing == "text":
            payload = types.target(message.payload)
            if isinstance(payload, ir.Const) and isinstance(payload.value, str):
                text_consts.append((literal(payload.value), message.class_name))
            elif not text_any:
                text_any = message.class_name
    by_key = {m.key: m for m in union.messages}
    tags: tuple[tuple[str, str], ...] = ()
    tags_table = unchecked_table = tag_type = pointer = unknown = discriminator = ""
    trials: list[ir.Message] = []
    if union.discriminator and union.tags:
        tags = tuple((literal(tag), by_key[key].class_name) for tag, key in union.tags)
        tag_type = "int" if all(isinstance(t, int) for t, _ in union.tags) else "str"
        tags_table = module.claim(f"_{union.alias}_TAGS")
        unchecked_table = module.claim(f"_{union.alias}_UNCHECKED")
        discriminator = literal(union.discriminator)
        escaped = union.discriminator.replace("~", "~0").replace("/", "~1")
        pointer = literal(f"/{escaped}")
        unknown = literal(f"unknown {union.discriminator}: ")
    elif not union.discriminator:
        json_messages = [m for m in union.messages if m.framing == "json"]
        # Most specific first: a variant pinned by const properties (`cancel: true`), then one
        # requiring more properties, is tried before a looser one that would accept its frames.
        trials = sorted(json_messages, key=lambda m: _specificity(m, types))
    views = [_trial(m, types) for m in trials]
    return UnionView(
        alias=union.alias,
        members=" | ".join(m.class_name for m in union.messages),
        parse_name=union.parse_name,
        doc=f"Decode one frame of {address!r} into its message class.",
        binary=binary[0].class_name if binary else "",
        text_consts=tuple(text_consts),
        text_any=text_any,
        tags_table=tags_table,
        unchecked_table=unchecked_table,
        tags=tags,
        tag_type=tag_type,
        discriminator=discriminator,
        pointer=pointer,
        unknown=unknown,
        trials=tuple(views),
        trials_need_data=any(
            re.search(r"\bdata\b", text) for v in views for text in (v.checked, v.fits)
        ),
        fits_none=literal("none of " + ", ".join(m.class_name for m in trials) + " fits the frame"),
    )


def _specificity(message: ir.Message, types: Types) -> tuple[int, int]:
    obj = types.target(message.payload)
    if not isinstance(obj, ir.Object):
        return 0, 0
    consts = sum(1 for p in obj.properties if isinstance(types.target(p.schema), ir.Const))
    return -consts, -sum(1 for p in obj.properties if p.required)


def _trial(message: ir.Message, types: Types) -> TrialView:
    cls = message.class_name
    obj = types.target(message.payload)
    if message.wrapped or not isinstance(obj, ir.Object):
        call = f"{cls}.from_frame(frame)"
        return TrialView(call, call, types.test(message.payload, "data"), "", "")
    fits = ["type(data) is dict"]
    for p in obj.properties:
        target = types.target(p.schema)
        if p.required:
            fits.append(f"{literal(p.wire_name)} in data")
            if isinstance(target, ir.Const):
                fits.append(_equals(f"data[{literal(p.wire_name)}]", target.value))
        elif isinstance(target, ir.Const):
            fits.append(_equals(f"data.get({literal(p.wire_name)}, {literal(target.value)})", target.value))
    carries = carries_none = ""
    if not any(p.required for p in obj.properties):
        names = tuple(p.wire_name for p in obj.properties)
        holds = f"not data.keys().isdisjoint({literal(names)})"
        fits.append(holds)
        carries = f"type(data) is not dict or {holds}"
        carries_none = literal(f"{cls} takes no frame without one of its properties {list(names)}")
    return TrialView(
        checked=f"{cls}.from_dict(data)",
        unchecked=f"{cls}._from_valid(data)",
        fits=" and ".join(fits),
        carries=carries,
        carries_none=carries_none,
    )


def _equals(expr: str, value: Any) -> str:
    """`expr` equals the JSON value (by identity for true, false and null, as linters want)."""
    if value is None or isinstance(value, bool):
        return f"{expr} is {value!r}"
    return f"{expr} == {literal(value)}"
