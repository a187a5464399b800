"""Differential test: compiled validators and `jsonschema.Draft7Validator` agree on every verdict.

For each schema, hypothesis-jsonschema generates valid instances; arbitrary JSON values and
mutations of valid instances (a key dropped, a key added, a value replaced) give invalid ones.

What is compared, and why:

- Formats: jsonschema checks, without extra packages, `date`, `ipv4`, `ipv6`, `email`,
  `idn-email`, `idn-hostname` and `regex`. Verdicts are compared with both sides checking the
  formats they agree on (`date`, `ipv4`, `ipv6`); jsonschema's `email` only looks for an `@`
  and its `regex` is Python syntax, so schemas here do not use those. Every other format
  (`uuid`, `date-time`, `byte`, `uri`, ...) is checked by our full validator only, which must
  accept every generated valid instance.
- Patterns avoid `$`, `\\d`, `\\w` and `.`: jsonschema runs them as Python regexes, whose
  meaning differs from ECMA-262 there (the suite's ecmascript-regex cases cover those).
- `multipleOf` is an integer: jsonschema divides floats (inexactly) where the compiler is exact.
- `nullable` is not draft-07, so no schema here uses it.

The Cartesia spec's component schemas are included (`#/components/schemas/X` rewritten to
`#/definitions/X`), and a deterministic sample of the named schemas of the corpus documents in
tests/data/corpus, as the generator hands them to the compiler (those whose patterns, formats or
`multipleOf` jsonschema reads differently are left out, for the reasons above).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import uuid
from typing import Any

import hypothesis_support  # noqa: F401  (hypothesis-jsonschema adapted to this Hypothesis)
import pytest
from asyncgen.validation import CompiledValidator, compile_validator
from conftest import DATA, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from hypothesis_jsonschema import from_schema
from hypothesis_jsonschema._canonicalise import HypothesisRefResolutionError
from jsonschema import Draft7Validator, FormatChecker
from ruamel.yaml import YAML

SPEC = ROOT / "specs" / "cartesia.yaml"
COMPARED_FORMATS = {"date", "ipv4", "ipv6"}
assert COMPARED_FORMATS <= set(Draft7Validator.FORMAT_CHECKER.checkers)

REQUEST = {
    "type": "object",
    "required": ["model_id", "transcript", "voice", "output_format"],
    "properties": {
        "model_id": {"type": "string", "enum": ["sonic-2", "sonic-turbo"]},
        "transcript": {"type": "string", "minLength": 1, "maxLength": 50},
        "voice": {
            "type": "object",
            "required": ["mode", "id"],
            "properties": {"mode": {"const": "id"}, "id": {"type": "string", "format": "uuid"}},
            "additionalProperties": False,
        },
        "output_format": {
            "type": "object",
            "required": ["container", "encoding", "sample_rate"],
            "properties": {
                "container": {"enum": ["raw", "wav", "mp3"]},
                "encoding": {"enum": ["pcm_f32le", "pcm_s16le", None, 1]},
                "sample_rate": {"type": "integer", "enum": [8000, 16000, 44100]},
            },
        },
        "speed": {"type": "number", "minimum": 0.6, "maximum": 1.5},
        "volume": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 2},
        "language": {"type": ["string", "null"], "pattern": "^[a-z]{2}"},
        "context_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]+", "maxLength": 64},
        "duration": {"type": "integer", "minimum": 1, "multipleOf": 5},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "uniqueItems": True},
        "add_timestamps": {"type": "boolean"},
    },
    "additionalProperties": False,
}
NESTED = {
    "type": "object",
    "required": ["words"],
    "properties": {
        "words": {"type": "array", "items": {"type": "string"}, "maxItems": 6},
        "start": {"type": "array", "items": {"type": "number", "minimum": 0}},
        "matrix": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
            "contains": {"maxItems": 1},
        },
        "pairs": {"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False},
    },
}
FRAMES = {
    "definitions": {
        "chunk": {
            "type": "object",
            "required": ["type", "data", "done"],
            "properties": {
                "type": {"const": "chunk"},
                "data": {"type": "string", "format": "byte"},
                "done": {"type": "boolean"},
                "step_time": {"type": "number"},
            },
        },
        "done": {
            "type": "object",
            "required": ["type", "done"],
            "properties": {"type": {"const": "done"}, "done": {"const": True}},
        },
        "error": {
            "type": "object",
            "required": ["type", "error"],
            "properties": {"type": {"enum": ["error"]}, "error": {"type": "string"}},
        },
    },
    "oneOf": [
        {"$ref": "#/definitions/chunk"},
        {"$ref": "#/definitions/done"},
        {"$ref": "#/definitions/error"},
    ],
}
FORMATS = {
    "type": "object",
    "properties": {
        "data": {"type": "string", "format": "byte"},
        "id": {"format": "uuid"},
        "at": {"format": "date-time"},
        "day": {"format": "date"},
        "ip": {"format": "ipv4"},
        "ip6": {"format": "ipv6"},
    },
}
MISC = {
    "type": "object",
    "properties": {
        "a": {"anyOf": [{"type": "integer", "maximum": 3}, {"type": "string", "maxLength": 2}]},
        "n": {"not": {"type": ["array", "object"]}},
        "c": {"if": {"type": "integer"}, "then": {"minimum": 10}, "else": {"type": "string"}},
        "k": {"const": {"x": [1, "y"]}},
        "m": {"type": "object", "propertyNames": {"maxLength": 3}, "maxProperties": 3},
        "p": {"patternProperties": {"^x": {"type": "boolean"}}, "additionalProperties": False},
    },
    "dependencies": {"a": ["n"], "c": {"required": ["k"]}},
}
INLINE = {"request": REQUEST, "nested": NESTED, "frames": FRAMES, "formats": FORMATS, "misc": MISC}


def _spec_schemas() -> dict[str, Any]:
    if not SPEC.is_file():
        return {}
    schemas = YAML(typ="safe").load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"]

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: (
                    v.replace("#/components/schemas/", "#/definitions/")
                    if k == "$ref" and isinstance(v, str)
                    else rewrite(v)
                )
                for k, v in node.items()
            }
        return [rewrite(v) for v in node] if isinstance(node, list) else node

    definitions = rewrite(schemas)
    return {
        f"cartesia/{name}": {"definitions": definitions, "$ref": f"#/definitions/{name}"}
        for name in definitions
    }


_PYTHON_VS_ECMA = ("$", "\\d", "\\w", "\\s", "\\b", ".", "\\p")


def _comparable(node: Any) -> bool:
    """Whether jsonschema (Python regexes, float division) can be the oracle for a schema."""
    if isinstance(node, list):
        return all(_comparable(n) for n in node)
    if not isinstance(node, dict):
        return True
    patterns = [node.get("pattern")] if isinstance(node.get("pattern"), str) else []
    if isinstance(node.get("patternProperties"), dict):
        patterns += list(node["patternProperties"])
    if any(marker in p for p in patterns for marker in _PYTHON_VS_ECMA):
        return False
    if "nullable" in node or node.get("format") in ("email", "idn-email", "regex"):
        return False
    if "multipleOf" in node and not isinstance(node["multipleOf"], int):
        return False
    return all(_comparable(v) for k, v in node.items() if k not in ("enum", "const", "examples"))


def _corpus_schemas(limit: int = 50) -> dict[str, Any]:
    """Named schemas of the corpus documents (those that generate), as the generator hands them
    to the compiler: each with its document's other named schemas as `definitions`.
    Deterministic: distinct schemas in (document, name) order, every k-th up to `limit`."""
    from asyncgen.diagnostics import Problems
    from asyncgen.pipeline import Reading, parse

    corpus = DATA / "corpus"
    if not corpus.is_dir():
        return {}
    rows = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    found: dict[str, Any] = {}
    seen: set[str] = set()
    for row in rows:
        path = corpus / row.split("\t")[1]
        api = parse(path, Problems(), reading=Reading(root=corpus))
        if api is None:
            continue
        definitions = {n.name: n.json_schema for n in api.schemas}
        for named in api.schemas:
            key = json.dumps(named.json_schema, sort_keys=True)
            if key in seen or not named.json_schema or not _comparable(definitions):
                continue
            seen.add(key)
            ref = "#/definitions/" + named.name.replace("~", "~0").replace("/", "~1")
            found[f"corpus/{path.parent.name}/{path.name}/{named.name}"] = {"definitions": definitions, "$ref": ref}
    names = sorted(found)
    step = max(1, len(names) // limit)
    return {name: found[name] for name in names[::step][:limit]}


SCHEMAS = {**INLINE, **_spec_schemas(), **_corpus_schemas()}
CUSTOM_FORMATS = {
    "byte": st.binary(max_size=48).map(lambda b: base64.b64encode(b).decode()),
    "uuid": st.uuids().map(str),
    "binary": st.text(max_size=8),
}
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@functools.cache
def _validators(name: str) -> tuple[CompiledValidator, CompiledValidator, Draft7Validator]:
    schema = SCHEMAS[name]
    full = compile_validator(schema)
    compared = compile_validator(schema, formats=COMPARED_FORMATS)
    oracle = Draft7Validator(schema, format_checker=FormatChecker(sorted(COMPARED_FORMATS)))
    return full, compared, oracle


def _agree(name: str, instance: Any) -> bool:
    _, compared, oracle = _validators(name)
    ours, theirs = compared.is_valid(instance), oracle.is_valid(instance)
    assert ours == theirs, f"{name}: compiled says {ours}, jsonschema says {theirs}: {instance!r}"
    assert bool(compared.errors(instance)) is not ours
    return ours


def _mutate(data: st.DataObject, value: Any) -> Any:
    """A copy of `value` with one thing changed somewhere inside it."""
    value = copy.deepcopy(value)
    holder: Any = None
    key: Any = None
    node = value
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        holder, key = node, data.draw(st.sampled_from(keys))
        node = node[key]
    action = data.draw(st.sampled_from(["replace", "drop", "add"]))
    if holder is None:
        return data.draw(JSON)
    if action == "replace":
        holder[key] = data.draw(JSON)
    elif action == "drop":
        del holder[key]
    elif isinstance(holder, dict):
        holder[data.draw(st.text(max_size=8))] = data.draw(JSON)
    else:
        holder.append(data.draw(JSON))
    return value


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_valid_instances_agree(name: str) -> None:
    full = _validators(name)[0]

    @SETTINGS
    @given(st.data())
    def check(data: st.DataObject) -> None:
        instance = data.draw(from_schema(SCHEMAS[name], custom_formats=CUSTOM_FORMATS))
        assert _agree(name, instance)
        assert full.is_valid(instance), full.errors(instance)
        mutated = _mutate(data, instance)
        _agree(name, mutated)

    try:
        check()
    except (Unsatisfiable, HypothesisRefResolutionError):
        # No instance exists (corpus documents hold schemas like `type: object` with a string
        # `enum`), or the schema is recursive, which hypothesis-jsonschema cannot generate
        # from: both sides must then agree on arbitrary values instead.
        assert name.startswith("corpus/"), name
        test_arbitrary_values_agree(name)


@pytest.mark.parametrize("name", sorted(INLINE))
def test_arbitrary_values_agree(name: str) -> None:
    @SETTINGS
    @given(JSON)
    def check(instance: Any) -> None:
        _agree(name, instance)

    check()


def test_spec_schemas_are_included_when_the_spec_exists() -> None:
    assert SPEC.is_file() == any(n.startswith("cartesia/") for n in SCHEMAS)


def test_corpus_schemas_are_included() -> None:
    assert sum(n.startswith("corpus/") for n in SCHEMAS) >= 45


def test_format_generators_make_valid_values() -> None:
    full = compile_validator(FORMATS)
    assert full.is_valid({"data": base64.b64encode(b"\x00\xff").decode(), "id": str(uuid.uuid4())})
