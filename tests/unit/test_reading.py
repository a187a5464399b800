"""Reading loosely written documents: overlays, `$ref`s with unescaped `/`, which side a document
describes. The printed forms are snapshots in tests/fixtures/warnings and overlay_errors."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from asyncgen import ir
from asyncgen.cli import main
from asyncgen.diagnostics import Position, Problems
from asyncgen.loading import Document, load
from asyncgen.overlays import apply_overlays
from asyncgen.pipeline import Reading, generate, parse
from click.testing import CliRunner
from conftest import FIXTURES

READING = FIXTURES / "reading"
WARNINGS = FIXTURES / "warnings"
SPEECH = READING / "speech.yaml"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _directions(api: ir.Api) -> dict[str, tuple[list[str], list[str]]]:
    return {
        c.address: ([m.key for m in c.sends.messages], [m.key for m in c.receives.messages])
        for c in api.channels
    }


def _api(spec: Path, reading: Reading | None = None) -> tuple[ir.Api, Problems]:
    problems = Problems()
    api = parse(spec, problems, reading=reading or Reading())
    assert api is not None, problems.format()
    return api, problems


# -- overlays ------------------------------------------------------------------------------------


def test_an_overlay_adds_correlation_ids_and_the_client_gets_conversations() -> None:
    before = generate(SPEECH)
    assert before.files is not None and before.api is not None
    assert all(m.correlation_id is None for m in before.api.messages)
    assert "def context(self" not in before.files["client.py"]

    after = generate(SPEECH, reading=Reading((READING / "speech.overlay.yaml",)))
    assert after.files is not None and after.api is not None, after.problems.format()
    assert not after.problems
    for message in after.api.messages:
        assert message.correlation_id is not None
        assert message.correlation_id.path == ("context_id",)
    done = next(m for m in after.api.messages if m.key == "Done")
    assert done.conversation == "end"
    assert "def context(self, id: str)" in after.files["client.py"]
    assert before.api.input_hash != after.api.input_hash  # the overlay is an input


SPEC = """\
asyncapi: 2.6.0
info:
  title: T
  version: '1'
  tags: [{name: a}]
channels:
  /c:
    publish:
      message:
        payload:
          type: object
          required: [a]
          properties:
            a: {type: string}
            b: {type: string}
            c: {type: string}
