"""Views → text: the Jinja environment and its filters.

Templates only print what the views hold (see `views/`). Text from the document reaches generated
code only through the `pystr`, `docstring` and `comment` filters, which make it inert whatever it
holds (`\"\"\"`, backslashes, `{{`); Jinja never evaluates document text, since it is data in the
context, not template source.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import jinja2

TEMPLATES = ("models.py", "client.py", "server.py", "__init__.py")


def pystr(value: Any) -> str:
    """A Python literal for any JSON value (repr escapes everything that could break out)."""
    return repr(value)


def docstring(text: str, indent: int = 4) -> str:
    """A safe docstring body: no closing quotes, no escapes that change meaning.

    A body ending in a double quote would merge with the closing quotes, so that last quote is
    escaped; it is escaped after the lines are stripped, which would take a space away again.
    """
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = _printable(text, keep="\n\t")
    pad = " " * indent
    body = "\n".join((pad + line).rstrip() if line else "" for line in text.splitlines()).lstrip()
    if body.endswith('"') and (len(body) - len(body[:-1].rstrip("\\"))) % 2:
        return body[:-1] + '\\"'  # a quote no backslash escapes yet
    return body


def comment(text: str) -> str:
    """One line of text, safe inside a `#` comment (a NUL or a line break there breaks the
    module, so whatever is not printable is written as an escape)."""
    return _printable(" ".join(text.split()), keep="")


def _printable(text: str, keep: str) -> str:
    return "".join(ch if ch.isprintable() or ch in keep else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    )


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pystr"] = pystr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.filters["json"] = lambda v: json.dumps(v, sort_keys=True)
    return env


def _template_source(name: str) -> str | None:
    path = resources.files("asyncgen.templates").joinpath(name)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def render(name: str, context: Mapping[str, object]) -> str | None:
    """The text of the module `name` (e.g. `client.py`), or None when there is no template."""
    try:
        template = environment().get_template(name + ".jinja")
    except jinja2.TemplateNotFound:
        return None
    return template.render(context)
