"""The wire codecs as source: JSON in and out, strict base64, the stdlib scanner fast path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asyncgen.runtime import _wire
from asyncgen.runtime._errors import ValidationError


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        ' {"a": 1}',
        '{"a": 1} ',
        '\n\t{"a": [1, 2]}\r\n',
        '{"a": 1}x',
        '{"a": 1}{"b": 2}',
        "[1, 2.5, NaN, Infinity, -Infinity]",
        "12345678901234567890123",
        "1e400",
        '"\\ud800"',
        '"caf\\u00e9 \u00e9"',
        "",
        " ",
        "{",
        "nul",
        b'{"a": 1}',
        b"\xef\xbb\xbf[1]",
        bytearray(b"[true]"),
        '\ufeff{"a": 1}',
    ],
)
def test_stdlib_scanner_path_equals_json_loads(text: Any) -> None:
    try:
        expected: Any = json.loads(text)
    except ValueError as exc:
        expected = type(exc)
    try:
        got: Any = _wire.stdlib_json_loads(text)
    except ValueError as exc:
        got = type(exc)
    assert json.dumps(got, default=str) == json.dumps(expected, default=str)


def test_loads_raises_validation_error_for_non_json() -> None:
    assert _wire.loads('{"a": [1, null]}') == {"a": [1, None]}
    for bad in ("{", "x", b"\xff", 3):
        with pytest.raises(ValidationError) as caught:
            _wire.loads(bad)  # type: ignore[arg-type]
        assert caught.value.errors[0].message.startswith("not valid JSON: ")
        assert caught.value.errors[0].path == ""


def test_not_json_wraps_the_decoder_message() -> None:
    error = _wire.not_json(ValueError("Expecting value"))
    assert str(error) == "(root): not valid JSON: Expecting value"


def test_dumps_is_compact_and_keeps_non_ascii() -> None:
    assert _wire.dumps({"a": [1, "é"], "b": None}) == '{"a":[1,"é"],"b":null}'


@pytest.mark.parametrize("decode", [_wire.b64decode, _wire.strict_base64])
def test_base64_is_strict(decode: Any) -> None:
    assert decode("AAE=") == b"\x00\x01"
    assert decode("") == b""
    for bad in ("AAE", "AA E=", "AAE=\n", "AAE==", "AA-_", "A===", "*AAE="):
        with pytest.raises(ValueError):
            decode(bad)


def test_b64decode_error_names_the_path() -> None:
    with pytest.raises(ValidationError) as caught:
        _wire.b64decode("AAE", "/data")
    assert str(caught.value) == "/data: must be a valid base64 string (format byte)"


def test_b64encode_round_trips() -> None:
    data = bytes(range(256))
    assert _wire.b64decode(_wire.b64encode(data)) == data


def test_accelerated_is_none_without_the_module() -> None:
    assert _wire.accelerated("no_such_module_here", "loads") is None
    dumps = _wire.accelerated("json", "dumps", separators=(",", ":"))
    assert dumps is not None and dumps([1, 2]) == "[1,2]"
