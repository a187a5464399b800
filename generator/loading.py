"""Load stage: spec files -> plain trees, with file:line:col for every node and `$ref`s checked.

Each file is read by `reading` (YAML 1.2 or JSON). A JSON file's positions are worked out only
when asked for: they are needed only to report a problem, and a large JSON spec then loads in
milliseconds. Overlays named by the user edit the root file's tree before anything else reads it
(`overlays`). References are never inlined: `Document.resolve` follows one on demand, so a
schema that refers back to itself is just data. Loading walks every tree once, loads the files
that `$ref`s name, and reports each reference that does not resolve. Nothing here knows AsyncAPI.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .diagnostics import Position, Problems
from .reading import Marks as _Marks
from .reading import display_path, pointer_join, pointer_tokens
from .reading import parse_json as _parse_json
from .reading import parse_yaml as _parse_yaml
from .sources import DEFAULT_MAX_FILE_SIZE, Refusal, outside_root, read_capped

__all__ = [
    "Document",
    "Resolved",
    "display_path",
    "load",
    "load_tree",
    "pointer_join",
    "pointer_tokens",
]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: `C:` is a drive
_INDEX = re.compile(r"0|[1-9][0-9]*")
# Keywords whose value maps names to schemas: a property may be called "$ref" there, so a
# "$ref" directly under them whose value is a schema is not a broken reference.
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})
_LOOP = "these $refs lead to each other and never to content: "
_REMOTE = "remote references are not fetched; download the file and refer to it by a relative path"
_SLASH_HINT = "in a JSON pointer a `/` inside a key is written `~1` (and `~` is written `~0`)"

_Holder = tuple[Path, str, dict[str, Any]]  # a node with a "$ref": (file, pointer, node)
_Via = frozenset[tuple[Path, str]]  # reference nodes a pointer is being followed through


def _rejoined(node: Any, tokens: list[str]) -> list[str] | None:
    """The keys a pointer whose keys hold an unescaped `/` means: `tokens` with runs of them joined
    back with `/`, such that they lead somewhere in `node` (at each step the token as written
    first, then joins of two, three, ... tokens), or None when no joining leads anywhere."""
    if not tokens:
        return []
    for size in range(1, len(tokens) + 1):
        key = "/".join(tokens[:size])
        if isinstance(node, dict) and key in node:
            child = node[key]
        elif (
            size == 1 and isinstance(node, list) and _INDEX.fullmatch(key) and int(key) < len(node)
        ):
            child = node[int(key)]
        else:
            continue
        rest = _rejoined(child, tokens[size:])
        if rest is not None:
            return [key, *rest]
    return None


@dataclass(frozen=True)
class Resolved:
    value: Any
    file: Path  # the file the target lives in (relative refs inside it resolve against it)
    pointer: str  # JSON pointer of the target inside that file ('' for the whole file)


class Document:
    """Every file a spec is made of, as plain trees, with positions and lazy `$ref` resolution."""

    def __init__(
        self, root_file: Path, root: Path | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE
    ) -> None:
        self.root_file = root_file
        # The folder `$ref`s may read from (`sources`), and how large a file may be.
        self.root_folder = root if root is not None else root_file.parent
        self.max_file_size = max_file_size
        self.files: dict[Path, Any] = {}
        self._bytes: dict[Path, bytes] = {}  # every file read, for input_hash
        self._json: dict[Path, str] = {}  # JSON text, parsed again for positions only when asked
        self._marks: dict[Path, _Marks] = {}
        self._failed: dict[Path, str] = {}  # files that could not be read or parsed -> why
        self._refused: dict[Path, Refusal] = {}  # files not read at all (`sources`) -> why
        self._ids: dict[str, tuple[Path, str]] = {}  # absolute `$id` URL -> where it stands
        # Pointers with unescaped `/` in keys, as written -> as read (see `_rejoined`).
        self._rejoins: dict[tuple[Path, str], str] = {}
        # Files whose tree an overlay edited: every node's place, taken from the file or overlay.
        self._placed: dict[Path, dict[str, Position]] = {}
        self.overlays: list[tuple[Path, bytes]] = []  # overlay files applied, in order

    @property
    def root(self) -> Any:
        return self.files.get(self.root_file)

    def tree(self, file: Path) -> Any:
        return self.files[file]

    def position(self, file: Path, pointer: str) -> Position | None:
        if file in self._placed:
            return self._placed[file].get(pointer)
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
        for index, (file, data) in enumerate(self.overlays):  # in order: the order matters
            name = Path(os.path.relpath(file, self.root_file.parent)).as_posix()
            digest.update(f"overlay {index}\0{name}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()

    def inputs(self) -> dict[Path, bytes]:
        """Every file read, overlays included -> its bytes, as read."""
        return {**self._bytes, **dict(self.overlays)}

    def place(self, file: Path, places: dict[str, Position]) -> None:
        """Where each node of `file`'s tree is written, after an overlay edited the tree."""
        self._placed[file] = places

    def source(self, file: Path) -> bytes:
        return self._bytes[file]

    # -- loading -------------------------------------------------------------------------------

    def _load_file(self, file: Path, problems: Problems) -> None:
        refusal = None if file == self.root_file else outside_root(file, self.root_folder)
        # Read through the resolved path: the one that was checked to be inside the root.
        data = refusal or read_capped(Path(os.path.realpath(file)), self.max_file_size)
        if isinstance(data, Refusal):
            self._failed[file] = data.message
            if data.rule != "file-unreadable":  # else it is just a reference that does not resolve
                self._refused[file] = data
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self._failed[file] = f"cannot read {display_path(file)}: {exc}"
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
        if "\x00" in unquote(address):  # no file name holds one; the OS refuses to look
            shown = ref.replace("\x00", "\\x00")
            return f"'{shown}' names a file with a NUL character in its name"
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
            from urllib.request import url2pathname  # here: it imports http.client and ssl

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
                joined = _rejoined(self.files[file], tokens)
                if joined is not None:  # `#/components/schemas/audio/pcm` for key `audio/pcm`
                    meant = pointer_join("", *joined)
                    self._rejoins.setdefault((file, pointer), meant)
                    return self._walk(ref, file, meant, via)
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
        ref, hint, rule = holder["$ref"], "", "unresolved-ref"
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
            located = self._locate(ref, file) if message and not chain else None
            refusal = self._refused.get(located[0]) if isinstance(located, tuple) else None
            if refusal:  # the file named is not read at all: say why, under the rule broken
                message, hint, rule = f"$ref '{ref}': {refusal.message}", refusal.hint, refusal.rule
            elif message and urlsplit(ref).scheme.lower() in ("http", "https"):
                hint, name = _REMOTE, urlsplit(ref).path.rpartition("/")[2]
                if name and (file.parent / name).is_file():
                    hint += f"; if it is the {name} next to this file, write $ref: '{name}'"
        if message:
            where = self.position(file, pointer_join(pointer, "$ref"))
            where = where or Position(display_path(file))
            problems.error(rule, message, pointer=pointer, position=where, hint=hint)

    def _report_rejoins(self, holders: list[_Holder], problems: Problems) -> None:
        """One warning for all the `$ref`s that resolved only with `/`s read as part of a key."""
        found = []
        for file, pointer, holder in holders:
            located = self._locate(holder["$ref"], file) if isinstance(holder["$ref"], str) else ""
            if isinstance(located, tuple) and located in self._rejoins:
                found.append((file, pointer, holder["$ref"], self._rejoins[located]))
        if not found:
            return
        file, pointer, ref, meant = found[0]
        more = f" ({len(found) - 1} more $ref(s) like it)" if len(found) > 1 else ""
        message = f"'{ref}' names a key holding '/' without escaping it; read as '#{meant}'{more}"
        where = self.position(file, pointer_join(pointer, "$ref")) or Position(display_path(file))
        problems.warning(
            "ref-unescaped-slash", message, pointer=pointer, position=where, hint=_SLASH_HINT
        )


