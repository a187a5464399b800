"""The `asyncgen` command: build and check.

Exit codes: 0 success; 1 the spec has errors (or `check` found the package out of date);
2 the command line itself is wrong. Problems are printed as `file:line:col: severity: message`.
Without SPEC arguments the specs and output folder come from `[tool.asyncgen]` in the nearest
`pyproject.toml` (`specs = [...]`, `output = "generated"`). How to read one spec (its overlays, the
side it describes, which channels share a socket) can be set per spec in `[tool.asyncgen.per-spec."<spec path>"]`, paths relative
to the pyproject.toml; `--overlay` and `--perspective` replace those settings for the run.
`root` (the folder `$ref`s may read from, relative to the pyproject.toml) and `max-file-size`
(bytes, or with K/M/G) bound what a spec may read; `--root` and `--max-file-size` replace them.
`templates` (a folder of template overrides) is replaced by `--templates`. The commands' work is
in `building.py` (build, check, the no-op check) and `watch.py`.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import console, help_text
from .naming import package_name_problem
from .sources import DEFAULT_MAX_FILE_SIZE, parse_size

if TYPE_CHECKING:
    from .building import Run
    from .settings import Reading

_PERSPECTIVES = ("server", "client")
_Command = TypeVar("_Command", bound=Callable[..., None])
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
    from .settings import Reading

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
    from .settings import Reading

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


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(console.versions())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=help_text.MAIN)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the versions of asyncgen and black, and exit.",
)
def main() -> None:
    """Generate typed Python packages (models, validators, WebSocket client and server)
    from AsyncAPI documents."""
    # A build makes many small objects that live until it ends, and few cycles: the collector's
    # default thresholds scan the growing heap so often that big documents cost more than in
    # proportion (nearly a fifth of the time at 4,000 messages). Collected less often, cycles
    # wait longer.
    gc.set_threshold(100_000, 50, 1000)


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
_quiet = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
_verbose = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print more: every file written (build), every package compared (check), the "
    "package's name (validate).",
)
_templates = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder of template overrides: DIR/<module>.py.jinja replaces the built-in template "
    "(docs/templates.md).",
)
_perspective = click.option(
    "--perspective",
    type=click.Choice(_PERSPECTIVES),
    help="The side SPEC describes: server (the usual reading) or client; "
    "default: told from the words of its operations.",
)


_project = click.option(
    "--project",
    is_flag=True,
    default=None,
    help="Wrap each package in an installable project: OUTPUT/<package>/pyproject.toml and the "
    "package in OUTPUT/<package>/src/<package>/ (default: `project` of [tool.asyncgen], false).",
)


_format = click.option(
    "--format",
    "run_black",
    is_flag=True,
    default=None,
    help="Run black over every generated module (the built-in templates print black-clean code "
    "without it; template overrides are always formatted; default: `format` of "
    "[tool.asyncgen], false).",
)


def _black(run_black: bool | None) -> bool:
    """`--format`, else `format = true|false` in [tool.asyncgen]."""
    if run_black is not None:
        return run_black
    configured = _config()[0].get("format", False)
    if not isinstance(configured, bool):
        raise click.UsageError("[tool.asyncgen] format must be true or false")
    return configured


def _wrapped(project: bool | None) -> bool:
    """`--project`, else `project = true|false` in [tool.asyncgen]."""
    if project is not None:
        return project
    configured = _config()[0].get("project", False)
    if not isinstance(configured, bool):
        raise click.UsageError("[tool.asyncgen] project must be true or false")
    return configured


_force = click.option(
    "--force",
    is_flag=True,
    help="Replace generated files edited by hand, and files of the same names asyncgen did not "
    "write, instead of refusing.",
)
# What `build`, `check` and `watch` take, in the order `--help` lists them.
_WRITING = (_spec_args, _output, _package, _overlay, _perspective, _root, _max_file_size, _templates)
_BUILDING = (*_WRITING, _quiet, _verbose, _project, _format)


def _options(*decorators: Callable[[_Command], _Command]) -> Callable[[_Command], _Command]:
    """The options, listed first to last, applied to a command."""

    def apply(command: _Command) -> _Command:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def _generation(
    specs: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    perspective: str | None,
    root: Path | None,
    max_file_size: str | None,
    templates: Path | None,
    run_black: bool | None,
    quiet: bool = False,
    verbose: bool = False,
    project: bool | None = False,
) -> Run:
    """What `build`, `check` and `watch` are asked to do, from their options (`_BUILDING`, or
    `_WRITING` and `--format`) and the configuration."""
    from .building import Run

    targets, out = _targets(specs, output, package, overlays, perspective, root, max_file_size)
    if templates is None:
        config, folder = _config()
        if "templates" in config:
            if not isinstance(config["templates"], str):
                raise click.UsageError("[tool.asyncgen] templates must be a folder path")
            templates = folder / config["templates"]
            if not templates.is_dir():
                raise click.UsageError(f"the templates folder {templates} is not a folder")
    project, black = _wrapped(project), _black(run_black)
    return Run(
        targets, out, package, templates, quiet=quiet, verbose=verbose, project=project, black=black
    )


@main.command(epilog=help_text.BUILD)
@_options(*_BUILDING, _force)
def build(force: bool, **options: Any) -> None:
    """Generate the package for each SPEC."""
    from .building import build as build_all

    run = dataclasses.replace(_generation(**options), force=force)
    sys.exit(0 if build_all(run).done == len(run.targets) else 1)


@main.command(epilog=help_text.CHECK)
@_options(*_BUILDING)
def check(**options: Any) -> None:
    """Exit 1 (printing a diff) when a generated package differs from its SPEC."""
    from .building import check as check_all

    run = _generation(**options)
    sys.exit(0 if check_all(run).done == len(run.targets) else 1)


@main.command(epilog=help_text.VALIDATE)
@_spec_args
@_overlay
@_perspective
@_root
@_max_file_size
@_quiet
@_verbose
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def validate(
    specs: tuple[Path, ...],
    overlays: tuple[Path, ...],
    perspective: str | None,
    root: Path | None,
    max_file_size: str | None,
    quiet: bool,
    verbose: bool,
    strict: bool,
) -> None:
    """Print the diagnostics of each SPEC; write nothing."""
    from .pipeline import generate

    targets, _ = _targets(specs, None, None, overlays, perspective, root, max_file_size)
    failed = 0
    for spec, reading in targets:
        result = generate(spec, None, reading)
        console.report(result.problems, quiet)
        bad = result.problems.has_errors or (strict and console.warnings(result.problems) > 0)
        failed += bad
        if not quiet or bad:
            files = [console.counted(len(result.files), "file")] if result.files is not None else []
            if verbose and result.api is not None:
                files.append(f"package {result.api.package}")
            console.echo(console.summary(str(spec), result.problems, *files))
    sys.exit(1 if failed else 0)


@main.command(epilog=help_text.WATCH)
@_options(*_WRITING, _format, click.option("--force", is_flag=True, help="As for build."))
def watch(force: bool, **options: Any) -> None:
    """Build, then build again whenever a spec, a file it refers to, an overlay, the pyproject.toml
    or a template override changes; stop with Ctrl-C."""
    from .watch import watch as watch_all

    def run() -> Run:
        return dataclasses.replace(_generation(**options), force=force)

    config = _config()[1] / "pyproject.toml"
    sys.exit(watch_all(run, [config] if config.is_file() else []))
