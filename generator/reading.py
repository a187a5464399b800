"""Reading one file's text: YAML 1.2 or JSON into a plain tree, with where each node starts.

YAML is read with ruamel.yaml (YAML 1.2: `no`/`on`/`yes` stay strings) into plain dicts and lists,
noting the line and column of every node by JSON pointer: composed from libyaml's events where
ruamel's C parser is installed (`yaml_events`), by ruamel's own reader otherwise and wherever the
text must be explained (a syntax error, say). JSON is read with the standard library;
its positions come from reading the same text as YAML, which `loading` does only when asked.
"""

from __future__ import annotations

import json
import math
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from . import yaml_events
from .diagnostics import Position, Problems, Severity

__all__ = ["Marks", "display_path", "parse_json", "parse_yaml", "pointer_join", "pointer_tokens"]

_TAG = "tag:yaml.org,2002:"
_TAGGED = {"int": "an integer", "float": "a number", "bool": "true or false", "null": "null"}
_PLAIN_TAGS = frozenset(_TAG + t for t in _TAGGED)

Marks = dict[str, tuple[int, int]]  # JSON pointer -> (line, col), both 1-based

# How many nodes aliases may add to a document, as safe YAML loaders bound it: nine levels of nine
# aliases are 300 bytes of text and 387 million nodes once expanded.
MAX_ALIAS_NODES = 100_000
# The largest number generated code may hold: the range of a double, the only range that every
# JSON reader agrees on (and 309 digits stays far below Python's int<->str conversion limit).
_MAX_NUMBER_DIGITS = 309
# How deeply mappings and sequences may nest in a file. Documents stay far below (a message
# payload's properties nested twenty deep are some fifty levels); every later stage walks the tree,
# and this bound keeps those walks well inside Python's recursion limit.
MAX_NESTING = 100
_NESTING_HINT = "flatten the structure, or name the inner schemas in components and $ref them"
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # how one is written in JSON text
_RANGE_HINT = "write the number as a string, or use a bound a double can hold"
_SURROGATE_HINT = "a \\ud800-\\udfff escape is half of a pair; write the character itself"


def out_of_range(value: object, written: str) -> str:
    """Why a number cannot be carried into generated code; '' when it can."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{written} is not a finite number"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sys.float_info.max:
        return f"an integer of {len(str(abs(value)))} digits is beyond the range of a double"
    return ""


def _lone_surrogate(text: str) -> str:
    found = _SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else ""


class _TooDeep(Exception):
    def __init__(self, mark: Any, pointer: str) -> None:
        super().__init__(pointer)
        self.mark, self.pointer = mark, pointer


def _nesting_message() -> str:
    return f"mappings and sequences nest more than {MAX_NESTING} levels deep here; it is refused"


class _TooManyAliasNodes(Exception):
    def __init__(self, node: Node, pointer: str) -> None:
        super().__init__(pointer)
        self.node, self.pointer = node, pointer


def pointer_join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def pointer_tokens(pointer: str) -> list[str]:
    """'/a~1b/0' -> ['a/b', '0']; raises ValueError for text that is not a JSON pointer."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current directory when under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1  # ruamel counts from 0


