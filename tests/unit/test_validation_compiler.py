"""The validator compiler beyond the test suite: error items, hostile text, recursion, the
quality of a compiled module (black, ruff, mypy --strict), determinism, the standard library
only, and the AsyncAPI extras."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import asyncgen
import pytest
from asyncgen.validation import (
    SchemaError,
    ValidationError,
    ValidationErrorItem,
    compile_module,
    compile_source,
    compile_validator,
)
from ruamel.yaml import YAML

HOSTILE = 'a"""b\\c\n{{x}}\'y\r\t\x00\u2028 {0} %s end'

TIMESTAMPS = {
    "type": "object",
    "properties": {
        "word_timestamps": {
            "type": "object",
            "required": ["words", "start"],
            "properties": {
                "words": {"type": "array", "items": {"type": "string"}},
                "start": {"type": "array", "items": {"type": "number", "minimum": 0}},
            },
        },
        "done": {"type": "boolean"},
    },
}

FORMATS = (
    "date", "time", "date-time", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
    "uri", "uri-reference", "iri", "iri-reference", "uri-template", "uuid", "json-pointer",
    "relative-json-pointer", "regex", "byte", "binary", "int32",
)  # fmt: skip

# Every keyword, every format, the AsyncAPI extras, and hostile text wherever text can go.
DEFINITIONS: dict[str, Any] = {
    "Everything": {
        "description": HOSTILE,
        "type": "object",
        "required": ["kind", 'q"uote'],
        "properties": {
            "kind": {"const": "everything"},
            'q"uote': {"type": "string", "minLength": 1, "maxLength": 10, "pattern": r"^[a-z\d]+$"},
            HOSTILE: {"enum": [HOSTILE, 1, 1.5, None, True, [1, {"a": HOSTILE}], {"k": [HOSTILE]}]},
            "n": {
                "type": "number",
                "minimum": 0,
                "maximum": 1e300,
                "exclusiveMinimum": -1,
                "exclusiveMaximum": 2e300,
                "multipleOf": 0.0075,
            },
            "i": {"type": "integer", "multipleOf": 3, "nullable": True},
            "arr": {
                "type": "array",
                "items": {"$ref": "#/definitions/Everything"},
                "minItems": 1,
                "maxItems": 5,
                "uniqueItems": True,
                "contains": {"type": "object"},
            },
            "tup": {"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False},
            "tup2": {"items": [{"type": "string"}, False], "additionalItems": {"type": "boolean"}},
            "obj": {
                "type": "object",
                "patternProperties": {"^x-|" + HOSTILE: {"type": "string"}, "^y": False},
                "additionalProperties": {"type": "integer"},
                "propertyNames": {"maxLength": 8, "pattern": "^[^\\s]"},
                "minProperties": 1,
                "maxProperties": 3,
                "dependencies": {"a": ["b", HOSTILE], "c": {"required": ["d"]}},
            },
            "any": {
                "anyOf": [{"type": "string"}, {"type": "null"}, {"$ref": "#/definitions/Small"}]
            },
            "one": {
                "oneOf": [{"$ref": "#/definitions/A"}, {"$ref": "#/definitions/B"}],
                "discriminator": {"propertyName": "type"},
            },
            "one2": {"oneOf": [{"multipleOf": 2}, {"multipleOf": 3}]},
            "not": {"not": {"type": "string"}},
            "cond": {
                "if": {"properties": {"p": {"const": 1}}},
                "then": {"required": ["q"]},
                "else": {"required": ["r"]},
            },
            "all": {"allOf": [{"type": "string"}, {"format": "date-time"}, {"minLength": 20}]},
            "fmt": {"type": "array", "items": {"anyOf": [{"format": f} for f in FORMATS]}},
            "bools": {"properties": {"t": True, "f": False}},
            "deep": {"const": {"a": [1, 2.5, None, HOSTILE]}},
            "big": {"minimum": -18446744073709551615, "maximum": 18446744073709551615},
            "nul": {"type": ["string", "null"], "minLength": 2},
            "ro": {
                "type": "string",
                "readOnly": True,
                "writeOnly": False,
                "deprecated": True,
                "example": HOSTILE,
            },
            "unknown": {"x-whatever": {"type": "integer"}, "title": HOSTILE},
            "many": {"required": list("abcdefghij"), "properties": {"a": {"enum": ["x", "y"]}}},
            "unicode": {"pattern": "^\\p{Lu}\\w*$", "format": "regex"},
        },
        "additionalProperties": False,
    },
    "Small": {"type": "object", "properties": {"v": {"type": "integer"}}},
    "A": {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"const": "a"}, "x": {"type": "string"}},
    },
    "B": {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": ["b"]}, "y": {"$ref": "#/definitions/Tree"}},
    },
    "Tree": {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/definitions/Tree"}},
            "value": {"type": ["integer", "string"]},
        },
    },
    'weird/na~me"\n' + HOSTILE: {"type": "boolean", "description": HOSTILE},
    "Nothing": False,
    "Anything": True,
}
FUNCTIONS = {
    "Everything": "validate_everything",
    "Small": "validate_small",
    "A": "validate_a",
    "B": "validate_b",
    "Tree": "validate_tree",
    'weird/na~me"\n' + HOSTILE: "validate_weird",
    "Nothing": "validate_nothing",
    "Anything": "validate_anything",
}
VALID_EVERYTHING = {
    "kind": "everything",
    'q"uote': "abc1",
    HOSTILE: {"k": [HOSTILE]},
    "n": 0.0225,
    "i": None,
    "arr": [{"kind": "everything", 'q"uote': "z"}],
    "tup": ["a", 1],
    "tup2": ["a"],
    "obj": {"x-" + HOSTILE[:3]: "s", "zz": 3},
    "any": {"v": 2},
    "one": {"type": "b", "y": {"children": [{"value": 1}, {"value": "two"}]}},
    "one2": 4,
    "not": 5,
    "cond": {"p": 1, "q": 0},
    "all": "2024-01-02T03:04:05Z",
    "fmt": ["2024-01-02", "a@b.example", "::1", "aGk=", "#/x", "anything"],
    "bools": {"t": 1},
    "deep": {"a": [1.0, 2.5, None, HOSTILE]},
    "big": 18446744073709551615,
    "nul": None,
    "ro": HOSTILE,
    "unknown": "no check",
    "many": dict.fromkeys("abcdefghij", "x"),
    "unicode": "Éa_1",
}


