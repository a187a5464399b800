"""IR → the package's files: the views printed through the templates, the compiled validators
and the runtime modules, formatted and in a deterministic order, and the package's README.md."""

from __future__ import annotations

from . import ir, runtime
from .formatting import format_python
from .render import TEMPLATES, render
from .validation import compile_module
from .views import package, readme


def files(api: ir.Api) -> dict[str, str]:
    """File name (relative to the package folder) → content."""
    view = package.build(api)
    context = view.context()
    out: dict[str, str] = {}
    for name in TEMPLATES:
        text = render(name, context)
        if text is not None:
            out[name] = format_python(text)
    validators = compile_module(
        {n.name: n.json_schema for n in api.schemas},
        {n.name: n.validator_name for n in api.schemas},
        deferred=dict(view.models.deferred),
        package=True,
    )
    out["validators.py"] = format_python(view.header + "\n" + validators)
    # Runtime modules are already formatted source: copied as they are, under the header.
    for name, source in runtime.sources().items():
        out[name] = view.header + "\n" + source
    out["py.typed"] = ""
    # Markdown, not Python: printed as the template writes it, never through black.
    out["README.md"] = render("README.md", readme.build(api, view.sockets).context()) or ""
    return dict(sorted(out.items()))
