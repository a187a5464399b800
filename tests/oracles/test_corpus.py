"""Every public AsyncAPI document of tests/data/corpus generates, or stops with located errors.

The corpus (94 root documents listed in `MANIFEST.tsv`: the specification's own examples and the
test documents of the official JavaScript tools) is generated once per session. A document either
renders, or every error has a file:line:col and is one of the rules a document may legitimately
fail with; the exact list of documents that do not generate is pinned, so any change shows. The
rendered packages are imported, and black, ruff and mypy --strict each run once over all of them.
"""

from __future__ import annotations

import contextlib
import csv
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from asyncgen.diagnostics import Problems
from asyncgen.output import write
from asyncgen.pipeline import Reading, generate
from conftest import DATA

pytestmark = pytest.mark.xdist_group("corpus")

SHARED = DATA
CORPUS = SHARED / "corpus"
LARGEST = "parser-js-v1/test/good/zbos_mqtt-all-asyncapi.json"  # 669 KB, 575 channels

# Rules that blame the document (or something the generator deliberately does not do, such as
# fetching remote references), never the generator.
DOCUMENT_RULES = frozenset(
    {"unresolved-ref", "yaml-syntax", "json-syntax", "duplicate-key", "asyncapi-version"}
)

# The documents that do not generate, with the rules of their errors.
DO_NOT_GENERATE = {
    # The payload $ref is an absolute URL, the `$id` of the sibling shared.json; only files that a
    # relative $ref names are loaded, and the error's hint says to write `$ref: 'shared.json'`.
    "generator/apps/generator/test/docs/apiwithref.json": {"unresolved-ref"},
    # refs/refed.yaml is not part of the corpus (the manifest lists it as unresolvable).
    "parser-js-v1/test/good/asyncapi.yaml": {"unresolved-ref"},
    # `good/circular-refs-file-ref.yaml` relative to good/ is good/good/..., which does not exist.
    "parser-js-v1/test/good/circular-refs.yaml": {"unresolved-ref"},
    # Avro schemas (and, in 3.0.0, a kafka binding key) referenced by https URLs.
    "spec-v3.0.0/adeo-kafka-request-reply-asyncapi.yml": {"unresolved-ref"},
    "spec-v3.1.0/adeo-kafka-request-reply-asyncapi.yml": {"unresolved-ref"},
}


Checks = dict[str, tuple["subprocess.Popen[bytes]", Path]]  # tool -> (its process, its log)


@dataclass
class Outcome:
    document: str
    seconds: float
    problems: Problems
    package: str = ""  # folder of the rendered package, "" when nothing was rendered
    crash: str = ""  # traceback of an exception, "" when there was none


@dataclass
class Corpus:
    root: Path  # every rendered package is a folder here
    outcomes: list[Outcome]

    @property
    def packages(self) -> list[str]:
        return [o.package for o in self.outcomes if o.package]


def _documents() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.fail(
            f"{CORPUS / 'MANIFEST.tsv'} is missing: it is part of the repository"
        )
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return [row["local_file"] for row in csv.DictReader(handle, delimiter="\t")]


def _folder(index: int, document: str) -> str:
    stem = re.sub(r"\W", "_", Path(document).stem.lower(), flags=re.ASCII)
    return f"corpus_{index:02d}_{stem}"


