"""Load stage: trees, positions, YAML/JSON quirks, `$ref` checking and resolution."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest
from asyncgen import loading
from asyncgen.diagnostics import Position, Problems, Severity
from asyncgen.loading import Document, display_path, load, pointer_join, pointer_tokens
from conftest import DATA

SHARED = DATA


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # so positions read as short relative paths


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_ok(path: Path, root: Path | None = None) -> tuple[Document, Problems]:
    problems = Problems()
    document = load(path, problems, root=root)
    assert document is not None, problems.format()
    return document, problems


def rules(problems: Problems) -> list[tuple[str, str, str]]:
    return [(p.severity.value, p.rule, str(p.position)) for p in problems]


# -- YAML ------------------------------------------------------------------------------------------


def test_yaml_1_2_scalars(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            words: [no, on, yes, off, n, y]
            real: [true, false, null, 012, 0o12, 0x1F, 1.5, 1e3]
            """,
        )
    )
    assert doc.root == {
        "words": ["no", "on", "yes", "off", "n", "y"],
        "real": [True, False, None, 12, 10, 31, 1.5, 1000.0],
    }
    assert not problems
    assert doc.root_file == tmp_path / "a.yaml" and doc.files == {doc.root_file: doc.root}


def test_dates_stay_text_with_a_warning(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            info:
              version: 2026-03-01
              at: 2026-03-01T10:00:00Z
              quoted: '2026-03-01'
            """,
        )
    )
    assert doc.root["info"] == {
        "version": "2026-03-01",
        "at": "2026-03-01T10:00:00Z",
        "quoted": "2026-03-01",
    }
    assert rules(problems) == [
        ("warning", "yaml-timestamp", "a.yaml:2:12"),
        ("warning", "yaml-timestamp", "a.yaml:3:7"),
    ]
    assert problems.items[0].pointer == "/info/version"
    assert "quote it" in problems.items[0].hint


def test_non_string_keys_become_their_text(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            responses:
              200: ok
              true: t
              null: n
              "404": quoted
            """,
        )
    )
    assert doc.root["responses"] == {"200": "ok", "true": "t", "null": "n", "404": "quoted"}
    assert rules(problems) == [
        ("warning", "non-string-key", "a.yaml:2:3"),
        ("warning", "non-string-key", "a.yaml:3:3"),
        ("warning", "non-string-key", "a.yaml:4:3"),
    ]


def test_duplicate_key_is_an_error_at_the_second(tmp_path: Path) -> None:
    doc, problems = load_ok(write(tmp_path / "a.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n"))
    assert rules(problems) == [("error", "duplicate-key", "a.yaml:4:3")]
    assert problems.items[0].pointer == "/b/c"
    assert doc.root == {"a": 1, "b": {"c": 2}}


def test_yaml_syntax_error_has_a_position(tmp_path: Path) -> None:
    problems = Problems()
    assert load(write(tmp_path / "a.yaml", "a: [1, 2\nb: 3\n"), problems) is None
    (problem,) = problems
    assert (problem.rule, str(problem.position)) == ("yaml-syntax", "a.yaml:2:2")
    assert "expected ',' or ']'" in problem.message


def test_bad_character_has_a_position(tmp_path: Path) -> None:
    problems = Problems()
    assert load(write(tmp_path / "a.yaml", "a: 1\nb: x\x07\n"), problems) is None
    assert rules(problems) == [("error", "yaml-syntax", "a.yaml:2:5")]


@pytest.mark.parametrize(
    "text",
    [
        b"\xff\xfe\x00",
        b"a:\n\tb: 1\n",
        b"[" * 1000,
        b"a: *undefined\n",
        b"a: 1\n---\nb: 2\n",
        b"? [1, 2]\n: x\n",
        b"a: !!binary aGk=\nb: !custom x\n",
        b"a: {$ref: '#name'}\nb: {$ref: 'urn:x'}\nc: {$ref: '#/c/x'}\nd: {$ref: 'no/'}\n",
    ],
)
def test_bad_input_is_reported_never_raised(tmp_path: Path, text: bytes) -> None:
    (tmp_path / "a.yaml").write_bytes(text)
    problems = Problems()
    document = load(tmp_path / "a.yaml", problems)
    assert problems, "expected a problem"
    assert all(p.position is not None for p in problems)
    if document is not None:
        assert document.resolve("#/c", document.root_file) is None


