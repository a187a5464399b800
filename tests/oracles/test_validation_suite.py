"""The official JSON-Schema-Test-Suite (draft 7) through `compile_validator`: one test per case.

Required files: all of them except `refRemote.json` (it needs a server for remote references).
Optional files: every one, `format/` included. What is skipped or expected to fail is listed
below with the reason, and an expected failure that starts passing fails the run (strict).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from asyncgen.validation import CompiledValidator, ValidationError, compile_validator
from conftest import DATA

SHARED = DATA
SUITE = SHARED / "jsonschema-suite" / "draft7"

# Whole files left out.
SKIPPED_FILES = {
    "refRemote.json": "remote references ($ref to http://localhost:1234/...) are not supported",
}
# Whole groups left out: (file, group description) -> reason.
SKIPPED_GROUPS = {
    ("optional/cross-draft.json", "refs to future drafts are processed as future drafts"): (
        "remote reference to a draft 2019-09 schema (only in-document references and the "
        "draft-07 meta-schema are resolved)"
    ),
}
# Known gaps: (file, group description, case description) -> reason. Run as strict xfails.
_CONTENT = (
    "contentMediaType/contentEncoding are annotations: draft-07 makes asserting them optional "
    "and the compiler does not"
)
KNOWN_FAILURES = {
    (
        "optional/content.json",
        "validation of string-encoded content based on media type",
        "an invalid JSON document",
    ): _CONTENT,
    (
        "optional/content.json",
        "validation of binary string-encoding",
        "an invalid base64 string (% is not a valid character)",
    ): _CONTENT,
    (
        "optional/content.json",
        "validation of binary-encoded media type documents",
        "a validly-encoded invalid JSON document",
    ): _CONTENT,
    (
        "optional/content.json",
        "validation of binary-encoded media type documents",
        "an invalid base64 string that is valid JSON",
    ): _CONTENT,
}


@dataclass(frozen=True)
class Case:
    file: str
    group: int
    schema: Any
    data: Any
    valid: bool


def _suite_dir() -> Path:
    if not SUITE.is_dir():
        pytest.fail(
            f"{SUITE} is missing: the JSON-Schema-Test-Suite is part of the repository",
            pytrace=False,
        )
    return SUITE


def _cases() -> list[Any]:
    root = _suite_dir()
    files = sorted(root.glob("*.json")) + sorted(root.glob("optional/**/*.json"))
    params = []
    for path in files:
        name = path.relative_to(root).as_posix()
        if name in SKIPPED_FILES:
            continue
        for g, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            for test in group["tests"]:
                case = Case(name, g, group["schema"], test["data"], test["valid"])
                key = (name, group["description"], test["description"])
                marks = []
                if key[:2] in SKIPPED_GROUPS:
                    marks.append(pytest.mark.skip(reason=SKIPPED_GROUPS[key[:2]]))
                elif key in KNOWN_FAILURES:
                    marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[key], strict=True))
                case_id = f"{name[:-5]}: {group['description']}: {test['description']}"
                params.append(pytest.param(case, id=case_id, marks=marks))
    return params


CASES = _cases()


@functools.cache
def _compiled(file: str, group: int) -> CompiledValidator:
    groups = json.loads((SUITE / file).read_text(encoding="utf-8"))
    return compile_validator(groups[group]["schema"])


@pytest.mark.parametrize("case", CASES)
def test_case(case: Case) -> None:
    check = _compiled(case.file, case.group)
    assert check.is_valid(case.data) is case.valid
    errors = check.errors(case.data)  # all-errors mode agrees with the first-error mode
    assert bool(errors) is not case.valid
    if case.valid:
        check(case.data)
    else:
        with pytest.raises(ValidationError) as raised:
            check(case.data)
        assert raised.value.errors == errors[:1]


def test_every_listed_exception_exists() -> None:
    """The lists above name cases that are really in the suite (no stale entries)."""
    root = _suite_dir()
    seen_groups, seen_cases = set(), set()
    for path in sorted(root.glob("**/*.json")):
        name = path.relative_to(root).as_posix()
        for group in json.loads(path.read_text(encoding="utf-8")):
            seen_groups.add((name, group["description"]))
            seen_cases |= {(name, group["description"], t["description"]) for t in group["tests"]}
    assert set(SKIPPED_GROUPS) <= seen_groups
    assert set(KNOWN_FAILURES) <= seen_cases
    assert all((root / name).is_file() for name in SKIPPED_FILES)


def test_format_coverage_is_at_least_95_percent() -> None:
    formats = [p for p in CASES if p.values[0].file.startswith("optional/format/")]
    failing = [p for p in formats if p.marks]
    assert len(formats) > 600
    assert (len(formats) - len(failing)) / len(formats) >= 0.95
