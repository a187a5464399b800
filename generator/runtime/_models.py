"""What the generated models share: the absent-property marker, union helpers' checks, wire
forms of values typed only at run time, and `format: byte` fields decoded on first read.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Final, Literal, Self

from ._errors import ValidationError
from ._wire import b64decode, b64encode


class Unset:
    """The type of `UNSET`: an optional property absent from the wire, where null is one of
    its values (so None cannot stand for absence). Such a field is left out of `to_dict`.
    There is one instance: copies and pickles of `UNSET` are `UNSET`.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: Any) -> Self:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


# A property absent from the wire (distinct from null). Typed `Any` so that generated code can
# store it anywhere; `isinstance(value, Unset)` is what narrows a field's type.
UNSET: Final[Any] = Unset()


def is_valid(check: Callable[[Any], None], value: Any) -> bool:
    """Whether the validator `check` accepts `value`."""
    try:
        check(value)
    except ValidationError:
        return False
    return True


def to_wire(value: Any) -> Any:
    """Wire form of a value whose type is only known at run time (union members)."""
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (bytes, bytearray)):
        return b64encode(bytes(value))
    if isinstance(value, list):
        return [to_wire(x) for x in value]
    if isinstance(value, dict):
        return {k: to_wire(x) for k, x in value.items()}
    return value


class LazyBase64:
    """Replaces a slot of a `format: byte` field: base64 text is decoded on first read (and a
    `ValidationError` naming the field raised there if it is not base64)."""

    __slots__ = ("path", "slot")

    def __init__(self, slot: Any, path: str) -> None:
        self.slot = slot
        self.path = path

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        raw = self.slot.__get__(obj, owner)
        if type(raw) is str:
            raw = b64decode(raw, self.path)
            self.slot.__set__(obj, raw)
        return raw

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)


def lazy_base64(cls: type[Any], name: str, wire_name: str) -> Any:
    """Put a `LazyBase64` in place of the slot `name` of `cls`; return the slot itself, which
    reads and writes the stored value (text or bytes) without decoding."""
    slot = cls.__dict__[name]
    pointer = "/" + wire_name.replace("~", "~0").replace("/", "~1")
    setattr(cls, name, LazyBase64(slot, pointer))
    return slot


def wire_bytes(raw: Any) -> Any:
    """What a `format: byte` slot holds, as wire text (undecoded text passes through)."""
    if type(raw) is str or raw is None:
        return raw
    return b64encode(raw)
