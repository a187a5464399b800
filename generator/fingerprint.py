"""Whether a package is already what a build would write, known without building it.

A build records what the package was made from, in the user's cache
(`$XDG_CACHE_HOME/asyncgen/records/<SHA-256 of the package folder's path>.json`, `~/.cache/...`
without `XDG_CACHE_HOME`), never in the package: what is committed must not depend on the machine
(asyncgen's and black's versions are part of the record):

- every file it read (the spec, the files its `$ref`s name, the overlays), each by its path
  relative to the package folder and the SHA-256 of the bytes read;
- `key`: one SHA-256 of everything else that decides the output: asyncgen's version, whether
  black runs and, only when it does, black's version, the built-in templates, the runtime
  modules, the template overrides (every file of the folder) and the options (spec, package
  name, perspective, sockets, overlays, root, file size cap, `--format`).

When the key computed now equals the recorded one, every listed file still hashes as recorded,
and every generated file is still as the manifest lists it, a `check` or `build` has nothing to
do. Finding that out reads only those files: this module imports nothing beyond the standard
library, so a no-op run never loads the YAML reader, the parsers, Jinja or black. Anything else
(a changed or missing file, a record that is not there or not understood) means a full run.

The key covers asyncgen's own source files too (about 0.4 MB, hashed in a few milliseconds),
so a checkout of asyncgen whose code changed without a new version number rebuilds as it must.
`ASYNCGEN_NO_CACHE=1` skips this check altogether.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .output import MANIFEST, MARKER
from .settings import Reading

_BUILT_IN = Path(__file__).resolve().parent  # the runtime modules are in runtime/ beside this


def enabled() -> bool:
    return not os.environ.get("ASYNCGEN_NO_CACHE")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add_folder(digest: hashlib._Hash, folder: Path, suffix: str) -> None:
    """Every `*suffix` file directly in `folder`, by name and content (an unreadable one counts
    as a distinct value, so it never matches a record)."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(suffix))
    except OSError as exc:
        digest.update(f"unreadable folder {exc}\0".encode())
        return
    for name in names:
        try:
            data = (folder / name).read_bytes()
        except OSError as exc:
            data = f"\0unreadable {exc}".encode()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)


def black_version() -> str:
    try:  # black's own one-line version module: black itself is not imported
        from _black_version import version  # type: ignore[import-untyped]
    except ImportError:
        from importlib import metadata

        return metadata.version("black")
    return str(version)


@functools.cache
def _tool(black: bool) -> str:
    """asyncgen's version and, when black runs, black's, the built-in templates, and asyncgen's
    source (the runtime modules among it)."""
    formatter = f"black {black_version()}" if black else "no black"
    digest = hashlib.sha256(f"asyncgen {__version__}\0{formatter}\0".encode())
    from importlib.util import find_spec

    spec = find_spec("asyncgen.templates")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        _add_folder(digest, Path(location), ".jinja")
    # asyncgen's own source: a checkout changed without a new version number still rebuilds.
    for folder in sorted({p.parent for p in _BUILT_IN.rglob("*.py")}):
        digest.update(f"{folder.relative_to(_BUILT_IN).as_posix()}\0".encode())
        _add_folder(digest, folder, ".py")
    return digest.hexdigest()


def absolute(path: Path) -> Path:
    """`path` made absolute and normal, symlinks kept (the name a file watcher reports)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()


def key(
    spec: Path,
    folder: Path,
    package: str,
    reading: Reading,
    templates: Path | None,
    black: bool = False,
) -> str:
    """The SHA-256 of what decides `folder`'s content besides the files the spec reads."""
    options = {
        "spec": _relative(spec, folder),
        "package": package,
        "perspective": reading.perspective,
        "sockets": reading.sockets,
        "overlays": [_relative(o, folder) for o in reading.overlays],
        "root": _relative(reading.root, folder) if reading.root is not None else None,
        "max_file_size": reading.max_file_size,
        "templates": _relative(templates, folder) if templates is not None else None,
        "format": black,
    }
    black_runs = black or templates is not None  # the built-in templates print black-clean code
    digest = hashlib.sha256(_tool(black_runs).encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    if templates is not None:
        _add_folder(digest, templates, ".jinja")
    return digest.hexdigest()


def record(folder: Path, inputs: Mapping[Path, bytes], built_with: str) -> dict[str, object]:
    """The record of a package built with key `built_with` from `inputs` (see `save`)."""
    files = {_relative(path, folder): _sha256(data) for path, data in inputs.items()}
    return {"key": built_with, "files": dict(sorted(files.items()))}


def _record_path(folder: Path) -> Path:
    """Where the record of `folder`'s inputs is kept: in the user's cache, not in the package,
    so that what is committed never depends on the machine (asyncgen's or black's version)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = _sha256(str(absolute(folder)).encode())
    return Path(base) / "asyncgen" / "records" / f"{name}.json"


def save(folder: Path, record: dict[str, object]) -> None:
    """Keeps the record of the package just written in `folder` (see `record`); a cache that
    cannot be written only costs the next run its shortcut."""
    if not enabled():
        return
    path = _record_path(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass


def _recorded(folder: Path) -> Any:
    return json.loads(_record_path(folder).read_text(encoding="utf-8"))


def unchanged(folder: Path, expected_key: str) -> int | None:
    """The number of files of the package in `folder` when nothing it was made from changed
    since it was built (nor the package itself); None when a full run must decide."""
    try:
        generated = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
        inputs = _recorded(folder)
        if inputs["key"] != expected_key or not inputs["files"]:
            return None
        for name, digest in inputs["files"].items():
            if _sha256((folder / name).read_bytes()) != digest:
                return None
        for name, digest in generated.items():
            path = folder / name
            if "/" in name or path.is_symlink() or _sha256(path.read_bytes()) != digest:
                return None
        for entry in os.scandir(folder):  # a module of ours the manifest does not list
            if entry.name.endswith(".py") and entry.name not in generated and _headed(entry.path):
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return len(generated)


def _headed(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MARKER)) == MARKER.encode()


def recorded_inputs(folder: Path) -> set[Path]:
    """The files the record of `folder` says the package was made from (absolute paths)."""
    try:
        listed = _recorded(folder)["files"]
        return {absolute(folder / name) for name in listed}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