def load_tree(
    path: Path,
    problems: Problems,
    root: Path | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Document | None:
    """One file read on its own (no `$ref` followed), or None after reporting why it cannot be."""
    document = Document(path, root, max_file_size)
    document._load_file(path, problems)
    if path in document._failed:
        if path not in document._bytes:  # else the syntax error is reported already
            refusal = document._refused.get(path)
            rule = refusal.rule if refusal and refusal.rule == "file-too-large" else "file-unreadable"
            where, hint = Position(display_path(path)), refusal.hint if refusal else ""
            problems.error(rule, document._failed[path], position=where, hint=hint)
        return None
    return document


def load(
    path: str | os.PathLike[str],
    problems: Problems,
    prepare: Callable[[Document], None] | None = None,
    root: Path | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Document | None:
    """Reads the spec at `path` and every file its `$ref`s name, reporting problems on the way.

    `prepare` changes the root file's tree before its `$ref`s are followed (the pipeline applies
    overlays there). `$ref`s may name only regular files inside `root` (default: the spec's
    folder), each file at most `max_file_size` bytes. Returns None only when the root file cannot
    be read or parsed, or holds nothing.
    """
    root_file = Path(os.path.normpath(os.path.abspath(path)))
    folder = Path(os.path.abspath(root)) if root is not None else None
    document = load_tree(root_file, problems, folder, max_file_size)
    where = Position(display_path(root_file))
    if document is None:
        return None
    if document.root is None:
        problems.error("empty-document", f"{where.file} holds no document", position=where)
        return None
    if not isinstance(document.root, dict):
        message = f"the document must be a mapping, not a {type(document.root).__name__}"
        problems.error("root-not-mapping", message, position=document.position(root_file, ""))
    if prepare is not None:
        prepare(document)
    holders = document._load_all(problems)
    for file, pointer, holder in holders:
        document._check(file, pointer, holder, problems)
    document._report_rejoins(holders, problems)
    return document
