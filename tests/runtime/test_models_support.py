"""The models' runtime as source: lazy base64 slots, wire forms, validator checks."""

from __future__ import annotations

import base64
import enum
from dataclasses import dataclass
from typing import Any

import pytest
from asyncgen.runtime import _models
from asyncgen.runtime._errors import ValidationError, ValidationErrorItem

AUDIO = bytes(range(256))


@dataclass(slots=True, kw_only=True)
class Chunk:
    data: bytes
    note: str = ""


RAW_DATA = _models.lazy_base64(Chunk, "data", "da/ta~")


def test_lazy_base64_decodes_on_first_read_only() -> None:
    text = base64.b64encode(AUDIO).decode()
    chunk = object.__new__(Chunk)
    RAW_DATA.__set__(chunk, text)
    assert RAW_DATA.__get__(chunk) == text  # stored as the wire text
    assert chunk.data == AUDIO
    assert RAW_DATA.__get__(chunk) == AUDIO  # decoded once, kept
    assert chunk.data == AUDIO


def test_lazy_base64_error_names_the_field() -> None:
    chunk = object.__new__(Chunk)
    RAW_DATA.__set__(chunk, "not base64!")
    with pytest.raises(ValidationError) as caught:
        chunk.data  # noqa: B018
    assert caught.value.errors == [
        ValidationErrorItem(
            path="/da~1ta~0", schema_path="", message="must be a valid base64 string (format byte)"
        )
    ]
    assert isinstance(Chunk.__dict__["data"], _models.LazyBase64)
    assert Chunk.data is Chunk.__dict__["data"]  # read on the class: the descriptor itself


def test_wire_bytes_reuses_untouched_text() -> None:
    text = base64.b64encode(AUDIO).decode()
    chunk = object.__new__(Chunk)
    RAW_DATA.__set__(chunk, text)
    assert _models.wire_bytes(RAW_DATA.__get__(chunk)) is text
    built = Chunk(data=AUDIO)  # constructed with bytes: encoded on the way out
    assert _models.wire_bytes(RAW_DATA.__get__(built)) == text
    assert _models.wire_bytes(None) is None


class Colour(enum.Enum):
    RED = "red"


@dataclass
class Point:
    x: int

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x}


def test_to_wire_handles_models_enums_bytes_and_containers() -> None:
    value = {"p": [Point(1), Colour.RED, b"\x00\x01", bytearray(b"\xff")], "n": None, "s": "t"}
    assert _models.to_wire(value) == {"p": [{"x": 1}, "red", "AAE=", "/w=="], "n": None, "s": "t"}
    assert _models.to_wire(3.5) == 3.5


def test_is_valid_is_false_only_for_validation_errors() -> None:
    def positive(value: Any) -> None:
        if value <= 0:
            raise ValidationError([ValidationErrorItem(path="", schema_path="", message="> 0")])

    assert _models.is_valid(positive, 1) is True
    assert _models.is_valid(positive, 0) is False
    with pytest.raises(TypeError):
        _models.is_valid(positive, "x")  # not a validation failure: a bug, raised as is


def test_unset_is_a_unique_marker() -> None:
    assert _models.UNSET is not None and {"a": 1}.get("b", _models.UNSET) is _models.UNSET
