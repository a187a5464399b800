"""Problems found in a document, as values.

Every stage reports what it finds as a `Problem` added to a `Problems` collection instead of
raising from deep inside; the CLI prints them all together and decides the exit code. An error
means nothing is written; a warning means the output was generated with something left out or
reinterpreted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # a decision worth knowing (how channels map to sockets), not a problem


@dataclass(frozen=True, order=True)
class Position:
    """Where a node starts in a source file: 1-based line and column."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    rule: str
    pointer: str
    position: Position | None
    message: str
    hint: str = ""

    def format(self) -> str:
        where = str(self.position) if self.position else "<document>"
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.pointer:
            text += f" [{self.rule} at #{self.pointer}]"
        else:
            text += f" [{self.rule}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class Problems:
    """An ordered collection of problems; stages append, the CLI prints."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        rule: str,
        message: str,
        *,
        pointer: str = "",
        position: Position | None = None,
        hint: str = "",
    ) -> None:
        problem = Problem(severity, rule, pointer, position, message, hint)
        if problem not in self.items:
            self.items.append(problem)

    def error(
        self,
        rule: str,
        message: str,
        *,
        pointer: str = "",
        position: Position | None = None,
        hint: str = "",
    ) -> None:
        self.add(Severity.ERROR, rule, message, pointer=pointer, position=position, hint=hint)

    def warning(
        self,
        rule: str,
        message: str,
        *,
        pointer: str = "",
        position: Position | None = None,
        hint: str = "",
    ) -> None:
        self.add(Severity.WARNING, rule, message, pointer=pointer, position=position, hint=hint)

    def note(
        self,
        rule: str,
        message: str,
        *,
        pointer: str = "",
        position: Position | None = None,
        hint: str = "",
    ) -> None:
        self.add(Severity.NOTE, rule, message, pointer=pointer, position=position, hint=hint)

    def extend(self, other: Problems) -> None:
        for item in other.items:
            if item not in self.items:
                self.items.append(item)

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def format(self) -> str:
        return "\n".join(p.format() for p in self.items)
