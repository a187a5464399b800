"""What the command line prints: problems with the source line and a caret under the column,
colour on a terminal, summary lines, the version banner.

`Problem.format()` stays the plain one-line form (snapshots and tools read it); the source
excerpt and colour are added here, for people. Colour is on when click finds a terminal and
`NO_COLOR` is not set (https://no-color.org); `color()` is what each `click.echo` is given.
"""

from __future__ import annotations

import os

import click

from . import __version__
from .diagnostics import Problem, Problems, Severity

MAX_EXCERPT = 100  # columns of a source line shown around the caret
_READ_LIMIT = 1 << 20  # bytes read of one line, at most
_SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def color() -> bool | None:
    """`False` when `NO_COLOR` is set; otherwise None: click decides (colour on a terminal)."""
    return False if os.environ.get("NO_COLOR") else None


def versions() -> str:
    """`asyncgen, version X (black Y)`: the two versions a generated file depends on."""
    from importlib import metadata  # here: 17 ms of imports that only `--version` needs

    try:
        black = metadata.version("black")
    except metadata.PackageNotFoundError:
        black = "not installed"
    return f"asyncgen, version {__version__} (black {black})"


def source_line(path: str, line: int) -> str | None:
    """Line `line` (1-based) of the file `path`, decoded leniently; None when it cannot be read."""
    if line <= 0:
        return None
    try:
        with open(path, "rb") as handle:
            for number in range(1, line + 1):
                raw = handle.readline(_READ_LIMIT)
                if not raw:
                    return None
                while not raw.endswith(b"\n") and number < line:
                    more = handle.readline(_READ_LIMIT)  # the rest of an over-long earlier line
                    if not more:
                        return None
                    raw = more
    except (OSError, ValueError):
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def excerpt(path: str, line: int, col: int) -> list[str]:
    """The source line (tabs expanded, long lines cut around the column) and a caret line."""
    text = source_line(path, line)
    if text is None:
        return []
    text = "".join(ch if ch.isprintable() or ch == "\t" else "\ufffd" for ch in text)
    before = text[: max(col - 1, 0)].expandtabs(4)
    text = text.expandtabs(4)
    caret = len(before)
    start = 0
    if len(text) > MAX_EXCERPT:
        start = max(0, min(caret - MAX_EXCERPT // 2, len(text) - MAX_EXCERPT))
        shown = text[start : start + MAX_EXCERPT]
        prefix = "..." if start else ""
        suffix = "..." if start + MAX_EXCERPT < len(text) else ""
        text, caret = prefix + shown + suffix, caret - start + len(prefix)
    gutter = str(line)
    return [f" {gutter} | {text}", f" {' ' * len(gutter)} | {' ' * caret}^"]


def problem_text(problem: Problem, styled: bool = True) -> str:
    """`Problem.format()` with the offending source line and a caret under the first line."""
    head, *rest = problem.format().split("\n")
    if styled:
        word = f": {problem.severity.value}: "
        where, _, message = head.partition(word)
        colour = _SEVERITY_COLOURS[problem.severity]
        head = (
            click.style(where, bold=True)
            + ": "
            + click.style(problem.severity.value, fg=colour, bold=True)
            + ": "
            + message
        )
    lines = [head]
    position = problem.position
    if position is not None and position.line > 0:
        lines += excerpt(position.file, position.line, position.col)
    return "\n".join([*lines, *rest])


def report(problems: Problems, quiet: bool = False) -> None:
    """Prints every problem on stderr (only the errors when `quiet`)."""
    for problem in problems:
        if quiet and problem.severity is not Severity.ERROR:
            continue
        click.echo(problem_text(problem), err=True, color=color())


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def warnings(problems: Problems) -> int:
    return sum(1 for p in problems if p.severity is Severity.WARNING)


def summary(spec: str, problems: Problems, *parts: str) -> str:
    """`SPEC: <parts>, N warnings`, coloured by the worst problem."""
    errors = len(problems.errors)
    counts = [counted(errors, "error")] if errors else []
    text = f"{spec}: " + ", ".join([*parts, *counts, counted(warnings(problems), "warning")])
    if errors:
        return click.style(text, fg="red")
    return click.style(text, fg="yellow") if warnings(problems) else text


def echo(text: str, err: bool = False) -> None:
    click.echo(text, err=err, color=color())