# ---------------------------------------------------------------------------- errors


def test_nested_error_has_path_schema_path_and_message() -> None:
    check = compile_validator(TIMESTAMPS)
    instance = {"word_timestamps": {"words": ["a", "b", "c", 4], "start": [0]}}
    with pytest.raises(ValidationError) as raised:
        check(instance)
    assert raised.value.errors == [
        ValidationErrorItem(
            "/word_timestamps/words/3",
            "/properties/word_timestamps/properties/words/items/type",
            "must be string, got integer",
        )
    ]
    assert str(raised.value) == "/word_timestamps/words/3: must be string, got integer"
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, asyncgen.ValidationError)


def test_first_error_by_default_all_on_request() -> None:
    instance = {"word_timestamps": {"words": [1, "b", 3], "start": [-1]}, "done": "no"}
    with pytest.raises(ValidationError) as first:
        compile_validator(TIMESTAMPS)(instance)
    with pytest.raises(ValidationError) as every:
        compile_validator(TIMESTAMPS, all_errors=True)(instance)
    assert [(e.path, e.message) for e in every.value.errors] == [
        ("/word_timestamps/words/0", "must be string, got integer"),
        ("/word_timestamps/words/2", "must be string, got integer"),
        ("/word_timestamps/start/0", "must be >= 0, got -1"),
        ("/done", "must be boolean, got string"),
    ]
    assert first.value.errors == every.value.errors[:1]
    assert str(every.value).startswith("4 validation errors:\n  /word_timestamps/words/0: must")
    assert compile_validator(TIMESTAMPS).errors(instance) == every.value.errors


def test_errors_through_references_keep_the_evaluation_path() -> None:
    schema = {
        "definitions": {"node": {"properties": {"next": {"$ref": "#/definitions/node"}}, "required": ["id"]}},
        "$ref": "#/definitions/node",
    }  # fmt: skip
    errors = compile_validator(schema).errors({"id": 1, "next": {"id": 2, "next": {}}})
    assert [(e.path, e.schema_path, e.message) for e in errors] == [
        ("/next/next", "/$ref/properties/next/$ref/properties/next/$ref/required",
         "missing required property 'id'"),
    ]  # fmt: skip


