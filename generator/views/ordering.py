"""The order names are listed in: imports as isort sorts them, `__all__` as ruff sorts it."""

from __future__ import annotations

import re


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def import_order(name: str) -> tuple[object, ...]:
    """isort's order inside `from x import (...)`: CONSTANTS, Classes, functions; no case, but
    names equal but for case in case-sensitive order (`IDFrame` before `IdFrame`)."""
    rank = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return rank, _natural(name.lower()), _natural(name)


def all_order(name: str) -> tuple[object, ...]:
    """ruff's order for `__all__`: the same groups, case-sensitive inside them."""
    rank = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return rank, _natural(name)
