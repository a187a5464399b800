"""The generated Cartesia models, imported and exercised: round trips, parsing, validation."""

from __future__ import annotations

import base64
import importlib
import json
import struct
from types import ModuleType
from typing import Any

import pytest
from conftest import SPECS
from ruamel.yaml import YAML


def _spec() -> dict[str, Any]:
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(SPECS / "cartesia.yaml")))


def _message_examples() -> list[tuple[str, Any]]:
    messages = _spec()["components"]["messages"]
    return [
        (key, example["payload"])
        for key, message in messages.items()
        for example in message.get("examples", [])
    ]


EXAMPLES = _message_examples()
PCM = struct.pack("<8h", 0, 32767, -32768, -1, 256, -256, 12345, -12345)  # not valid UTF-8


def _contains(wire: Any, payload: Any) -> bool:
    if isinstance(payload, dict):
        return isinstance(wire, dict) and all(k in wire and _contains(wire[k], v) for k, v in payload.items())
    if isinstance(payload, list):
        return isinstance(wire, list) and len(wire) == len(payload) and all(map(_contains, wire, payload))
    return bool(wire == payload and type(wire) is type(payload))


@pytest.mark.parametrize(("key", "payload"), EXAMPLES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(EXAMPLES)])
def test_every_example_round_trips(cartesia: dict[str, ModuleType], key: str, payload: Any) -> None:
    models = cartesia["models"]
    channel = {"tts": "tts_websocket", "stt": "stt_websocket", "turns": "stt_turns_websocket"}[
        next(prefix for prefix in ("turns", "tts", "stt") if key.startswith(prefix))
    ]
    channel_parsers = [getattr(models, f"parse_{channel}_{side}_frame") for side in ("client", "server")]
    if key in ("sttAudio", "turnsAudio"):
        frame: str | bytes = base64.b64decode(payload)  # binary examples are written as base64
    elif isinstance(payload, str):
        frame = payload
    else:
        frame = json.dumps(payload)
    parsed = []
    for parse in channel_parsers:
        try:
            parsed.append(parse(frame))
        except models.ValidationError:
            continue
    assert parsed, f"no channel parser accepts the {key} example"
    for message in parsed:
        if hasattr(message, "to_dict"):
            assert _contains(message.to_dict(), payload)  # defaults may be added, nothing lost
            again = type(message).from_json(message.to_json())
            assert again == message
        else:
            assert message.to_frame() == frame
            assert type(message).from_frame(message.to_frame()) == message