"""


def _overlay(*actions: str) -> str:
    return "overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions:\n" + "".join(
        f"  - {a}\n" for a in actions
    )


def _load(tmp_path: Path, *overlays: str) -> tuple[Document, Problems]:
    spec = _write(tmp_path / "spec.yaml", SPEC)
    paths = [_write(tmp_path / f"o{i}.yaml", text) for i, text in enumerate(overlays)]
    problems = Problems()
    doc = load(spec, problems, lambda d: apply_overlays(d, paths, problems))
    assert doc is not None
    return doc, problems


PAYLOAD = "$.channels['/c'].publish.message.payload"


def test_update_merges_objects_recursively_and_appends_to_arrays(tmp_path: Path) -> None:
    doc, problems = _load(
        tmp_path,
        _overlay(
            f"{{target: \"{PAYLOAD}\", update: {{required: [b], properties: {{a: {{minLength: 1}}}}}}}}",
            "{target: '$.info.tags', update: {name: b}}",  # a matched array: one more item
            "{target: '$.info', update: {title: New, x-extra: {k: 1}}}",
        ),
    )
    assert not problems, problems.format()
    payload = doc.root["channels"]["/c"]["publish"]["message"]["payload"]
    assert payload["required"] == ["a", "b"]
    assert payload["properties"]["a"] == {"type": "string", "minLength": 1}
    assert doc.root["info"]["tags"] == [{"name": "a"}, {"name": "b"}]
    assert doc.root["info"]["title"] == "New" and doc.root["info"]["x-extra"] == {"k": 1}


def test_remove_takes_every_matched_node_out(tmp_path: Path) -> None:
    doc, problems = _load(
        tmp_path,
        _overlay(
            f"{{target: \"{PAYLOAD}.properties['b','c']\", remove: true}}",
            f"{{target: \"{PAYLOAD}.required[0]\", remove: true}}",
            "{target: '$.info.tags[*]', remove: true}",
        ),
    )
    assert not problems, problems.format()
    payload = doc.root["channels"]["/c"]["publish"]["message"]["payload"]
    assert list(payload["properties"]) == ["a"] and payload["required"] == []
    assert doc.root["info"]["tags"] == []


def test_overlays_apply_in_order_each_to_the_result_of_the_last(tmp_path: Path) -> None:
    first = _overlay("{target: '$.info', update: {x-added: {list: [1]}}}")
    second = _overlay("{target: \"$.info['x-added'].list\", update: 2}")
    doc, problems = _load(tmp_path, first, second)
    assert not problems and doc.root["info"]["x-added"] == {"list": [1, 2]}
    doc, problems = _load(tmp_path, second, first)  # the other way round, nothing to extend yet
    assert [p.rule for p in problems] == ["overlay-target"]
    assert problems.items[0].position == Position(str(tmp_path / "o0.yaml"), 4, 14)


def test_nodes_keep_their_place_and_added_nodes_are_placed_in_the_overlay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    doc, problems = _load(
        tmp_path,
        _overlay(
            "{target: '$.info.tags[0]', remove: true}",
            "{target: '$.info', update: {x-added: {$ref: '#/nowhere'}}}",
        ),
    )
    at = doc.position
    assert at(doc.root_file, "/channels/~1c/publish") == Position("spec.yaml", 9, 7)
    assert at(doc.root_file, "/info/x-added/$ref") == Position("o0.yaml", 5, 49)
    # a problem in what the overlay added is reported where the overlay wrote it
    assert [(p.rule, p.position) for p in problems] == [
        ("unresolved-ref", Position("o0.yaml", 5, 49))
    ]


def test_configured_overlays_and_check_noticing_a_changed_overlay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SPEECH, tmp_path / "speech.yaml")
    overlay = tmp_path / "speech.overlay.yaml"
    shutil.copy(READING / "speech.overlay.yaml", overlay)
    _write(
        tmp_path / "pyproject.toml",
        '[tool.asyncgen]\nspecs = ["speech.yaml"]\n\n'
        '[tool.asyncgen.per-spec."speech.yaml"]\noverlays = ["speech.overlay.yaml"]\n',
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build"]).exit_code == 0
    assert "def context(self" in (tmp_path / "generated" / "speech" / "client.py").read_text()
    assert runner.invoke(main, ["check"]).exit_code == 0
    assert runner.invoke(main, ["check", "speech.yaml"]).exit_code == 0  # a named spec too
    overlay.write_text(overlay.read_text().replace("x-conversation: end", "x-conversation: cancel"))
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1 and "out of date" in result.stderr
    # --overlay on the command line replaces the configured ones
    empty = _write(tmp_path / "other.yaml", _overlay("{target: '$.info', update: {summary: s}}"))
    assert runner.invoke(main, ["build", "speech.yaml", "--overlay", str(empty)]).exit_code == 0
    assert "def context(self" not in (tmp_path / "generated" / "speech" / "client.py").read_text()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('overlays = "x.yaml"', "overlays must be a list"),
        ('perspective = "both"', "perspective must be"),
        ("overlay = []", "may set only"),
    ],
)
def test_bad_per_spec_settings_are_usage_errors(
    settings: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SPEECH, tmp_path / "speech.yaml")
    _write(tmp_path / "pyproject.toml", f'[tool.asyncgen.per-spec."speech.yaml"]\n{settings}\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "speech.yaml"])
    assert result.exit_code == 2 and message in result.stderr


def test_missing_overlay_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(SPEECH), "--overlay", str(tmp_path / "no")])
    assert result.exit_code == 2 and "no such file" in result.stderr


# -- $ref with an unescaped / ----------------------------------------------------------------------


def test_unescaped_slash_refs_resolve_to_the_key_holding_the_slash() -> None:
    api, problems = _api(WARNINGS / "unescaped_slash.yaml")
    assert [p.rule for p in problems] == ["ref-unescaped-slash"]  # one for the whole document
    assert _directions(api) == {"/audio": (["audio/pcm"], ["text/plain"])}
    pcm = next(m for m in api.messages if m.key == "audio/pcm")
    assert pcm.framing == "binary" and pcm.payload_schema == "audio/pcm"


def test_shortest_joins_are_tried_first(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "s.yaml",
        "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels: {}\n"
        "components:\n  schemas:\n"
        "    a/b: {properties: {c: {type: string}}}\n"
        "    a/b/c: {type: integer}\n"
        "x: {$ref: '#/components/schemas/a/b/properties/c'}\n",
    )
    problems = Problems()
    doc = load(spec, problems)
    assert doc is not None and [p.rule for p in problems] == ["ref-unescaped-slash"]
    found = doc.resolve("#/components/schemas/a/b/properties/c", doc.root_file)
    assert found is not None and found.pointer == "/components/schemas/a~1b/properties/c"
    found = doc.resolve("#/components/schemas/a/b/c", doc.root_file)
    assert found is not None and found.value == {"type": "integer"}


def test_a_pointer_that_resolves_neither_way_is_still_an_error(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "s.yaml",
        "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels: {}\n"
        "components: {schemas: {a/b: {type: string}}}\n"
        "x: {$ref: '#/components/schemas/a/c'}\n",
    )
    problems = Problems()
    load(spec, problems)
    assert [p.rule for p in problems] == ["unresolved-ref"]
    assert "there is nothing at #/components/schemas/a" in problems.items[0].message


# -- perspective ---------------------------------------------------------------------------------

MIRRORED = {"/audio": (["TextChunk"], ["AudioChunk"]), "/events": ([], ["Event"])}
AS_WRITTEN = {"/audio": (["AudioChunk"], ["TextChunk"]), "/events": (["Event"], [])}


@pytest.mark.parametrize(
    ("perspective", "expected", "warned"),
    [(None, MIRRORED, True), ("client", MIRRORED, False), ("server", AS_WRITTEN, False)],
)
def test_a_2x_document_written_from_the_client_side(
    perspective: Any, expected: dict[str, Any], warned: bool
) -> None:
    api, problems = _api(WARNINGS / "mirrored_v2.yaml", Reading(perspective=perspective))
    assert _directions(api) == expected
    assert [p.rule for p in problems] == (["perspective"] if warned else [])


@pytest.mark.parametrize(
    ("perspective", "expected", "warned"),
    [
        (None, (["UserMessage"], ["BotReply"]), True),
        ("client", (["UserMessage"], ["BotReply"]), False),
        ("server", (["BotReply"], ["UserMessage"]), False),
    ],
)
def test_a_3x_document_written_from_the_client_side(
    perspective: Any, expected: tuple[list[str], list[str]], warned: bool
) -> None:
    api, problems = _api(WARNINGS / "client_side_v3.yaml", Reading(perspective=perspective))
    assert _directions(api) == {"/chat": expected}
    assert [p.rule for p in problems] == (["perspective"] if warned else [])


def test_perspective_from_the_command_line_and_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(WARNINGS / "mirrored_v2.yaml", tmp_path / "api.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["build", "api.yaml"])
    assert result.exit_code == 0 and "[perspective at" in result.stderr
    result = runner.invoke(main, ["build", "api.yaml", "--perspective", "client"])
    assert result.exit_code == 0 and "perspective" not in result.stderr
    _write(tmp_path / "pyproject.toml", '[tool.asyncgen.per-spec."api.yaml"]\nperspective = "server"\n')
    result = runner.invoke(main, ["build", "api.yaml"])
    assert result.exit_code == 0 and "perspective" not in result.stderr
    client = (tmp_path / "generated" / "api" / "client.py").read_text()
    assert "def send_audio_chunk" in client  # read as written: publish = what the client sends


def test_agreeing_words_keep_the_usual_reading() -> None:
    from conftest import SPECS

    for spec in ("cartesia.yaml", "cartesia-v3.yaml"):
        api, problems = _api(SPECS / spec)
        assert not [p for p in problems if p.rule == "perspective"]
        tts = next(c for c in api.channels if c.address == "/tts/websocket")
        assert "ttsGenerationRequest" in [m.key for m in tts.sends.messages]
