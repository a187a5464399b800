"""Random AsyncAPI documents and mutations of the corpus, and what asyncgen must do with each.

Shared by the fuzz tests (tests/unit/test_fuzz.py, a bounded number of examples) and by
scripts/fuzz.py (long campaigns). Every document either builds a package that imports, or stops
with errors that each carry a position or a JSON pointer; an exception escaping
`pipeline.generate` is a crash.
"""

from __future__ import annotations

import copy
import csv
import importlib
import io
import json
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asyncgen.output import write
from asyncgen.pipeline import generate
from hypothesis import strategies as st
from ruamel.yaml import YAML

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"

# -- text ----------------------------------------------------------------------------------------

ODD_STRINGS = [
    "",
    '"',
    'ends in "',
    '"""',
    "\\",
    "back\\",
    "\x00",
    "a\x00b",
    "\u2028",
    "\r\n",
    "{{ x }}",
    "{% raw %}",
    "id",
    "ID",
    "Id",
    "class",
    "None",
    "self",
    "from_dict",
    "to_json",
    "__init__",
    "_",
    "9lives",
    "Größe",
    "名前",
    "😀",
    "-",
    "a-b",
    "a_b",
    "A B",
    "$ref",
    "#/components/schemas/X",
    "type",
    "validators",
    "Client",
    "ValidationError",
    " ",
    "x" * 300,
]
_TEXT = st.one_of(st.sampled_from(ODD_STRINGS), st.text(max_size=12))
_NAME = st.one_of(
    st.sampled_from(ODD_STRINGS[:33]), st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,8}", fullmatch=True)
)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
_JSON = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_NAME, inner, max_size=3)),
    max_leaves=8,
)

# -- schemas -------------------------------------------------------------------------------------

_TYPES = ["string", "integer", "number", "boolean", "null", "object", "array"]
_FORMATS = ["byte", "binary", "date-time", "email", "uuid", "int32", "ipv4", "uri", "regex", "x"]


def _schema_keywords(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    keyword_values: dict[str, st.SearchStrategy[Any]] = {
        "type": st.one_of(
            st.sampled_from(_TYPES),
            st.lists(st.sampled_from(_TYPES), max_size=3),
            _SCALAR,
        ),
        "properties": st.dictionaries(_NAME, inner, max_size=4),
        "required": st.lists(_NAME, max_size=3),
        "items": st.one_of(inner, st.lists(inner, max_size=2)),
        "additionalProperties": st.one_of(st.booleans(), inner),
        "enum": st.lists(_SCALAR, max_size=4),
        "const": _JSON,
        "default": _JSON,
        "examples": st.lists(_JSON, max_size=2),
        "oneOf": st.lists(inner, max_size=3),
        "anyOf": st.lists(inner, max_size=3),
        "allOf": st.lists(inner, max_size=3),
        "not": inner,
        "format": st.one_of(st.sampled_from(_FORMATS), _TEXT),
        "pattern": st.one_of(st.sampled_from(["^a+$", "[", "(?<x>a)", "\\p{L}", "a{2,1}"]), _TEXT),
        "minimum": _SCALAR,
        "maximum": st.integers(-10, 10),
        "exclusiveMinimum": st.one_of(st.booleans(), st.integers(-10, 10)),
        "multipleOf": st.one_of(st.integers(-2, 5), st.floats(0.01, 3)),
        "minLength": st.one_of(st.integers(-1, 5), _SCALAR),
        "maxItems": st.integers(0, 3),
        "uniqueItems": st.booleans(),
        "nullable": st.booleans(),
        "discriminator": st.one_of(_NAME, st.fixed_dictionaries({"propertyName": _NAME})),
        "description": _TEXT,
        "title": _TEXT,
        "deprecated": st.booleans(),
        "readOnly": st.booleans(),
        "$ref": st.sampled_from(
            ["#/components/schemas/A", "#/components/schemas/B", "#/nowhere", "other.yaml", ""]
        ),
        "x-odd": _JSON,
    }
    return st.lists(st.sampled_from(sorted(keyword_values)), max_size=5, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: keyword_values[k] for k in keys})
    )


SCHEMAS: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.booleans(), st.builds(dict), st.sampled_from([{"type": t} for t in _TYPES])),
    _schema_keywords,
    max_leaves=12,
)


# -- documents -----------------------------------------------------------------------------------


