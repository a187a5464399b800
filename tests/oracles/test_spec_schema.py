"""The Cartesia specs are valid AsyncAPI documents and say what the generator relies on.

`specs/cartesia.yaml` (AsyncAPI 2.6.0) and `specs/cartesia-v3.yaml` (3.0.0) are checked against the
official AsyncAPI JSON Schemas of the npm package `@asyncapi/specs` (pinned in `package.json`,
installed into `node_modules/` by `npm ci`), offline. Beyond schema validity, the tests pin the
facts the generated package depends on: string versions, correlation ids on every TTS message,
identical components in both documents, and message examples that satisfy their payload schemas.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from functools import cache
from typing import Any

import pytest
from conftest import ROOT
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import best_match, relevance
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

SPEC_V2 = ROOT / "specs" / "cartesia.yaml"
SPEC_V3 = ROOT / "specs" / "cartesia-v3.yaml"
OFFICIAL = ROOT / "node_modules" / "@asyncapi" / "specs" / "schemas"
WS_CHANNEL_BINDING = "http://asyncapi.com/bindings/websockets/0.1.0/channel.json"
SPEC_URI = "urn:asyncgen:test:spec"

SPECS = {"v2": SPEC_V2, "v3": SPEC_V3}
TTS_MESSAGES = (
    "ttsGenerationRequest",
    "ttsCancelRequest",
    "ttsChunk",
    "ttsTimestamps",
    "ttsPhonemeTimestamps",
    "ttsFlushDone",
    "ttsDone",
    "ttsError",
)
# message key -> its `x-conversation` value; no other message may carry the extension
CONVERSATION = {"ttsDone": "end", "ttsError": "end", "ttsCancelRequest": "cancel"}
INLINE_PAYLOADS = {"sttAudio", "sttFinalize", "sttClose", "turnsAudio"}


# ---------------------------------------------------------------------------------------------
# loading


def to_json(node: Any, pointer: str = "") -> Any:
    """Plain JSON types from a ruamel round-trip tree; anything else (a YAML date, a set, a
    non-string key) is an error naming where it is."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"{pointer or '/'}: key {key!r} is a {type(key).__name__}, not a string"
                )
            out[key] = to_json(value, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
        return out
    if isinstance(node, list):
        return [to_json(value, f"{pointer}/{i}") for i, value in enumerate(node)]
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (datetime.date, datetime.datetime)):
        raise TypeError(
            f"{pointer}: {node!r} loads as a YAML timestamp; quote it so it is a string"
        )
    raise TypeError(f"{pointer}: {type(node).__name__} is not a JSON type")


@cache
def load(which: str) -> dict[str, Any]:
    yaml = YAML(typ="rt")  # YAML 1.2, as the generator reads it
    with SPECS[which].open(encoding="utf-8") as handle:
        document: dict[str, Any] = to_json(yaml.load(handle))
    return document


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"not a local reference: {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(document, node["$ref"])
    return node


# ---------------------------------------------------------------------------------------------
# the official AsyncAPI schemas


@cache
def official_bundle(version: str) -> dict[str, Any]:
    path = OFFICIAL / f"{version}.json"
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: run `npm ci` in {ROOT} to install the "
            "official AsyncAPI JSON Schemas (@asyncapi/specs, pinned in package.json)",
            pytrace=False,
        )
    bundle: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return bundle


