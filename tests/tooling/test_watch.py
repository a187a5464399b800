"""`asyncgen watch` as a process: rebuilds on changes, survives a broken spec, stops on Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES

DEADLINE = 60.0  # seconds for any one expected outcome (the machine may be busy)


class _Process:
    """`asyncgen watch` running in `folder`, its output collected by a thread."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "asyncgen", "watch", *args],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if condition():
                return
            assert self.process.poll() is None, f"watch exited:\n{self.text()}"
            time.sleep(0.1)
        pytest.fail(f"{what} did not happen within {DEADLINE}s:\n{self.text()}")

    def printed(self, text: str, after: int = 0) -> Callable[[], bool]:
        return lambda: any(text in line for line in self.lines[after:])

    def watching(self, after: int) -> None:
        self.wait_for(self.printed("watching", after), "watching again")

    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, _Process]]:
    shutil.copytree(FIXTURES / "multifile", tmp_path / "api", ignore=shutil.ignore_patterns("expected"))
    process = _Process(tmp_path, "api/spec.yaml", "-o", "out", "--package", "shop")
    try:
        yield tmp_path, process
    finally:
        if process.process.poll() is None:
            process.process.kill()
        process.process.wait(timeout=30)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_watch_rebuilds_reports_errors_and_stops_on_ctrl_c(
    watched: tuple[Path, _Process],
) -> None:
    folder, watch = watched
    models = folder / "out" / "shop" / "models.py"
    spec, order = folder / "api" / "spec.yaml", folder / "api" / "schemas" / "nested" / "order.yaml"
    watch.wait_for(models.is_file, "the first build")
    watch.watching(0)

    # The spec changes: the package is written again.
    mark = len(watch.lines)
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    watch.wait_for(watch.printed("changed: api/spec.yaml", mark), "the spec change seen")
    watch.wait_for(watch.printed("written", mark), "the rebuild")
    watch.watching(mark)

    # A file the spec refers to changes: rebuilt, and the change is in the models.
    mark = len(watch.lines)
    _edit(order, "  type: object\n", "  type: object\n  description: Changed while watched.\n")
    watch.wait_for(lambda: "Changed while watched." in models.read_text(encoding="utf-8"), "rebuild")
    assert watch.printed("changed: api/schemas/nested/order.yaml", mark)()
    watch.watching(mark)

    # A broken spec: the error is printed and the watch goes on.
    mark = len(watch.lines)
    good = spec.read_text(encoding="utf-8")
    spec.write_text(good + "\n  : [unclosed\n", encoding="utf-8")
    watch.wait_for(watch.printed("not generated", mark), "the error reported")
    watch.watching(mark)
    assert watch.process.poll() is None

    # Fixed: built again.
    mark = len(watch.lines)
    spec.write_text(good + "\n# fixed\n", encoding="utf-8")
    watch.wait_for(watch.printed("written", mark), "the rebuild after the fix")
    watch.watching(mark)

    # Ctrl-C: a clean exit.
    watch.process.send_signal(signal.SIGINT)
    assert watch.process.wait(timeout=DEADLINE) == 0
    time.sleep(0.2)  # the reader thread takes the last lines
    assert "Traceback" not in watch.text()
    assert watch.lines[-1] == "stopped"
