"""Opening the files a spec is made of, which their authors, not the user, chose.

A spec runs through the generator in CI and in pre-commit hooks, so what its `$ref`s name must not
reach beyond what the user handed over. A file is read only when it is a regular file (checked
with `os.stat` before it is opened, so a FIFO or a device is never opened; the type is checked
again on the open descriptor), no larger than the size cap (at most cap + 1 bytes are ever read,
so a file that grows while it is read cannot exhaust memory), and, when a `$ref` names it, inside
the root folder once symlinks are resolved.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_MAX_FILE_SIZE", "Refusal", "outside_root", "parse_size", "read_capped"]

DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024  # 16 MiB: ten times the largest spec of the corpus
_CHUNK = 1024 * 1024
_UNITS = {"": 1, "k": 1024, "kib": 1024, "m": 1024**2, "mib": 1024**2, "g": 1024**3, "gib": 1024**3}
_SIZE = re.compile(r"\s*([0-9]+)\s*([A-Za-z]*)\s*")
_SIZE_HINT = "raise the limit with --max-file-size or `max-file-size` in [tool.asyncgen]"
_ROOT_HINT = (
    "a $ref may name only files inside the root folder (the spec's folder unless set): "
    "copy the file in, or widen the root with --root or `root` in [tool.asyncgen]"
)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class Refusal:
    """Why a file is not read: the rule broken, a message naming the file, how to proceed."""

    rule: str
    message: str
    hint: str = ""


def parse_size(text: str | int) -> int:
    """`16777216`, `16M`, `16MiB`, `512k` -> bytes; raises ValueError for anything else."""
    if isinstance(text, int) and not isinstance(text, bool):
        size = text
    else:
        found = _SIZE.fullmatch(str(text))
        unit = found.group(2).lower() if found else None
        if found is None or unit not in _UNITS:
            raise ValueError(f"{text!r} is not a size (bytes, or a number with K, M or G)")
        size = int(found.group(1)) * _UNITS[unit]
    if size <= 0:
        raise ValueError(f"{text!r}: the size must be positive")
    return size


def outside_root(file: Path, root: Path) -> Refusal | None:
    """A refusal when `file`, symlinks resolved, is not inside the folder `root`."""
    real, real_root = Path(os.path.realpath(file)), Path(os.path.realpath(root))
    if real == real_root or real_root in real.parents:
        return None
    from .reading import display_path  # here: the YAML reader is not needed to parse a size

    via = f" (a symlink to {display_path(real)})" if real != Path(os.path.abspath(file)) else ""
    message = f"{display_path(file)}{via} is outside the root folder {display_path(real_root)}"
    return Refusal("ref-outside-root", message, _ROOT_HINT)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_capped(file: Path, max_size: int) -> bytes | Refusal:
    """The bytes of a regular file no larger than `max_size`, or why it is not read."""
    from .reading import display_path

    shown = display_path(file)
    try:
        info = os.stat(file)
    except OSError as exc:
        return Refusal("file-unreadable", f"cannot read {shown}: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Refusal("ref-not-a-file", f"{shown} is {_kind(info.st_mode)}, not a regular file")
    too_large = Refusal("file-too-large", f"{shown} is larger than {max_size} bytes", _SIZE_HINT)
    if info.st_size > max_size:
        return too_large
    try:
        # O_NONBLOCK: should the path become a FIFO between the stat and the open, the open
        # returns at once instead of waiting for a writer; the descriptor is checked again.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(file, flags)
    except OSError as exc:
        return Refusal("file-unreadable", f"cannot read {shown}: {exc.strerror or exc}")
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return Refusal("ref-not-a-file", f"{shown} is not a regular file")
        chunks, left = [], max_size + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return Refusal("file-unreadable", f"cannot read {shown}: {exc.strerror or exc}")
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    return too_large if len(data) > max_size else data