@cache
def official_registry(version: str) -> Registry:
    bundle = official_bundle(version)
    resources = [(bundle["$id"], Resource.from_contents(bundle, default_specification=DRAFT7))]
    for uri, schema in bundle.get("definitions", {}).items():
        resources.append((uri, Resource.from_contents(schema, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def official_validator(version: str, schema: dict[str, Any] | None = None) -> Draft7Validator:
    schema = official_bundle(version) if schema is None else schema
    return Draft7Validator(
        schema, registry=official_registry(version), format_checker=Draft7Validator.FORMAT_CHECKER
    )


def describe_errors(validator: Draft7Validator, instance: Any) -> str:
    errors = list(validator.iter_errors(instance))
    if not errors:
        return ""
    lines = []
    best = best_match(errors)
    lines.append(f"best match: {best.json_path}: {best.message[:300]}")
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        lines.append(f"  {error.json_path}: {error.message[:200]}")
        for sub in sorted(error.context or (), key=relevance)[:3]:
            lines.append(f"      {sub.json_path}: {sub.message[:200]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("which", "version"), [("v2", "2.6.0"), ("v3", "3.0.0")])
def test_spec_is_valid_against_official_asyncapi_schema(which: str, version: str) -> None:
    document = load(which)
    assert document["asyncapi"] == version
    problems = describe_errors(official_validator(version), document)
    assert not problems, f"{SPECS[which].name} is not valid AsyncAPI {version}:\n{problems}"


def test_v2_ws_channel_bindings_follow_the_ws_binding_schema() -> None:
    """The 2.6.0 bundle does not check binding contents; the ws 0.1.0 binding schema (bundled with
    3.0.0) does, so the 2.x channel bindings are checked against it too."""
    binding_schema = {"$ref": WS_CHANNEL_BINDING}
    validator = official_validator("3.0.0", binding_schema)
    for address, channel in load("v2")["channels"].items():
        problems = describe_errors(validator, channel["bindings"]["ws"])
        assert not problems, f"ws binding of {address}:\n{problems}"


# ---------------------------------------------------------------------------------------------
# YAML pitfalls


@pytest.mark.parametrize("which", SPECS)
def test_loads_the_same_under_yaml_1_1_rules(which: str) -> None:
    """Readers with YAML 1.1 rules (PyYAML and most tools) turn unquoted `no`, `on`, dates and
    sexagesimal numbers into booleans, dates and integers; every such value is quoted."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    with SPECS[which].open(encoding="utf-8") as handle:
        old_rules = yaml.load(handle)
    assert old_rules == load(which)


@pytest.mark.parametrize("which", SPECS)
def test_info_version_is_a_string(which: str) -> None:
    document = load(which)
    assert document["info"]["version"] == "2026-03-01"
    assert isinstance(document["info"]["version"], str)


@pytest.mark.parametrize("which", SPECS)
def test_language_enum_keeps_norwegian_as_a_string(which: str) -> None:
    languages = load(which)["components"]["schemas"]["TtsLanguage"]["enum"]
    assert all(isinstance(code, str) for code in languages)
    assert {"no", "or", "ur", "en"} <= set(languages)
    assert len(languages) == len(set(languages)) == 44


# ---------------------------------------------------------------------------------------------
# what the generator relies on


def test_v2_and_v3_share_components() -> None:
    v2, v3 = load("v2")["components"], load("v3")["components"]
    for section in ("schemas", "messages", "securitySchemes", "correlationIds"):
        assert v2[section] == v3[section], f"components.{section} differ between the documents"
    info2, info3 = load("v2")["info"], load("v3")["info"]
    for field in ("title", "version", "description", "contact"):
        assert info2[field] == info3[field], f"info.{field} differs between the documents"


def v2_channels() -> dict[str, dict[str, list[str]]]:
    """address -> {"sends": [...], "receives": [...]} message keys, from the client's side."""
    document = load("v2")
    out = {}
    for address, channel in document["channels"].items():
        sides = {}
        for side, operation in (("sends", "publish"), ("receives", "subscribe")):
            message = channel[operation]["message"]
            refs = (
                [m["$ref"] for m in message["oneOf"]] if "oneOf" in message else [message["$ref"]]
            )
            sides[side] = [ref.rsplit("/", 1)[1] for ref in refs]
        out[address] = sides
    return out


def v3_channels() -> dict[str, dict[str, list[str]]]:
    document = load("v3")
    out: dict[str, dict[str, list[str]]] = {}
    for operation in document["operations"].values():
        channel = resolve(document, operation["channel"]["$ref"])
        # in 3.0 the document describes the server: it receives what the client sends
        side = {"receive": "sends", "send": "receives"}[operation["action"]]
        keys = []
        for ref in operation["messages"]:
            assert ref["$ref"].startswith(operation["channel"]["$ref"] + "/messages/"), ref
            message_ref = resolve(document, ref["$ref"])["$ref"]
            keys.append(message_ref.rsplit("/", 1)[1])
        sides = out.setdefault(channel["address"], {})
        assert side not in sides, f"two {operation['action']} operations on {channel['address']}"
        sides[side] = keys
    return out


def test_v2_and_v3_describe_the_same_channels() -> None:
    assert v2_channels() == v3_channels()
    v2, v3 = load("v2"), load("v3")
    v3_by_address = {channel["address"]: channel for channel in v3["channels"].values()}
    for address, channel in v2["channels"].items():
        other = v3_by_address[address]
        assert channel["bindings"] == other["bindings"], address
        assert channel["description"] == other["description"], address
        used = set(v2_channels()[address]["sends"]) | set(v2_channels()[address]["receives"])
        assert {m["$ref"].rsplit("/", 1)[1] for m in other["messages"].values()} == used
    server2, server3 = v2["servers"]["production"], v3["servers"]["production"]
    assert server2["url"] == server3["host"] == "api.cartesia.ai"
    assert server2["protocol"] == server3["protocol"] == "wss"
    assert [list(requirement) for requirement in server2["security"]] == [
        [ref["$ref"].rsplit("/", 1)[1]] for ref in server3["security"]
    ]


@pytest.mark.parametrize("which", SPECS)
def test_every_local_ref_resolves(which: str) -> None:
    document = load(which)

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                try:
                    resolve(document, node["$ref"])
                except (KeyError, IndexError, ValueError) as exc:
                    pytest.fail(f"{pointer}/$ref: {node['$ref']} does not resolve ({exc!r})")
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{pointer}/{i}")

    walk(document, "")


@pytest.mark.parametrize("which", SPECS)
def test_every_tts_message_carries_the_context_correlation_id(which: str) -> None:
    document = load(which)
    tts = v2_channels()["/tts/websocket"]
    assert sorted(tts["sends"] + tts["receives"]) == sorted(TTS_MESSAGES)
    for key in TTS_MESSAGES:
        message = document["components"]["messages"][key]
        assert message["correlationId"] == {"$ref": "#/components/correlationIds/contextId"}, key
        correlation = deref(document, message["correlationId"])
        assert correlation["location"] == "$message.payload#/context_id"
        assert "context_id" in deref(document, message["payload"])["properties"], key
    for key, message in document["components"]["messages"].items():
        if key not in TTS_MESSAGES:
            assert "correlationId" not in message, f"{key} is not a TTS message"


@pytest.mark.parametrize("which", SPECS)
def test_conversation_lifecycle_extension(which: str) -> None:
    messages = load(which)["components"]["messages"]
    marked = {key: m["x-conversation"] for key, m in messages.items() if "x-conversation" in m}
    assert marked == CONVERSATION


@pytest.mark.parametrize("which", SPECS)
def test_api_version_is_required_in_exactly_one_place(which: str) -> None:
    document = load(which)
    assert "bindings" not in document["servers"]["production"]
    for channel in document["channels"].values():
        ws = channel["bindings"]["ws"]
        assert ws["method"] == "GET"
        query, headers = ws["query"], ws["headers"]
        assert query["type"] == headers["type"] == "object"
        assert "cartesia_version" in query["required"]
        assert query["properties"]["cartesia_version"]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"
        assert "Cartesia-Version" in headers["properties"]
        assert "Cartesia-Version" not in headers.get("required", [])
        # auth travels as security schemes, not as binding parameters
        assert "access_token" not in query["properties"]
        assert not {"X-API-Key", "Authorization"} & set(headers["properties"])


@pytest.mark.parametrize("which", SPECS)
def test_messages_are_complete(which: str) -> None:
    document = load(which)
    for key, message in document["components"]["messages"].items():
        assert message["name"] == key
        for field in ("title", "summary", "contentType", "payload", "examples"):
            assert message.get(field), f"{key} has no {field}"
        if key in INLINE_PAYLOADS:
            assert message["contentType"] in ("application/octet-stream", "text/plain"), key
            assert "$ref" not in message["payload"], key
        else:
            assert message["contentType"] == "application/json", key
            assert set(message["payload"]) == {"$ref"}, key
            assert message["payload"]["$ref"].startswith("#/components/schemas/"), key


# ---------------------------------------------------------------------------------------------
# examples


def example_format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("byte", raises=(binascii.Error, ValueError))  # type: ignore[untyped-decorator]
    def is_base64(value: object) -> bool:
        if isinstance(value, str):
            base64.b64decode(value, validate=True)
        return True

    return checker


def all_examples() -> list[Any]:
    """One parameter per message example; a spec that does not load gives one parameter that
    fails with the loading error (collection itself must not break)."""
    params = []
    for which in SPECS:
        try:
            messages = load(which)["components"]["messages"]
        except (OSError, TypeError, KeyError, YAMLError):  # reported by the test itself
            params.append(pytest.param(which, "", -1, id=f"{which}-unloadable"))
            continue
        for key, message in messages.items():
            for i, example in enumerate(message.get("examples", [])):
                name = example.get("name", str(i))
                params.append(pytest.param(which, key, i, id=f"{which}-{key}-{name}"))
    return params


@pytest.mark.parametrize(("which", "key", "index"), all_examples())
def test_message_example_matches_its_payload_schema(which: str, key: str, index: int) -> None:
    document = load(which)  # raises here for an unloadable spec
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(document, default_specification=DRAFT7)
    )
    validator = Draft7Validator(
        {"$ref": f"{SPEC_URI}#/components/messages/{key}/payload"},
        registry=registry,
        format_checker=example_format_checker(),
    )
    example = document["components"]["messages"][key]["examples"][index]
    assert set(example) <= {"name", "summary", "payload", "headers"}
    problems = describe_errors(validator, example["payload"])
    assert not problems, f"example {example.get('name')} of {key}:\n{problems}"


def test_examples_cover_the_cases_that_matter() -> None:
    """Round trips of the examples exercise: audio that is not valid UTF-8, the `continue`
    keyword, several timed words, a second flush segment, errors with and without a context."""
    messages = load("v2")["components"]["messages"]

    def payloads(key: str) -> list[Any]:
        return [example["payload"] for example in messages[key]["examples"]]

    for chunk in payloads("ttsChunk"):
        audio = base64.b64decode(chunk["data"], validate=True)
        assert len(audio) % 2 == 0
        with pytest.raises(UnicodeDecodeError):
            audio.decode("utf-8")
    assert any(request.get("continue") is True for request in payloads("ttsGenerationRequest"))
    assert any(len(t["word_timestamps"]["words"]) >= 3 for t in payloads("ttsTimestamps"))
    assert any(flush["flush_id"] == 2 for flush in payloads("ttsFlushDone"))
    errors = payloads("ttsError")
    assert any("context_id" in error for error in errors)
    assert any("context_id" not in error and error["error_code"] is None for error in errors)


def test_payload_schemas_are_draft7_schemas() -> None:
    components = load("v2")["components"]
    for schema in components["schemas"].values():
        Draft7Validator.check_schema(schema)
    for message in components["messages"].values():
        Draft7Validator.check_schema(message["payload"])
