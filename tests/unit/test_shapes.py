"""Schemas of the same shape share one validator function and one model class."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from asyncgen import pipeline
from asyncgen.diagnostics import Problems
from asyncgen.validation import compile_module, same_shapes
from asyncgen.views.models import shared_classes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from synthetic_spec import document

LEAF = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


def test_same_text_same_shape_whatever_the_key_order() -> None:
    reordered = {"properties": LEAF["properties"], "type": "object"}
    assert same_shapes({"A": LEAF, "B": reordered, "C": {"type": "string"}}) == {
        "A": "A",
        "B": "A",
        "C": "C",
    }


def test_references_to_schemas_of_one_shape_are_alike() -> None:
    definitions = {
        "A": {"type": "object", "properties": {"x": _ref("LeafA"), "y": _ref("Other")}},
        "B": {"type": "object", "properties": {"x": _ref("LeafB"), "y": _ref("Other")}},
        "C": {"type": "object", "properties": {"x": _ref("Other"), "y": _ref("LeafA")}},
        "LeafA": LEAF,
        "LeafB": copy.deepcopy(LEAF),
        "Other": {"type": "string"},
    }
    same = same_shapes(definitions)
    assert same["B"] == "A" and same["LeafB"] == "LeafA"
    assert same["C"] == "C"  # the same text, references swapped


def test_rings_of_references() -> None:
    ring = {
        f"R{i}": {"type": "object", "properties": {"next": _ref(f"R{(i + 1) % 3}")}}
        for i in range(3)
    }
    assert set(same_shapes(ring).values()) == {"R0"}
    ring["R2"] = {"type": "object", "properties": {"next": _ref("R0")}, "required": ["next"]}
    same = same_shapes(ring)
    assert len(set(same.values())) == 3  # R2 differs, so R1 (-> R2) and R0 (-> R1) too


def test_kinds_tell_apart() -> None:
    assert same_shapes({"A": LEAF, "B": LEAF}, {"A": 1, "B": 2}) == {"A": "A", "B": "B"}


def test_one_validator_function_per_shape() -> None:
    source = compile_module(
        {"A": LEAF, "B": copy.deepcopy(LEAF)}, {"A": "validate_a", "B": "validate_b"}
    )
    assert "validate_b = validate_a" in source
    assert source.count("def _v") == 1
    namespace: dict[str, Any] = {}
    exec(compile(source, "<validators>", "exec"), namespace)  # noqa: S102
    namespace["validate_b"]({"n": 1})
    try:
        namespace["validate_b"]({"n": -1})
    except namespace["ValidationError"] as exc:
        assert exc.errors[0].path == "/n"
    else:
        raise AssertionError("not refused")


def _parse(tmp_path: Path, spec: dict[str, Any]) -> Any:
    path = tmp_path / "shapes.json"
    path.write_text(json.dumps(spec))
    problems = Problems()
    api = pipeline.parse(path, problems)
    assert api is not None, problems
    return api


def test_one_class_per_shape(tmp_path: Path) -> None:
    spec = document(4)
    api = _parse(tmp_path, spec)
    shared = shared_classes(api)
    assert {shared[f"Event{i}PayloadOrigin"] for i in range(4)} == {"Event0PayloadOrigin"}
    assert len({shared[f"Event{i}Payload"] for i in range(4)}) == 4  # tags differ
    result = pipeline.generate(tmp_path / "shapes.json")
    assert result.files is not None
    models = result.files["models.py"]
    assert "Event3PayloadOrigin = Event0PayloadOrigin" in models
    assert '"Event3PayloadOrigin",' in models  # still exported


def test_payloads_of_one_channel_keep_their_classes(tmp_path: Path) -> None:
    spec = document(4)
    schemas = spec["components"]["schemas"]
    schemas["Event1Payload"] = copy.deepcopy(schemas["Event0Payload"])  # both sent on one channel
    schemas["Event3Payload"] = copy.deepcopy(schemas["Event2Payload"])
    schemas["Event3Payload"]["description"] = "described"
    api = _parse(tmp_path, spec)
    shared = shared_classes(api)
    assert shared["Event1Payload"] == "Event1Payload"
    assert shared["Event3Payload"] == "Event3Payload"
    assert shared["Event1PayloadOrigin"] == "Event0PayloadOrigin"


def test_annotations_tell_classes_apart_not_validators() -> None:
    described = {**LEAF, "description": "a leaf", "x-note": 1}
    assert same_shapes({"A": LEAF, "B": described})["B"] == "B"
    assert same_shapes({"A": LEAF, "B": described}, annotations=False)["B"] == "A"
    named = {"type": "object", "properties": {"title": {"type": "string"}}}
    untitled = {"type": "object", "properties": {"name": {"type": "string"}}}
    assert same_shapes({"A": named, "B": untitled}, annotations=False)["B"] == "B"


def test_a_const_holding_a_reference_is_a_value() -> None:
    definitions = {
        "A": {"const": _ref("X")},
        "B": {"const": _ref("Y")},
        "X": LEAF,
        "Y": copy.deepcopy(LEAF),
    }
    assert same_shapes(definitions)["B"] == "B"
