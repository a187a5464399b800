"""`build` and `check` of a list of specs, as the command line and `watch` run them.

Each spec is first checked against the record in its package's manifest (`fingerprint.py`): when
nothing it is made from changed, the package is reported as it is and the pipeline (parsers,
Jinja, black) is never imported. Otherwise the spec goes through the pipeline and the package is
written (`build`) or compared (`check`). Messages go to the terminal through click.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import fingerprint, naming
from .diagnostics import Problems
from .settings import Reading


@dataclass(frozen=True)
class Run:
    """What a command was asked to do: the specs and how to read each, the output root, the
    package name (one spec only), the template overrides, and whether to replace edited files."""

    targets: list[tuple[Path, Reading]]
    output: Path
    package: str | None = None
    templates: Path | None = None
    force: bool = False


@dataclass
class Outcome:
    done: int = 0  # specs whose package is (now) up to date
    # Every file the specs read (an unreadable spec counts by its own path), for `watch`.
    inputs: set[Path] = field(default_factory=set)


def _report(problems: Problems) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


def _folder(run: Run, spec: Path) -> Path:
    return run.output / (run.package or naming.package_name(spec.stem))


def _key(run: Run, spec: Path, reading: Reading) -> str:
    folder = _folder(run, spec)
    return fingerprint.key(spec, folder, folder.name, reading, run.templates)


def _generated(
    run: Run, targets: list[tuple[Path, Reading]], outcome: Outcome
) -> Iterator[tuple[Path, Path, dict[str, str], dict[str, object]]]:
    """(spec, package folder, files, record of inputs) of each spec that generates; problems
    printed on the way."""
    from .pipeline import generate

    for spec, reading in targets:
        key = _key(run, spec, reading)  # before reading: a file changed meanwhile never matches
        result = generate(spec, run.package, reading, run.templates)
        _report(result.problems)
        outcome.inputs |= {fingerprint.absolute(p) for p in (spec, *reading.overlays)}
        if result.files is None or result.api is None or result.inputs is None:
            click.echo(f"{spec}: not generated ({len(result.problems.errors)} error(s))", err=True)
            continue
        outcome.inputs |= {fingerprint.absolute(p) for p in result.inputs}
        folder = run.output / result.api.package
        yield spec, folder, result.files, fingerprint.record(folder, result.inputs, key)


def _unchanged(run: Run, spec: Path, reading: Reading, outcome: Outcome) -> int | None:
    """The number of files of the spec's package when nothing changed (see the module)."""
    if not fingerprint.enabled():
        return None
    folder = _folder(run, spec)
    files = fingerprint.unchanged(folder, _key(run, spec, reading))
    if files is not None:
        outcome.inputs |= fingerprint.recorded_inputs(folder)
    return files


def build(run: Run) -> Outcome:
    """Writes the package of each spec; prints what was written."""
    from .output import OwnershipError, write

    outcome, pending = Outcome(), []
    for spec, reading in run.targets:
        count = None if run.force else _unchanged(run, spec, reading, outcome)
        if count is None:
            pending.append((spec, reading))
            continue
        click.echo(f"{spec} -> {_folder(run, spec)}/: 0 written, {count} unchanged")
        outcome.done += 1
    if not pending:
        return outcome
    for spec, folder, files, inputs in _generated(run, pending, outcome):
        try:
            changes = write(folder, files, run.force, inputs)
        except OwnershipError as exc:
            click.echo(f"{folder}: {exc}", err=True)
            continue
        except OSError as exc:  # the package is switched in whole: the previous one stays
            click.echo(f"{folder}: cannot write the package: {exc}", err=True)
            continue
        click.echo(
            f"{spec} -> {folder}/: {len(changes.written)} written, {len(changes.unchanged)} unchanged"
            + (f", {len(changes.removed)} removed" if changes.removed else "")
        )
        outcome.done += 1
    return outcome


def check(run: Run) -> Outcome:
    """Compares the package of each spec with what a build would write; prints the diffs."""
    outcome, pending = Outcome(), []
    for spec, reading in run.targets:
        if _unchanged(run, spec, reading, outcome) is None:
            pending.append((spec, reading))
        else:
            outcome.done += 1
    if not pending:
        return outcome
    from .output import diff

    for spec, folder, files, _ in _generated(run, pending, outcome):
        diffs = diff(folder, files)
        for text in diffs:
            click.echo(text, nl=False)
        if diffs:
            click.echo(
                f"{folder}/ is out of date with {spec}: run `asyncgen build {spec}`", err=True
            )
        else:
            outcome.done += 1
    return outcome