def test_messages_of_common_keywords() -> None:
    cases = [
        ({"enum": ["a", "b"]}, "c", "must be one of ['a', 'b'], got 'c'"),
        ({"const": 3}, True, "must be equal to 3, got True"),
        ({"minLength": 2}, "a", "must be at least 2 characters long"),
        ({"maxItems": 1}, [1, 2], "must have at most 1 items"),
        ({"uniqueItems": True}, [1, 2, 1.0], "must not contain duplicates, item 2 repeats an earlier one"),
        ({"additionalProperties": False}, {"x": 1}, "unexpected property 'x'"),
        ({"propertyNames": {"maxLength": 1}}, {"xy": 1}, "property name 'xy' must be at most 1 characters long"),
        ({"dependencies": {"a": ["b"]}}, {"a": 1}, "property 'a' requires property 'b'"),
        ({"format": "date"}, "2021-02-29", "must be a valid date"),
        ({"oneOf": [{}, {}]}, 1, "must be valid against exactly one schema in oneOf, but is valid against 2"),
        (False, 1, "no value is allowed here"),
    ]  # fmt: skip
    for schema, instance, message in cases:
        assert [e.message for e in compile_validator(schema).errors(instance)] == [message]


# ---------------------------------------------------------------------------- semantics


def test_json_equality_in_enum_const_and_unique_items() -> None:
    assert compile_validator({"enum": [1, "a"]}).is_valid(1.0)
    assert not compile_validator({"enum": [1, "a"]}).is_valid(True)
    assert not compile_validator({"const": False}).is_valid(0)
    assert compile_validator({"const": [{"a": 1}]}).is_valid([{"a": 1.0}])
    assert not compile_validator({"const": [{"a": 1}]}).is_valid([{"a": True}])
    assert compile_validator({"uniqueItems": True}).is_valid([1, True, [1], [True], {"a": 0}])
    assert not compile_validator({"uniqueItems": True}).is_valid([{"a": [1]}, {"a": [1.0]}])


def test_numbers() -> None:
    integer, number = compile_validator({"type": "integer"}), compile_validator({"type": "number"})
    assert integer.is_valid(1.0) and integer.is_valid(10**40) and integer.is_valid(Decimal(2))
    assert not integer.is_valid(True) and not integer.is_valid(1.5)
    assert not integer.is_valid(float("inf"))
    assert number.is_valid(Decimal("1.5")) and not number.is_valid(False)
    step = compile_validator({"multipleOf": 0.0075})
    assert step.is_valid(0.0225) and step.is_valid(0.0075) and step.is_valid(0)
    assert not step.is_valid(0.0226) and not step.is_valid(float("inf"))
    assert compile_validator({"multipleOf": 0.1}).is_valid(0.3)  # 0.3 / 0.1 != 3.0 in floats


def test_nullable_and_annotations() -> None:
    check = compile_validator({"type": "string", "nullable": True, "minLength": 2})
    assert check.is_valid(None) and check.is_valid("ab") and not check.is_valid("a")
    annotated = {
        "type": "string",
        "readOnly": True,
        "writeOnly": True,
        "deprecated": True,
        "discriminator": "kind",
        "format": "binary",
        "x-anything": {"type": "integer"},
        "example": 1,
    }
    assert compile_validator(annotated).is_valid("x")
    assert not compile_validator({"type": "string", "nullable": False}).is_valid(None)


def test_discriminated_one_of() -> None:
    schema = {
        "definitions": {
            "chunk": {
                "type": "object",
                "required": ["type", "data"],
                "properties": {"type": {"const": "chunk"}, "data": {"format": "byte"}},
            },
            "done": {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"const": "done"}},
            },
        },
        "oneOf": [{"$ref": "#/definitions/chunk"}, {"$ref": "#/definitions/done"}],
    }
    check = compile_validator(schema)
    assert "_D0" in check.source  # looked up by `type`, not tried branch by branch
    assert check.is_valid({"type": "done"}) and check.is_valid({"type": "chunk", "data": "AA=="})
    [error] = check.errors({"type": "chunk", "data": "A"})
    assert (error.path, error.schema_path) == ("/data", "/oneOf/0/$ref/properties/data/format")
    [error] = check.errors({"type": "nope"})
    assert (
        error.schema_path == "/oneOf" and "'type' must be one of ['chunk', 'done']" in error.message
    )
    assert not check.is_valid([]) and not check.is_valid({"type": ["chunk"]})


def test_format_byte() -> None:
    check = compile_validator({"format": "byte"})
    for good in ["", "AAAA", "AA==", "AAA=", "+/09", "aGVsbG8gd29ybGQ="]:
        assert check.is_valid(good), good
    for bad in ["A", "AA=", "A===", "=AAA", "AA=A", "AAAA\n", "AA-_", "ÀAAA", "AAAA===="]:
        assert not check.is_valid(bad), bad


def test_formats_can_be_turned_off() -> None:
    assert compile_validator({"format": "email"}, formats=False).is_valid("nope")
    assert not compile_validator({"format": "email"}, formats={"email"}).is_valid("nope")
    assert compile_validator({"format": "email"}, formats={"date"}).is_valid("nope")


