"""The `asyncgen` command: build and check.

Exit codes: 0 success; 1 the spec has errors (or `check` found the package out of date);
2 the command line itself is wrong. Problems are printed as `file:line:col: severity: message`.
Without SPEC arguments the specs and output folder come from `[tool.asyncgen]` in the nearest
`pyproject.toml` (`specs = [...]`, `output = "generated"`). How to read one spec (its overlays, the
side it describes, which channels share a socket) can be set per spec in `[tool.asyncgen.per-spec."<spec path>"]`, paths relative
to the pyproject.toml; `--overlay` and `--perspective` replace those settings for the run.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .diagnostics import Problems

if TYPE_CHECKING:
    from .pipeline import Reading

_PERSPECTIVES = ("server", "client")
_SOCKET_MODES = ("auto", "per-channel", "per-server")


def _config() -> tuple[dict[str, object], Path]:
    """`[tool.asyncgen]` of the nearest pyproject.toml, and the folder it is in."""
    for folder in [Path.cwd(), *Path.cwd().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise click.UsageError(f"{candidate}: {exc}") from None
            section = data.get("tool", {}).get("asyncgen", {})
            return (dict(section) if isinstance(section, dict) else {}), folder
    return {}, Path.cwd()


def _readings(config: dict[str, object], folder: Path) -> dict[Path, Reading]:
    """How to read each spec named in `[tool.asyncgen.per-spec]`, by resolved path."""
    from .pipeline import Reading

    table = config.get("per-spec", {})
    if not isinstance(table, dict):
        raise click.UsageError("[tool.asyncgen] per-spec must be a table of spec paths")
    readings: dict[Path, Reading] = {}
    for spec, settings in table.items():
        where = f'[tool.asyncgen.per-spec."{spec}"]'
        if not isinstance(settings, dict) or set(settings) - {"overlays", "perspective", "sockets"}:
            raise click.UsageError(f"{where} may set only `overlays`, `perspective` and `sockets`")
        listed: Any = settings.get("overlays", [])
        side: Any = settings.get("perspective")
        if not isinstance(listed, list) or not all(isinstance(o, str) for o in listed):
            raise click.UsageError(f"{where} overlays must be a list of file paths")
        if side is not None and side not in _PERSPECTIVES:
            raise click.UsageError(f"{where} perspective must be 'server' or 'client'")
        sockets: Any = settings.get("sockets", "auto")
        if sockets not in _SOCKET_MODES:
            raise click.UsageError(f"{where} sockets must be one of {', '.join(_SOCKET_MODES)}")
        paths = tuple((folder / o).resolve() for o in listed)
        readings[(folder / spec).resolve()] = Reading(paths, side, sockets)
    return readings


def _reading(
    readings: dict[Path, Reading], spec: Path, overlays: tuple[Path, ...], perspective: str | None
) -> Reading:
    from .pipeline import Reading

    configured = readings.get(spec.resolve(), Reading())
    return Reading(
        overlays or configured.overlays,
        perspective or configured.perspective,  # type: ignore[arg-type]
        configured.sockets,
    )


def _targets(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...] = (),
    perspective: str | None = None,
) -> tuple[list[tuple[Path, Reading]], Path]:
    config, folder = _config()
    if not specs:
        listed = config.get("specs")
        if not isinstance(listed, list) or not listed:
            raise click.UsageError(
                "no SPEC given and no `specs` list in [tool.asyncgen] of pyproject.toml"
            )
        specs = tuple(Path(str(s)) for s in listed)
    if package and len(specs) > 1:
        raise click.UsageError("--package names one package: give one SPEC with it")
    if (overlays or perspective) and len(specs) > 1:
        raise click.UsageError("--overlay and --perspective apply to one spec: give one SPEC")
    missing = [str(s) for s in [*specs, *overlays] if not s.is_file()]
    if missing:
        raise click.UsageError(f"no such file: {', '.join(missing)}")
    readings = _readings(config, folder)
    targets = [(spec, _reading(readings, spec, overlays, perspective)) for spec in specs]
    return targets, output or Path(str(config.get("output", "generated")))


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
_overlay = click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An overlay (Overlay Specification 1.0) to apply to SPEC first; repeatable, in order.",
)
_perspective = click.option(
    "--perspective",
    type=click.Choice(_PERSPECTIVES),
    help="The side SPEC describes: server (the usual reading) or client; "
    "default: told from the words of its operations.",
)


def _generated(
    targets: list[tuple[Path, Reading]], root: Path, package: str | None
) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """(spec, package folder, files) for each spec that generates; problems printed on the way."""
    from .pipeline import generate

    for spec, reading in targets:
        result = generate(spec, package, reading)
        _report(result.problems)
        if result.files is None or result.api is None:
            click.echo(f"{spec}: not generated ({len(result.problems.errors)} error(s))", err=True)
            continue
        yield spec, root / result.api.package, result.files


@main.command()
@_spec_args
@_output
@_package
@_overlay
@_perspective
def build(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    perspective: str | None,
) -> None:
    """Generate the package for each SPEC."""
    from .output import write

    targets, root = _targets(specs, output, package, overlays, perspective)
    done = 0
    for spec, folder, files in _generated(targets, root, package):
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
    sys.exit(0 if done == len(targets) else 1)


@main.command()
@_spec_args
@_output
@_package
@_overlay
@_perspective
def check(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    perspective: str | None,
) -> None:
    """Exit 1 (printing a diff) when a generated package differs from its SPEC."""
    from .output import diff

    targets, root = _targets(specs, output, package, overlays, perspective)
    fresh = 0
    for spec, folder, files in _generated(targets, root, package):
        diffs = diff(folder, files)
        for text in diffs:
            click.echo(text, nl=False)
        if diffs:
            click.echo(
                f"{folder}/ is out of date with {spec}: run `asyncgen build {spec}`", err=True
            )
        else:
            fresh += 1
    sys.exit(0 if fresh == len(targets) else 1)
