"""What generating a package costs, as new processes: wall time and peak memory, side by side.

Each case runs as a new process (as from an editor, CI or pre-commit) into a fresh output folder;
its wall time is taken from start to exit and its peak resident memory from the kernel (`wait4`).
Rounds alternate the cases, and each figure is the median of the rounds (the spread is printed
beside it):

  asyncgen cold     `asyncgen build SPEC` with ASYNCGEN_NO_CACHE=1
  asyncgen warm     `asyncgen build SPEC` into a fresh folder, its formatting cache filled
  datamodel-codegen `datamodel-codegen` on the same schemas, models only: the document's
                    component schemas and message payloads as one JSON Schema file

on `specs/cartesia.yaml`, the largest document of the corpus (`zbos_mqtt-all-asyncapi.json`, 575
channels) and synthetic AsyncAPI 2.6 documents of 500, 1,000, 2,000 and 4,000 messages
(`scripts/synthetic_spec.py`: six properties of mixed kinds each), with the time per message and
the growth from 1,000 to 4,000 messages.

    python benchmarks/generate.py [--repeat 5] [--sizes 500,1000,2000,4000]
        [--cases cartesia,zbos,synthetic] [--no-datamodel-codegen] [--codegen-up-to 1000]
        [--build-arg ARG ...]

Both tools run as installed: asyncgen's modules (its templates compiled ahead of time among
them) are byte-compiled first, as pip does when it installs a package (datamodel-code-generator's were when it was installed), so that neither pays
for compiling its own source, even where PYTHONDONTWRITEBYTECODE is set.

`--build-arg` passes an option on to every `asyncgen build`; datamodel-codegen runs on documents
of at most `--codegen-up-to` messages. datamodel-code-generator is in the
`bench` extra (`pip install -e '.[bench]'`); without it its rows are left out. Prints a Markdown
table; no assertion.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ZBOS = ROOT / "tests/data/corpus/parser-js-v1/test/good/zbos_mqtt-all-asyncapi.json"


@dataclass
class Case:
    label: str
    spec: str  # the row's document
    tool: str  # `cold`, `warm` or `datamodel-codegen`
    command: list[str]
    env: dict[str, str]
    output: Path  # emptied before each run
    messages: int = 0
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)


def synthetic_document(messages: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic_spec import document

    return document(messages)


def run(case: Case) -> None:
    shutil.rmtree(case.output, ignore_errors=True)
    case.output.mkdir(parents=True)
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(case.command, env=case.env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"{' '.join(case.command)} failed:\n{log.read().decode()[-4000:]}")
    case.seconds.append(elapsed)
    case.peak_mb.append(usage.ru_maxrss / 1024)  # kilobytes on Linux


def schemas_of(spec: dict[str, Any]) -> dict[str, Any]:
    """The document's component schemas and message payloads as one JSON Schema (its
    `definitions`), `$ref`s to component schemas rewritten to point there."""
    components = spec.get("components") or {}
    definitions = dict(components.get("schemas") or {})
    for key, message in (components.get("messages") or {}).items():
        if isinstance(message, dict) and isinstance(message.get("payload"), dict):
            definitions.setdefault(f"{key}Payload", message["payload"])
    text = json.dumps({"definitions": definitions})
    text = text.replace('"#/components/schemas/', '"#/definitions/')
    return json.loads(text)


def read_spec(path: Path) -> dict[str, Any]:
    if path.suffix == ".json":
        return json.loads(path.read_text())
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text())


def cases(args: argparse.Namespace, folder: Path) -> list[Case]:
    plain = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
    plain.pop("ASYNCGEN_NO_CACHE", None)
    cold = {**plain, "ASYNCGEN_NO_CACHE": "1"}
    specs: list[tuple[str, Path, int]] = []
    if "cartesia" in args.cases:
        specs.append(("cartesia", ROOT / "specs/cartesia.yaml", 0))
    if "zbos" in args.cases:
        specs.append(("zbos", ZBOS, 316))
    if "synthetic" in args.cases:
        for size in args.sizes:
            path = folder / f"synthetic_{size}.json"
            path.write_text(json.dumps(synthetic_document(size)))
            specs.append((f"synthetic {size:,}", path, size))
    out: list[Case] = []
    for name, path, messages in specs:
        base = folder / "out" / path.stem
        build = [str(BIN / "asyncgen"), "build", str(path), *args.build_arg, "-o"]
        out.append(Case(name, name, "cold", [*build, str(base / "cold")], cold, base, messages))
        out.append(Case(name, name, "warm", [*build, str(base / "warm")], plain, base, messages))
        codegen = BIN / "datamodel-codegen"
        if args.datamodel_codegen and codegen.exists() and messages <= args.codegen_up_to:
            schema = folder / f"{path.stem}.schema.json"
            schema.write_text(json.dumps(schemas_of(read_spec(path))))
            target = folder / "out" / f"{path.stem}-dmcg"
            command = [str(codegen), "--input", str(schema), "--input-file-type", "jsonschema"]
            command += ["--output", str(target / "models.py")]
            out.append(Case(name, name, "datamodel-codegen", command, plain, target, messages))
    return out


def table(measured: list[Case]) -> str:
    rows = [
        "| document | tool | wall (median) | spread | peak RSS | per message | vs datamodel-codegen |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    codegen = {c.spec: statistics.median(c.seconds) for c in measured if c.tool.startswith("data")}
    for case in measured:
        wall = statistics.median(case.seconds)
        spread = f"{min(case.seconds):.2f}–{max(case.seconds):.2f} s"
        per = f"{wall / case.messages * 1000:.2f} ms" if case.messages else ""
        ratio = ""
        if case.spec in codegen and not case.tool.startswith("data"):
            ratio = f"{wall / codegen[case.spec]:.2f}×"
        rows.append(
            f"| {case.spec} | {case.tool} | {wall:.2f} s | {spread} "
            f"| {statistics.median(case.peak_mb):.0f} MB | {per} | {ratio} |"
        )
    for tool in ("cold", "warm"):
        by_size = {c.messages: statistics.median(c.seconds) for c in measured
                   if c.tool == tool and c.spec.startswith("synthetic")}  # fmt: skip
        if 1000 in by_size and 4000 in by_size:
            growth = by_size[4000] / by_size[1000]
            rows.append(f"\nsynthetic, asyncgen {tool}: 1,000 → 4,000 messages took {growth:.2f}×")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sizes", type=lambda s: [int(n) for n in s.split(",")], default=[500, 1000, 2000, 4000]
    )
    parser.add_argument(
        "--cases", type=lambda s: s.split(","), default=["cartesia", "zbos", "synthetic"]
    )
    parser.add_argument("--no-datamodel-codegen", dest="datamodel_codegen", action="store_false")
    parser.add_argument("--build-arg", action="append", default=[])
    parser.add_argument(
        "--codegen-up-to", type=int, default=1000, help="datamodel-codegen up to this many messages"
    )
    args = parser.parse_args()
    import asyncgen
    import asyncgen.templates

    for package in (asyncgen, asyncgen.templates):  # as pip does at install
        compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        measured = cases(args, folder)
        for case in measured:  # unmeasured: fills the formatting cache the warm runs read
            if case.tool == "warm":
                run(case)
                case.seconds.clear()
                case.peak_mb.clear()
        for round_ in range(args.repeat):
            for case in measured:
                run(case)
                print(f"round {round_ + 1}: {case.spec} {case.tool} {case.seconds[-1]:.2f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
        print(table(measured))


if __name__ == "__main__":
    main()