def test_ecma_regex_translation() -> None:
    cases = [
        ("^\\d+$", "12", "١٢"),
        ("^abc$", "abc", "abc\n"),
        ("^\\w$", "a", "é"),
        ("^\\s$", "\u00a0", "\u200b"),
        ("^\\cJ$", "\n", "cJ"),
        ("^.$", "x", "\u2028"),
        ("^[^]$", "\n", ""),
        ("^[]$|^x$", "x", ""),
        ("^(?<year>\\d{4})-\\k<year>$", "2024-2024", "2024-2025"),
        ("^[\\S]$", "x", " "),
        ("^[^\\d\\s]$", "x", "1"),
        ("\\bfoo\\b", "a foo.", "éfooé"[:0] + "xfoox"),
        ("^\\u00e9\\u{1F600}?$", "é", "e"),
        ("^\\ud83d\\ude00$", "\U0001f600", "\ud83d"),
        ("^a{,2}$", "a{,2}", "aa"),
        ("^\\p{Lu}\\P{Lu}$", "Éa", "ÉÉ"),
    ]
    for pattern, good, bad in cases:
        check = compile_validator({"pattern": pattern})
        assert check.is_valid(good), (pattern, good)
        assert not check.is_valid(bad), (pattern, bad)
    regex = compile_validator({"format": "regex"})
    assert regex.is_valid("(?<=a+)b") and regex.is_valid("[\\d-]")
    assert (
        not regex.is_valid("(?P<n>x)")
        and not regex.is_valid("\\a")
        and not regex.is_valid("a{2,1}")
    )
    with pytest.raises(SchemaError, match="look-behind"):
        compile_validator({"pattern": "(?<=a+)b"})  # valid ECMA-262, not expressible in `re`


