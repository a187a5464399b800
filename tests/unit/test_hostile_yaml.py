"""What a YAML or JSON text can do to a reader, refused with a located error instead.

Nine levels of nine aliases are 300 bytes that expand to 387 million nodes (and, written with
merge keys, used to end in a SystemError); numbers generated code cannot hold (a 5,000-digit
integer, `1e400`, `.inf`, `.nan`, JSON's `NaN`); lone surrogates, which are no character.
Snapshots are in tests/fixtures/hostile/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncgen.pipeline import generate
from hostile import snapshot, time_bound, write

HEAD = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: {}\n"


def _nested_aliases(merge: bool) -> str:
    lines = ["bomb:", "  a0: &a0 {x: 1}" if merge else "  a0: &a0 [x]"]
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(
            f"  a{level}: &a{level} {{<<: [{aliases}]}}"
            if merge
            else f"  a{level}: &a{level} [{aliases}]"
        )
    return "\n".join(lines) + "\n"


def _refused(path: Path) -> str:
    with time_bound():
        result = generate(path)
    assert result.files is None, "refused input must stop the build"
    assert result.problems.errors and all(
        p.position is not None and p.position.line > 0 for p in result.problems.errors
    ), result.problems.format()
    return result.problems.format() + "\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "merge"), [("alias_expansion", False), ("merge_key_expansion", True)]
)
def test_alias_expansion_is_bounded(
    name: str, merge: bool, here: Path, request: pytest.FixtureRequest
) -> None:
    spec = write(here / "api.yaml", HEAD + "x-" + _nested_aliases(merge))
    assert len(spec.read_bytes()) < 700
    text = _refused(spec)
    assert "[yaml-alias-expansion at" in text
    snapshot(name, text, request)


def test_merge_keys_within_the_bound_still_merge(here: Path) -> None:
    spec = write(
        here / "api.yaml",
        HEAD.replace("channels: {}\n", "")
        + "channels:\n  /x:\n    subscribe:\n      message:\n        payload:\n          <<: &base {type: object}\n"
        "          properties: {a: {<<: *base}}\n",
    )
    result = generate(spec)
    assert result.files is not None, result.problems.format()


YAML_NUMBERS = {
    "huge_integer_yaml": "  default: " + "9" * 5000 + "\n",
    "float_overflow_yaml": "  maximum: 1e400\n",
    "infinity_yaml": "  enum: [1, .inf]\n",
    "nan_yaml": "  const: .nan\n",
}


@pytest.mark.parametrize("name", sorted(YAML_NUMBERS))
def test_numbers_out_of_range_in_yaml(
    name: str, here: Path, request: pytest.FixtureRequest
) -> None:
    schema = "components:\n schemas:\n  N:\n   type: number\n" + YAML_NUMBERS[name].replace(
        "  ", "   ", 1
    )
    text = _refused(write(here / "api.yaml", HEAD + schema))
    assert "[number-out-of-range at #/components/schemas/N/" in text
    snapshot(name, text, request)


JSON_HEAD = '{"asyncapi": "2.6.0", "info": {"title": "T", "version": "1"}, "channels": {},\n'
JSON_CASES = {
    "huge_integer_json": '"components": {"schemas": {"N": {"default": ' + "9" * 5000 + "}}}}\n",
    "float_overflow_json": '"components": {"schemas": {"N": {"maximum": 1e400}}}}\n',
    "nan_json": '"components": {"schemas": {"N": {"const": NaN}}}}\n',
    "surrogate_value_json": '"components": {"schemas": {"N": {"description": "a \\ud800 b"}}}}\n',
    "surrogate_name_json": '"components": {"schemas": {"N\\udc00": {"type": "string"}}}}\n',
}


@pytest.mark.parametrize("name", sorted(JSON_CASES))
def test_json_refusals_are_located(name: str, here: Path, request: pytest.FixtureRequest) -> None:
    text = _refused(write(here / "api.json", JSON_HEAD + JSON_CASES[name]))
    assert ":2:" in text.splitlines()[0]  # on the line that holds it
    snapshot(name, text, request)


def test_lone_surrogate_in_yaml(here: Path, request: pytest.FixtureRequest) -> None:
    spec = write(here / "api.yaml", HEAD.replace("title: T", 'title: "T \\ud800"'))
    text = _refused(spec)
    assert "[lone-surrogate at #/info/title]" in text
    snapshot("surrogate_yaml", text, request)


def test_a_surrogate_pair_is_a_character(here: Path) -> None:
    spec = write(here / "api.json", JSON_HEAD + '"x-note": "\\ud83d\\ude00"}\n')
    result = generate(spec)
    assert result.files is not None, result.problems.format()


def test_core_tags_on_text_they_cannot_read(here: Path, request: pytest.FixtureRequest) -> None:
    schema = (
        "components:\n schemas:\n  N:\n   type: integer\n   default: !!int abc\n"
        "   maximum: !!float ''\n   x-flag: !!bool maybe\n   minimum: !!int ''\n"
    )
    text = _refused(write(here / "api.yaml", HEAD + schema))
    assert text.count("[yaml-tag at #/components/schemas/N/") == 4
    snapshot("core_tag_mismatch", text, request)
