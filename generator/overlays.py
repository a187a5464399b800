"""Overlays (OpenAPI Initiative Overlay Specification 1.0) applied to a loaded spec.

An overlay lets a user fix a document they do not own without editing it: adding a
`correlationId`, an `x-conversation` marker, a missing message, a corrected schema. Each action's
`target` is an RFC 9535 JSONPath query over the root file's tree; `update` is merged into every
node it selects (objects recursively, arrays appended to; a selected array gets the value as one
more item) and `remove: true` takes every selected node out of its parent. Actions run in order,
each on the result of those before it, and overlays in the order given, all before the tree is
parsed. Every node keeps the place it is written in: an untouched node its place in the spec, a
node an overlay adds its place in the overlay, so a problem found later in either is reported
where the user can fix it.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonpath_rfc9535

from .diagnostics import Position, Problems
from .loading import Document, display_path, load_tree, pointer_join

__all__ = ["apply_overlays"]

_VERSION = re.compile(r"1\.0\.\d+")
_SHAPE = "an overlay has `overlay: 1.0.0`, `info` (title, version) and a list of `actions`"
_Key = str | int
_KINDS = {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "an array"}


@dataclass
class _Placed:
    """Where a node of the edited tree is written, and the same for each of its children."""

    at: Position | None
    children: dict[str, _Placed] | list[_Placed] = field(default_factory=dict)


def _placed(value: Any, pointer: str, where: Callable[[str], Position | None]) -> _Placed:
    if isinstance(value, dict):
        keyed = {k: _placed(v, pointer_join(pointer, k), where) for k, v in value.items()}
        return _Placed(where(pointer), keyed)
    if isinstance(value, list):
        items = [_placed(v, pointer_join(pointer, i), where) for i, v in enumerate(value)]
        return _Placed(where(pointer), items)
    return _Placed(where(pointer))


def _flatten(placed: _Placed, pointer: str, out: dict[str, Position]) -> dict[str, Position]:
    if placed.at is not None:
        out[pointer] = placed.at
    children = placed.children
    for key, child in children.items() if isinstance(children, dict) else enumerate(children):
        _flatten(child, pointer_join(pointer, key), out)
    return out


def apply_overlays(document: Document, paths: Sequence[Path], problems: Problems) -> None:
    """Edits `document`'s root tree with each overlay in turn; problems are reported in the
    overlay files. The overlay files count as inputs of the document (`Document.input_hash`)."""
    root_file = document.root_file
    placed = _placed(document.root, "", lambda pointer: document.position(root_file, pointer))
    for path in paths:
        overlay = load_tree(
            Path(os.path.normpath(os.path.abspath(path))),
            problems,
            max_file_size=document.max_file_size,
        )
        if overlay is None:
            continue
        document.overlays.append((overlay.root_file, overlay.source(overlay.root_file)))
        _Overlay(overlay, document, placed, problems).apply()
    document.place(root_file, _flatten(placed, "", {}))


class _Overlay:
    def __init__(
        self, overlay: Document, document: Document, placed: _Placed, problems: Problems
    ) -> None:
        self.overlay = overlay
        self.tree = document.root
        self.spec_name = display_path(document.root_file)
        self.placed = placed
        self.problems = problems

    def where(self, pointer: str) -> Position:
        file = self.overlay.root_file
        while True:  # a key that is missing: where its nearest parent is written
            found = self.overlay.position(file, pointer)
            if found is not None or not pointer:
                return found or Position(display_path(file))
            pointer = pointer.rpartition("/")[0]

    def error(self, rule: str, message: str, pointer: str, hint: str = "") -> None:
        position = self.where(pointer)
        self.problems.error(rule, message, pointer=pointer, position=position, hint=hint)

    def apply(self) -> None:
        for index, action in self.actions():
            self.run(index, action)

    def actions(self) -> list[tuple[int, dict[str, Any]]]:
        """The overlay's actions, once it is known to be an overlay of a version understood."""
        root = self.overlay.root
        name = display_path(self.overlay.root_file)
        if not isinstance(root, dict) or "overlay" not in root:
            message = f"{name} is not an overlay document: it has no `overlay` version"
            self.error("overlay-document", message, "", hint=_SHAPE)
            return []
        version = root["overlay"]
        if not isinstance(version, str) or not _VERSION.fullmatch(version):
            message = f"unsupported overlay version {version!r}; expected 1.0.x"
            self.error("overlay-version", message, "/overlay")
            return []
        info = root.get("info")
        if not (
            isinstance(info, dict)
            and all(isinstance(info.get(k), str) for k in ("title", "version"))
        ):
            message = "an overlay's `info` must give its `title` and `version` as text"
            self.error("overlay-document", message, "/info", hint=_SHAPE)
        actions = root.get("actions")
        if not isinstance(actions, list) or not actions:
            self.error("overlay-document", "`actions` must be a list of actions", "/actions")
            return []
        found = []
        for index, action in enumerate(actions):
            if isinstance(action, dict):
                found.append((index, action))
            else:
                self.error("overlay-action", "an action must be an object", f"/actions/{index}")
        return found

    def run(self, index: int, action: dict[str, Any]) -> None:
        at = f"/actions/{index}"
        target, remove = action.get("target"), action.get("remove", False)
        if not isinstance(target, str):
            self.error("overlay-target", "an action needs a `target`: a JSONPath", at)
            return
        if not isinstance(remove, bool):
            self.error("overlay-action", "`remove` must be true or false", f"{at}/remove")
            return
        if "update" not in action and not remove:
            hint = "give `update: <value to merge>` or `remove: true`"
            self.error("overlay-action", "the action neither updates nor removes", at, hint)
            return
        try:
            query = jsonpath_rfc9535.compile(target)
        except jsonpath_rfc9535.JSONPathError as exc:
            column = f" (at character {exc.token.index + 1})" if exc.token else ""
            message = f"{target!r} is not a JSONPath: {exc.args[0]}{column}"
            self.error("overlay-target", message, f"{at}/target", hint="see RFC 9535")
            return
        nodes = query.find(self.tree)
        if not nodes:
            message = f"the target {target!r} matches nothing in {self.spec_name}"
            hint = "check the path against the document; write a key holding `/` as ['a/b']"
            self.error("overlay-target", message, f"{at}/target", hint)
            return
        if remove:
            self.remove([node.location for node in nodes], at)
        else:
            self.update(nodes, action["update"], at)

    def update(self, nodes: jsonpath_rfc9535.JSONPathNodeList, value: Any, at: str) -> None:
        source = _placed(value, f"{at}/update", self.where)
        for node in nodes:
            target, placed = node.value, self.placed_at(node.location)
            if isinstance(target, list) and isinstance(placed.children, list):
                target.append(copy.deepcopy(value))
                placed.children.append(copy.deepcopy(source))
            elif isinstance(target, dict) and isinstance(value, dict):
                _merge(target, placed, value, source)
            elif isinstance(target, dict):
                kind = _KINDS.get(type(value), "null")
                message = f"`update` for an object must be an object to merge, not {kind}"
                self.error("overlay-update", message, f"{at}/update")
                return
            else:
                kind = _KINDS.get(type(target), "null")
                message = (
                    f"the target selects {kind} at {node.path()}; "
                    "`update` applies to objects and arrays"
                )
                hint = "select the object holding it and update that with the key and value"
                self.error("overlay-update", message, f"{at}/target", hint)
                return

    def remove(self, locations: list[tuple[_Key, ...]], at: str) -> None:
        # Last first: removing an item does not move the items before it, nor a node its parent.
        for location in sorted(locations, reverse=True):
            if not location:
                self.error(
                    "overlay-action", "the document itself cannot be removed", f"{at}/target"
                )
                continue
            parent, placed = self.node_at(location[:-1]), self.placed_at(location[:-1])
            key = location[-1]
            if isinstance(parent, dict) and isinstance(key, str) and key in parent:
                del parent[key]
                if isinstance(placed.children, dict):
                    placed.children.pop(key, None)
            elif isinstance(parent, list) and isinstance(key, int) and key < len(parent):
                del parent[key]
                if isinstance(placed.children, list):
                    del placed.children[key]

    def node_at(self, location: tuple[_Key, ...]) -> Any:
        node = self.tree
        for key in location:
            node = node[key]
        return node

    def placed_at(self, location: tuple[_Key, ...]) -> _Placed:
        placed = self.placed
        for key in location:
            children = placed.children
            placed = children[int(key)] if isinstance(children, list) else children[str(key)]
        return placed


def _merge(target: dict[str, Any], placed: _Placed, value: dict[str, Any], source: _Placed) -> None:
    """`value` merged into `target`: objects recursively, arrays appended to, the rest replaced."""
    assert isinstance(placed.children, dict) and isinstance(source.children, dict)
    for key, new in value.items():
        old, new_placed = target.get(key), source.children[key]
        old_placed = placed.children.get(key)
        if isinstance(old, dict) and isinstance(new, dict) and old_placed is not None:
            _merge(old, old_placed, new, new_placed)
        elif isinstance(old, list) and isinstance(new, list) and old_placed is not None:
            old.extend(copy.deepcopy(new))
            assert isinstance(old_placed.children, list) and isinstance(new_placed.children, list)
            old_placed.children.extend(copy.deepcopy(new_placed.children))
        else:
            target[key] = copy.deepcopy(new)
            placed.children[key] = copy.deepcopy(new_placed)
