"""hypothesis-jsonschema adapted to the installed Hypothesis; importing this module applies it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import hypothesis_jsonschema._from_schema
from hypothesis.internal.conjecture import utils as conjecture_utils


def adapt_hypothesis_jsonschema() -> None:
    """hypothesis-jsonschema 0.23 drives Hypothesis' private `many()` with its old
    `more()`/`reject()` protocol; newer Hypothesis spells it `with many(...) as e: for _ in e`.
    Give it the old protocol on top of the new one (objects cannot be generated otherwise)."""
    if hasattr(conjecture_utils.many, "more"):
        return

    class OldMany:
        def __init__(self, data: Any, **sizes: Any) -> None:
            self._many = conjecture_utils.many(data, **sizes)
            self._many.__enter__()
            self._steps = iter(self._many)

        def more(self) -> bool:
            try:
                next(self._steps)
            except StopIteration:
                self._many.__exit__(None, None, None)
                return False
            return True

        def reject(self) -> None:
            self._many.reject()

    hypothesis_jsonschema._from_schema.cu = SimpleNamespace(many=OldMany)  # type: ignore[attr-defined]


adapt_hypothesis_jsonschema()
