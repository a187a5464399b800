"""A fuzzing campaign: random AsyncAPI documents and random edits of the corpus, many of them.

    python scripts/fuzz.py --examples 5000 [--kind random|corpus|both] [--seed N]
                           [--mypy 5] [--crashes DIR]

Prints the figures (examples, builds, located errors, crashes, and crashes by kind); each crash
(an exception out of `pipeline.generate`, an unlocated refusal, a package that does not import)
is written to DIR with the document that caused it, one file per distinct kind. Exits 1 if any
example crashed or the mypy sample failed. The strategies are tests/fuzzing.py's, which the CI
fuzz tests (tests/unit/test_fuzz.py) run a few dozen examples of.
"""

from __future__ import annotations

import argparse
import faulthandler
import hashlib
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzzing import DOCUMENTS, Crash, Figures, check, dump, mutated_corpus
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st


def _signature(text: str) -> str:
    """What tells one crash from another: its first line and the innermost asyncgen frame."""
    frames = re.findall(
        r'File "([^"]*(?:generator|asyncgen|fuzz)[^"]*)", line (\d+), in (\w+)', text
    )
    last = frames[-1] if frames else ("", "", "")
    kind = text.splitlines()[0] if text else ""
    error = [line for line in text.splitlines() if re.match(r"^\w+(Error|Exception|Exit)\b", line)]
    return f"{kind} {Path(last[0]).name}:{last[2]} {error[-1][:80] if error else ''}".strip()


def main() -> int:
    faulthandler.enable()  # a crash of the interpreter itself still says where it happened
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--kind", choices=("random", "corpus", "both"), default="both")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--mypy", type=int, default=3, help="packages to check with mypy --strict")
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    args = parser.parse_args()

    figures = Figures()
    kinds: dict[str, int] = {}
    kept: list[Path] = []
    keep_root = Path(tempfile.mkdtemp(prefix="asyncgen-fuzz-"))
    counter = iter(range(10**9))

    def run_one(text: str, name: str) -> None:
        number = next(counter)
        keep = len(kept) < args.mypy
        with tempfile.TemporaryDirectory() as scratch:
            folder = keep_root / f"case{number}" if keep else Path(scratch)
            try:
                built = check(text, name, folder, f"fuzz{number}", figures)
            except Crash as crash:
                report = str(crash)
                signature = _signature(report)
                kinds[signature] = kinds.get(signature, 0) + 1
                if kinds[signature] == 1:
                    args.crashes.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha1(signature.encode()).hexdigest()[:10]
                    (args.crashes / f"crash-{digest}.txt").write_text(report, encoding="utf-8")
                return
            if built is not None and keep:
                kept.append(built)
        if figures.examples % 250 == 0:
            memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"  ... {figures.line()} ({memory} MB)", flush=True)

    campaign = settings(
        max_examples=args.examples if args.kind != "both" else args.examples // 2,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: every example is new input
        suppress_health_check=list(HealthCheck),
    )

    @campaign
    @given(document=DOCUMENTS, suffix=st.sampled_from([".json", ".yaml"]))
    def random_documents(document: object, suffix: str) -> None:
        run_one(dump(document, suffix), "api" + suffix)

    @campaign
    @given(mutated=mutated_corpus())
    def corpus_documents(mutated: tuple[str, object]) -> None:
        name, tree = mutated
        run_one(dump(tree, ".json" if name.endswith(".json") else ".yaml"), name)

    started = time.monotonic()
    for kind, test in (("random", random_documents), ("corpus", corpus_documents)):
        if args.kind in (kind, "both"):
            (seed(args.seed)(test) if args.seed is not None else test)()
    elapsed = time.monotonic() - started
    print(f"{figures.line()} in {elapsed:.0f} s")
    for signature, count in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"  {count:5d}  {signature}")
    failed = figures.crashes > 0
    if kept:
        command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        for package in kept:
            command += ["-p", package.name]
        env_path = ":".join(str(p.parent) for p in kept)
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            env={"MYPYPATH": env_path, "PATH": ""},
            cwd=keep_root,
        )
        print(
            f"mypy --strict over {len(kept)} packages: {'ok' if done.returncode == 0 else 'FAILED'}"
        )
        if done.returncode:
            print(done.stdout[-3000:])
            failed = True
    if figures.crashes:
        print(f"crash reports: {args.crashes}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