@st.composite
def _message(draw: st.DrawFn) -> dict[str, Any]:
    message: dict[str, Any] = {"payload": draw(SCHEMAS)}
    for key, value in [
        ("name", _NAME),
        ("title", _TEXT),
        ("summary", _TEXT),
        ("description", _TEXT),
        (
            "contentType",
            st.sampled_from(["application/json", "text/plain", "application/octet-stream", "x"]),
        ),
        (
            "correlationId",
            st.fixed_dictionaries(
                {"location": st.sampled_from(["$message.payload#/id", "$message.header#/x", "bad"])}
            ),
        ),
        ("examples", st.lists(st.fixed_dictionaries({"payload": _JSON}), max_size=1)),
    ]:
        if draw(st.booleans()):
            message[key] = draw(value)
    return message


_ADDRESS = st.one_of(
    st.sampled_from(["/", "/id", "/ID", "/i-d", "/{id}", "/a/{b}/c", "/a\x00b", "ws", "/😀"]),
    st.text(max_size=10),
)
_SERVER = st.fixed_dictionaries(
    {
        "url": st.sampled_from(["ws://localhost", "wss://x/{v}", "x", ""]),
        "protocol": st.sampled_from(["ws", "wss", "http", "kafka"]),
    },
    optional={"description": _TEXT},
)


@st.composite
def documents_v2(draw: st.DrawFn) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    for address in draw(st.lists(_ADDRESS, max_size=4, unique=True)):
        channel: dict[str, Any] = {}
        for operation in ("publish", "subscribe"):
            if draw(st.booleans()):
                many = draw(st.booleans())
                messages = draw(st.lists(_message(), min_size=1, max_size=3))
                channel[operation] = {"message": {"oneOf": messages} if many else messages[0]}
                if draw(st.booleans()):
                    channel[operation]["operationId"] = draw(_NAME)
        if draw(st.booleans()):
            channel["description"] = draw(_TEXT)
        if "{" in address:
            channel["parameters"] = {
                "id": {"schema": draw(SCHEMAS)},
                "b": {"schema": {"type": "string"}},
            }
        channels[address] = channel
    document: dict[str, Any] = {
        "asyncapi": draw(st.sampled_from(["2.0.0", "2.3.0", "2.6.0"])),
        "info": {"title": draw(_TEXT), "version": "1", "description": draw(_TEXT)},
        "channels": channels,
        "components": {
            "schemas": draw(
                st.dictionaries(st.sampled_from(["A", "B", "a", "C-d", "c_d"]), SCHEMAS, max_size=3)
            )
        },
    }
    if draw(st.booleans()):
        document["servers"] = draw(st.dictionaries(_NAME, _SERVER, max_size=2))
    return document


@st.composite
def documents_v3(draw: st.DrawFn) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for key in draw(st.lists(_NAME, max_size=4, unique=True)):
        messages = draw(st.dictionaries(_NAME, _message(), max_size=3))
        channels[key] = {"address": draw(st.one_of(st.none(), _ADDRESS)), "messages": messages}
        if draw(st.booleans()):
            channels[key]["description"] = draw(_TEXT)
        for index in range(draw(st.integers(0, 2))):
            operations[f"{key}{index}"] = {
                "action": draw(st.sampled_from(["send", "receive", "other"])),
                "channel": {"$ref": f"#/channels/{key.replace('~', '~0').replace('/', '~1')}"},
                "messages": [
                    {
                        "$ref": f"#/channels/{key.replace('~', '~0').replace('/', '~1')}/messages/{m.replace('~', '~0').replace('/', '~1')}"
                    }
                    for m in messages
                    if draw(st.booleans())
                ],
            }
    document: dict[str, Any] = {
        "asyncapi": draw(st.sampled_from(["3.0.0", "3.1.0"])),
        "info": {"title": draw(_TEXT), "version": "1", "description": draw(_TEXT)},
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": draw(st.dictionaries(st.sampled_from(["A", "B", "a"]), SCHEMAS, max_size=3))
        },
    }
    if draw(st.booleans()):
        document["servers"] = {
            "main": {"host": "localhost", "protocol": draw(st.sampled_from(["ws", "wss", "mqtt"]))}
        }
    return document


DOCUMENTS = st.one_of(documents_v2(), documents_v3())

# -- the corpus, mutated -------------------------------------------------------------------------


def corpus_files() -> list[Path]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as table:
        rows = [r for r in csv.DictReader(table, delimiter="\t") if r["set"] == "public"]
    # The few documents of hundreds of KB take seconds each (test_corpus builds them): edits of
    # the smaller ones find the same faults a hundred times faster.
    return [CORPUS / r["local_file"] for r in rows if int(r["bytes"]) < MAX_CORPUS_BYTES]


MAX_CORPUS_BYTES = 100_000


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return YAML(typ="safe", pure=True).load(text)


_CORPUS_TREES: dict[Path, Any] = {}


def corpus_tree(path: Path) -> Any:
    if path not in _CORPUS_TREES:
        _CORPUS_TREES[path] = _read(path)
    return _CORPUS_TREES[path]


