"""The views of `models.py`'s frame decoders: one `parse_<direction>` per channel direction.

Each decoder tries the frame's cases in a fixed order: a binary frame, text frames fixed by
their payload, any other text frame, then JSON, told apart by the discriminator's value (a
table from tag to class) or, without one, by trying each message, most specific first.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir, naming
from .pytypes import Types


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
    tags: tuple[tuple[str, str], ...]  # (tag literal, class)
    tag_type: str  # `int` or `str`: the type every tag has
    discriminator: str  # literal of the discriminator's wire name
    pointer: str  # literal JSON pointer of the discriminator, for the error
    unknown: str  # literal start of the error message for an unknown tag
    trials: tuple[str, ...]  # without a discriminator: the calls tried in turn
    trials_need_data: bool  # whether a trial reads the decoded JSON (`data`)

    def names(self) -> set[str]:
        """The module-level names the decoder's fixed text refers to."""
        used = {"TypeAlias", "ValidationError"}
        if self.tags_table:
            used |= {"Any", "Callable", "_json_loads", "_not_json", "ValidationErrorItem"}
        elif self.trials:
            used |= {"ValidationErrorItem"} | ({"_loads"} if self.trials_need_data else set())
        else:
            used.add("ValidationErrorItem")
        return used


def union_views(api: ir.Api, types: Types, module: naming.Namespace) -> tuple[UnionView, ...]:
    """The decoders of every channel direction that has messages, in document order."""
    views = []
    for channel in api.channels:
        for union in (channel.sends, channel.receives):
            if union.messages:
                views.append(_union_view(channel, union, types, module))
    return tuple(views)


def _union_view(
    channel: ir.Channel, union: ir.MessageUnion, types: Types, module: naming.Namespace
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
                text_consts.append((repr(payload.value), message.class_name))
            elif not text_any:
                text_any = message.class_name
    by_key = {m.key: m for m in union.messages}
    tags: tuple[tuple[str, str], ...] = ()
    tags_table = tag_type = pointer = unknown = discriminator = ""
    trials: list[ir.Message] = []
    if union.discriminator and union.tags:
        tags = tuple((repr(tag), by_key[key].class_name) for tag, key in union.tags)
        tag_type = "int" if all(isinstance(t, int) for t, _ in union.tags) else "str"
        tags_table = module.claim(f"_{union.alias}_TAGS")
        discriminator = repr(union.discriminator)
        escaped = union.discriminator.replace("~", "~0").replace("/", "~1")
        pointer = repr(f"/{escaped}")
        unknown = repr(f"unknown {union.discriminator}: ")
    elif not union.discriminator:
        json_messages = [m for m in union.messages if m.framing == "json"]
        # Most specific first: a variant pinned by const properties (`cancel: true`) is tried
        # before a looser one that would also accept its frames.
        trials = sorted(json_messages, key=lambda m: -_const_count(m, types))
    return UnionView(
        alias=union.alias,
        members=" | ".join(m.class_name for m in union.messages),
        parse_name=union.parse_name,
        doc=f"Decode one frame of {channel.address!r} into its message class.",
        binary=binary[0].class_name if binary else "",
        text_consts=tuple(text_consts),
        text_any=text_any,
        tags_table=tags_table,
        tags=tags,
        tag_type=tag_type,
        discriminator=discriminator,
        pointer=pointer,
        unknown=unknown,
        trials=tuple(
            f"{m.class_name}.from_frame(frame)" if m.wrapped else f"{m.class_name}.from_dict(data)"
            for m in trials
        ),
        trials_need_data=any(not m.wrapped for m in trials),
    )


def _const_count(message: ir.Message, types: Types) -> int:
    obj = types.target(message.payload)
    if not isinstance(obj, ir.Object):
        return 0
    return sum(
        1 for p in obj.properties if p.required and isinstance(types.target(p.schema), ir.Const)
    )
