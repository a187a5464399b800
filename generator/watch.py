"""`asyncgen watch`: build, then build again whenever something a package is made from changes.

The files watched are the ones the last builds read (each spec, the files its `$ref`s name, its
overlays), the `pyproject.toml` the configuration comes from and every `*.jinja` file of the
template overrides folder; their folders are watched (not recursively, so a save by rename is
seen too) with `watchfiles`. Changes are taken together until none came for a moment, then
printed, and every spec is built again (the ones whose inputs did not change are no-ops, see
`fingerprint.py`), the command line and configuration read afresh. A spec with errors is
reported and the watch goes on; files it read before stay watched. Ctrl-C stops it (exit 0).
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from .building import Run, build
from .fingerprint import absolute

_STEP_MS = 100  # changes are taken together until none came for this long
_DEBOUNCE_MS = 1000  # ... or for at most this long


class _Watched:
    """The files whose change means a rebuild, and the folder of template overrides."""

    def __init__(self, config: Iterable[Path]) -> None:
        self.files = {absolute(p) for p in config}
        self.templates: Path | None = None

    def folders(self) -> list[Path]:
        found = {f.parent for f in self.files} | ({self.templates} if self.templates else set())
        return sorted(f for f in found if f.is_dir())

    def matters(self, path: str) -> bool:
        where = absolute(Path(path))
        return where in self.files or (where.parent == self.templates and path.endswith(".jinja"))


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def _rebuild(resolve: Callable[[], Run], watched: _Watched) -> None:
    _build(resolve, watched)
    click.echo(f"watching {len(watched.files)} file(s); Ctrl-C to stop", err=True)


def _build(resolve: Callable[[], Run], watched: _Watched) -> None:
    try:
        run = resolve()
        watched.templates = absolute(run.templates) if run.templates is not None else None
        outcome = build(run)
    except click.ClickException as exc:  # the command line or the configuration is wrong now
        exc.show()
        return
    except Exception:  # noqa: BLE001 - a failure of asyncgen itself: reported, and the watch goes on
        click.echo(traceback.format_exc(), err=True, nl=False)
        return
    watched.files |= outcome.inputs


def watch(
    resolve: Callable[[], Run], config: Iterable[Path], stop: threading.Event | None = None
) -> int:
    """Builds what `resolve()` says (read again on every change) until Ctrl-C or `stop`."""
    import watchfiles

    watched = _Watched(config)
    try:
        _rebuild(resolve, watched)
        while stop is None or not stop.is_set():
            folders = watched.folders()
            for changes in watchfiles.watch(
                *folders,
                watch_filter=lambda _change, path: watched.matters(path),
                recursive=False,
                debounce=_DEBOUNCE_MS,
                step=_STEP_MS,
                stop_event=stop,
                raise_interrupt=True,
            ):
                for path in sorted({_shown(absolute(Path(p))) for _, p in changes}):
                    click.echo(f"changed: {path}", err=True)
                _rebuild(resolve, watched)
                if watched.folders() != folders:
                    break  # watch the new set of folders
            else:
                break  # stopped
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    return 0