def _nodes(tree: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every node below the root, iteratively."""
    found: list[tuple[Any, Any]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node) if isinstance(node, list) else ()
        )
        for key, value in items:
            found.append((node, key))
            stack.append(value)
    return found


_SWAPS: list[Callable[[Any], Any]] = [
    lambda v: [v],
    lambda v: {"x": v},
    lambda v: str(v),
    lambda v: 1,
    lambda v: None,
    lambda v: True,
    lambda v: [],
    lambda v: {},
    lambda v: list(v.values()) if isinstance(v, dict) else v,
]


@st.composite
def mutated_corpus(draw: st.DrawFn) -> tuple[str, Any]:
    """(file name, a corpus document after one to four random edits)."""
    path = draw(st.sampled_from(corpus_files()))
    tree = copy.deepcopy(corpus_tree(path))
    for _ in range(draw(st.integers(1, 4))):
        nodes = _nodes(tree)
        if not nodes:
            break
        container, key = nodes[draw(st.integers(0, len(nodes) - 1))]
        action = draw(
            st.sampled_from(["delete", "replace", "duplicate", "swap", "odd", "ref", "rename"])
        )
        if action == "delete":
            del container[key]
        elif action == "replace":
            # a copy: sampled values are shared, and a later edit must not change them for good
            container[key] = copy.deepcopy(draw(st.one_of(_JSON, SCHEMAS)))
        elif action == "duplicate":
            other, other_key = nodes[draw(st.integers(0, len(nodes) - 1))]
            container[key] = copy.deepcopy(other[other_key])
        elif action == "swap":
            container[key] = draw(st.sampled_from(_SWAPS))(container[key])
        elif action == "odd":
            container[key] = draw(st.sampled_from(ODD_STRINGS))
        elif action == "ref":
            container[key] = {
                "$ref": draw(
                    st.sampled_from(
                        [
                            "#",
                            "#/",
                            "#/components",
                            "#/channels",
                            "#/components/schemas/x/properties",
                            "./nope.yaml#/a",
                        ]
                    )
                )
            }
        elif isinstance(container, dict):
            container[draw(_NAME)] = container.pop(key)
    return path.name, tree


# -- checking one document -------------------------------------------------------------------------


@dataclass
class Figures:
    examples: int = 0
    built: int = 0
    refused: int = 0
    crashes: int = 0

    def line(self) -> str:
        return (
            f"examples {self.examples}, builds {self.built}, located errors {self.refused}, "
            f"crashes {self.crashes}"
        )


class Crash(AssertionError):
    """What asyncgen must never do with a document: the reason, and the document's text."""


def dump(tree: Any, suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(tree, ensure_ascii=False, indent=1, default=str)
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.dump(tree, out)
    return out.getvalue()


TIME_LIMIT = 60  # seconds one document may take: far more than any document needs


def _expire(signum: int, frame: object) -> None:
    raise TimeoutError(f"generate did not return within {TIME_LIMIT} s (a hang?)")


def check(text: str, name: str, folder: Path, package: str, figures: Figures) -> Path | None:
    """Generates the document `text` (written to `folder/name`); raises Crash if asyncgen fails
    it (or takes more than TIME_LIMIT); returns the package folder when one was built (imported
    already)."""
    figures.examples += 1
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / name
    spec.write_text(text, encoding="utf-8", errors="surrogatepass")
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.alarm(TIME_LIMIT)
    try:
        result = generate(spec, package)
    except BaseException as exc:
        figures.crashes += 1
        raise Crash(
            f"generate raised:\n{traceback.format_exc()}\n--- {name}\n{text[:4000]}"
        ) from exc
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if result.files is None:
        unlocated = [p for p in result.problems.errors if p.position is None and not p.pointer]
        if unlocated or not result.problems.errors:
            figures.crashes += 1
            raise Crash(
                f"refused without a location:\n{result.problems.format()}\n--- {name}\n{text[:4000]}"
            )
        figures.refused += 1
        return None
    out = folder / "out"
    write(out / package, result.files)
    try:
        for file, source in result.files.items():
            if file.endswith(".py"):
                compile(source, f"{package}/{file}", "exec")
        _import(out, package)
    except BaseException as exc:
        figures.crashes += 1
        raise Crash(
            f"the package does not import:\n{traceback.format_exc()}\n--- {name}\n{text[:4000]}"
        ) from exc
    figures.built += 1
    return out / package


def _import(root: Path, package: str) -> None:
    sys.path.insert(0, str(root))
    try:
        for module in ("models", "validators", "client", "server"):
            if (root / package / f"{module}.py").is_file():
                importlib.import_module(f"{package}.{module}")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
