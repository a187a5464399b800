"""Decode + validate + build models for a realistic Cartesia server-frame mix, against peers.

Run: `python benchmarks/validators.py [--frames 2000] [--repeats 15] [--scenarios route,play]`.
Prints CPU µs per frame (`time.process_time`) and ratios as the median over the repeats with the
range (min–max); every path runs once a repeat, the order rotated from repeat to repeat, and each
ratio is taken within one repeat. Two scenarios:

* route: frames are decoded, validated and built; the audio is not touched (a proxy, a router).
  Floor: `json.loads` alone.
* play: the audio bytes are produced too. Floor: `json.loads` + `base64.b64decode` of the audio;
  one more row decodes with `binascii.a2b_base64(strict_mode=True)`, the call the generated models
  make when pybase64 is not installed.

Mix: 80% chunk (4 KB of audio), 10% word timestamps (20 words), 5% phoneme timestamps, 3%
flush_done, 1% done, 1% error. Peers: jsonschema (Draft7, format checking, dispatch on `type`),
fastjsonschema (dispatch on `type`), pydantic v2 strict (discriminated union; `validate_json`,
and `json.loads` + `validate_python`), msgspec (tagged union). The jsonschema and fastjsonschema
paths build the same generated dataclasses after validating, so every path ends with models.
"""


import argparse
import base64
import binascii
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_package(package: str) -> tuple[Any, Any]:
    """The generated Cartesia models, built fresh, and the IR (for the JSON schemas)."""
    import importlib

    from asyncgen.output import write
    from asyncgen.pipeline import generate

    out = Path(tempfile.mkdtemp(prefix="asyncgen-bench-"))
    result = generate(ROOT / "specs" / "cartesia.yaml", package=package)
    assert result.files is not None and result.api is not None, result.problems.format()
    write(out / package, result.files)
    sys.path.insert(0, str(out))
    return importlib.import_module(f"{package}.models"), result.api


# -- the frame mix -----------------------------------------------------------------------------


