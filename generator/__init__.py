"""asyncgen: typed Python packages from AsyncAPI documents."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["ValidationError", "__version__", "compile_validator"]


def __getattr__(name: str) -> Any:
    # The validator compiler is imported on first use so that `asyncgen --help` stays quick.
    if name in ("compile_validator", "ValidationError"):
        from . import validation

        return getattr(validation, name)
    raise AttributeError(name)
