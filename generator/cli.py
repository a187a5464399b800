"""The `asyncgen` command: build and check.

Exit codes: 0 success; 1 the spec has errors (or `check` found the package out of date);
2 the command line itself is wrong. Problems are printed as `file:line:col: severity: message`.
Without SPEC arguments the specs and output folder come from `[tool.asyncgen]` in the nearest
`pyproject.toml` (`specs = [...]`, `output = "generated"`).
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__
from .diagnostics import Problems


def _config() -> dict[str, object]:
    for folder in [Path.cwd(), *Path.cwd().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise click.UsageError(f"{candidate}: {exc}") from None
            section = data.get("tool", {}).get("asyncgen", {})
            return dict(section) if isinstance(section, dict) else {}
    return {}


def _targets(
    specs: tuple[Path, ...], output: Path | None, package: str | None
) -> tuple[list[Path], Path]:
    config = _config()
    if not specs:
        listed = config.get("specs")
        if not isinstance(listed, list) or not listed:
            raise click.UsageError(
                "no SPEC given and no `specs` list in [tool.asyncgen] of pyproject.toml"
            )
        specs = tuple(Path(str(s)) for s in listed)
    if package and len(specs) > 1:
        raise click.UsageError("--package names one package: give one SPEC with it")
    missing = [str(s) for s in specs if not s.is_file()]
    if missing:
        raise click.UsageError(f"no such spec file: {', '.join(missing)}")
    return list(specs), output or Path(str(config.get("output", "generated")))


def _report(problems: Problems) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asyncgen")
def main() -> None:
    """Generate typed Python packages (models, validators, WebSocket client and server)
    from AsyncAPI documents."""


_spec_args = click.argument("specs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
_output = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output root; the package goes into OUTPUT/<package>/ (default: generated).",
)
_package = click.option("--package", help="Package name (default: the spec file's stem).")


def _generated(
    paths: list[Path], root: Path, package: str | None
) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """(spec, package folder, files) for each spec that generates; problems printed on the way."""
    from .pipeline import generate

    for spec in paths:
        result = generate(spec, package)
        _report(result.problems)
        if result.files is None or result.api is None:
            click.echo(f"{spec}: not generated ({len(result.problems.errors)} error(s))", err=True)
            continue
        yield spec, root / result.api.package, result.files


@main.command()
@_spec_args
@_output
@_package
def build(specs: tuple[Path, ...], output: Path | None, package: str | None) -> None:
    """Generate the package for each SPEC."""
    from .output import write

    paths, root = _targets(specs, output, package)
    done = 0
    for spec, folder, files in _generated(paths, root, package):
        try:
            changes = write(folder, files)
        except OSError as exc:  # each file is replaced atomically: none is left half-written
            click.echo(f"{folder}: cannot write the package: {exc}", err=True)
            continue
        click.echo(
            f"{spec} -> {folder}/: {len(changes.written)} written, {len(changes.unchanged)} unchanged"
            + (f", {len(changes.removed)} removed" if changes.removed else "")
        )
        done += 1
    sys.exit(0 if done == len(paths) else 1)


@main.command()
@_spec_args
@_output
@_package
def check(specs: tuple[Path, ...], output: Path | None, package: str | None) -> None:
    """Exit 1 (printing a diff) when a generated package differs from its SPEC."""
    from .output import diff

    paths, root = _targets(specs, output, package)
    fresh = 0
    for spec, folder, files in _generated(paths, root, package):
        diffs = diff(folder, files)
        for text in diffs:
            click.echo(text, nl=False)
        if diffs:
            click.echo(
                f"{folder}/ is out of date with {spec}: run `asyncgen build {spec}`", err=True
            )
        else:
            fresh += 1
    sys.exit(0 if fresh == len(paths) else 1)
