"""Load stage: spec files -> plain trees, with file:line:col for every node and `$ref`s checked.

YAML is read with ruamel.yaml (YAML 1.2: `no`/`on`/`yes` stay strings) into plain dicts and lists,
noting where each node starts. JSON is read with the standard library, and its positions are worked
out only when asked for: they are needed only to report a problem, and a large JSON spec then loads
in milliseconds. References are never inlined: `Document.resolve` follows one on demand, so a
schema that refers back to itself is just data. Loading walks every tree once, loads the files
that `$ref`s name, and reports each reference that does not resolve. Nothing here knows AsyncAPI.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from .diagnostics import Position, Problems, Severity

__all__ = ["Document", "Resolved", "display_path", "load", "pointer_join", "pointer_tokens"]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_TAG + t for t in ("int", "float", "bool", "null"))
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: `C:` is a drive
_INDEX = re.compile(r"0|[1-9][0-9]*")
# Keywords whose value maps names to schemas: a property may be called "$ref" there, so a
# "$ref" directly under them whose value is a schema is not a broken reference.
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})
_LOOP = "these $refs lead to each other and never to content: "
_REMOTE = "remote references are not fetched; download the file and refer to it by a relative path"

_Marks = dict[str, tuple[int, int]]  # JSON pointer -> (line, col), both 1-based
_Holder = tuple[Path, str, dict[str, Any]]  # a node with a "$ref": (file, pointer, node)
_Via = frozenset[tuple[Path, str]]  # reference nodes a pointer is being followed through


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


@dataclass(frozen=True)
class Resolved:
    value: Any
    file: Path  # the file the target lives in (relative refs inside it resolve against it)
    pointer: str  # JSON pointer of the target inside that file ('' for the whole file)


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
        self.marks: _Marks = {}
        self.building: set[int] = set()  # collections being built: an alias to one is a cycle

    def report(
        self, severity: Severity, rule: str, node: Node, pointer: str, text: str, hint: str = ""
    ) -> None:
        where = Position(self.where, *_at(node.start_mark))
        self.problems.add(severity, rule, text, pointer=pointer, position=where, hint=hint)

    def build(self, node: Node, pointer: str) -> Any:
        self.marks[pointer] = _at(node.start_mark)
        if isinstance(node, ScalarNode):
            return self.scalar(node, pointer)
        if id(node) in self.building:
            message = "an alias refers to a node that contains it"
            self.report(Severity.ERROR, "yaml-recursive-alias", node, pointer, message)
            return None
        self.building.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self.mapping(node, pointer)
            return [self.build(item, pointer_join(pointer, i)) for i, item in enumerate(node.value)]
        finally:
            self.building.discard(id(node))

    def scalar(self, node: ScalarNode, pointer: str) -> Any:
        tag, text = node.tag, node.value
        if node.style == ">":
            # The round-trip scanner marks each fold of a folded scalar with "\a" (to re-emit it);
            # the value itself is the text without the markers.
            text = text.replace("\a", "")
        if tag == _TAG + "str":
            return text
        if tag not in _PLAIN_TAGS:  # a date, or a tag of the author's (`!!binary`, `!include`)
            date = tag == _TAG + "timestamp"
            rule, what = ("yaml-timestamp", "a date") if date else ("yaml-tag", f"tagged {tag}")
            message = f"YAML reads {text!r} as {what}; it is kept as the text"
            self.report(Severity.WARNING, rule, node, pointer, message, f"quote it: '{text}'")
            return text
        value = self.construct_non_recursive_object(node)
        if isinstance(value, float) and not math.isfinite(value):
            message = f"{text} is not a number JSON can hold"
            self.report(Severity.WARNING, "non-finite-number", node, pointer, message)
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
            child = pointer_join(pointer, key)
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
        if node.tag != _TAG + "str":
            message = f"the key {text} is not a string; it is read as {text!r}"
            hint = f"quote it: '{text}'"
            self.report(
                Severity.WARNING, "non-string-key", node, pointer_join(pointer, text), message, hint
            )
        return text


def _parse_yaml(text: str, file: Path, problems: Problems) -> tuple[Any, _Marks] | None:
    """(tree, positions), or None after reporting why the text is not YAML."""
    yaml, where = YAML(typ="rt"), Position(display_path(file))
    try:
        node = yaml.compose(text)
        if node is None:
            return None, {}
        builder = _Builder(yaml, file, problems)
        return builder.build(node, ""), builder.marks
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
    except RecursionError:
        problems.error("yaml-syntax", "nesting too deep", position=where)
    return None


def _parse_json(text: str, file: Path, problems: Problems) -> tuple[Any, bool] | None:
    """(tree, whether an object has a duplicate key), or None after reporting a syntax error."""
    duplicates, where = False, Position(display_path(file))

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(items)
        duplicates = duplicates or len(result) != len(items)
        return result

    def constant(name: str) -> float:
        problems.warning("non-finite-number", f"{name} is not standard JSON", position=where)
        return float(name)

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant), duplicates
    except json.JSONDecodeError as exc:
        problems.error("json-syntax", exc.msg, position=Position(where.file, exc.lineno, exc.colno))
    except RecursionError:
        problems.error("json-syntax", "nesting too deep", position=where)
    return None


class Document:
    """Every file a spec is made of, as plain trees, with positions and lazy `$ref` resolution."""

    def __init__(self, root_file: Path) -> None:
        self.root_file = root_file
        self.files: dict[Path, Any] = {}
        self._bytes: dict[Path, bytes] = {}  # every file read, for input_hash
        self._json: dict[Path, str] = {}  # JSON text, parsed again for positions only when asked
        self._marks: dict[Path, _Marks] = {}
        self._failed: dict[Path, str] = {}  # files that could not be read or parsed -> why
        self._ids: dict[str, tuple[Path, str]] = {}  # absolute `$id` URL -> where it stands

    @property
    def root(self) -> Any:
        return self.files.get(self.root_file)

    def tree(self, file: Path) -> Any:
        return self.files[file]

    def position(self, file: Path, pointer: str) -> Position | None:
        if file not in self._marks:
            if file not in self._json:
                return None
            parsed = _parse_yaml(self._json[file], file, Problems())  # JSON is YAML 1.2
            self._marks[file] = parsed[1] if parsed else {}
        marks = self._marks[file]
        if not marks:  # positions could not be worked out: the file is still worth naming
            return Position(display_path(file))
        return Position(display_path(file), *marks[pointer]) if pointer in marks else None

    def resolve(self, ref: str, base_file: Path) -> Resolved | None:
        chain, error = self._chain(ref, base_file)
        return None if error else chain[-1]

    def input_hash(self) -> str:
        digest = hashlib.sha256()
        named = {Path(os.path.relpath(f, self.root_file.parent)).as_posix(): f for f in self._bytes}
        for name in sorted(named):
            data = self._bytes[named[name]]
            digest.update(f"{name}\0{len(data)}\0".encode())  # so a renamed file changes it too
            digest.update(data)
        return digest.hexdigest()

    # -- loading -------------------------------------------------------------------------------

    def _load_file(self, file: Path, problems: Problems) -> None:
        try:
            data = file.read_bytes()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or exc
            self._failed[file] = f"cannot read {display_path(file)}: {why}"
            return
        self._bytes[file] = data
        strict = file.suffix.lower() == ".json"  # elsewhere `{` may start YAML in flow style
        if strict or text.lstrip()[:1] in ("{", "["):
            parsed_json = _parse_json(text, file, problems if strict else Problems())
            if parsed_json is not None:
                self.files[file], duplicates = parsed_json
                self._json[file] = text
                if duplicates:  # the standard library keeps the last silently; ours says where
                    self._report_duplicates(file, text, problems)
                return
            if strict:
                self._failed[file] = f"{display_path(file)} is not valid JSON (see the error)"
                return
        parsed_yaml = _parse_yaml(text, file, problems)
        if parsed_yaml is None:
            self._failed[file] = f"{display_path(file)} could not be parsed (see the error)"
        else:
            self.files[file], self._marks[file] = parsed_yaml

    def _report_duplicates(self, file: Path, text: str, problems: Problems) -> None:
        found = Problems()
        parsed = _parse_yaml(text, file, found)
        self._marks[file] = parsed[1] if parsed else {}
        located = [p for p in found if p.rule == "duplicate-key"]
        problems.extend(Problems(located))
        if not located:
            where = Position(display_path(file))
            problems.error("duplicate-key", "an object has a duplicate key", position=where)

    def _scan(self, file: Path) -> list[_Holder]:
        """Every node with a `$ref` in the file, in document order; notes `$id`s on the way."""
        found: list[_Holder] = []
        stack: list[tuple[str, Any, bool]] = [("", self.files[file], False)]  # .., names map?
        while stack:
            pointer, node, names = stack.pop()
            if isinstance(node, dict):
                if "$ref" in node and (isinstance(node["$ref"], str) or not names):
                    found.append((file, pointer, node))
                id_ = node.get("$id")
                if isinstance(id_, str) and _SCHEME.match(id_):
                    self._ids.setdefault(id_.rstrip("#"), (file, pointer))
                items = [(k, v, not names and k in _NAME_MAPS) for k, v in node.items()]
            elif isinstance(node, list):
                items = [(i, v, False) for i, v in enumerate(node)]
            else:
                continue
            stack.extend((pointer_join(pointer, k), v, n) for k, v, n in reversed(items))
        return found

    def _load_all(self, problems: Problems) -> list[_Holder]:
        """Loads the files that `$ref`s name, transitively; returns every `$ref` holder."""
        holders: list[_Holder] = []
        queue = [self.root_file]
        while queue:
            file = queue.pop(0)
            for holder in self._scan(file) if file in self.files else []:
                holders.append(holder)
                ref = holder[2]["$ref"]
                located = self._locate(ref, file) if isinstance(ref, str) else None
                target = located[0] if isinstance(located, tuple) else None
                if target and target not in self.files and target not in self._failed:
                    self._load_file(target, problems)
                    queue.append(target)
        return holders

    # -- references ----------------------------------------------------------------------------

    def _label(self, file: Path, pointer: str) -> str:
        name = "" if file == self.root_file else os.path.relpath(file, self.root_file.parent)
        return f"{name}#{pointer}"

    def _locate(self, ref: str, base: Path) -> tuple[Path, str] | str:
        """Where `ref` points, as (file, pointer), or why it cannot point anywhere."""
        address, _, fragment = ref.partition("#")
        pointer = unquote(fragment)
        if pointer and not pointer.startswith("/"):
            return f"'#{fragment}' is not a JSON pointer (named anchors are not supported)"
        if not address:
            return base, pointer
        if not _SCHEME.match(address):
            return Path(os.path.normpath(base.parent / unquote(address))), pointer
        if address in self._ids:
            file, at = self._ids[address]
            return file, at + pointer
        scheme = urlsplit(address).scheme.lower()
        if scheme == "file":
            return Path(url2pathname(urlsplit(address).path)), pointer
        if scheme in ("http", "https"):
            return (
                f"'{ref}' is a remote reference, and no loaded file or schema has {address} as its "
                "$id (a file is loaded only when some $ref names it by a relative path)"
            )
        return f"'{ref}': {scheme}: references are not supported"

    def _step(self, ref: str, base: Path, via: _Via) -> Resolved | str:
        """The target of `ref` itself (not followed further), or why there is none."""
        located = self._locate(ref, base)
        return located if isinstance(located, str) else self._walk(ref, *located, via)

    def _walk(self, ref: str, file: Path, pointer: str, via: _Via) -> Resolved | str:
        if file not in self.files:
            return self._failed.get(file, f"{display_path(file)} was not loaded")
        node, tokens = self.files[file], pointer_tokens(pointer)
        for i, token in enumerate(tokens):
            here = pointer_join("", *tokens[:i])
            if isinstance(node, dict) and token not in node and isinstance(node.get("$ref"), str):
                # The pointer goes on inside a node that is itself a reference (a channel kept in
                # another file, say): carry on from that reference's target.
                if (file, here) in via:
                    return f"'{ref}' runs into itself at {self._label(file, here)}"
                chain, error = self._chain(node["$ref"], file, via | {(file, here)})
                if error:
                    return f"'{ref}' does not resolve: {error}"
                rest = pointer_join(chain[-1].pointer, *tokens[i:])
                return self._walk(ref, chain[-1].file, rest, via | {(file, here)})
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and _INDEX.fullmatch(token) and int(token) < len(node):
                node = node[int(token)]
            else:
                missing = self._label(file, pointer_join(here, token))
                return f"'{ref}' does not resolve: there is nothing at {missing}"
        return Resolved(node, file, pointer)

    def _chain(self, ref: str, base: Path, via: _Via = frozenset()) -> tuple[list[Resolved], str]:
        """Follows `ref` through nodes that are only a `$ref`: (targets visited, error or '')."""
        chain: list[Resolved] = []
        while True:
            step = self._step(ref, base, via)
            if isinstance(step, str):
                return chain, step
            seen = [(r.file, r.pointer) for r in chain]
            if (step.file, step.pointer) in seen:
                loop = chain[seen.index((step.file, step.pointer)) :] + [step]
                return chain, _LOOP + " -> ".join(self._label(r.file, r.pointer) for r in loop)
            chain.append(step)
            value = step.value
            if not (
                isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), str)
            ):
                return chain, ""
            ref, base = value["$ref"], step.file

    def _check(self, file: Path, pointer: str, holder: dict[str, Any], problems: Problems) -> None:
        ref, hint = holder["$ref"], ""
        if not isinstance(ref, str):
            message = f"$ref must be a string, not {type(ref).__name__}"
        else:
            chain, message = self._chain(ref, file)
            # A broken link further down a chain is reported where it stands; a loop is reported
            # at every $ref that is part of it, as seen from there.
            spots = [(r.file, r.pointer) for r in chain]
            if chain and (file, pointer) not in spots:
                message = ""
            elif chain:
                loop = [(file, pointer), *spots[: spots.index((file, pointer)) + 1]]
                message = _LOOP + " -> ".join(self._label(*spot) for spot in loop)
            if message and urlsplit(ref).scheme.lower() in ("http", "https"):
                hint, name = _REMOTE, urlsplit(ref).path.rpartition("/")[2]
                if name and (file.parent / name).is_file():
                    hint += f"; if it is the {name} next to this file, write $ref: '{name}'"
        if message:
            where = self.position(file, pointer_join(pointer, "$ref"))
            where = where or Position(display_path(file))
            problems.error("unresolved-ref", message, pointer=pointer, position=where, hint=hint)


def load(path: str | os.PathLike[str], problems: Problems) -> Document | None:
    """Reads the spec at `path` and every file its `$ref`s name, reporting problems on the way.

    Returns None only when the root file cannot be read or parsed, or holds nothing.
    """
    root_file = Path(os.path.normpath(os.path.abspath(path)))
    document, where = Document(root_file), Position(display_path(root_file))
    document._load_file(root_file, problems)
    if root_file in document._failed:
        if root_file not in document._bytes:  # else the syntax error is reported already
            problems.error("file-unreadable", document._failed[root_file], position=where)
        return None
    if document.root is None:
        problems.error("empty-document", f"{where.file} holds no document", position=where)
        return None
    if not isinstance(document.root, dict):
        message = f"the document must be a mapping, not a {type(document.root).__name__}"
        problems.error("root-not-mapping", message, position=document.position(root_file, ""))
    for file, pointer, holder in document._load_all(problems):
        document._check(file, pointer, holder, problems)
    return document