def test_empty_and_non_mapping_roots(tmp_path: Path) -> None:
    problems = Problems()
    assert load(write(tmp_path / "empty.yaml", "# nothing\n"), problems) is None
    assert [p.rule for p in problems] == ["empty-document"]

    problems = Problems()
    doc = load(write(tmp_path / "list.yaml", "- a\n- b\n"), problems)
    assert doc is not None and doc.root == ["a", "b"]
    assert rules(problems) == [("error", "root-not-mapping", "list.yaml:1:1")]

    problems = Problems()
    assert load(tmp_path / "missing.yaml", problems) is None
    assert [p.rule for p in problems] == ["file-unreadable"]


def test_non_finite_floats_are_refused_where_they_stand(tmp_path: Path) -> None:
    # Generated code cannot carry them into defaults, enums or bounds: refused, not reinterpreted.
    _, problems = load_ok(write(tmp_path / "a.yaml", "max: .inf\nmin: -.inf\n"))
    assert rules(problems) == [
        ("error", "number-out-of-range", "a.yaml:1:6"),
        ("error", "number-out-of-range", "a.yaml:2:6"),
    ]


def test_merge_keys_and_recursive_aliases(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            base: &base {a: 1, b: 2}
            child:
              <<: *base
              b: 3
            loop: &loop [*loop]
            """,
        )
    )
    assert doc.root["child"] == {"a": 1, "b": 3}
    assert doc.position(doc.root_file, "/child/b") == Position("a.yaml", 4, 6)
    assert [p.rule for p in problems] == ["yaml-recursive-alias"]


def test_yaml_positions(tmp_path: Path) -> None:
    doc, _ = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            info:
              title: T
              tags:
                - name: x
            empty:
            """,
        )
    )
    at = doc.position
    assert at(doc.root_file, "") == Position("a.yaml", 1, 1)
    assert at(doc.root_file, "/info") == Position("a.yaml", 2, 3)
    assert at(doc.root_file, "/info/title") == Position("a.yaml", 2, 10)
    assert at(doc.root_file, "/info/tags/0/name") == Position("a.yaml", 4, 13)
    assert at(doc.root_file, "/empty") == Position("a.yaml", 5, 1)  # the key: there is no value
    assert at(doc.root_file, "/nope") is None


# -- JSON ------------------------------------------------------------------------------------------


def test_json_positions_are_worked_out_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = loading._parse_yaml

    def counting(text: str, file: Path, problems: Problems):  # type: ignore[no-untyped-def]
        calls.append(file)
        return real(text, file, problems)

    monkeypatch.setattr(loading, "_parse_yaml", counting)
    doc, problems = load_ok(
        write(tmp_path / "a.json", '{\n  "a": {"b": [1, "no"]},\n  "when": "2026-03-01"\n}\n')
    )
    assert not problems and not calls
    assert doc.root == {"a": {"b": [1, "no"]}, "when": "2026-03-01"}
    assert doc.position(doc.root_file, "/a/b/1") == Position("a.json", 2, 18)
    assert doc.position(doc.root_file, "/when") == Position("a.json", 3, 11)
    assert calls == [doc.root_file]  # parsed once for positions, then cached


def test_json_syntax_error_has_a_position(tmp_path: Path) -> None:
    problems = Problems()
    assert load(write(tmp_path / "a.json", '{\n  "a": 1,\n  "b": }\n'), problems) is None
    assert rules(problems) == [("error", "json-syntax", "a.json:3:8")]


def test_json_duplicates_and_constants(tmp_path: Path) -> None:
    _, problems = load_ok(write(tmp_path / "a.json", '{"a": 1,\n "a": 2, "n": 3}\n'))
    assert rules(problems) == [("error", "duplicate-key", "a.json:2:2")]
    problems = Problems()
    assert load(write(tmp_path / "b.json", '{"a": 1,\n "a": 2, "n": NaN}\n'), problems) is None
    assert rules(problems) == [("error", "number-out-of-range", "b.json:2:15")]


