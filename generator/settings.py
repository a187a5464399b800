"""How a run reads a spec beyond what the spec says itself: the settings the command line and the
configuration decide. Kept apart from the pipeline so that deciding them imports no parser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .sources import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from .asyncapi.perspective import Perspective
    from .asyncapi.sockets import SocketMode


@dataclass(frozen=True)
class Reading:
    """How to read a document beyond what it says itself: overlays to apply first, in order,
    which side it describes (None: told from its operations' words), the folder its `$ref`s may
    read from (None: the spec's own folder), and how large each file read may be."""

    overlays: tuple[Path, ...] = ()
    perspective: Perspective | None = None
    root: Path | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    sockets: SocketMode = "auto"  # which channels share one socket (see asyncapi/sockets.py)
