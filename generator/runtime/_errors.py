"""Validation errors: what every validator, model parser, client and server raises."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ValidationErrorItem:
    """One failed check: where in the instance, which schema keyword, and why."""

    path: str
    schema_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message}"


class ValidationError(ValueError):
    """The instance is invalid; `errors` holds the first failure, or all with `all_errors`."""

    def __init__(self, errors: list[ValidationErrorItem]) -> None:
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        shown = "\n".join(f"  {e}" for e in self.errors[:20])
        more = (
            f"\n  ... and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
        )
        return f"{len(self.errors)} validation errors:\n{shown}{more}"


def as_validation_error(exc: Exception) -> ValidationError:
    """`exc` as a `ValidationError` (a decoder's own exception becomes one, with its repr)."""
    if isinstance(exc, ValidationError):
        return exc
    item = ValidationErrorItem(
        path="", schema_path="", message=f"cannot decode the frame: {exc!r}"
    )
    return ValidationError([item])
