"""IR → the package's files: the views printed through the templates, the compiled validators
and the runtime modules, in a deterministic order, and the package's README.md.

The compiled validators, the runtime modules and the built-in templates are printed black-clean
(see `layout.py`), so black does not run unless asked (`black=True`, `asyncgen build --format`),
and is not even imported then; a template override's output is always formatted, since what
users write is not black-stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from . import ir, runtime
from .render import TemplateFailure, overridden, render
from .validation import compile_module
from .views import package, readme


def files(api: ir.Api, templates: Path | None = None, *, black: bool = False) -> dict[str, str]:
    """File name (relative to the package folder) → content; `templates` is a folder of template
    overrides (an override's output is always formatted by black); `black` formats every
    module."""
    view = package.build(api)
    context = view.context()
    out: dict[str, str] = {}
    for name in view.modules:
        _print(out, name, name, context, templates, black)
    for client in view.brokers:
        context = {"header": view.header, "client": client}
        _print(out, client.module, "broker_client.py", context, templates, black)
    if view.codec is not None:
        context = {"header": view.header, "codec": view.codec}
        _print(out, "codec.py", "codec.py", context, templates, black)
    validators = compile_module(
        {n.name: n.json_schema for n in api.schemas},
        {n.name: n.validator_name for n in api.schemas},
        deferred=dict(view.models.deferred),
        package=True,
    )
    out["validators.py"] = view.header + "\n" + validators
    # Runtime modules are already formatted source: copied as they are, under the header.
    protocols = tuple(c.protocol for c in view.brokers)
    for name, source in runtime.sources(protocols, view.websocket).items():
        out[name] = view.header + "\n" + source
    if black:
        out = {name: _format(text) for name, text in out.items()}
    out["py.typed"] = ""
    # Markdown, not Python: printed as the template writes it, never through black.
    notes = readme.build(api, view.sockets, view.websocket, view.brokers, view.codec)
    out["README.md"] = render("README.md", notes.context()) or ""
    return dict(sorted(out.items()))


def _print(
    out: dict[str, str],
    name: str,
    template: str,
    context: Mapping[str, object],
    templates: Path | None,
    black: bool,
) -> None:
    """`out[name]`: the template printed with `context` (nothing when there is no template);
    through black when asked and for overrides."""
    text = render(template, context, templates)
    if text is None:
        return
    override = overridden(template, templates)
    if not (black or override is not None):
        out[name] = text
        return
    try:
        out[name] = _format(text)
    except Exception as exc:  # black's InvalidInput: what an override printed is not Python
        if override is None:
            raise
        raise TemplateFailure(f"{override}: the rendered {name} is not Python: {exc}") from exc


def _format(text: str) -> str:
    from .formatting import format_python  # black is imported only when it runs

    return format_python(text)
