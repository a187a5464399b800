"""black, and the cache that makes a rebuild of unchanged text free.

Formatting is most of a cold build's time, and a rebuild of an unchanged spec (every `check`,
every pre-commit run) formats the very same text again. So each result is remembered by the
SHA-256 of its input: in memory for the process, and on disk in
`$XDG_CACHE_HOME/asyncgen/black-<black version>/<sha256>` (`~/.cache/...` without
`XDG_CACHE_HOME`), one file per formatted text, written atomically. The folder is keyed by
black's version, so upgrading black never reuses an older result; deleting it is always safe.
Set `ASYNCGEN_NO_CACHE=1` to neither read nor write it.
"""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import metadata
from pathlib import Path

import black
from black.mode import TargetVersion

_MODE = black.Mode(target_versions={TargetVersion.PY311})
_formatted: dict[str, str] = {}


@functools.cache
def _black_version() -> str:
    return metadata.version("black")


def _cache_dir() -> Path | None:
    if os.environ.get("ASYNCGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "asyncgen" / f"black-{_black_version()}"


def format_python(source: str) -> str:
    """`source` as black formats it for Python 3.11, remembered by content (see above)."""
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    if key in _formatted:
        return _formatted[key]
    folder = _cache_dir()
    cached = folder / key if folder else None
    try:
        if cached is not None and cached.is_file():
            _formatted[key] = cached.read_text(encoding="utf-8")
            return _formatted[key]
    except OSError:
        pass
    result = black.format_str(source, mode=_MODE)
    _formatted[key] = result
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temp = cached.with_name(f".{key}.{os.getpid()}.tmp")
            temp.write_text(result, encoding="utf-8")
            os.replace(temp, cached)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return result
