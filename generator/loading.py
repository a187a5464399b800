"""Load stage: spec files -> plain trees, with file:line:col for every node and `$ref`s checked.

YAML is read with ruamel.yaml (YAML 1.2: `no`/`on`/`yes` stay strings) into plain dicts and lists,
recording where each node starts; JSON is read with the standard library, and its positions are
worked out only when asked for, since they are only needed to report a problem. References are
never inlined: `Document.resolve` follows one on demand, so a schema that refers back to itself is
just data. The load step walks every tree once, loads the files that `$ref`s name, and reports
every reference that does not resolve; nothing here knows about AsyncAPI versions.
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

from .diagnostics import Position, Problems

__all__ = ["Document", "Resolved", "display_path", "load", "pointer_join", "pointer_tokens"]

_TAG = "tag:yaml.org,2002:"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: `C:` is a drive
_INDEX = re.compile(r"0|[1-9][0-9]*")
# Keywords whose value maps names to schemas: a property may be called "$ref" there, so a
# non-string "$ref" directly under them is a schema, not a broken reference.
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})
_LOOP = "these $refs lead to each other and never to content: "
_REMOTE_HINT = (
    "remote references are not fetched; download the file and refer to it by a relative path"
)


def pointer_join(pointer: str, *tokens: str | int) -> str:
    escaped = (str(t).replace("~", "~0").replace("/", "~1") for t in tokens)
    return pointer + "".join("/" + t for t in escaped)


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


_Marks = dict[str, tuple[int, int]]  # JSON pointer -> (line, col), 1-based


class _Builder(SafeConstructor):
    """Builds plain values from a composed YAML node graph and notes where every node starts.

    Scalars that are not plain JSON values are decided here, while their source text is at hand:
    a date or timestamp stays the text it was written as, a non-string key becomes its text.
    """

    def __init__(self, yaml: YAML, file: Path, problems: Problems) -> None:
        super().__init__(loader=yaml)  # the loader's resolver says which YAML version applies
        self.where = display_path(file)
        self.problems = problems
        self.marks: _Marks = {}
        self.building: set[int] = set()  # collections being built: an alias to one is a cycle

    def report(
        self, error: bool, rule: str, message: str, node: Node, pointer: str, hint: str = ""
    ) -> None:
        where = Position(self.where, node.start_mark.line + 1, node.start_mark.column + 1)
        add = self.problems.error if error else self.problems.warning
        add(rule, message, pointer=pointer, position=where, hint=hint)

    def build(self, node: Node, pointer: str) -> Any:
        self.marks[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node, pointer)
        if id(node) in self.building:
            self.report(
                True,
                "yaml-recursive-alias",
                "an alias refers to a node that contains it",
                node,
                pointer,
            )
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
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "timestamp":
            self.report(
                False,
                "yaml-timestamp",
                f"YAML reads {text} as a date; it is kept as the text {text!r}",
                node,
                pointer,
                f"quote it: '{text}'",
            )
            return text
        if tag not in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
            self.report(
                False,
                "yaml-tag",
                f"the tag {tag} is ignored; the value is kept as the text {text!r}",
                node,
                pointer,
            )
            return text
        value = self.construct_non_recursive_object(node)
        if isinstance(value, float) and not math.isfinite(value):
            self.report(
                False, "non-finite-number", f"{text} is not a number JSON can hold", node, pointer
            )
        return value

    def mapping(self, node: MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        # Merge keys (`<<: *base`) first, so that the mapping's own keys override them.
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in reversed(sources):  # the first source listed wins
                    merged = self.build(source, pointer)
                    if isinstance(merged, dict):
                        result.update(merged)
        self.marks[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        written: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                continue
            key = self.key(key_node, pointer)
            if key is None:
                continue
            child = pointer_join(pointer, key)
            if key in written:
                self.report(
                    True,
                    "duplicate-key",
                    f"duplicate key {key!r}; the first one is kept",
                    key_node,
                    child,
                )
                continue
            written.add(key)
            result[key] = self.build(value_node, child)
            if (
                isinstance(value_node, ScalarNode)
                and value_node.value == ""
                and not value_node.style
            ):
                # `key:` with nothing after it: the empty value "starts" on the next line
                self.marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def key(self, node: Node, pointer: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.report(
                True,
                "non-string-key",
                "a mapping key must be a string, not a list or mapping",
                node,
                pointer,
            )
            return None
        text: str = node.value
        if node.tag != _TAG + "str":
            message = f"the key {text} is not a string; it is read as {text!r}"
            self.report(
                False,
                "non-string-key",
                message,
                node,
                pointer_join(pointer, text),
                f"quote it: '{text}'",
            )
        return text


def _parse_yaml(text: str, file: Path, problems: Problems) -> tuple[Any, _Marks] | None:
    yaml = YAML(typ="rt")
    try:
        node = yaml.compose(text)
        if node is None:
            return None, {}
        builder = _Builder(yaml, file, problems)
        return builder.build(node, ""), builder.marks
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context)
        if exc.context and exc.problem and exc.context_mark:
            message += (
                f" ({exc.context}, at {exc.context_mark.line + 1}:{exc.context_mark.column + 1})"
            )
        where = Position(display_path(file), mark.line + 1, mark.column + 1) if mark else None
        problems.error("yaml-syntax", message, position=where or Position(display_path(file)))
    except ReaderError as exc:  # a character YAML does not allow; it knows only the offset
        line = text.count("\n", 0, exc.position) + 1
        where = Position(display_path(file), line, exc.position - text.rfind("\n", 0, exc.position))
        problems.error(
            "yaml-syntax", f"character #x{exc.character:04x}: {exc.reason}", position=where
        )
    except YAMLError as exc:
        problems.error("yaml-syntax", str(exc), position=Position(display_path(file)))
    except RecursionError:
        problems.error("yaml-syntax", "nesting too deep", position=Position(display_path(file)))
    return None


def _parse_json(text: str, file: Path, problems: Problems) -> tuple[Any, bool] | None:
    """(tree, has duplicate keys), or None after reporting a syntax error."""
    duplicates = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(items)
        duplicates = duplicates or len(result) != len(items)
        return result

    def constant(name: str) -> float:
        problems.warning(
            "non-finite-number",
            f"{name} is not standard JSON",
            position=Position(display_path(file)),
        )
        return float(name)

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant), duplicates
    except json.JSONDecodeError as exc:
        where = Position(display_path(file), exc.lineno, exc.colno)
        problems.error("json-syntax", exc.msg, position=where)
    except RecursionError:
        problems.error("json-syntax", "nesting too deep", position=Position(display_path(file)))
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
        line_col = marks.get(pointer)
        return Position(display_path(file), *line_col) if line_col else None

    def resolve(self, ref: str, base_file: Path) -> Resolved | None:
        chain, error = self._chain(ref, base_file)
        return None if error else chain[-1]

    def input_hash(self) -> str:
        digest = hashlib.sha256()
        named = {
            Path(os.path.relpath(f, self.root_file.parent)).as_posix(): b
            for f, b in self._bytes.items()
        }
        for name in sorted(named):
            digest.update(f"{name}\0{len(named[name])}\0".encode())  # a rename changes the hash too
            digest.update(named[name])
        return digest.hexdigest()

    # -- loading -------------------------------------------------------------------------------

    def _load_file(self, file: Path, problems: Problems) -> None:
        try:
            data = file.read_bytes()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._failed[file] = (
                f"cannot read {display_path(file)}: {getattr(exc, 'strerror', None) or exc}"
            )
            return
        self._bytes[file] = data
        parsed_json = None
        if file.suffix.lower() == ".json" or text.lstrip()[:1] in ("{", "["):
            # A .yaml file may hold YAML flow style: only a .json file must be strict JSON.
            quiet = file.suffix.lower() != ".json"
            parsed_json = _parse_json(text, file, Problems() if quiet else problems)
            if parsed_json is None and not quiet:
                self._failed[file] = f"{display_path(file)} is not valid JSON"
                return
        if parsed_json is not None:
            self.files[file], duplicates = parsed_json
            self._json[file] = text
            if duplicates:  # the standard library keeps the last one silently; ours says where
                found = Problems()
                parsed = _parse_yaml(text, file, found)
                self._marks[file] = parsed[1] if parsed else {}
                located = [p for p in found if p.rule == "duplicate-key"]
                problems.extend(Problems(located))
                if not located:
                    problems.error(
                        "duplicate-key",
                        "an object has a duplicate key",
                        position=Position(display_path(file)),
                    )
            return
        parsed_yaml = _parse_yaml(text, file, problems)
        if parsed_yaml is None:
            self._failed[file] = f"{display_path(file)} could not be parsed (see the syntax error)"
            return
        self.files[file], self._marks[file] = parsed_yaml

    def _scan(self, file: Path) -> list[tuple[Path, str, dict[str, Any]]]:
        """Every node with a `$ref` in the file, as (file, pointer, node); notes `$id`s too."""
        found: list[tuple[Path, str, dict[str, Any]]] = []
        # (pointer, node, whether node maps names to schemas)
        stack: list[tuple[str, Any, bool]] = [("", self.files[file], False)]
        while stack:
            pointer, node, names = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref", None)
                if "$ref" in node and (isinstance(ref, str) or not names):
                    found.append((file, pointer, node))
                id_ = node.get("$id")
                if isinstance(id_, str) and _SCHEME.match(id_):
                    self._ids.setdefault(id_.rstrip("#"), (file, pointer))
                children = [
                    (pointer_join(pointer, key), value, not names and key in _NAME_MAPS)
                    for key, value in node.items()
                ]
                stack.extend(reversed(children))  # reversed: found in document order
            elif isinstance(node, list):
                items = [(pointer_join(pointer, i), item, False) for i, item in enumerate(node)]
                stack.extend(reversed(items))
        return found

    def _load_all(self, problems: Problems) -> list[tuple[Path, str, dict[str, Any]]]:
        """Loads the files that `$ref`s name, transitively; returns every `$ref` holder."""
        holders: list[tuple[Path, str, dict[str, Any]]] = []
        queue = [self.root_file]
        while queue:
            file = queue.pop(0)
            if file not in self.files:
                continue
            for holder in self._scan(file):
                holders.append(holder)
                ref = holder[2]["$ref"]
                located = self._locate(ref, file) if isinstance(ref, str) else ""
                if isinstance(located, tuple):
                    target = located[0]
                    if target not in self.files and target not in self._failed:
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

    def _step(self, ref: str, base: Path, via: frozenset[tuple[Path, str]]) -> Resolved | str:
        located = self._locate(ref, base)
        if isinstance(located, str):
            return located
        return self._walk(ref, *located, via)

    def _walk(
        self, ref: str, file: Path, pointer: str, via: frozenset[tuple[Path, str]]
    ) -> Resolved | str:
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

    def _chain(
        self, ref: str, base: Path, via: frozenset[tuple[Path, str]] = frozenset()
    ) -> tuple[list[Resolved], str]:
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
            if message and _SCHEME.match(ref) and urlsplit(ref).scheme.lower() in ("http", "https"):
                hint = _REMOTE_HINT
                name = urlsplit(ref).path.rpartition("/")[2]
                if name and (file.parent / name).is_file():
                    hint += f"; if it is the {name} next to this file, write $ref: '{name}'"
        if message:
            where = self.position(file, pointer_join(pointer, "$ref")) or Position(
                display_path(file)
            )
            problems.error("unresolved-ref", message, pointer=pointer, position=where, hint=hint)


def load(path: str | os.PathLike[str], problems: Problems) -> Document | None:
    """Reads the spec at `path` and every file its `$ref`s name, reporting problems on the way.

    Returns None only when the root file cannot be read or parsed, or holds nothing.
    """
    root_file = Path(os.path.normpath(os.path.abspath(path)))
    document = Document(root_file)
    document._load_file(root_file, problems)
    if root_file in document._failed:
        if root_file not in document._bytes:  # parse errors are reported already
            problems.error(
                "file-unreadable",
                document._failed[root_file],
                position=Position(display_path(root_file)),
            )
        return None
    if document.root is None:
        problems.error(
            "empty-document",
            f"{display_path(root_file)} holds no document",
            position=Position(display_path(root_file)),
        )
        return None
    if not isinstance(document.root, dict):
        problems.error(
            "root-not-mapping",
            f"the document must be a mapping, not a {type(document.root).__name__}",
            position=document.position(root_file, ""),
        )
    for file, pointer, holder in document._load_all(problems):
        document._check(file, pointer, holder, problems)
    return document
