"""What a regeneration costs when nothing changed, against a bare interpreter and a full build.

In a temporary folder holding `specs/cartesia.yaml`, built once beforehand, each command runs as a
new process (as from an editor, CI or pre-commit), and its wall time is taken from start to exit:

  python -c pass             the interpreter alone (the floor)
  asyncgen check (no-op)     `asyncgen check specs/cartesia.yaml`, nothing changed
  asyncgen build (no-op)     `asyncgen build specs/cartesia.yaml`, nothing changed
  asyncgen build (full)      `asyncgen build specs/cartesia.yaml --force` with
                             ASYNCGEN_NO_CACHE=1: no record used, no black cache

    python benchmarks/noop_check.py [--repeat 7]

Prints the median of the runs of each; no assertion. Target: a no-op check <= 0.15 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASYNCGEN = str(Path(sys.executable).with_name("asyncgen"))


def _seconds(command: list[str], folder: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        _measure(Path(temporary), args.repeat)


def _measure(folder: Path, repeat: int) -> None:
    # Compiled modules are cached (in the temporary folder), as an installed asyncgen's are,
    # even where PYTHONDONTWRITEBYTECODE is set; the first, unmeasured build writes them.
    plain = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    for name in ("ASYNCGEN_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
        plain.pop(name, None)
    uncached = {**plain, "ASYNCGEN_NO_CACHE": "1"}
    spec = ["specs/cartesia.yaml"]
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], plain, repeat),
        ("asyncgen check (no-op)", [ASYNCGEN, "check", *spec], plain, repeat),
        ("asyncgen build (no-op)", [ASYNCGEN, "build", *spec], plain, repeat),
        (
            "asyncgen build (full)",
            [ASYNCGEN, "build", *spec, "--force"],
            uncached,
            max(3, repeat // 2),
        ),
    ]
    (folder / "specs").mkdir()
    shutil.copy(ROOT / "specs" / "cartesia.yaml", folder / "specs")
    _seconds([ASYNCGEN, "build", *spec], folder, plain)
    # Interleaved rounds, so that a busy moment of the machine spreads over every case.
    times: dict[str, list[float]] = {name: [] for name, *_ in cases}
    for round_ in range(repeat):
        for name, command, env, runs in cases:
            if round_ < runs:
                times[name].append(_seconds(command, folder, env))
    floor = statistics.median(times["python -c pass"])
    print(f"{'command':<26} {'median wall':>12} {'vs python':>10}  runs")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:<26} {median:>10.3f} s {median / floor:>9.1f}x  {len(measured)}")


if __name__ == "__main__":
    main()
