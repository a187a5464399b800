"""The feature fixtures' packages, imported and exercised (their text is pinned by test_golden)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, build, import_package


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("fixtures")
    found = {}
    for spec in sorted(FIXTURES.glob("*/spec.yaml")):
        name = f"fixture_{spec.parent.name}"
        build(spec, root, name)
        found[spec.parent.name] = import_package(root, name)
    return found


def test_keyword_and_colliding_names(packages: dict[str, dict[str, ModuleType]]) -> None:
    models = packages["keywords"]["models"]
    wire = {
        "continue": True,
        "class": "first",
        "from": "x",
        "list": [1, 2],
        "8000": 8000,
        "Content-Type": "text/plain",
        "fooBar": "camel",
        "foo_bar": "snake",
        "to_dict": "shadow",
        "mood": "Joking/Comedic",
        "rate": -1,
        "item": {"Item": {"value": "v"}},
    }
    event = models.Event.from_dict(wire)
    assert (event.continue_, event.class_, event.from_, event.list_) == (True, "first", "x", [1, 2])
    assert (event.field_8000, event.content_type, event.foo_bar, event.foo_bar_2) == (8000, "text/plain", "camel", "snake")
    assert event.to_dict_ == "shadow" and callable(event.to_dict)
    assert event.mood is models.EventMood.JOKING_COMEDIC and event.rate is models.EventRate.VALUE_MINUS_1
    assert isinstance(event.item, models.Item2) and isinstance(event.item.item, models.Item)  # `Item` keeps its spelling
    assert event.to_dict() == wire
    assert models.EventMood("no") is models.EventMood.NO and models.EventMood("") is models.EventMood.VALUE
    assert models.Enum_.A.value == "a"


def test_hostile_text_stays_data(packages: dict[str, dict[str, ModuleType]]) -> None:
    models = packages["hostile_text"]["models"]
    weird = models.Weird()
    assert weird.type == 'quote"""const'
    # A schema default is not applied (absent stays absent); it is kept, as data, in a comment.
    assert weird.a_b is None and "a_b" not in str(weird.to_dict())
    assert repr('default """ {{ x }}') in Path(models.__file__).read_text(encoding="utf-8")
    assert [m.value for m in models.WeirdXY] == ['"""', "\\", "{{ x }}", "line\nbreak"]
    assert '"""); import os' in (models.Weird.__doc__ or "")
    frame = json.dumps({"type": 'quote"""const', 'x\\y': "line\nbreak", "pattern_field": '\\"'})
    parsed = models.parse_abc_server_frame(frame)
    assert parsed.x_y is models.WeirdXY.LINE_BREAK and parsed.pattern_field == '\\"'
    with pytest.raises(models.ValidationError) as caught:
        models.parse_abc_server_frame(json.dumps({"type": 'quote"""const', "pattern_field": "abc"}))
    assert caught.value.errors[0].path == "/pattern_field"


def test_references_across_files(packages: dict[str, dict[str, ModuleType]]) -> None:
    models = packages["multifile"]["models"]
    order = {"id": "0b4e7a0e-5bd7-4bde-9b4a-2d3f7c0a1e11", "lines": [{"sku": "ABC-1", "quantity": 2}]}
    parsed = models.parse_orders_client_frame(json.dumps(order))
    assert isinstance(parsed, models.Order) and isinstance(parsed.lines[0], models.Line)
    placed = models.parse_orders_server_frame(json.dumps({"order": order, "at": "2026-03-01T10:00:00Z"}))
    assert placed.order == parsed
    with pytest.raises(models.ValidationError) as caught:
        models.parse_orders_client_frame(json.dumps({**order, "lines": [{"sku": "abc", "quantity": 0}]}))
    assert caught.value.errors[0].path == "/lines/0/sku"


def test_recursive_schemas(packages: dict[str, dict[str, ModuleType]]) -> None:
    models = packages["recursive"]["models"]
    tree = {"label": "root", "children": [{"label": "a", "children": [{"label": "a1"}]}], "next": {"tree": {"label": "n"}}}
    parsed = models.parse_trees_server_frame(json.dumps(tree))
    assert parsed.children[0].children[0].label == "a1" and parsed.next.tree.label == "n"
    assert parsed.to_dict() == tree
    bad = {"label": "root", "children": [{"label": "a", "children": [{"label": 5}]}]}
    with pytest.raises(models.ValidationError) as caught:
        models.parse_trees_server_frame(json.dumps(bad))
    assert caught.value.errors[0].path == "/children/0/children/0/label"


