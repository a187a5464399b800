"""The `asyncgen` command: build and check.

Exit codes: 0 success; 1 the spec has errors (or `check` found the package out of date);
2 the command line itself is wrong. Problems are printed as `file:line:col: severity: message`.
Without SPEC arguments the specs and output folder come from `[tool.asyncgen]` in the nearest
`pyproject.toml` (`specs = [...]`, `output = "generated"`). How to read one spec (its overlays, the
side it describes, which channels share a socket) can be set per spec in `[tool.asyncgen.per-spec."<spec path>"]`, paths relative
to the pyproject.toml; `--overlay` and `--perspective` replace those settings for the run.
`root` (the folder `$ref`s may read from, relative to the pyproject.toml) and `max-file-size`
(bytes, or with K/M/G) bound what a spec may read; `--root` and `--max-file-size` replace them.
"""

from __future__ import annotations

import dataclasses
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .diagnostics import Problems
from .naming import package_name_problem
from .sources import DEFAULT_MAX_FILE_SIZE, parse_size

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
        readings[(folder / spec).resolve()] = Reading(paths, side, sockets=sockets)
    return readings


def _reading(
    readings: dict[Path, Reading], spec: Path, overlays: tuple[Path, ...], perspective: str | None
) -> Reading:
    from .pipeline import Reading

    configured = readings.get(spec.resolve(), Reading())
    return Reading(
        overlays or configured.overlays,
        perspective or configured.perspective,  # type: ignore[arg-type]
        sockets=configured.sockets,
    )


def _limits(
    config: dict[str, object], folder: Path, root: Path | None, max_file_size: str | None
) -> tuple[Path | None, int]:
    """The root folder and the file size cap: the command line's, else the configuration's."""
    if root is None and "root" in config:
        if not isinstance(config["root"], str):
            raise click.UsageError("[tool.asyncgen] root must be a folder path")
        root = folder / config["root"]
    if root is not None and not root.is_dir():
        raise click.UsageError(f"the root folder {root} is not a folder")
    size: object = max_file_size or config.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    try:
        cap = parse_size(size)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise click.UsageError(f"max file size: {exc}") from None
    return (root.resolve() if root is not None else None), cap


def _targets(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...] = (),
    perspective: str | None = None,
    root: Path | None = None,
    max_file_size: str | None = None,
) -> tuple[list[tuple[Path, Reading]], Path]:
    config, folder = _config()
    if package is not None:
        why = package_name_problem(package)
        if why:
            raise click.BadParameter(why, param_hint="--package")
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
    limit_root, cap = _limits(config, folder, root, max_file_size)
    targets = [
        (
            spec,
            dataclasses.replace(
                _reading(readings, spec, overlays, perspective), root=limit_root, max_file_size=cap
            ),
        )
        for spec in specs
    ]
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
_root = click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The folder `$ref`s may read files from (default: each SPEC's folder).",
)
_max_file_size = click.option(
    "--max-file-size",
    metavar="SIZE",
    help="The largest file a spec may read, in bytes or with K/M/G (default: 16M).",
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
@_root
@_max_file_size
@click.option(
    "--force",
    is_flag=True,
    help="Replace generated files edited by hand, and files of the same names asyncgen did not "
    "write, instead of refusing.",
)
def build(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    perspective: str | None,
    root: Path | None,
    max_file_size: str | None,
    force: bool,
) -> None:
    """Generate the package for each SPEC."""
    from .output import OwnershipError, write

    targets, out = _targets(
        specs, output, package, overlays, perspective, root, max_file_size
    )
    done = 0
    for spec, folder, files in _generated(targets, out, package):
        try:
            changes = write(folder, files, force)
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
        done += 1
    sys.exit(0 if done == len(targets) else 1)


@main.command()
@_spec_args
@_output
@_package
@_overlay
@_perspective
@_root
@_max_file_size
def check(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    perspective: str | None,
    root: Path | None,
    max_file_size: str | None,
) -> None:
    """Exit 1 (printing a diff) when a generated package differs from its SPEC."""
    from .output import diff

    targets, out = _targets(
        specs, output, package, overlays, perspective, root, max_file_size
    )
    fresh = 0
    for spec, folder, files in _generated(targets, out, package):
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
