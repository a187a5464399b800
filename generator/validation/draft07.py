"""JSON Schema draft-07: the compiler with one `generate_<keyword>` method per keyword."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from .format_names import DEFERRED_BYTE, FORMAT_CHECKERS
from .keywords_any import _AnyTypeKeywords
from .keywords_arrays import _ArrayKeywords
from .keywords_objects import _ObjectKeywords
from .keywords_scalars import _ScalarKeywords


class Draft07Compiler(_AnyTypeKeywords, _ScalarKeywords, _ArrayKeywords, _ObjectKeywords):
    """JSON Schema draft-07: one `generate_<keyword>` method per keyword (applied to the
    instance types the keyword is about; callers do the type checks)."""

    FORMATS: ClassVar[Mapping[str, str]] = {
        k: v for k, v in FORMAT_CHECKERS.items() if k not in ("byte", DEFERRED_BYTE)
    }