def test_unions(packages: dict[str, dict[str, ModuleType]]) -> None:
    models = packages["unions"]["models"]
    circle = models.parse_shapes_server_frame('{"shape": {"kind": "circle", "radius": 2}, "label": 7, "note": null}')
    assert isinstance(circle.shape, models.Circle) and circle.label == 7 and circle.note is None
    square = models.Drawing.from_dict({"shape": {"kind": "square", "side": 1.5}, "legacy": None, "tagged": {"id": 1, "tag": "t"}})
    assert isinstance(square.shape, models.Square) and square.tagged == models.Tagged(id=1, tag="t")
    with pytest.raises(models.ValidationError):
        models.Drawing.from_dict({"shape": {"kind": "triangle"}})
    with pytest.raises(models.ValidationError):
        models.Drawing.from_dict({"shape": {"kind": "circle", "radius": 0}})  # exclusiveMinimum


def test_unquoted_dates_stay_text(packages: dict[str, dict[str, ModuleType]]) -> None:
    package = packages["yaml_dates"]
    models = package["models"]
    assert "2026-03-01" in (package["package"].__doc__ or "")
    parsed = models.parse_days_server_frame('{"day": "2026-03-01", "country": "no"}')
    assert parsed.country is models.DaysSubscribeMessagePayloadCountry.NO


def test_layout_shapes_behave(packages: dict[str, dict[str, ModuleType]]) -> None:
    """hostile_layout: every statement split somewhere (its text is held to black by
    test_black_clean); the package still means what the document says."""
    package = packages["hostile_layout"]
    models, client = package["models"], package["client"]
    request = {
        "type": "start_the_transcription_of_a_conversation_with_every_option",
        "conversation_identifier": "c1",
        "language_of_the_audio_as_a_bcp47_tag": "ja-JP",
        "mode_or_modes_selected_for_this_conversation": [1, 2],
        "boost_factor_for_the_vocabulary_terms_given_in_the_query_of_the_handshake": 1e10,
    }
    model = models.TranscriptionRequestWithEveryConfigurableOptionSpelledOut
    assert model.from_dict(request).to_dict() == request
    for mode in ("manual", "automatic_mode_chosen_by_the_service", None):
        value = {**request, "mode_or_modes_selected_for_this_conversation": mode}
        assert model.from_dict(value).to_dict() == value
    with pytest.raises(models.ValidationError):
        model.from_dict({**request, "mode_or_modes_selected_for_this_conversation": "other"})
    with pytest.raises(models.ValidationError):  # maximum: 1.0e+10
        model.from_dict({**request, "boost_factor_for_the_vocabulary_terms_given_in_the_query_of_the_handshake": 2e10})
    status = models.parse_status_server_frame(json.dumps({"state": "ok", "load": 1.5e20}))
    assert status.load == 1.5e20 and status.to_dict() == {"state": "ok", "load": 1.5e20}
    with pytest.raises(models.ValidationError):  # const: 1.5e+20
        models.parse_status_server_frame(json.dumps({"state": "ok", "load": 1.5e19}))
    parse = models.parse_realtime_conversations_conversation_identifier_for_the_whole_session_audio_and_transcript_stream_server_frame
    for result in ([1, 2], {"reason": "done"}):
        frame = {"type": "finished", "conversation_identifier": "c1", "result_that_is_either_a_list_or_an_object_with_a_reason": result}
        assert parse(json.dumps(frame)).to_dict() == frame
    partial = {"type": "partial", "conversation_identifier": "c1", "名前": "x", "Größe_der_übertragenen_Daten_in_Bytes_seit_dem_Beginn_der_Unterhaltung": 3}
    assert parse(json.dumps(partial)).to_dict() == partial
    arguments = inspect.signature(client.Client.connect).parameters
    assert arguments["api_version_selector"].default.value == "v2025-12-31-long-term-support-release"


def test_every_fixture_is_exercised() -> None:
    names = {p.parent.name for p in FIXTURES.glob("*/spec.yaml")}
    tested = {"keywords", "hostile_text", "multifile", "recursive", "unions", "yaml_dates"}
    tested |= {"realtime", "market_data", "stream_input"}  # tests/behaviour/test_client_sockets.py
    tested.add("decoding")  # exercised in test_decoding.py and test_client_decoding.py
    tested.add("hostile_shapes")  # exercised in tests/unit/test_hostile_shapes.py
    # tests/behaviour/test_broker_clients.py (against real brokers; Kafka: the codec)
    tested |= {"streetlights_mqtt", "orders_amqp", "sensors_nats", "events_kafka"}
    tested.add("hostile_layout")
    assert names == tested, "a new fixture needs a behaviour test here"

