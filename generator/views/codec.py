"""What `codec.py` prints, for the servers no client is generated for: an encoder per message
(validated, to payload bytes) and a decoder per channel (payload bytes to the channel's union)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir, naming
from .brokers import EncodeView, channels_of, encode_view, payload_expression, wire_imports
from .layout import call, literal, signature
from .pytypes import Types


@dataclass(frozen=True)
class CodecView:
    doc: str
    encoders: tuple[EncodeView, ...]
    decoders: tuple[tuple[str, str, str], ...]  # signature, return statement, docstring
    exports: tuple[str, ...]  # literals of `functions`, for `__all__`
    wire_imports: str
    encoder_signatures: tuple[str, ...] = ()  # of `encoders`, laid out
    functions: tuple[str, ...] = ()  # every function's name, sorted


_CODEC_DOC = (
    "No client is generated for the document's other protocols: these functions turn messages "
    "into payload bytes (`encode_<message>`, validated) and payload bytes into the channel's "
    "messages (`decode_<channel>`), for use with any client library."
)


def build(api: ir.Api, types: Types) -> CodecView:
    names = naming.Namespace(naming.RESERVED_ATTRIBUTES)
    others = {s.name for s in api.servers if s.client == ""}
    channels = channels_of(api, others)
    encoders: dict[str, EncodeView] = {}
    decoders: list[tuple[str, str, str, str]] = []
    for channel in channels:
        for message in channel.messages.messages:
            if message.key not in encoders:
                name = names.claim(f"encode_{message.name}")
                encoders[message.key] = encode_view(message, types, name, "Encode", depth=1)
        name = names.claim(naming.attribute(f"decode_{naming.snake(channel.key)}"))
        payload = payload_expression(channel.messages).removeprefix("incoming.")
        decoders.append(
            (
                name,
                signature(
                    f"def {name}",
                    "payload: bytes, validate: bool = True",
                    f"models.{channel.messages.alias}",
                    0,
                ),
                call(f"return models.{channel.messages.parse_name}", f"{payload}, validate", 4),
                f"Decode a payload of {channel.address!r} into its message class.",
            )
        )
    views = tuple(encoders.values())
    functions = tuple(sorted([*(e.method for e in views), *(d[0] for d in decoders)]))
    return CodecView(
        doc=f"Payload codec for {api.title} {api.version}.\n\n{_CODEC_DOC}",
        encoders=views,
        decoders=tuple((signature_, line, doc) for _, signature_, line, doc in decoders),
        exports=tuple(literal(n) for n in functions),
        functions=functions,
        wire_imports=wire_imports(views),
        encoder_signatures=tuple(
            signature(f"def {e.method}", f"message: {e.cls}", "bytes", 0) for e in views
        ),
    )