class _Builder(SafeConstructor):
    """Builds plain values from a composed YAML node graph and notes where every node starts.

    What is not a plain JSON value is decided here, while the source text is at hand: a date stays
    the text it was written as, and so does a key that is not a string.
    """

    def __init__(self, yaml: YAML, file: Path, problems: Problems) -> None:
        super().__init__(loader=yaml)  # whose resolver says which YAML version the file is
        self.where = display_path(file)
        self.problems = problems
        self.marks: Marks = {}
        self.building: set[int] = set()  # collections being built: an alias to one is a cycle
        self.built: set[int] = set()  # nodes built once: building one again expands an alias
        self.expanding = 0  # how many alias expansions the node being built is inside
        self.alias_nodes = 0  # nodes built as part of an alias expansion
        self.depth = 0  # collections the node being built is inside

    def report(
        self, severity: Severity, rule: str, node: Node, pointer: str, text: str, hint: str = ""
    ) -> None:
        where = Position(self.where, *_at(node.start_mark))
        self.problems.add(severity, rule, text, pointer=pointer, position=where, hint=hint)

    def build(self, node: Node, pointer: str) -> Any:
        again = id(node) in self.built
        self.built.add(id(node))
        self.expanding += again
        try:
            if self.expanding:
                self.alias_nodes += 1
                if self.alias_nodes > MAX_ALIAS_NODES:
                    raise _TooManyAliasNodes(node, pointer)
            return self.build_node(node, pointer)
        finally:
            self.expanding -= again

    def build_node(self, node: Node, pointer: str) -> Any:
        self.marks[pointer] = _at(node.start_mark)
        if isinstance(node, ScalarNode):
            return self.scalar(node, pointer)
        if id(node) in self.building:
            message = "an alias refers to a node that contains it"
            self.report(Severity.ERROR, "yaml-recursive-alias", node, pointer, message)
            return None
        self.building.add(id(node))
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                raise _TooDeep(node.start_mark, pointer)
            if isinstance(node, MappingNode):
                return self.mapping(node, pointer)
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        finally:
            self.depth -= 1
            self.building.discard(id(node))

    def scalar(self, node: ScalarNode, pointer: str) -> Any:
        tag, text = node.tag, node.value
        if node.style == ">":
            # The round-trip scanner marks each fold of a folded scalar (a key's too) with "\a",
            # to re-emit it; the value itself is the text without the markers.
            text = text.replace("\a", "")
        if tag == _TAG + "str":
            surrogate = _lone_surrogate(text)
            if surrogate:
                message = f"the text holds a lone surrogate {surrogate}, which is not a character"
                self.report(
                    Severity.ERROR, "lone-surrogate", node, pointer, message, _SURROGATE_HINT
                )
                return None
            return text
        if tag not in _PLAIN_TAGS:  # a date, or a tag of the author's (`!!binary`, `!include`)
            date = tag == _TAG + "timestamp"
            rule, what = ("yaml-timestamp", "a date") if date else ("yaml-tag", f"tagged {tag}")
            message = f"YAML reads {text!r} as {what}; it is kept as the text"
            self.report(Severity.WARNING, rule, node, pointer, message, f"quote it: '{text}'")
            return text
        digits = sum(c.isdigit() for c in text) if tag == _TAG + "int" else 0
        # A longer integer is out of range anyway, and Python refuses to read one of 4,300 digits.
        if digits > _MAX_NUMBER_DIGITS:
            value, why = None, f"an integer of {digits} digits is beyond the range of a double"
        else:
            try:
                value = self.construct_non_recursive_object(node)
            except (ValueError, LookupError, TypeError, ArithmeticError):  # `!!int abc`
                kind = str(tag).removeprefix(_TAG)
                message = f"{text!r} is tagged !!{kind} but is not {_TAGGED[kind]}"
                hint = f"remove the tag, or write {_TAGGED[kind]}"
                self.report(Severity.ERROR, "yaml-tag", node, pointer, message, hint)
                return None
            why = out_of_range(value, text)
        if why:
            message = f"{why}; generated code cannot hold it"
            self.report(Severity.ERROR, "number-out-of-range", node, pointer, message, _RANGE_HINT)
            return None
        return value

    def mapping(self, node: MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges = [value for key, value in node.value if key.tag == _TAG + "merge"]
        for merge in merges:  # `<<: *base` first, so that the mapping's own keys win
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in reversed(sources):  # and the first source listed wins over the next
                merged = self.build(source, pointer)
                result.update(merged if isinstance(merged, dict) else {})
        self.marks[pointer] = _at(node.start_mark)  # building the merged nodes noted theirs
        written: set[str] = set()
        for key_node, value_node in node.value:
            key = self.key(key_node, pointer)
            if key is None:
                continue
            child = pointer_join(pointer, key) if "~" in key or "/" in key else f"{pointer}/{key}"
            if key in written:
                message = f"duplicate key {key!r}; the first one is kept"
                self.report(Severity.ERROR, "duplicate-key", key_node, child, message)
                continue
            written.add(key)
            result[key] = self.build(value_node, child)
            empty = (
                isinstance(value_node, ScalarNode) and not value_node.value and not value_node.style
            )
            if empty:  # `key:` and nothing after: the key's place, not that of what comes next
                self.marks[child] = _at(key_node.start_mark)
        return result

    def key(self, node: Node, pointer: str) -> str | None:
        if not isinstance(node, ScalarNode):
            message = "a mapping key must be a string, not a list or mapping"
            self.report(Severity.ERROR, "non-string-key", node, pointer, message)
            return None
        if node.tag == _TAG + "merge":
            return None
        text: str = node.value
        if node.style == ">":  # without the fold markers, as in `scalar`
            text = text.replace("\a", "")
        surrogate = _lone_surrogate(text)
        if surrogate:
            message = f"the key holds a lone surrogate {surrogate}, which is not a character"
            where = pointer_join(pointer, text.encode("utf-8", "backslashreplace").decode())
            self.report(Severity.ERROR, "lone-surrogate", node, where, message, _SURROGATE_HINT)
            return None
        if node.tag != _TAG + "str":
            message = f"the key {text} is not a string; it is read as {text!r}"
            hint = f"quote it: '{text}'"
            self.report(
                Severity.WARNING, "non-string-key", node, pointer_join(pointer, text), message, hint
            )
        return text


def parse_yaml(text: str, file: Path, problems: Problems) -> tuple[Any, Marks] | None:
    """(tree, positions), or None after reporting why the text is not YAML."""
    yaml, where = YAML(typ="rt"), Position(display_path(file))
    try:
        node = yaml_events.compose(text, MAX_NESTING)
        if node is False:
            node = _compose(yaml, text)
        if node is None:
            return None, {}
        builder = _Builder(yaml, file, problems)
        return builder.build(node, ""), builder.marks
    except (_TooDeep, yaml_events.TooDeep) as exc:
        where = Position(where.file, *_at(exc.mark))
        pointer = exc.pointer if isinstance(exc, _TooDeep) else pointer_join("", *exc.tokens)
        problems.error(
            "nesting-too-deep",
            _nesting_message(),
            pointer=pointer,
            position=where,
            hint=_NESTING_HINT,
        )
    except _TooManyAliasNodes as exc:
        message = (
            f"expanding the aliases of this document would build more than {MAX_ALIAS_NODES} "
            "nodes; it is refused"
        )
        hint = "write the repeated part once and refer to it with $ref"
        where = Position(where.file, *_at(exc.node.start_mark))
        problems.error(
            "yaml-alias-expansion", message, pointer=exc.pointer, position=where, hint=hint
        )
    except MarkedYAMLError as exc:
        mark, message = exc.problem_mark or exc.context_mark, str(exc.problem or exc.context)
        if exc.context and exc.problem and exc.context_mark:
            message += f" ({exc.context}, at {':'.join(map(str, _at(exc.context_mark)))})"
        if mark:
            where = Position(where.file, *_at(mark))
        problems.error("yaml-syntax", message, position=where)
    except ReaderError as exc:  # a character YAML does not allow; only its offset is known
        offset = exc.position
        line, col = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        message = f"character #x{exc.character:04x}: {exc.reason}"
        problems.error("yaml-syntax", message, position=Position(where.file, line, col))
    except YAMLError as exc:
        problems.error("yaml-syntax", str(exc), position=where)
    except RecursionError:  # deeper still than the builder's bound: the composer gave up first
        mark = _deep_mark(text)
        where = Position(where.file, *_at(mark)) if mark else where
        problems.error("nesting-too-deep", _nesting_message(), position=where, hint=_NESTING_HINT)
    return None


class _ReaderFailed(YAMLError):
    """ruamel's readers stopped on text they do not handle instead of reporting a YAML error."""


def _compose(yaml: YAML, text: str) -> Any:
    """The text's root node, by ruamel's round-trip reader, or by its plain one where the
    round-trip reader fails on its own comment bookkeeping (`overlap in comment`)."""
    with warnings.catch_warnings():  # an anchor named again is YAML, not a problem to print
        warnings.simplefilter("ignore")
        try:
            return yaml.compose(text)
        except (YAMLError, RecursionError):
            raise
        except Exception:  # noqa: BLE001 - the plain reader keeps no comments to fail on
            return _compose_plain(text)


def _compose_plain(text: str) -> Any:
    try:
        return YAML(typ="safe", pure=True).compose(text)
    except (YAMLError, RecursionError):
        raise
    except Exception as exc:  # the reader's own failure, said as a syntax problem
        raise _ReaderFailed(f"the YAML reader cannot read this text: {exc}") from exc


def _deep_mark(text: str) -> Any:
    """Where the first collection more than MAX_NESTING deep starts, read from the parser's events
    (a loop, where composing the nodes recurses); None if the text does not get that far."""
    depth = 0
    try:
        for event in YAML(typ="rt").parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except Exception:  # noqa: BLE001 - a place to point at, or none: the error is reported anyway
        return None
    return None


def parse_json(text: str, file: Path, problems: Problems) -> tuple[Any, bool] | None:
    """(tree, whether an object has a duplicate key), or None after reporting why it is refused:
    a syntax error, a number generated code cannot hold, a lone surrogate."""
    duplicates, where, refused = False, Position(display_path(file)), False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(items)
        duplicates = duplicates or len(result) != len(items)
        return result

    def integer(digits: str) -> int | None:
        nonlocal refused
        if len(digits) > _MAX_NUMBER_DIGITS:  # Python refuses to read one of 4,300 digits
            refused = True
            return None
        value = int(digits)
        refused = refused or bool(out_of_range(value, digits))
        return value

    constants: list[str] = []  # NaN, Infinity, -Infinity

    def constant(name: str) -> float:
        constants.append(name)
        return float(name)

    def real(written: str) -> float:
        nonlocal refused
        value = float(written)
        refused = refused or not math.isfinite(value)
        return value

    try:
        tree = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=integer,
            parse_float=real,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        problems.error("json-syntax", exc.msg, position=Position(where.file, exc.lineno, exc.colno))
        return None
    except RecursionError:
        _locate_nesting(text, file, problems)
        return None
    if _deeper_than(tree, MAX_NESTING):
        _locate_nesting(text, file, problems)
        return None
    surrogates = bool(_SURROGATE_ESCAPE.search(text)) and _holds_surrogate(tree)
    if refused or surrogates or constants:
        _locate_refused(text, file, constants, problems)
        return None
    return tree, duplicates


def _deeper_than(tree: Any, limit: int) -> bool:
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            values = node.values() if isinstance(node, dict) else node
            stack.extend((value, depth + 1) for value in values)
    return False


def _locate_nesting(text: str, file: Path, problems: Problems) -> None:
    """Reports where a JSON text nests too deep, found by reading it again as YAML."""
    found = Problems()
    parse_yaml(text, file, found)
    located = Problems([p for p in found if p.rule == "nesting-too-deep"])
    if not located:
        where = Position(display_path(file))
        located.error("nesting-too-deep", _nesting_message(), position=where, hint=_NESTING_HINT)
    problems.extend(located)


def _holds_surrogate(tree: Any) -> bool:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and _SURROGATE.search(node):
            return True
        if isinstance(node, dict):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _locate_refused(text: str, file: Path, constants: list[str], problems: Problems) -> None:
    """Reports where a JSON text holds what is refused, found by reading it again as YAML (JSON is
    YAML 1.2, whose reader locates every node); `NaN` and `Infinity` are not JSON, so YAML reads
    them as words and they are found in the text instead."""
    found = Problems()
    parse_yaml(text, file, found)
    rules = ("number-out-of-range", "lone-surrogate")
    located = Problems([p for p in found if p.rule in rules])
    for name in dict.fromkeys(constants):
        match = re.search(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])", text)
        offset = match.start() if match else 0
        line, col = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        message = (
            f"{name} is not a finite number (nor standard JSON); generated code cannot hold it"
        )
        position = (
            Position(display_path(file), line, col) if match else Position(display_path(file))
        )
        located.error("number-out-of-range", message, position=position, hint=_RANGE_HINT)
    if not located:
        where = Position(display_path(file))
        message = "the file holds a number out of range or a lone surrogate"
        located.error("number-out-of-range", message, position=where)
    problems.extend(located)
