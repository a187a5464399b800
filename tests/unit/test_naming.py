"""Python names for document names: keywords, builtins, collisions, enum members, packages."""

from __future__ import annotations

import keyword

import pytest
from asyncgen import naming


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("continue", "continue_"),
        ("class", "class_"),
        ("match", "match_"),  # soft keyword
        ("list", "list_"),  # builtin used in annotations
        ("to_dict", "to_dict_"),  # a generated method
        ("type", "type"),  # everyday wire name, shadows nothing generated code uses
        ("context_id", "context_id"),
        ("contextId", "context_id"),
        ("X-API-Key", "x_api_key"),
        ("Content-Type", "content_type"),
        ("HTTPServer", "http_server"),
        ("turn.start", "turn_start"),
        ("8000", "field_8000"),
        ("", "field_"),  # `field` itself would shadow dataclasses.field
        ("$", "field_"),
        ("Größe", "grosse"),
    ],
)
def test_attribute(wire: str, python: str) -> None:
    name = naming.attribute(wire)
    assert name == python
    assert name.isidentifier() and not keyword.iskeyword(name)


@pytest.mark.parametrize(
    ("value", "member"),
    [
        ("Joking/Comedic", "JOKING_COMEDIC"),
        ("joking/comedic", "JOKING_COMEDIC"),
        ("no", "NO"),
        ("8000", "VALUE_8000"),
        (8000, "VALUE_8000"),
        (-1, "VALUE_MINUS_1"),
        ("", "VALUE"),
        ("pcm_f32le", "PCM_F32LE"),
        ("turn.eager_end", "TURN_EAGER_END"),
        ("None", "NONE"),
    ],
)
def test_enum_member(value: object, member: str) -> None:
    assert naming.enum_member(value) == member


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("TtsGenerationRequest", "TtsGenerationRequest"),  # kept as written
        ("HTTPError", "HTTPError"),
        ("ttsChunk", "TtsChunk"),
        ("/tts/websocket", "TtsWebsocket"),
        ("user-signed-up", "UserSignedUp"),
        ("Enum", "Enum_"),  # would shadow an import of the generated module
        ("Client", "Client_"),
        ("3d", "Model3d"),
    ],
)
def test_class_name(text: str, cls: str) -> None:
    assert naming.class_name(text) == cls


def test_collisions_after_normalisation_get_numbered() -> None:
    space = naming.Namespace()
    assert naming.unique_attribute(space, "fooBar") == "foo_bar"
    assert naming.unique_attribute(space, "foo_bar") == "foo_bar_2"
    assert naming.unique_attribute(space, "FooBar") == "foo_bar_3"
    classes = naming.Namespace()
    assert naming.unique_class(classes, "item") == "Item"
    assert naming.unique_class(classes, "Item") == "Item2"


@pytest.mark.parametrize(
    ("stem", "package"),
    [("cartesia", "cartesia"), ("cartesia-upstream", "cartesia_upstream"), ("My API.v2", "my_api_v2"), ("2fa", "_2fa"), ("class", "class_")],
)
def test_package_name(stem: str, package: str) -> None:
    assert naming.package_name(stem) == package
