"""Receive path of the generated TTS client against its peers, measured in one run.

One local server process streams 20,000 `chunk` frames (4 KB of audio each, base64 in JSON) on
`/tts/websocket`, to one conversation or round-robin over 50, then one `done` per conversation.
Each client runs alone in a fresh process; its CPU time (`time.process_time`, so the server's
CPU does not count) is taken from the first request sent to the last `done` received.

  bare         a `websockets` loop: recv, `json.loads`, base64 decode of `data` (the ceiling)
  bare-a2b     the same loop decoding with `binascii.a2b_base64(strict_mode=True)`, the call
               the generated models make when pybase64 is not installed (stdlib only)
  bare-queues  the accelerated loop handing each frame to its context's own task through an
               `asyncio.Queue`, which decodes the audio (+accel only)
  generated    `Client.connect(...)`: `async for frame in ctx`, reading `frame.data` (decoded)
  sdk          `cartesia==4.2.0`: `async for event in ctx.receive()`, base64 decode of `data`

Every client decodes the audio of every chunk, so each does the same useful work. The
generated models use orjson/pybase64 when they are installed; `+accel` rows allow them (and the
bare loop uses them too), `stdlib` rows block them so that every client uses `json`/`base64`.

    python benchmarks/client.py [--frames 20000] [--repeat 7] [--context-counts 1,50]
        [--clients bare,bare-a2b,bare-queues,generated,sdk] [--no-accel]

Each round runs every client once, the order rotated from round to round, so that the shared
machine's slow spells fall on all clients alike; the table gives the median over the rounds
with the range (min–max), and each ratio is taken between clients of the same round. Prints a
Markdown table; no assertion, no time limit. Targets: generated CPU/frame <= 1.05 x bare, and
SDK CPU/frame >= 1.3 x generated.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AUDIO = bytes(range(256)) * 16  # 4 KB
VOICE = {"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"}
FORMAT = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}


# -- server (its own process) -------------------------------------------------------------------


def serve(port_file: Path) -> None:
    from websockets.asyncio.server import ServerConnection
    from websockets.asyncio.server import serve as ws_serve

    data = base64.b64encode(AUDIO).decode("ascii")

    async def handler(ws: ServerConnection) -> None:
        wanted: tuple[int, int] | None = None
        contexts: list[str] = []
        async for raw in ws:
            request = json.loads(raw)
            if request.get("cancel") or request["context_id"] in contexts:
                continue
            contexts.append(request["context_id"])
            # Context ids are `<run>-<contexts>-<frames>-<index>`: the client says what it wants.
            _, count, frames, _ = request["context_id"].split("-")
            wanted = (int(count), int(frames))
            if len(contexts) == wanted[0]:
                break
        if wanted is None:
            return
        count, frames = wanted
        chunks = [
            json.dumps(
                {
                    "type": "chunk",
                    "data": data,
                    "done": False,
                    "status_code": 206,
                    "step_time": 11.5,
                    "context_id": cid,
                    "flush_id": 1,
                }
            )
            for cid in contexts
        ]
        for n in range(frames):
            await ws.send(chunks[n % count])
        for cid in contexts:
            await ws.send(
                json.dumps({"type": "done", "done": True, "status_code": 206, "context_id": cid})
            )
        await ws.wait_closed()

    async def main() -> None:
        async with ws_serve(handler, "127.0.0.1", 0, compression=None, max_size=None) as server:
            port_file.write_text(str(server.sockets[0].getsockname()[1]))
            await asyncio.Future()

    asyncio.run(main())


# -- clients (each in its own process) ----------------------------------------------------------


def context_ids(run: str, count: int, frames: int) -> list[str]:
    return [f"{run}-{count}-{frames}-{i}" for i in range(count)]


async def bare(url: str, ids: list[str], accel: bool, strict: bool = False) -> int:
    from websockets.asyncio.client import connect

    if accel:
        import orjson
        import pybase64

        loads, b64decode = orjson.loads, pybase64.b64decode
    elif strict:  # the base64 call the generated models make without pybase64
        loads, b64decode = json.loads, partial(binascii.a2b_base64, strict_mode=True)
    else:
        loads, b64decode = json.loads, base64.b64decode
    received = 0
    async with connect(url + "/tts/websocket") as ws:
        for cid in ids:
            await ws.send(
                json.dumps(
                    {
                        "context_id": cid,
                        "model_id": "sonic-3",
                        "transcript": "x",
                        "voice": VOICE,
                        "output_format": FORMAT,
                    }
                )
            )
        pending = set(ids)
        async for raw in ws:
            frame = loads(raw)
            if frame["type"] == "chunk":
                b64decode(frame["data"])
                received += 1
            elif frame["type"] == "done":
                pending.discard(frame["context_id"])
                if not pending:
                    break
    return received


async def bare_queues(url: str, ids: list[str]) -> int:
    """The accelerated bare loop handing each frame to its conversation's own task through an
    `asyncio.Queue` (unbounded): the demultiplexing the generated client does, by hand."""
    import orjson
    import pybase64
    from websockets.asyncio.client import connect

    loads, b64decode = orjson.loads, pybase64.b64decode

    async def consume(queue: asyncio.Queue[Any]) -> int:
        count = 0
        while True:
            frame = await queue.get()
            if frame["type"] == "chunk":
                b64decode(frame["data"])
                count += 1
            elif frame["type"] == "done":
                return count

    queues: dict[str, asyncio.Queue[Any]] = {cid: asyncio.Queue() for cid in ids}
    async with connect(url + "/tts/websocket") as ws:
        for cid in ids:
            await ws.send(
                json.dumps(
                    {
                        "context_id": cid,
                        "model_id": "sonic-3",
                        "transcript": "x",
                        "voice": VOICE,
                        "output_format": FORMAT,
                    }
                )
            )
        consumers = [asyncio.create_task(consume(queue)) for queue in queues.values()]
        pending = len(ids)
        async for raw in ws:
            frame = loads(raw)
            queues[frame["context_id"]].put_nowait(frame)
            if frame["type"] == "done":
                pending -= 1
                if not pending:
                    break
        return sum(await asyncio.gather(*consumers))


async def generated(url: str, ids: list[str], package: str) -> int:
    import importlib

    client = importlib.import_module(package + ".client")
    models = importlib.import_module(package + ".models")
    voice = models.TtsVoice(id=VOICE["id"])
    output_format = models.TtsOutputFormat(
        encoding=models.TtsEncoding("pcm_s16le"), sample_rate=models.TtsSampleRate(16000)
    )
    chunk = models.TtsChunk

    async def consume(ctx: Any) -> int:
        count = 0
        async for frame in ctx:
            if type(frame) is chunk:
                frame.data  # noqa: B018 - decodes the audio
                count += 1
        return count

    async with client.Client.connect(url=url) as c:
        contexts = [c.tts_websocket.context(cid) for cid in ids]
        for ctx in contexts:
            await ctx.send_tts_generation_request(
                model_id="sonic-3", transcript="x", voice=voice, output_format=output_format
            )
        return sum(await asyncio.gather(*(consume(ctx) for ctx in contexts)))


async def sdk(url: str, ids: list[str]) -> int:
    from cartesia import AsyncCartesia

    async def consume(ctx: Any) -> int:
        count = 0
        async for event in ctx.receive():
            if event.type == "chunk":
                base64.b64decode(event.data)
                count += 1
        return count

    client = AsyncCartesia(api_key="k", websocket_base_url=url)
    try:
        async with client.tts.websocket_connect() as conn:
            contexts = [
                conn.context(cid, model_id="sonic-3", voice=VOICE, output_format=FORMAT)
                for cid in ids
            ]
            for ctx in contexts:
                await ctx.send(transcript="x", voice=VOICE, continue_=False)
            return sum(await asyncio.gather(*(consume(ctx) for ctx in contexts)))
    finally:
        await client.close()


def client_main(args: argparse.Namespace) -> None:
    if not args.accel:  # the generated models then fall back to json/base64
        sys.modules["orjson"] = None  # type: ignore[assignment]
        sys.modules["pybase64"] = None  # type: ignore[assignment]
    __import__("websockets.asyncio.client")  # imports are not part of the measurement
    if args.accel:
        __import__("orjson")
        __import__("pybase64")
    if args.kind == "generated":
        sys.path.insert(0, args.package_root)
        __import__(args.package + ".client")
    elif args.kind == "sdk":
        __import__("cartesia")
    url = f"ws://127.0.0.1:{args.port}"
    ids = context_ids(args.run, args.contexts, args.frames)
    if args.kind in ("bare", "bare-a2b"):
        body = bare(url, ids, args.accel, strict=args.kind == "bare-a2b")
    elif args.kind == "bare-queues":
        body = bare_queues(url, ids)
    elif args.kind == "generated":
        body = generated(url, ids, args.package)
    else:
        body = sdk(url, ids)
    wall, cpu = time.perf_counter(), time.process_time()
    received = asyncio.run(body)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"received": received, "cpu": cpu, "wall": wall}))


# -- orchestration ------------------------------------------------------------------------------


def build_package(folder: Path) -> tuple[str, str]:
    sys.path.insert(0, str(ROOT))
    from asyncgen.output import write
    from asyncgen.pipeline import generate

    result = generate(ROOT / "specs" / "cartesia.yaml", "cartesia_bench")
    if result.files is None:
        raise SystemExit(result.problems.format())
    write(folder / "cartesia_bench", result.files)
    return str(folder), "cartesia_bench"


def measure(
    kind: str,
    accel: bool,
    contexts: int,
    args: argparse.Namespace,
    port: int,
    package: tuple[str, str],
    n: int,
) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--role",
        "client",
        "--kind",
        kind,
        "--port",
        str(port),
        "--contexts",
        str(contexts),
        "--frames",
        str(args.frames),
        "--run",
        f"r{n}",
        "--package-root",
        package[0],
        "--package",
        package[1],
    ]
    if accel:
        command.append("--accel")
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["received"] != args.frames:
        raise SystemExit(f"{kind} received {result['received']} of {args.frames} chunks")
    return result


PLAN = (
    ("bare", False),
    ("bare-a2b", False),
    ("generated", False),
    ("sdk", False),
    ("bare", True),
    ("bare-queues", True),
    ("generated", True),
)
Row = tuple[int, str, bool]  # contexts, client, accelerators allowed


def rounds(plan: list[Row], repeat: int) -> list[list[Row]]:
    """Every client once per round, the order rotated from round to round, so that a slow
    spell of the (shared) machine falls on all of them alike."""
    return [plan[r % len(plan) :] + plan[: r % len(plan)] for r in range(repeat)]


def spread(values: list[float], scale: float = 1.0, digits: int = 2, unit: str = "") -> str:
    """`median (min–max)` of `values` times `scale`."""
    low, mid, high = min(values) * scale, statistics.median(values) * scale, max(values) * scale
    return f"{mid:.{digits}f}{unit} ({low:.{digits}f}–{high:.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--role", choices=["main", "server", "client"], default="main")
    parser.add_argument(
        "--kind", choices=["bare", "bare-a2b", "bare-queues", "generated", "sdk"], default="bare"
    )
    parser.add_argument("--frames", type=int, default=20_000)
    parser.add_argument("--contexts", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7, help="rounds (every client once each)")
    parser.add_argument(
        "--context-counts", default="1,50", help="numbers of conversations, comma-separated"
    )
    parser.add_argument(
        "--clients",
        default="bare,bare-a2b,bare-queues,generated,sdk",
        help="clients to measure, comma-separated (bare always runs: the ratios need it)",
    )
    parser.add_argument("--no-accel", action="store_true", help="leave out the +accel rows")
    parser.add_argument("--accel", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--run", default="r")
    parser.add_argument("--port-file", default="")
    parser.add_argument("--package-root", default="")
    parser.add_argument("--package", default="")
    args = parser.parse_args()
    if args.role == "server":
        serve(Path(args.port_file))
        return
    if args.role == "client":
        client_main(args)
        return

    kinds = {"bare", *args.clients.split(",")}
    plan = [
        (int(contexts), kind, accel)
        for contexts in args.context_counts.split(",")
        for kind, accel in PLAN
        if kind in kinds and not (accel and args.no_accel)
    ]
    cpus: dict[Row, list[float]] = {row: [] for row in plan}
    walls: dict[Row, list[float]] = {row: [] for row in plan}
    with tempfile.TemporaryDirectory() as tmp:
        package = build_package(Path(tmp))
        port_file = Path(tmp) / "port"
        server = subprocess.Popen(
            [sys.executable, __file__, "--role", "server", "--port-file", str(port_file)]
        )
        try:
            for _ in range(200):
                if port_file.exists() and port_file.read_text():
                    break
                time.sleep(0.05)
            port = int(port_file.read_text())
            n = 0
            for order in rounds(plan, args.repeat):
                for row in order:
                    n += 1
                    result = measure(row[1], row[2], row[0], args, port, package, n)
                    cpus[row].append(result["cpu"])
                    walls[row].append(result["wall"])
        finally:
            server.terminate()
            server.wait(10)

    print(
        f"{args.frames} chunk frames of {len(AUDIO)} B audio; {args.repeat} rounds (every client "
        "once a round, order rotated); median (min–max) over the rounds, ratios taken within "
        f"each round. Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n"
    )
    print("| contexts | client | frames/s | CPU µs/frame | vs bare | SDK/this |")
    print("|---:|---|---:|---:|---:|---:|")
    for row in plan:
        contexts, kind, accel = row
        cpu = cpus[row]
        ratios = [c / b for c, b in zip(cpu, cpus[contexts, "bare", accel], strict=True)]
        versus_bare = "1.00×" if kind == "bare" else spread(ratios, unit="×")
        sdk = cpus.get((contexts, "sdk", False))
        versus_sdk = (
            ""
            if sdk is None
            else (
                "1.00×"
                if kind == "sdk"
                else spread([s / c for s, c in zip(sdk, cpu, strict=True)], unit="×")
            )
        )
        label = {
            "bare-a2b": "bare stdlib, strict a2b_base64",
            "bare-queues": "bare +accel, a task per context",
        }.get(kind) or kind + (" +accel" if accel else " stdlib" if kind != "sdk" else "")
        print(
            f"| {contexts} | {label} | {args.frames / statistics.median(walls[row]):,.0f} "
            f"| {spread(cpu, 1e6 / args.frames, 1)} | {versus_bare} | {versus_sdk} |"
        )


if __name__ == "__main__":
    main()