def test_yaml_file_in_flow_style_is_not_json(tmp_path: Path) -> None:
    doc, problems = load_ok(write(tmp_path / "a.yaml", "{a: no, b: [1]}\n"))
    assert doc.root == {"a": "no", "b": [1]} and not problems


# -- references ------------------------------------------------------------------------------------


def test_local_refs_and_chains(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            use: {$ref: '#/components/first'}
            components:
              first: {$ref: '#/components/second'}
              second: {$ref: '#/components/real'}
              real: {type: string}
            """,
        )
    )
    assert not problems
    target = doc.resolve("#/components/first", doc.root_file)
    assert target == loading.Resolved({"type": "string"}, doc.root_file, "/components/real")
    assert doc.resolve("#", doc.root_file) == loading.Resolved(doc.root, doc.root_file, "")
    assert doc.resolve("#/components/none", doc.root_file) is None


def test_ref_loops_are_errors(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            use: {$ref: '#/a'}
            a: {$ref: '#/b'}
            b: {$ref: '#/a'}
            me: {$ref: '#/me'}
            """,
        )
    )
    # Each $ref of a loop is reported where it stands; one that only leads into it is not.
    assert rules(problems) == [
        ("error", "unresolved-ref", "a.yaml:2:11"),
        ("error", "unresolved-ref", "a.yaml:3:11"),
        ("error", "unresolved-ref", "a.yaml:4:12"),
    ]
    assert "#/a -> #/b -> #/a" in problems.items[0].message
    assert doc.resolve("#/use", doc.root_file) is None


def test_schema_cycles_are_fine(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    next: {$ref: '#/components/schemas/Node'}
                    kids: {type: array, items: {$ref: '#/components/schemas/Node'}}
                A: {properties: {b: {$ref: '#/components/schemas/B'}}}
                B: {properties: {a: {$ref: '#/components/schemas/A'}}}
            """,
        )
    )
    assert not problems
    node = doc.resolve("#/components/schemas/Node", doc.root_file)
    assert node is not None and node.value["properties"]["next"] == {
        "$ref": "#/components/schemas/Node"
    }


def test_relative_file_refs(tmp_path: Path) -> None:
    write(
        tmp_path / "spec" / "api.yaml",
        """
        payload: {$ref: 'parts/schemas.yaml#/User'}
        whole: {$ref: './parts/schemas.yaml'}
        """,
    )
    write(
        tmp_path / "spec" / "parts" / "schemas.yaml",
        """
        User:
          properties:
            id: {$ref: '../../common/types.json#/Id'}
            friend: {$ref: '#/User'}
        """,
    )
    write(tmp_path / "common" / "types.json", '{"Id": {"type": "string"}}')
    doc, problems = load_ok(tmp_path / "spec" / "api.yaml", root=tmp_path)  # ../common is in it
    assert not problems
    schemas, types = tmp_path / "spec/parts/schemas.yaml", tmp_path / "common/types.json"
    assert set(doc.files) == {doc.root_file, schemas, types}
    user = doc.resolve("parts/schemas.yaml#/User", doc.root_file)
    assert user is not None and (user.file, user.pointer) == (schemas, "/User")
    # A ref inside the other file is relative to that file.
    found = doc.resolve("../../common/types.json#/Id", user.file)
    assert found == loading.Resolved({"type": "string"}, types, "/Id")
    assert doc.tree(types) == {"Id": {"type": "string"}}
    assert doc.position(types, "/Id") == Position("common/types.json", 1, 8)


def test_syntax_error_in_a_referenced_file(tmp_path: Path) -> None:
    write(tmp_path / "bad.yaml", "x: [1,\n")
    _, problems = load_ok(write(tmp_path / "a.yaml", "p:\n  $ref: bad.yaml#/x\n"))
    assert rules(problems) == [
        ("error", "yaml-syntax", "bad.yaml:2:1"),
        ("error", "unresolved-ref", "a.yaml:2:9"),
    ]


def test_pointer_into_a_node_that_is_a_ref(tmp_path: Path) -> None:
    write(
        tmp_path / "api.yaml",
        """
        channels:
          echo: {$ref: 'channels.yaml#/echo'}
        operations:
          send: {$ref: '#/channels/echo/messages/hello'}
        """,
    )
    write(
        tmp_path / "channels.yaml", "echo:\n  messages:\n    hello: {$ref: 'messages.yaml#/hi'}\n"
    )
    write(tmp_path / "messages.yaml", "hi: {payload: {type: string}}\n")
    doc, problems = load_ok(tmp_path / "api.yaml")
    assert not problems
    found = doc.resolve("#/channels/echo/messages/hello", doc.root_file)
    assert found == loading.Resolved(
        {"payload": {"type": "string"}}, tmp_path / "messages.yaml", "/hi"
    )


def test_missing_file_and_pointer_are_reported_at_the_ref(tmp_path: Path) -> None:
    _, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            x:
              $ref: 'nope.yaml#/A'
            y:
              list:
                - $ref: '#/y/B'
            z: {$ref: 42}
            """,
        )
    )
    assert rules(problems) == [
        ("error", "unresolved-ref", "a.yaml:2:9"),
        ("error", "unresolved-ref", "a.yaml:5:13"),
        ("error", "unresolved-ref", "a.yaml:6:11"),
    ]
    missing_file, missing_pointer, not_string = problems
    assert missing_file.pointer == "/x" and "nope.yaml" in missing_file.message
    assert missing_pointer.pointer == "/y/list/0" and "nothing at #/y/B" in missing_pointer.message
    assert "must be a string" in not_string.message


