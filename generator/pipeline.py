"""The stages composed: load → parse → views → render → files, collecting problems on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import ir, naming
from .diagnostics import Position, Problems
from .loading import Document, display_path, load
from .settings import Reading

if TYPE_CHECKING:
    from collections.abc import Mapping


_AS_WRITTEN = Reading()  # no overlays, the side told from the document, default limits


@dataclass
class Result:
    problems: Problems
    api: ir.Api | None = None
    files: dict[str, str] | None = None  # None when an error stopped generation
    # Every file read (the spec, what its `$ref`s name, the overlays) -> the bytes read.
    inputs: Mapping[Path, bytes] | None = None


def parse(
    spec: Path, problems: Problems, package: str | None = None, reading: Reading = _AS_WRITTEN
) -> ir.Api | None:
    parsed = _parse(spec, problems, package, reading)
    return parsed[1] if parsed else None


def _parse(
    spec: Path, problems: Problems, package: str | None, reading: Reading
) -> tuple[Document, ir.Api] | None:
    overlays = reading.overlays

    def prepare(document: Document) -> None:
        if overlays:
            from .overlays import apply_overlays  # here: the JSONPath engine costs 18 ms to import

            apply_overlays(document, overlays, problems)

    doc = load(spec, problems, prepare, reading.root, reading.max_file_size)
    if doc is None or problems.has_errors:
        return None
    root = doc.root
    if not isinstance(root, dict):
        problems.error(
            "document",
            "an AsyncAPI document must be a mapping",
            position=doc.position(doc.root_file, ""),
        )
        return None
    version = root.get("asyncapi")
    if package is None:
        package = naming.package_name(Path(spec).stem)
        why = naming.package_name_problem(package)
        if why:
            problems.error(
                "package-name",
                f"the package name is taken from the file name: {why}",
                position=Position(display_path(doc.root_file)),
                hint="rename the spec file, or name the package with --package NAME",
            )
            return None
    if not isinstance(version, str) or not re.fullmatch(r"[23]\.\d+\.\d+", version):
        problems.error(
            "asyncapi-version",
            f"unsupported or missing `asyncapi` version {version!r}; expected 2.0.0-2.6.0 or 3.x",
            pointer="/asyncapi" if version is not None else "",
            position=doc.position(doc.root_file, "/asyncapi" if version is not None else ""),
        )
        return None
    from .asyncapi import soundness, v2, v3

    parse_version = v2.parse if version.startswith("2.") else v3.parse
    api = parse_version(
        doc, problems, package, Path(spec).name, reading.perspective, reading.sockets
    )
    if problems.has_errors:
        return None
    soundness.check(api, doc, problems)
    return doc, api


def generate(
    spec: Path,
    package: str | None = None,
    reading: Reading = _AS_WRITTEN,
    templates: Path | None = None,
    *,
    black: bool = False,
) -> Result:
    """`spec`'s package; `templates` is a folder of template overrides (see `render.py`),
    `black` runs black over every module (see `emit.files`)."""
    problems = Problems()
    why = naming.package_name_problem(package) if package is not None else ""
    if why:
        problems.error("package", f"--package {package}: {why}")
        return Result(problems)
    parsed = _parse(spec, problems, package, reading)
    if parsed is None:
        return Result(problems)
    doc, api = parsed
    from .emit import files as emit_files
    from .render import TemplateFailure
    from .validation import SchemaError

    try:
        files = emit_files(api, templates, black=black)
    except SchemaError as exc:  # a schema the validator compiler cannot express
        _locate_schema_error(doc, api, exc, problems)
        return Result(problems, api)
    except TemplateFailure as exc:  # only a template override can fail
        problems.error("template", str(exc), hint="fix the template override")
        return Result(problems, api)
    return Result(problems, api, files, doc.inputs())


def _locate_schema_error(doc: Document, api: ir.Api, exc: Exception, problems: Problems) -> None:
    """Report a schema the compiler refused at the named schema it belongs to (found by
    compiling the named schemas one at a time: this only runs when something is wrong)."""
    from .validation import SchemaError, compile_module

    definitions = {n.name: n.json_schema for n in api.schemas}
    for named in api.schemas:
        try:
            compile_module(definitions, {named.name: named.validator_name})
        except SchemaError as own:
            origin = named.origin or ir.Origin("")
            position = doc.position(Path(origin.file), origin.pointer) if origin.file else None
            problems.error(
                "schema",
                f"schema {named.name!r}: {own}",
                pointer=origin.pointer,
                position=position,
                hint="the schema is not valid JSON Schema draft-07",
            )
            return
    problems.error("schema", str(exc), hint="the schema is not valid JSON Schema draft-07")