def make_frames(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = "the quick brown fox jumps over a lazy dog while seven wizards quietly hex a jovial imp".split()  # noqa: SIM905
    frames = []
    for i in range(count):
        pick = rng.random()
        ctx = f"ctx-{rng.randrange(50):02d}-7f3c2e1a-5b4d-4c8e"
        if pick < 0.80:
            audio = rng.randbytes(4096)
            frame: dict[str, Any] = {
                "type": "chunk",
                "data": base64.b64encode(audio).decode(),
                "done": False,
                "status_code": 206,
                "step_time": round(rng.uniform(5, 40), 3),
                "context_id": ctx,
                "flush_id": 1,
            }
        elif pick < 0.90:
            start = [round(0.21 * k, 3) for k in range(20)]
            frame = {
                "type": "timestamps",
                "done": False,
                "status_code": 206,
                "context_id": ctx,
                "word_timestamps": {
                    "words": [rng.choice(words) for _ in range(20)],
                    "start": start,
                    "end": [s + 0.2 for s in start],
                },
            }
        elif pick < 0.95:
            start = [round(0.07 * k, 3) for k in range(30)]
            frame = {
                "type": "phoneme_timestamps",
                "done": False,
                "status_code": 206,
                "context_id": ctx,
                "phoneme_timestamps": {
                    "phonemes": [rng.choice("aeiouptkmns") for _ in range(30)],
                    "start": start,
                    "end": [s + 0.06 for s in start],
                },
            }
        elif pick < 0.98:
            frame = {"type": "flush_done", "done": False, "flush_done": True, "flush_id": 1 + i % 3, "status_code": 206, "context_id": ctx}
        elif pick < 0.99:
            frame = {"type": "done", "done": True, "status_code": 206, "context_id": ctx}
        else:
            frame = {
                "type": "error",
                "done": True,
                "status_code": 429,
                "error_code": "concurrency_limited",
                "title": "Too many contexts",
                "message": "Concurrency limit reached",
                "request_id": "c1d0e7a2-0000-4000-8000-000000000000",
                "context_id": ctx,
            }
        frames.append(json.dumps(frame))
    return frames


# -- peers ---------------------------------------------------------------------------------------

FRAME_SCHEMAS = {
    "chunk": "TtsChunk",
    "timestamps": "TtsTimestamps",
    "phoneme_timestamps": "TtsPhonemeTimestamps",
    "flush_done": "TtsFlushDone",
    "done": "TtsDone",
    "error": "TtsError",
}


def jsonschema_path(api: Any, models: Any, play: bool) -> Callable[[str], Any]:
    from jsonschema import Draft7Validator

    definitions = {n.name: n.json_schema for n in api.schemas}
    checkers = {
        tag: Draft7Validator({**definitions[name], "definitions": definitions}, format_checker=Draft7Validator.FORMAT_CHECKER)
        for tag, name in FRAME_SCHEMAS.items()
    }
    classes = {tag: getattr(models, name) for tag, name in FRAME_SCHEMAS.items()}

    def run(frame: str) -> Any:
        d = json.loads(frame)
        tag = d["type"]
        checkers[tag].validate(d)
        obj = classes[tag]._from_valid(d)
        if play and tag == "chunk":
            base64.b64decode(d["data"], validate=True)
        return obj

    return run


def fastjsonschema_path(api: Any, models: Any, play: bool) -> Callable[[str], Any]:
    import fastjsonschema

    definitions = {n.name: n.json_schema for n in api.schemas}
    # The same check of `format: byte` at parse time as the generated models make: the shape
    # (ASCII, whole quads); the alphabet is checked when the audio is decoded.
    formats = {"byte": lambda text: not len(text) % 4 and text.isascii()}
    checkers = {
        tag: fastjsonschema.compile({**definitions[name], "definitions": definitions}, formats=formats)
        for tag, name in FRAME_SCHEMAS.items()
    }
    classes = {tag: getattr(models, name) for tag, name in FRAME_SCHEMAS.items()}

    def run(frame: str) -> Any:
        d = json.loads(frame)
        tag = d["type"]
        checkers[tag](d)
        obj = classes[tag]._from_valid(d)
        if play and tag == "chunk":
            base64.b64decode(d["data"], validate=True)
        return obj

    return run


def pydantic_paths(play: bool) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
    from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
    from pydantic.types import Base64Bytes

    class Frame(BaseModel):
        model_config = ConfigDict(strict=True)

    class Chunk(Frame):
        type: Literal["chunk"]
        # Base64 text arrives as `str` from json.loads: strict mode would refuse it as bytes.
        data: Annotated[Base64Bytes, Field(strict=False)] if play else str  # type: ignore[valid-type]
        done: bool
        status_code: int
        step_time: float
        context_id: str
        flush_id: Annotated[int, Field(ge=1)] | None = None

    class Words(Frame):
        words: list[str]
        start: list[float]
        end: list[float]

    class Timestamps(Frame):
        type: Literal["timestamps"]
        done: bool
        status_code: int
        context_id: str
        word_timestamps: Words | None = None
        flush_id: Annotated[int, Field(ge=1)] | None = None

    class Phonemes(Frame):
        phonemes: list[str]
        start: list[float]
        end: list[float]

    class PhonemeTimestamps(Frame):
        type: Literal["phoneme_timestamps"]
        done: bool
        status_code: int
        context_id: str
        phoneme_timestamps: Phonemes | None = None
        flush_id: Annotated[int, Field(ge=1)] | None = None

    class FlushDone(Frame):
        type: Literal["flush_done"]
        done: bool
        flush_done: Literal[True]
        flush_id: Annotated[int, Field(ge=1)]
        status_code: int
        context_id: str

    class Done(Frame):
        type: Literal["done"]
        done: Literal[True]
        status_code: int
        context_id: str

    class Error(Frame):
        type: Literal["error"]
        done: bool
        status_code: int
        error_code: str | None
        title: str
        message: str
        request_id: str
        doc_url: str | None = None
        context_id: str | None = None

    union = Annotated[Chunk | Timestamps | PhonemeTimestamps | FlushDone | Done | Error, Field(discriminator="type")]
    adapter: TypeAdapter[Any] = TypeAdapter(union)

    def from_json(frame: str) -> Any:
        return adapter.validate_json(frame)

    def from_python(frame: str) -> Any:
        return adapter.validate_python(json.loads(frame))

    return from_json, from_python


def msgspec_path(play: bool) -> Callable[[str], Any]:
    import msgspec

    class Chunk(msgspec.Struct, tag_field="type", tag="chunk"):
        data: bytes if play else str  # type: ignore[valid-type]
        done: bool
        status_code: int
        step_time: float
        context_id: str
        flush_id: Annotated[int, msgspec.Meta(ge=1)] | None = None

    class Words(msgspec.Struct):
        words: list[str]
        start: list[float]
        end: list[float]

    class Timestamps(msgspec.Struct, tag_field="type", tag="timestamps"):
        done: bool
        status_code: int
        context_id: str
        word_timestamps: Words | None = None
        flush_id: Annotated[int, msgspec.Meta(ge=1)] | None = None

    class Phonemes(msgspec.Struct):
        phonemes: list[str]
        start: list[float]
        end: list[float]

    class PhonemeTimestamps(msgspec.Struct, tag_field="type", tag="phoneme_timestamps"):
        done: bool
        status_code: int
        context_id: str
        phoneme_timestamps: Phonemes | None = None
        flush_id: Annotated[int, msgspec.Meta(ge=1)] | None = None

    class FlushDone(msgspec.Struct, tag_field="type", tag="flush_done"):
        done: bool
        flush_done: Literal[True]
        flush_id: Annotated[int, msgspec.Meta(ge=1)]
        status_code: int
        context_id: str

    class Done(msgspec.Struct, tag_field="type", tag="done"):
        done: Literal[True]
        status_code: int
        context_id: str

    class Error(msgspec.Struct, tag_field="type", tag="error"):
        done: bool
        status_code: int
        error_code: str | None
        title: str
        message: str
        request_id: str
        doc_url: str | None = None
        context_id: str | None = None

    decoder = msgspec.json.Decoder(Chunk | Timestamps | PhonemeTimestamps | FlushDone | Done | Error)
    return decoder.decode


# -- measuring -----------------------------------------------------------------------------------


def measure(paths: dict[str, Callable[[str], Any]], frames: list[str], repeats: int) -> dict[str, list[float]]:
    """µs per frame of each path in every repeat; every path runs once a repeat, the order
    rotated from repeat to repeat so that a slow spell of the machine falls on all alike."""
    for run in paths.values():  # warm up, and prove every path accepts every frame
        for frame in frames:
            run(frame)
    samples: dict[str, list[float]] = {name: [] for name in paths}
    names = list(paths)
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            run = paths[name]
            start = time.process_time()  # CPU time: other processes on the machine do not count
            for frame in frames:
                run(frame)
            samples[name].append((time.process_time() - start) / len(frames) * 1e6)
    return samples


def spread(values: list[float]) -> str:
    """`median (min–max)`."""
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def table(title: str, samples: dict[str, list[float]], floor: str, ours: str) -> str:
    """Medians and ranges over the repeats; each ratio is taken within a repeat."""
    lines = [f"### {title}", "", "| path | µs/frame | × floor | generated is faster by |", "|---|---:|---:|---:|"]
    for name, values in samples.items():
        to_floor = [v / f for v, f in zip(values, samples[floor], strict=True)]
        faster = [v / o for v, o in zip(values, samples[ours], strict=True)]
        lines.append(
            f"| {name} | {spread(values)} | {'1.00' if name == floor else spread(to_floor)} "
            f"| {'1.00×' if name == ours else spread(faster).replace(' ', '× ', 1)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--scenarios", default="route,play", help="comma-separated: route, play")
    args = parser.parse_args()

    # Two copies of the package: one held to the standard library, one with the accelerators.
    # The codecs are chosen in the package's `_wire` module; models.py binds `_json_loads` too.
    import importlib

    import orjson
    import pybase64

    models, api = build_package("cartesia_bench_std")
    wire = importlib.import_module("cartesia_bench_std._wire")
    wire.json_loads = models._json_loads = wire.stdlib_json_loads
    wire.base64_decode = wire.strict_base64
    fast, _ = build_package("cartesia_bench_fast")
    fast_wire = importlib.import_module("cartesia_bench_fast._wire")
    assert fast._json_loads is orjson.loads and fast_wire.base64_decode.func is pybase64.b64decode
    frames = make_frames(args.frames)

    def generated(module: Any, play: bool) -> Callable[[str], Any]:
        parse = module.parse_tts_websocket_server_frame
        chunk = module.TtsChunk

        def run(frame: str) -> Any:
            obj = parse(frame)
            if play and type(obj) is chunk:
                obj.data  # noqa: B018 (reading the field decodes the audio: that is what is measured)
            return obj

        return run

    def stdlib_paths(play: bool) -> dict[str, Callable[[str], Any]]:
        def floor(frame: str) -> Any:
            d = json.loads(frame)
            if play and d["type"] == "chunk":
                base64.b64decode(d["data"])
            return d

        def floor_strict(frame: str) -> Any:  # the base64 call the models make without pybase64
            d = json.loads(frame)
            if d["type"] == "chunk":
                binascii.a2b_base64(d["data"], strict_mode=True)
            return d

        pyd_json, pyd_python = pydantic_paths(play)
        strict = {"json.loads + strict a2b_base64": floor_strict} if play else {}
        return {
            "floor: json.loads" + (" + b64decode" if play else ""): floor,
            **strict,
            "asyncgen (standard library)": generated(models, play),
            "asyncgen (orjson + pybase64)": generated(fast, play),
            "jsonschema Draft7 + dispatch": jsonschema_path(api, models, play),
            "fastjsonschema + dispatch": fastjsonschema_path(api, models, play),
            "pydantic strict validate_json": pyd_json,
            "pydantic strict json.loads + validate_python": pyd_python,
            "msgspec tagged union": msgspec_path(play),
        }

    print(
        f"Python {sys.version.split()[0]}, {len(frames)} frames, {args.repeats} repeats (every path "
        "once a repeat, order rotated): median (min–max), ratios taken within each repeat\n"
    )
    scenarios = (("route", "route (audio not touched)", False), ("play", "play (audio bytes produced)", True))
    for key, scenario, play in scenarios:
        if key not in args.scenarios.split(","):
            continue
        paths = stdlib_paths(play)
        results = measure(paths, frames, args.repeats)
        floor_name = next(iter(paths))
        print(table(scenario, results, floor_name, "asyncgen (standard library)"))
        print()


if __name__ == "__main__":
    main()