def test_references() -> None:
    tree = {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#"}}}}
    check = compile_validator(tree)
    assert check.is_valid({"kids": [{"kids": []}, {}]})
    assert [e.path for e in check.errors({"kids": [{"kids": [1]}]})] == ["/kids/0/kids/0"]
    with_ids = {
        "$id": "http://example.com/root.json",
        "definitions": {"a": {"$id": "a.json", "definitions": {"x": {"$id": "#x", "type": "integer"}}}},
        "properties": {"p": {"$ref": "a.json#x"}, "q": {"$ref": "http://example.com/a.json#/definitions/x"}},
    }  # fmt: skip
    assert compile_validator(with_ids).is_valid({"p": 1, "q": 2})
    assert not compile_validator(with_ids).is_valid({"q": "2"})
    escaped = {"definitions": {"a/b~c%d": {"type": "null"}}, "$ref": "#/definitions/a~1b~0c%25d"}
    assert compile_validator(escaped).is_valid(None) and not compile_validator(escaped).is_valid(0)


def test_schema_errors() -> None:
    for schema in (
        {"$ref": "http://example.com/elsewhere.json"},
        {"$ref": "#/definitions/missing"},
        {"$ref": "#nowhere"},
        {"pattern": "("},
        {"type": "strin"},
        {"properties": []},
        {"minLength": -1},
        {"multipleOf": 0},
        {"anyOf": []},
        {"items": 3},
    ):
        with pytest.raises(SchemaError):
            compile_validator(schema)
    for name in ("not valid", "class", "_private", "ValidationError", "é", "re", "Any"):
        with pytest.raises(ValueError, match="function name"):
            compile_module({"A": True}, {"A": name})
    with pytest.raises(SchemaError):
        compile_module({"A": True}, {"B": "validate_b"})
    with pytest.raises(ValueError, match="same function name"):
        compile_module({"A": True, "B": True}, {"A": "validate", "B": "validate"})


def test_yaml_input() -> None:
    document = YAML().load(
        "type: object\nrequired: [a]\nproperties:\n  a: {type: integer, maximum: 1.5}\n"
        "  b: {enum: [2024-01-02, true]}\n"
    )
    check = compile_validator(document)
    assert check.is_valid({"a": 1, "b": "2024-01-02"}) and check.is_valid({"a": 1, "b": True})
    assert not check.is_valid({"a": 2})


# ---------------------------------------------------------------------------- hostile text


def test_hostile_text_compiles_and_behaves() -> None:
    schema = {
        "description": HOSTILE,
        "type": "object",
        "properties": {
            HOSTILE: {"const": HOSTILE, "description": HOSTILE},
            "e": {"enum": [HOSTILE, "'", '"', "\\", "{{"]},
            "p": {"pattern": "^" + HOSTILE.replace("\\", "\\\\").replace("{", "\\{") + "$"},
        },
        "required": [HOSTILE],
        "additionalProperties": False,
        "patternProperties": {"^\\{\\{": {"type": "integer"}},
    }
    check = compile_validator(schema, all_errors=True)
    assert check.is_valid({HOSTILE: HOSTILE, "e": "{{", "p": HOSTILE, "{{x": 1})
    errors = check.errors({HOSTILE: "x", "e": "}}", "p": "x", "{{": "no", "z": 1})
    escaped = "/" + HOSTILE.replace("~", "~0").replace("/", "~1")
    assert [e.path for e in errors] == [escaped, "/e", "/p", "/{{", "/z"]
    assert errors[0].schema_path == "/properties" + escaped + "/const"
    assert errors[0].message.startswith('must be equal to \'a"""b\\\\c\\n{{')
    assert errors[0].message.endswith(", got 'x'")
    assert HOSTILE not in check.source  # text only ever appears escaped, as data


# ---------------------------------------------------------------------------- the module


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def compiled_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The all-keyword module as the renderer writes it: a header comment, then black."""
    folder = tmp_path_factory.mktemp("validators")
    path = folder / "kitchen_sink_validators.py"
    path.write_text("# Generated; do not edit.\n" + compile_module(DEFINITIONS, FUNCTIONS))
    formatted = _run("black", "-q", path.name, cwd=folder)
    assert formatted.returncode == 0, formatted.stderr
    return path


def test_module_passes_black_ruff_and_mypy_strict(compiled_module: Path) -> None:
    folder = compiled_module.parent
    name = compiled_module.name
    black = _run("black", "--check", "-q", name, cwd=folder)
    ruff = _run("ruff", "check", "--isolated", "--no-cache", name, cwd=folder)
    mypy = _run("mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, name, cwd=folder)
    assert black.returncode == 0, black.stderr
    assert ruff.returncode == 0, ruff.stdout
    assert mypy.returncode == 0, mypy.stdout


def test_module_imports_only_the_standard_library(compiled_module: Path) -> None:
    tree = ast.parse(compiled_module.read_text())
    imported = {
        (n.module or "") if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    assert {m.split(".")[0] for m in imported} <= set(sys.stdlib_module_names)
    assert not any(
        isinstance(n, ast.JoinedStr) and "asyncgen" in ast.dump(n) for n in ast.walk(tree)
    )


def test_module_behaves_like_compile_validator(compiled_module: Path) -> None:
    module = _load(compiled_module, "kitchen_sink_validators")
    assert module.__all__[:2] == ["ValidationError", "ValidationErrorItem"]
    module.validate_everything(VALID_EVERYTHING)
    module.validate_anything(object())
    module.validate_weird(True)
    with pytest.raises(module.ValidationError):
        module.validate_nothing(None)
    broken = {**VALID_EVERYTHING, "n": 0.0226, "tup": ["a", 1, 2], "extra": 1}
    with pytest.raises(module.ValidationError) as raised:
        module.validate_everything(broken, all_errors=True)
    assert [e.path for e in raised.value.errors] == ["/n", "/tup", "/extra"]
    schema = {"definitions": DEFINITIONS, "$ref": "#/definitions/Everything"}
    assert [(e.path, e.schema_path[5:], e.message) for e in compile_validator(schema).errors(broken)] == [
        (e.path, e.schema_path, e.message) for e in raised.value.errors
    ]  # fmt: skip
    tree = {"children": [{"children": [{"value": 1.5}]}]}
    with pytest.raises(module.ValidationError, match="/children/0/children/0/value"):
        module.validate_tree(tree)


def test_output_is_deterministic() -> None:
    first = compile_module(DEFINITIONS, FUNCTIONS)
    assert compile_module(DEFINITIONS, FUNCTIONS) == first
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from test_validation_compiler import DEFINITIONS, FUNCTIONS;"
        "from asyncgen.validation import compile_module;"
        "sys.stdout.write(compile_module(DEFINITIONS, FUNCTIONS))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, str(Path(__file__).parent)],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        assert out.stdout == first


def test_compile_source_is_a_standalone_module(tmp_path: Path) -> None:
    path = tmp_path / "standalone_validator.py"
    path.write_text(compile_source(TIMESTAMPS, name="check_timestamps"))
    module = _load(path, "standalone_validator")
    module.check_timestamps({"done": True})
    with pytest.raises(module.ValidationError) as raised:
        module.check_timestamps({"done": 1})
    assert raised.value.errors[0].path == "/done"
    assert not isinstance(raised.value, asyncgen.ValidationError)  # its own class
    assert "class ValidationError" not in compile_validator(TIMESTAMPS).source