def test_generation_request_with_continue(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    request = models.TtsGenerationRequest(
        model_id="sonic-3.5",
        transcript="Hello, ",
        voice=models.TtsVoice(id="a0e99841-438c-4a64-b679-ae501e7d6091"),
        output_format=models.TtsOutputFormat(
            encoding=models.TtsEncoding.PCM_S16LE, sample_rate=models.TtsSampleRate.VALUE_24000
        ),
        context_id="ctx-1",
        continue_=True,
        language=models.TtsLanguage.NO,
    )
    wire = json.loads(request.to_json())
    assert wire["continue"] is True and "continue_" not in wire
    assert wire["language"] == "no" and wire["output_format"]["sample_rate"] == 24000
    assert wire["voice"] == {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"}
    parsed = models.parse_tts_websocket_client_frame(request.to_json())
    assert isinstance(parsed, models.TtsGenerationRequest)
    assert parsed == request and parsed.continue_ is True


def test_cancel_is_told_apart_from_generation(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    parsed = models.parse_tts_websocket_client_frame('{"context_id": "c", "cancel": true}')
    assert isinstance(parsed, models.TtsCancelRequest)
    assert parsed.cancel is True and parsed.context_id == "c"


def test_chunk_with_real_pcm_bytes(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    with pytest.raises(UnicodeDecodeError):
        PCM.decode("utf-8")
    chunk = models.TtsChunk(data=PCM, done=False, status_code=206, step_time=1.5, context_id="c", flush_id=1)
    frame = chunk.to_json()
    assert json.loads(frame)["data"] == base64.b64encode(PCM).decode()
    parsed = models.parse_tts_websocket_server_frame(frame)
    assert isinstance(parsed, models.TtsChunk)
    assert parsed.data == PCM and parsed == chunk
    assert parsed.to_json() == frame


def test_audio_is_decoded_on_first_read_only(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    text = base64.b64encode(PCM).decode()
    frame = json.dumps({"type": "chunk", "data": text, "done": False, "status_code": 206, "step_time": 1.0, "context_id": "c"})
    parsed = models.parse_tts_websocket_server_frame(frame)
    raw_slot = models._TtsChunk_data
    assert raw_slot.__get__(parsed) == text  # still the wire text: routing never decodes
    assert parsed.to_dict()["data"] == text
    assert parsed.data == PCM
    assert raw_slot.__get__(parsed) == PCM


SERVER_FRAMES = {
    "chunk": "TtsChunk",
    "timestamps": "TtsTimestamps",
    "phoneme_timestamps": "TtsPhonemeTimestamps",
    "flush_done": "TtsFlushDone",
    "done": "TtsDone",
    "error": "TtsError",
}


def test_every_server_frame_parses_to_its_class(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    seen = set()
    for key, payload in EXAMPLES:
        if key.startswith("tts") and isinstance(payload, dict) and "type" in payload:
            parsed = models.parse_tts_websocket_server_frame(json.dumps(payload))
            assert type(parsed).__name__ == SERVER_FRAMES[payload["type"]]
            seen.add(payload["type"])
    assert seen == set(SERVER_FRAMES)


def _error(models: ModuleType, frame: str) -> Any:
    with pytest.raises(models.ValidationError) as caught:
        models.parse_tts_websocket_server_frame(frame)
    return caught.value


CHUNK = {"type": "chunk", "data": "AAAA", "done": False, "status_code": 206, "step_time": 1.0, "context_id": "c"}


def test_missing_field_names_its_pointer(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    frame = {k: v for k, v in CHUNK.items() if k != "context_id"}
    error = _error(models, json.dumps(frame))
    assert any("context_id" in item.message for item in error.errors)


def test_wrong_type_names_its_pointer(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    error = _error(models, json.dumps({**CHUNK, "done": "no"}))
    assert error.errors[0].path == "/done"


def test_wrong_const_names_its_pointer(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    frame = {"type": "done", "done": False, "status_code": 206, "context_id": "c"}
    error = _error(models, json.dumps(frame))
    assert error.errors[0].path == "/done"


def test_unknown_type_is_an_error(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    error = _error(models, json.dumps({**CHUNK, "type": "surprise"}))
    assert error.errors[0].path == "/type" and "surprise" in error.errors[0].message
    assert _error(models, "[1, 2]").errors
    assert _error(models, "not json").errors


def test_nested_error_pointer(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    frame = {
        "type": "timestamps",
        "done": False,
        "status_code": 206,
        "context_id": "c",
        "word_timestamps": {"words": ["a", 7], "start": [0.0, 0.1], "end": [0.1, 0.2]},
    }
    error = _error(models, json.dumps(frame))
    assert error.errors[0].path == "/word_timestamps/words/1"


def test_enum_member_names(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    assert models.TtsEmotion.JOKING_COMEDIC.value == "joking/comedic"
    assert models.TtsLanguage.NO.value == "no"
    assert models.TtsSampleRate.VALUE_8000.value == 8000
    assert models.TtsSampleRate(44100) is models.TtsSampleRate.VALUE_44100


def test_binary_and_text_frames_of_stt(cartesia: dict[str, ModuleType]) -> None:
    models = cartesia["models"]
    audio = models.parse_stt_websocket_client_frame(PCM)
    assert isinstance(audio, models.SttAudio) and audio.payload == PCM and audio.to_frame() == PCM
    finalize = models.parse_stt_websocket_client_frame("finalize")
    assert isinstance(finalize, models.SttFinalize) and finalize.to_frame() == "finalize"
    close = models.parse_stt_websocket_client_frame("close")
    assert isinstance(close, models.SttClose)
    with pytest.raises(models.ValidationError):
        models.parse_stt_websocket_client_frame('"finalize"')  # JSON quotes are not the command


@pytest.mark.parametrize(
    "text",
    ['{"a": 1}', ' {"a": 1}', '{"a": 1} ', '{"a": 1}x', "[1, 2.5, NaN]", "12345678901234567890123", '"\\ud800"', "", "{", b'{"a": 1}', bytearray(b"[true]")],
)
def test_stdlib_json_parsing_matches_json_loads(cartesia: dict[str, ModuleType], text: Any) -> None:
    wire = importlib.import_module(cartesia["models"].__package__ + "._wire")  # the package's copy
    try:
        expected: Any = json.loads(text)
    except ValueError as exc:
        expected = type(exc)
    try:
        got: Any = wire.stdlib_json_loads(text)
    except ValueError as exc:
        got = type(exc)
    assert json.dumps(got, default=str) == json.dumps(expected, default=str)


CHUNK_VARIANTS = [
    CHUNK,
    {**CHUNK, "flush_id": 3},
    {**CHUNK, "flush_id": 0},  # below the minimum
    {**CHUNK, "flush_id": True},  # a boolean is not an integer
    {**CHUNK, "flush_id": None},  # null is not an integer
    {**CHUNK, "status_code": 206.0},  # an integer written as a float: valid, slow path
    {**CHUNK, "step_time": False},
    {**CHUNK, "data": "abc"},  # not whole base64 quads
    {**CHUNK, "data": "é" * 4},  # not ASCII
    {**CHUNK, "extra": [1, 2]},  # additional properties are allowed
    {k: v for k, v in CHUNK.items() if k != "done"},
    {**CHUNK, "type": "chunks"},
]


@pytest.mark.parametrize("wire", CHUNK_VARIANTS, ids=[str(i) for i in range(len(CHUNK_VARIANTS))])
def test_one_pass_building_agrees_with_the_validator(cartesia: dict[str, ModuleType], wire: Any) -> None:
    models, validators = cartesia["models"], cartesia["validators"]
    try:
        validators._model_validate_tts_chunk(wire)
        valid = True
    except validators.ValidationError:
        valid = False
    if not valid:
        with pytest.raises(models.ValidationError):
            models.TtsChunk.from_dict(wire)
        return
    built = models.TtsChunk.from_dict(wire)
    assert built == models.TtsChunk._from_valid(wire)
    assert built.to_dict() == {k: v for k, v in wire.items() if k != "extra"}
