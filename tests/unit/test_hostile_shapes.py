"""Shapes of document that used to end in a traceback, a hang or a package that did not import.

A description ending in `"` (black's TokenError), `type: []`, objects nested 145 deep and arrays
195 deep, a ring of 165 schemas (RecursionError), a component that is only a `$ref` (a loop that
never ended), arrays or maps nested 21 deep (more nested loops than Python compiles), a NUL in a
channel address (a NUL in a comment), channels `/id` and `/ID` (two `parse_id_server_frame`).
The fixture `tests/fixtures/hostile_shapes/` holds the ones that generate (its package is pinned by
test_golden and checked by black, ruff and mypy --strict in test_generated_quality); refusals are
snapshotted in tests/fixtures/hostile/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from asyncgen.pipeline import generate
from asyncgen.reading import MAX_NESTING
from conftest import FIXTURES, build, import_package
from hostile import snapshot, time_bound, write

HEAD = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n"


def _channel(payload: str, components: str = "") -> str:
    return (
        HEAD
        + "channels:\n  /x:\n    subscribe:\n      message:\n        payload: "
        + payload
        + "\n"
        + components
    )


def _nested(kind: str, depth: int, leaf: str = "{type: string}") -> str:
    text = leaf
    for _ in range(depth):
        if kind == "object":
            text = f"{{type: object, properties: {{a: {text}}}}}"
        elif kind == "array":
            text = f"{{type: array, items: {text}}}"
        else:
            text = f"{{type: object, additionalProperties: {text}}}"
    return text


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    root = tmp_path_factory.mktemp("shapes")
    build(FIXTURES / "hostile_shapes" / "spec.yaml", root, "hostile_shapes_pkg")
    return import_package(root, "hostile_shapes_pkg")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(path: Path) -> str:
    with time_bound(60):
        result = generate(path)
    assert result.files is None, "refused input must stop the build"
    assert result.problems.errors and all(
        p.position is not None and p.position.line > 0 for p in result.problems.errors
    ), result.problems.format()
    return result.problems.format() + "\n"


def _imports(spec: Path, root: Path, package: str = "pkg") -> None:
    with time_bound(120):
        build(spec, root, package)
    done = subprocess.run(
        [sys.executable, "-c", f"import {package}.models, {package}.client, {package}.server"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# -- descriptions -------------------------------------------------------------------------------


def test_descriptions_ending_in_a_quote_reach_every_docstring(
    shapes: dict[str, ModuleType],
) -> None:
    models, client, server = shapes["models"], shapes["client"], shapes["server"]
    # (black writes a space after a docstring's last quote, as the filter did before)
    assert (models.FooBar.__doc__ or "").rstrip() == 'model "'
    assert (models.FooBar2Mood.__doc__ or "").rstrip() == 'enum "'
    assert 'message "' in (models.ABCdSubscribeMessage.__doc__ or "")
    assert 'channel "' in (client.IdChannel.__doc__ or "")
    # A server's description is written in the fixture too; no generated text quotes it.
    assert server.__doc__ and 'server "' not in (client.Client.connect.__doc__ or "")


# -- names --------------------------------------------------------------------------------------


def test_channels_equal_but_for_case_decode_each_with_its_own_parser(
    shapes: dict[str, ModuleType],
) -> None:
    models, client = shapes["models"], shapes["client"]
    parsers = sorted(n for n in vars(models) if n.startswith("parse_id_server_frame"))
    assert len(parsers) == 4, parsers  # /id, /ID, /i-d, /i_d
    channel = SimpleNamespace(_client=SimpleNamespace(_validate_incoming=True))  # `_parse`'s self
    lower = client.IdChannel._parse(channel, '{"a": "x"}')
    upper = client.IDChannel._parse(channel, '{"b": 1}')
    assert type(lower).__name__ == "IdSubscribeMessagePayload" and lower.a == "x"
    assert type(upper).__name__ == "IDSubscribeMessagePayload" and upper.b == 1
    with pytest.raises(models.ValidationError):
        client.IDChannel._parse(channel, '{"a": "x"}')


def test_a_nul_in_an_address_is_kept_and_the_module_compiles(
    shapes: dict[str, ModuleType],
) -> None:
    assert shapes["client"].ABCdChannel._ADDRESS == "/a\x00b\x07c\u2028d"


def test_names_equal_after_normalisation_stay_apart(shapes: dict[str, ModuleType]) -> None:
    models = shapes["models"]
    fields = list(models.FooBar.__dataclass_fields__)
    assert fields == ["x_y", "x_y_2", "x_y_3"]
    assert {m.value for m in models.FooBar2Mood} == {"a-b", "a_b", "A B"}
    assert len({m.name for m in models.FooBar2Mood}) == 3


# -- depth --------------------------------------------------------------------------------------


def test_arrays_and_maps_21_deep_validate(shapes: dict[str, ModuleType]) -> None:
    models = shapes["models"]
    arrays: object = "aGk="
    maps: object = 1
    for _ in range(21):
        arrays, maps = [arrays], {"k": maps}
    message = models.DeepPublishMessagePayload.from_dict(
        {"fixed": [1, 2], "arrays": arrays, "maps": maps, "tree": [[], [[]]]}
    )
    inner = message.arrays
    for _ in range(21):
        inner = inner[0]
    assert inner == b"hi"
    assert message.tree == [[], [[]]] and message.fixed == [1, 2]
    bad = maps
    for _ in range(20):
        bad = bad["k"]
    bad["k"] = "not an integer"
    with pytest.raises(models.ValidationError) as caught:
        models.DeepPublishMessagePayload.from_dict({"fixed": [1, 2], "maps": maps})
    assert caught.value.errors[0].path == "/maps" + "/k" * 21


@pytest.mark.parametrize(("kind", "depth"), [("object", 145), ("array", 195)])
def test_nesting_past_the_bound_is_a_located_error(
    kind: str, depth: int, here: Path, request: pytest.FixtureRequest
) -> None:
    text = _refused(write(here / "api.yaml", _channel(_nested(kind, depth))))
    assert f"more than {MAX_NESTING} levels deep" in text and "[nesting-too-deep at #/" in text
    snapshot(f"nested_{kind}s", text, request)


@pytest.mark.parametrize("kind", ["object", "array", "map"])
def test_nesting_up_to_the_bound_generates(kind: str, here: Path) -> None:
    per_level = 2 if kind == "object" else 1
    depth = (MAX_NESTING - 7) // per_level  # the channel and message take seven levels
    _imports(write(here / "api.yaml", _channel(_nested(kind, depth))), here)


def test_a_json_array_100000_deep_is_a_located_error(here: Path) -> None:
    body = '{"asyncapi": "2.6.0", "info": {"title": "T", "version": "1"}, "channels": {},\n'
    spec = write(here / "api.json", body + '"x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    text = _refused(spec)
    assert text.startswith("api.json:2:") and "[nesting-too-deep" in text


def test_a_ring_of_165_schemas_generates(here: Path) -> None:
    ring = "components:\n  schemas:\n" + "".join(
        f"    S{i}: {{type: object, properties: {{n: {{$ref: '#/components/schemas/S{(i + 1) % 165}'}}}}}}\n"
        for i in range(165)
    )
    _imports(write(here / "api.yaml", _channel("{$ref: '#/components/schemas/S0'}", ring)), here)


@pytest.mark.parametrize("shape", ["array", "union", "allOf"])
def test_chains_of_300_schemas_generate(shape: str, here: Path) -> None:
    link = {
        "array": "{{type: array, items: {{$ref: '#/components/schemas/S{}'}}}}",
        "union": "{{oneOf: [{{type: integer}}, {{$ref: '#/components/schemas/S{}'}}]}}",
        "allOf": "{{allOf: [{{$ref: '#/components/schemas/S{}'}}, {{type: object}}]}}",
    }[shape]
    chain = "components:\n  schemas:\n" + "".join(
        f"    S{i}: {link.format(i + 1)}\n" for i in range(300)
    )
    chain += "    S300: {type: object, properties: {a: {type: string, format: byte}}}\n"
    _imports(write(here / "api.yaml", _channel("{$ref: '#/components/schemas/S0'}", chain)), here)


def test_a_component_that_is_only_a_ref_ends(here: Path) -> None:
    components = (
        "components:\n  schemas:\n    S0: {$ref: '#/components/schemas/S1'}\n"
        "    S1: {type: object, properties: {a: {type: string}}}\n"
    )
    spec = write(here / "api.yaml", _channel("{$ref: '#/components/schemas/S0'}", components))
    with time_bound(20):
        _imports(spec, here)


# -- schemas ------------------------------------------------------------------------------------


def test_an_empty_type_list_is_a_located_error(here: Path, request: pytest.FixtureRequest) -> None:
    text = _refused(write(here / "api.yaml", _channel("{type: []}")))
    snapshot("type_empty_list", text, request)


@pytest.mark.parametrize(
    "text",
    ['"', 'a "', '"""', 'a """', '""', 'a\\"', "a\\", "\\", 'x \\\\"', '\x00\u2028 "', 'a\n\nb "'],
)
def test_a_docstring_holds_any_text(text: str) -> None:
    import inspect

    from asyncgen.render import docstring

    for part in (True, False):
        namespace: dict[str, object] = {}
        exec(f'def f():\n    """{docstring(text, part=part)}"""\n', namespace)  # noqa: S102 (the docstring must survive being compiled)
        doc = inspect.getdoc(namespace["f"])
        # Laid out whole, as black lays it out: a last quote is kept off the closing quotes by a space.
        padded = not part and text.strip().endswith('"')
        assert doc == text.strip() + (" " if padded else "")


# -- found by fuzzing ---------------------------------------------------------------------------

CYCLES = {
    "one_of_ring": "    A: {oneOf: [{$ref: '#/components/schemas/B'}]}\n"
    "    B: {oneOf: [{$ref: '#/components/schemas/A'}]}\n",
    "all_of_self": "    A: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
    "one_of_one": "    A: {oneOf: [{$ref: '#/components/schemas/O'}]}\n"
    "    O: {type: object, properties: {k: {type: string}}}\n",
    "one_of_chain": "".join(
        f"    S{i}: {{oneOf: [{{$ref: '#/components/schemas/S{i + 1}'}}]}}\n" for i in range(400)
    )
    + "    S400: {type: object, properties: {k: {type: string}}}\n",
}


@pytest.mark.parametrize("name", sorted(CYCLES))
def test_schemas_that_are_only_a_reference_generate(name: str, here: Path) -> None:
    first = "S0" if name == "one_of_chain" else "A"
    components = "components:\n  schemas:\n" + CYCLES[name]
    spec = _channel(f"{{$ref: '#/components/schemas/{first}'}}", components)
    _imports(write(here / "api.yaml", spec), here)


def test_a_payload_of_one_referenced_object_decodes_into_its_class(here: Path) -> None:
    components = "components:\n  schemas:\n" + CYCLES["one_of_one"]
    build(
        write(
            here / "api.yaml", _channel("{oneOf: [{$ref: '#/components/schemas/O'}]}", components)
        ),
        here,
        "one",
    )
    models = import_package(here, "one")["models"]
    assert models.parse_x_server_frame('{"k": "v"}') == models.O(k="v")


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_an_empty_union_is_a_located_error(
    keyword: str, here: Path, request: pytest.FixtureRequest
) -> None:
    text = _refused(write(here / "api.yaml", _channel(f"{{{keyword}: []}}")))
    snapshot(f"empty_{keyword}", text, request)


def test_required_holding_a_list_is_a_located_error(here: Path) -> None:
    spec = _channel("{type: object, properties: {a: {type: string}}, required: [[a]]}")
    assert "required must be an array of strings" in _refused(write(here / "api.yaml", spec))


def test_an_all_of_part_whose_properties_are_not_a_mapping_is_a_located_error(here: Path) -> None:
    # Found by scripts/fuzz.py: `properties: text` in an allOf part was read as a mapping.
    payload = "{allOf: [{type: object, properties: text}, {type: object, properties: {a: {}}}]}"
    text = _refused(write(here / "api.yaml", _channel(payload)))
    assert "properties must be an object at /allOf/0" in text


@pytest.mark.parametrize("ref", ["a\\0b.yaml", "a%00b.yaml#/x", "file:///tmp/a%00b"])
def test_a_ref_naming_a_file_with_a_nul_is_a_located_error(
    ref: str, here: Path, request: pytest.FixtureRequest
) -> None:
    text = _refused(write(here / "api.yaml", _channel(f'{{$ref: "{ref}"}}')))
    assert "NUL character" in text
    if ref.startswith("a\\0"):
        snapshot("ref_nul", text, request)


def test_all_of_parts_with_properties_or_required_of_the_wrong_type(here: Path) -> None:
    spec = _channel(
        "{allOf: [{type: object, properties: text, required: 5}, "
        "{type: object, properties: {a: {type: string}}}]}"
    )
    text = _refused(write(here / "api.yaml", spec))
    assert "[schema at #/channels/~1x/subscribe/message/payload]" in text