def _generate(root: Path, index: int, document: str) -> Outcome:
    """One document, in a worker process: generated, and written when it renders."""
    started = time.perf_counter()
    try:
        # Some documents refer to fragments in a sibling folder (`../common/`): the root folder
        # their `$ref`s may read from is the corpus.
        result = generate(CORPUS / document, package="corpus_pkg", reading=Reading(root=CORPUS))
    except Exception:  # noqa: BLE001 - recorded, and the test that reads it fails
        seconds = time.perf_counter() - started
        return Outcome(document, seconds, Problems(), crash=traceback.format_exc())
    outcome = Outcome(document, time.perf_counter() - started, result.problems)
    if result.files is not None:
        outcome.package = _folder(index, document)
        write(root / outcome.package, result.files)
    return outcome


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The whole corpus, generated once; the largest document first, as it takes longest."""
    root = tmp_path_factory.mktemp("corpus")
    documents = _documents()
    order = sorted(range(len(documents)), key=lambda i: documents[i] != LARGEST)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1), mp_context=context) as pool:
        futures = {i: pool.submit(_generate, root, i, documents[i]) for i in order}
        outcomes = [futures[i].result() for i in range(len(documents))]
    return Corpus(root, outcomes)


def test_the_manifest_lists_every_root_document() -> None:
    documents = _documents()
    assert len(documents) == 94
    missing = [d for d in documents if not (CORPUS / d).is_file()]
    assert not missing


def test_no_document_crashes_the_generator(corpus: Corpus) -> None:
    crashes = {o.document: o.crash for o in corpus.outcomes if o.crash}
    assert not crashes, "\n\n".join(f"{d}:\n{t}" for d, t in crashes.items())


def test_every_error_is_located_and_blames_the_document(corpus: Corpus) -> None:
    bad = []
    for outcome in corpus.outcomes:
        for problem in outcome.problems.errors:
            located = problem.position is not None and problem.position.line > 0
            if not located or problem.rule not in DOCUMENT_RULES:
                bad.append(f"{outcome.document}: {problem.format()}")
    assert not bad, "\n".join(bad)


def test_the_documents_that_do_not_generate(corpus: Corpus) -> None:
    failed = {
        o.document: {p.rule for p in o.problems.errors}
        for o in corpus.outcomes
        if not o.package and not o.crash
    }
    assert failed == DO_NOT_GENERATE, "\n".join(
        o.problems.format() for o in corpus.outcomes if o.document in failed
    )


def test_timing_of_the_largest_document(
    corpus: Corpus, record_property: Callable[[str, object], None]
) -> None:
    """Reported, never asserted: timings belong in benchmarks/, not in test verdicts."""
    (largest,) = [o for o in corpus.outcomes if o.document == LARGEST]
    assert largest.package
    total = sum(o.seconds for o in corpus.outcomes)
    record_property("largest_document_seconds", round(largest.seconds, 2))
    record_property("corpus_seconds", round(total, 2))
    print(f"\n{LARGEST} (669 KB): generated in {largest.seconds:.1f} s; whole corpus {total:.1f} s")


# ---------------------------------------------------------------------------------------------
# the rendered packages


@pytest.fixture(scope="module")
def checks(corpus: Corpus) -> Iterator[Checks]:
    """The import check, black, ruff and mypy, started together over every rendered package
    (each tool once, over all of them); a test waits for its own. Output goes to files, so no
    tool waits for a pipe to be read."""
    names = corpus.packages
    importer = (
        "import importlib, pathlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for module in ('models', 'client', 'server', 'codec', 'mqtt_client', 'amqp_client',\n"
        "                   'nats_client'):\n"
        "        if (pathlib.Path(name) / (module + '.py')).is_file():\n"
        "            importlib.import_module(name + '.' + module)\n"
    )
    mypy = ["-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(corpus.root / ".mypy")]
    commands = {
        "import": ["-c", importer, *names],
        "black": ["-m", "black", "--check", "--quiet", *names],
        "ruff": ["-m", "ruff", "check", "--no-cache", "--isolated", *names],
        "mypy": [*mypy, *(arg for name in names for arg in ("-p", name))],
    }
    started = {}
    for tool, args in commands.items():
        log = corpus.root / f".{tool}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, *args],
                cwd=corpus.root,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own: its workers go with it
            )
        started[tool] = (process, log)
    yield started
    for process, _ in started.values():
        # black checks files in worker processes: whatever is left of the group goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _verdict(checks: Checks, tool: str) -> None:
    process, log = checks[tool]
    code = process.wait(timeout=900)
    assert code == 0, log.read_text(encoding="utf-8", errors="replace")


def test_rendered_packages_import(checks: Checks) -> None:
    _verdict(checks, "import")


def test_black(checks: Checks) -> None:
    _verdict(checks, "black")


def test_ruff(checks: Checks) -> None:
    _verdict(checks, "ruff")


def test_mypy_strict(checks: Checks) -> None:
    _verdict(checks, "mypy")
