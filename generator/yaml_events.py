"""YAML nodes composed from libyaml's events, ten times faster than ruamel's pure-Python reader.

ruamel.yaml's C parser (`ruamel.yaml.clib`, or `ruamel.yaml.clibz`) scans and parses; the nodes
are composed here, in a loop, with ruamel's YAML 1.2 resolver, so that they are the nodes
`ruamel.yaml.YAML(typ="rt").compose` gives for the same text (the reader's tests compare them
over every document at hand). The C parser is only a faster road to the same nodes: `compose`
returns False whenever its result could differ or a problem must be reported, and the caller
then reads the text with ruamel's own reader, whose errors are the ones users see:
- the C parser is not installed, or refuses the text (syntax, a character YAML does not allow,
  text that is not valid UTF-8);
- the text holds what libyaml reads as YAML 1.1 does, or otherwise than ruamel (`_DIFFERENT`): a
  `%YAML` directive (1.1 changes how scalars resolve), the line breaks of YAML 1.1 (U+0085,
  U+2028, U+2029), a byte order mark, a tab (ruamel refuses some that libyaml takes), a document
  end marker `...` (ruamel reads some as text);
- an alias names no anchor, or the stream holds more than one document.

Two differences remain, both in positions only: a node with a tag and then an anchor
(`!!str &a x`) starts at its tag here and at its anchor in ruamel, and a block scalar that is the
whole document reads lines starting with `#` at column 1 as comments here (the document is then
refused anyway: it must be a mapping).

Composing stops at the first collection nested deeper than `max_depth` with `TooDeep`, which
says where it starts, without reading further however deep the text goes. (The C parser's own
composer recurses in C and crashes the process on text nested a hundred thousand deep.)
"""

from __future__ import annotations

import re
from typing import Any, Literal

from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

CParser: Any
try:
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # no C parser (not CPython): ruamel's pure-Python reader it is
    CParser = None

__all__ = ["TooDeep", "available", "compose"]

_DIFFERENT = re.compile(r"[\t\x85\u2028\u2029\ufeff]|%YAML|(?:^|[\r\n])\.\.\.")


class TooDeep(Exception):
    """A collection nested deeper than allowed: where it starts, and the keys and indexes
    leading to it."""

    def __init__(self, mark: Any, tokens: list[str | int]) -> None:
        super().__init__(tokens)
        self.mark, self.tokens = mark, tokens


def available() -> bool:
    return CParser is not None


class _Open:
    """A collection being composed, and the key read while its value is awaited."""

    __slots__ = ("key", "node")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.key: Node | None = None


def compose(text: str, max_depth: int) -> Node | None | Literal[False]:
    """The text's root node (None for an empty stream), or False where ruamel's own reader must
    read the text (see the module)."""
    if CParser is None or _DIFFERENT.search(text):
        return False
    try:
        return _compose(CParser(text), max_depth)
    except TooDeep:
        raise
    except Exception:  # noqa: BLE001 - whatever the C parser refuses, the pure reader explains
        return False


def _compose(parser: Any, max_depth: int) -> Node | None | Literal[False]:
    resolve = VersionedResolver().resolve
    plain_tags: dict[str, Any] = {}
    quoted_tag = resolve(ScalarNode, "", (False, True))
    anchors: dict[str, Node] = {}
    open_: list[_Open] = []
    root: Node | None = None
    documents = 0
    while True:
        event = parser.get_event()
        kind = type(event)
        node: Node
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":  # `!`: as ruamel reads it, resolved as if plain
                plain = tag == "!" or event.implicit[0]
                # Only a plain scalar's text decides its tag; keys and words repeat a lot.
                tag = plain_tags.get(event.value) if plain else quoted_tag
                if tag is None:
                    tag = plain_tags[event.value] = resolve(ScalarNode, event.value, (True, False))
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            cls = MappingNode if kind is MappingStartEvent else SequenceNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(cls, None, event.implicit)
            node = cls(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if event.anchor is not None:  # before the items: an alias inside is a cycle
                anchors[event.anchor] = node
            if len(open_) >= max_depth:
                tokens = [_token(o, o is not open_[-1]) for o in open_]
                raise TooDeep(event.start_mark, [t for t in tokens if t is not None])
            if not open_:
                root = node
            else:
                _attach(open_, node)
            open_.append(_Open(node))
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            open_.pop().node.end_mark = event.end_mark
            continue
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                return False
            node = anchors[event.anchor]
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                return False
            anchors = {}
            continue
        elif kind is StreamEndEvent:
            if isinstance(root, ScalarNode) and root.value == "" and not root.style:
                return False  # an empty document: ruamel places it at the end of the last line
            return root
        else:  # stream start, document end
            continue
        if open_:
            _attach(open_, node)
        else:
            root = node


def _attach(open_: list[_Open], node: Node) -> None:
    top = open_[-1]
    if type(top.node) is SequenceNode:
        top.node.value.append(node)
    elif top.key is None:
        top.key = node
    else:
        top.node.value.append((top.key, node))
        top.key = None


def _token(open_: _Open, placed: bool) -> str | int | None:
    """The key or index under which a collection being composed holds its newest node (`placed`)
    or the next one (None while the next is a mapping's key)."""
    node = open_.node
    if type(node) is SequenceNode:
        return len(node.value) - placed
    key = node.value[-1][0] if placed else open_.key
    if key is None:
        return None
    return str(key.value) if isinstance(key, ScalarNode) else ""
