"""The four stages composed: load → parse → render, collecting problems along the way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import ir, naming
from .diagnostics import Problems
from .loading import load


@dataclass
class Result:
    problems: Problems
    api: ir.Api | None = None
    files: dict[str, str] | None = None  # None when an error stopped generation


def parse(spec: Path, problems: Problems, package: str | None = None) -> ir.Api | None:
    doc = load(spec, problems)
    if doc is None or problems.has_errors:
        return None
    root = doc.root
    if not isinstance(root, dict):
        problems.error("document", "an AsyncAPI document must be a mapping", position=doc.position(doc.root_file, ""))
        return None
    version = root.get("asyncapi")
    package = package or naming.package_name(Path(spec).stem)
    if not isinstance(version, str) or not re.fullmatch(r"[23]\.\d+\.\d+", version):
        problems.error(
            "asyncapi-version",
            f"unsupported or missing `asyncapi` version {version!r}; expected 2.0.0-2.6.0 or 3.x",
            pointer="/asyncapi" if version is not None else "",
            position=doc.position(doc.root_file, "/asyncapi" if version is not None else ""),
        )
        return None
    from .asyncapi import v2, v3

    parse_version = v2.parse if version.startswith("2.") else v3.parse
    api = parse_version(doc, problems, package, Path(spec).name)
    return None if problems.has_errors else api


def generate(spec: Path, package: str | None = None) -> Result:
    problems = Problems()
    if package is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", package):
        problems.error("package", f"--package {package!r} is not a Python identifier")
        return Result(problems)
    api = parse(spec, problems, package)
    if api is None:
        return Result(problems)
    from .render import render
    from .validation import SchemaError

    try:
        files = render(api)
    except SchemaError as exc:  # a schema the validator compiler cannot express
        problems.error("schema", str(exc), hint="the schema is not valid JSON Schema draft-07")
        return Result(problems, api)
    return Result(problems, api, files)