def test_remote_refs_are_errors(tmp_path: Path) -> None:
    doc, problems = load_ok(
        write(tmp_path / "a.yaml", "p: {$ref: 'https://example.com/s.json#/X'}\n")
    )
    (problem,) = problems
    assert (problem.rule, str(problem.position)) == ("unresolved-ref", "a.yaml:1:11")
    assert "download the file and refer to it by a relative path" in problem.hint
    assert doc.resolve("https://example.com/s.json#/X", doc.root_file) is None


def test_absolute_url_matching_an_id(tmp_path: Path) -> None:
    write(
        tmp_path / "api.yaml",
        """
        a: {$ref: 'shared.json'}
        b: {$ref: 'https://example.com/shared.json#/properties/id'}
        c: {$ref: 'https://example.com/inner'}
        """,
    )
    shared = {
        "$id": "https://example.com/shared.json",
        "properties": {"id": {"type": "string"}},
        "definitions": {"In": {"$id": "https://example.com/inner", "type": "integer"}},
    }
    write(tmp_path / "shared.json", json.dumps(shared))
    doc, problems = load_ok(tmp_path / "api.yaml")
    assert not problems
    b = doc.resolve("https://example.com/shared.json#/properties/id", doc.root_file)
    assert b == loading.Resolved({"type": "string"}, tmp_path / "shared.json", "/properties/id")
    c = doc.resolve("https://example.com/inner", doc.root_file)
    assert c is not None and c.pointer == "/definitions/In"


def test_absolute_url_of_a_sibling_never_named_by_path(tmp_path: Path) -> None:
    write(tmp_path / "api.yaml", "p: {$ref: 'https://example.com/crm/shared.json'}\n")
    write(tmp_path / "shared.json", '{"$id": "https://example.com/crm/shared.json"}')
    _, problems = load_ok(tmp_path / "api.yaml")
    (problem,) = problems
    assert "no loaded file or schema has https://example.com/crm/shared.json as its $id" in (
        problem.message
    )
    assert "write $ref: 'shared.json'" in problem.hint


