"""Helpers of the tests that feed asyncgen hostile input: a time bound and error snapshots."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES

SNAPSHOTS = FIXTURES / "hostile"

SPEC = """\
asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  /x:
    subscribe:
      message:
        payload: {$ref: '%s'}
"""


@contextmanager
def time_bound(seconds: int = 20) -> Iterator[None]:
    """Fails the test instead of hanging when what it runs does not return in time."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(name: str, text: str, request: pytest.FixtureRequest) -> None:
    """`text` must equal tests/fixtures/hostile/<name>.expected.txt (rewritten by --update-golden)."""
    expected = SNAPSHOTS / f"{name}.expected.txt"
    if request.config.getoption("--update-golden"):
        expected.write_text(text, encoding="utf-8")
    assert expected.is_file(), f"{expected} is missing: run with --update-golden and review it"
    assert expected.read_text(encoding="utf-8") == text


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
