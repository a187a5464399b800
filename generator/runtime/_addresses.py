"""Channel addresses of the broker clients: a topic, routing key or subject with `{param}`s.

A parameter takes whole levels: `fill` refuses values that would add or widen a level,
`pattern` puts the one-level wildcard where a parameter is left open, and `match` reads the
parameters back from a received topic. Standard library only; `_broker.py` re-exports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Address:
    """A channel address with `{param}` placeholders, each taking whole levels.

    `reserved` lists the characters a parameter value may not hold besides the separator and
    the one-level wildcard (multi-level wildcards, and what the protocol cannot carry).
    """

    template: str
    separator: str
    one_level: str
    reserved: str = "#\0"

    @cached_property
    def _levels(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple(
            (level, tuple(_PLACEHOLDER.findall(level)))
            for level in self.template.split(self.separator)
        )

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        parts: list[str] = []
        groups = 0
        for level, names in self._levels:
            if not names:
                parts.append(re.escape(level))
                continue
            pieces = _PLACEHOLDER.split(level)
            regex = ""
            for index, piece in enumerate(pieces):
                if index % 2:
                    sep = re.escape(self.separator)
                    regex += f"(?P<g{groups}>[^{sep}]+)"
                    groups += 1
                else:
                    regex += re.escape(piece)
            parts.append(regex)
        return re.compile(re.escape(self.separator).join(parts), re.DOTALL)

    def names(self) -> tuple[str, ...]:
        """The parameters' names, in template order, each once."""
        seen: dict[str, None] = {}
        for _level, names in self._levels:
            seen.update(dict.fromkeys(names))
        return tuple(seen)

    def _checked(self, name: str, value: str) -> str:
        if not isinstance(value, str):
            value = str(value)
        if not value:
            raise ValueError(f"parameter {name!r} is empty")
        bad = [c for c in self.separator + self.one_level + self.reserved if c in value]
        if bad:
            raise ValueError(
                f"parameter {name!r} holds {bad[0]!r}, which a {self.separator!r}-separated"
                " address cannot carry in one level"
            )
        return value

    def _fill_level(self, level: str, values: Mapping[str, str | None]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            value = values.get(name)
            if value is None:
                raise ValueError(f"parameter {name!r} has no value")
            return self._checked(name, value)

        return _PLACEHOLDER.sub(replace, level)

    def fill(self, values: Mapping[str, str]) -> str:
        """The address with every parameter's value in place (checked: one level each)."""
        return self.separator.join(
            self._fill_level(level, values) if names else level
            for level, names in self._levels
        )

    def pattern(self, fixed: Mapping[str, str | None]) -> str:
        """A subscription filter: levels with a parameter left None are wildcards."""
        levels = []
        for level, names in self._levels:
            if names and any(fixed.get(name) is None for name in names):
                levels.append(self.one_level)
            elif names:
                levels.append(self._fill_level(level, fixed))
            else:
                levels.append(level)
        return self.separator.join(levels)

    def match(self, topic: str) -> dict[str, str] | None:
        """The parameters' values read back from a received topic, None if it does not fit."""
        found = self._regex.fullmatch(topic)
        if found is None:
            return None
        values: dict[str, str] = {}
        groups = found.groups()
        index = 0
        for _level, names in self._levels:
            for name in names:
                value = groups[index]
                index += 1
                if values.setdefault(name, value) != value:
                    return None
        return values


def mqtt_address(template: str) -> Address:
    """An MQTT topic template: `/` between levels, `+` for one level."""
    return Address(template, "/", "+", "#\0")


def dotted_address(template: str) -> Address:
    """An AMQP routing key or NATS subject template: `.` between levels, `*` for one."""
    return Address(template, ".", "*", "#>\0 \t\r\n")