def test_pointer_escaping(tmp_path: Path) -> None:
    assert pointer_join("", "a/b", "c~d", 0) == "/a~1b/c~0d/0"
    assert pointer_tokens("/a~1b/c~0d/0") == ["a/b", "c~d", "0"]
    assert pointer_tokens("/~01") == ["~1"]  # ~0 is undone last
    assert pointer_tokens("") == []
    with pytest.raises(ValueError):
        pointer_tokens("a")
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            channels:
              /users/{id}: {x: 1}
              c~d: {y: 2}
              with space: {z: 3}
            refs:
              - $ref: '#/channels/~1users~1%7Bid%7D'
              - $ref: '#/channels/c~0d/y'
              - $ref: '#/channels/with%20space'
            """,
        )
    )
    assert not problems
    assert doc.resolve("#/channels/~1users~1{id}/x", doc.root_file) is not None
    assert doc.position(doc.root_file, "/channels/~1users~1{id}/x") == Position("a.yaml", 2, 20)


def test_a_property_named_ref_is_not_a_reference(tmp_path: Path) -> None:
    write(tmp_path / "c.yaml", "c: 1\n")
    doc, problems = load_ok(
        write(
            tmp_path / "a.yaml",
            """
            schema:
              properties:
                $ref: {type: string}
            channels:  # any name may hold a reference, even a keyword's
              properties: {$ref: 'c.yaml'}
              default: {$ref: 'c.yaml#/c'}
            """,
        )
    )
    assert not problems
    assert tmp_path / "c.yaml" in doc.files


def test_input_hash_is_stable_and_sensitive(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write(tmp_path / name / "api.yaml", "a: {$ref: 'b.yaml'}\n")
        write(tmp_path / name / "b.yaml", "b: 1\n")
    one, _ = load_ok(tmp_path / "one" / "api.yaml")
    two, _ = load_ok(tmp_path / "two" / "api.yaml")
    assert one.input_hash() == two.input_hash() and len(one.input_hash()) == 64
    write(tmp_path / "two" / "b.yaml", "b: 2\n")
    two, _ = load_ok(tmp_path / "two" / "api.yaml")
    assert one.input_hash() != two.input_hash()


def test_display_path(tmp_path: Path) -> None:
    assert display_path(tmp_path / "x" / "a.yaml") == str(Path("x") / "a.yaml")
    assert display_path(Path("/elsewhere/a.yaml")) == "/elsewhere/a.yaml"


# -- the public example corpus ---------------------------------------------------------------------

# Documents of the corpus that do not load cleanly, and why. Each error must be located.
CORPUS_ERRORS = {
    # Refers to https://schema.example.com/crm/shared.json, the $id of the sibling shared.json,
    # which no $ref names by path, so it is never loaded.
    "generator/apps/generator/test/docs/apiwithref.json": "remote",
    # `refs/refed.yaml` is relative to test/good/, but the file is in test/refs/.
    "parser-js-v1/test/good/asyncapi.yaml": "missing file",
    # `./good/circular-refs-file-ref.yaml` is relative to test/good/: there is no test/good/good/.
    "parser-js-v1/test/good/circular-refs.yaml": "missing file",
    # Avro schemas on asyncapi.com.
    "spec-v3.0.0/adeo-kafka-request-reply-asyncapi.yml": "remote",
    "spec-v3.1.0/adeo-kafka-request-reply-asyncapi.yml": "remote",
}


def _why(problems: Problems) -> str:
    found = set()
    for p in problems.errors:
        assert p.rule == "unresolved-ref", p.format()
        found.add("remote" if "remote reference" in p.message else "missing file")
    return ", ".join(sorted(found))


def test_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = SHARED / "corpus"
    if not (corpus / "MANIFEST.tsv").is_file():
        pytest.fail(f"the example corpus is missing: expected {corpus}/MANIFEST.tsv")
    with open(corpus / "MANIFEST.tsv", encoding="utf-8", newline="") as f:
        names = [row["local_file"] for row in csv.DictReader(f, delimiter="\t")]
    assert len(names) > 50
    table: dict[str, str] = {}
    for name in names:
        problems = Problems()
        document = load(corpus / name, problems, root=corpus)
        assert document is not None, problems.format()
        for problem in problems.errors:
            assert problem.position is not None and problem.position.line > 0, problem.format()
            assert problem.severity is Severity.ERROR
        if problems.has_errors:
            table[name] = _why(problems)
    with capsys.disabled():
        print("\ncorpus documents with errors:")
        for name, why in sorted(table.items()):
            print(f"  {name}: {why}")
    assert table == CORPUS_ERRORS
