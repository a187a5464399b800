"""`build` and `check` of a list of specs, as the command line and `watch` run them.

Each spec is first checked against the record in its package's manifest (`fingerprint.py`): when
nothing it is made from changed, the package is reported as it is and the pipeline (parsers,
Jinja, black) is never imported. Otherwise the spec goes through the pipeline and the package is
written (`build`) or compared (`check`), with the installable project around it when asked
(`project.py`). Messages go to the terminal through `console`: a summary line per spec unless
quiet, every file written or compared when verbose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import console, fingerprint, naming
from .diagnostics import Problems
from .settings import Reading

Part = tuple[Path, dict[str, str]]  # a folder and the files it gets


@dataclass(frozen=True)
class Run:
    """What a command was asked to do: the specs and how to read each, the output root, the
    package name (one spec only), the template overrides, and whether to replace edited files."""

    targets: list[tuple[Path, Reading]]
    output: Path
    package: str | None = None
    templates: Path | None = None
    force: bool = False
    quiet: bool = False
    verbose: bool = False
    project: bool = False  # the package inside an installable project (see project.py)
    black: bool = False  # black run over every module (`--format`)


@dataclass
class Outcome:
    done: int = 0  # specs whose package is (now) up to date
    # Every file the specs read (an unreadable spec counts by its own path), for `watch`.
    inputs: set[Path] = field(default_factory=set)


def _folder(run: Run, spec: Path) -> Path:
    """The package's folder (inside its project's `src/` with `project`)."""
    name = run.package or naming.package_name(spec.stem)
    return run.output / name / "src" / name if run.project else run.output / name


def _key(run: Run, spec: Path, reading: Reading) -> str:
    folder = _folder(run, spec)
    return fingerprint.key(spec, folder, folder.name, reading, run.templates, run.black)


def _generated(
    run: Run, targets: list[tuple[Path, Reading]], outcome: Outcome
) -> Iterator[tuple[Path, list[Part], Problems, dict[str, object]]]:
    """(spec, [(folder, files)], problems, record of inputs) of each spec that generates: the
    package folder and, with `project`, the project folder around it; problems printed on the
    way."""
    from . import project as projects
    from .pipeline import generate

    for spec, reading in targets:
        key = _key(run, spec, reading)  # before reading: a file changed meanwhile never matches
        result = generate(spec, run.package, reading, run.templates, black=run.black)
        console.report(result.problems, run.quiet)
        outcome.inputs |= {fingerprint.absolute(p) for p in (spec, *reading.overlays)}
        if result.files is None or result.api is None or result.inputs is None:
            console.echo(console.summary(str(spec), result.problems, "not generated"), err=True)
            continue
        outcome.inputs |= {fingerprint.absolute(p) for p in result.inputs}
        folder = _folder(dataclasses.replace(run, package=result.api.package), spec)
        parts = [(folder, result.files)]
        if run.project:  # the package first: the project folder holds it
            parts.append((run.output / result.api.package, projects.files(result.api)))
        yield spec, parts, result.problems, fingerprint.record(folder, result.inputs, key)


def _unchanged(run: Run, spec: Path, reading: Reading, outcome: Outcome) -> int | None:
    """The number of files of the spec's package when nothing changed (see the module)."""
    # A project's own files (its pyproject.toml) have no record of inputs: a full run decides.
    if run.project or not fingerprint.enabled():
        return None
    folder = _folder(run, spec)
    files = fingerprint.unchanged(folder, _key(run, spec, reading))
    if files is not None:
        outcome.inputs |= fingerprint.recorded_inputs(folder)
    return files


def build(run: Run) -> Outcome:
    """Writes the package of each spec; prints what was written."""
    from .output import Changes, OwnershipError, write

    outcome, pending = Outcome(), []
    for spec, reading in run.targets:
        count = None if run.force else _unchanged(run, spec, reading, outcome)
        if count is None:
            pending.append((spec, reading))
            continue
        if not run.quiet:
            label = f"{spec} -> {_folder(run, spec)}/"
            said = console.counted(count, "file"), "0 written", f"{count} unchanged"
            console.echo(console.summary(label, Problems(), *said))
        outcome.done += 1
    if not pending:
        return outcome
    for spec, parts, problems, inputs in _generated(run, pending, outcome):
        total = Changes()
        try:
            for index, (folder, files) in enumerate(parts):
                changes = write(folder, files, run.force)
                if index == 0:
                    fingerprint.save(folder, inputs)
                total.written += [str(folder / n) for n in changes.written]
                total.unchanged += changes.unchanged
                total.removed += [str(folder / n) for n in changes.removed]
        except OwnershipError as exc:
            click.echo(f"{folder}: {exc}", err=True)
            continue
        except OSError as exc:  # the package is switched in whole: the previous one stays
            click.echo(f"{folder}: cannot write the package: {exc}", err=True)
            continue
        if run.verbose:
            for path in total.written:
                click.echo(f"  wrote {path}")
            for path in total.removed:
                click.echo(f"  removed {path}")
        if not run.quiet:
            counts = [
                console.counted(sum(len(files) for _, files in parts), "file"),
                f"{len(total.written)} written",
                f"{len(total.unchanged)} unchanged",
                *([f"{len(total.removed)} removed"] if total.removed else []),
            ]
            console.echo(console.summary(f"{spec} -> {parts[-1][0]}/", problems, *counts))
        outcome.done += 1
    return outcome


def check(run: Run) -> Outcome:
    """Compares the package of each spec with what a build would write; prints the diffs."""
    outcome, pending = Outcome(), []
    for spec, reading in run.targets:
        count = _unchanged(run, spec, reading, outcome)
        if count is None:
            pending.append((spec, reading))
            continue
        outcome.done += 1
        if not run.quiet:
            said = console.counted(count, "file"), "up to date"
            console.echo(console.summary(str(spec), Problems(), *said))
    if not pending:
        return outcome
    from .output import diff

    for spec, parts, problems, _ in _generated(run, pending, outcome):
        diffs, folder = [], parts[-1][0]
        for part, files in parts:
            diffs += diff(part, files)
            if run.verbose:
                click.echo(f"  compared {part}/ ({len(files)} files) with {spec}")
        for text in diffs if not run.quiet else ():
            click.echo(text, nl=False)
        if diffs:
            click.echo(
                f"{folder}/ is out of date with {spec}: run `asyncgen build {spec}`", err=True
            )
        else:
            outcome.done += 1
        if not run.quiet:
            state = f"{len(diffs)} out of date" if diffs else "up to date"
            files_said = console.counted(sum(len(files) for _, files in parts), "file")
            console.echo(console.summary(str(spec), problems, files_said, state))
    return outcome
