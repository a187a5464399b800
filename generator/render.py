"""Views → text: the Jinja environment and its filters.

Templates only print what the views hold (see `views/`). Text from the document reaches generated
code only through the `pystr`, `docstring` and `comment` filters, which make it inert whatever it
holds (`\"\"\"`, backslashes, `{{`); Jinja never evaluates document text, since it is data in the
context, not template source.

A folder of template overrides (`--templates DIR`) replaces any template by file name
(`DIR/client.py.jinja` replaces the built-in `client.py.jinja`); the others stay built in. An
override is read again when it changes (for `asyncgen watch`), and what goes wrong in it is a
`TemplateFailure` naming the file and line.

The built-in templates are compiled ahead of time, as Jinja offers for deployment: the Python
code Jinja makes of each is kept in `templates/compiled/` (written by
`python scripts/compile_templates.py`, from `compiled_module`), and Python keeps that as it keeps
any module's bytecode, so a run does not compile them. The code is used only with the Jinja
version that made it and while the template's text is the one it was made from (`SOURCES` in
`templates/compiled/__init__.py`); otherwise the template is compiled as an override is.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import json
import os
import re
from collections.abc import Callable, Mapping, MutableMapping
from importlib import resources
from importlib.abc import InspectLoader
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any

import jinja2

from .layout import LINE_LENGTH, literal


def pystr(value: Any) -> str:
    """A Python literal for any JSON value (repr escapes everything that could break out), its
    strings in black's quotes."""
    return literal(value)


def docstring(text: str, indent: int = 4, part: bool = False) -> str:
    """A safe docstring body: no closing quotes, no escapes that change meaning; laid out as
    black lays out a docstring `indent` columns in (`part`: the start of one, which the template
    goes on writing, so only escaped).

    A body ending in a double quote would merge with the closing quotes, so that last quote is
    escaped; it is escaped after the lines are stripped, which would take a space away again.
    """
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = _printable(text, keep="\n\t")
    pad = " " * indent
    body = "\n".join((pad + line).rstrip() if line else "" for line in text.splitlines()).lstrip()
    if body.endswith('"') and (len(body) - len(body[:-1].rstrip("\\"))) % 2:
        body = body[:-1] + '\\"'  # a quote no backslash escapes yet
    return body if part else _as_black(body, pad)


def _as_black(body: str, pad: str) -> str:
    """What black makes of a whole docstring's body: continuation lines re-indented to `pad`
    (their common indentation taken away, leading tabs as four columns), a space between a
    quote and the docstring's quotes, and the closing quotes on a line of their own when the
    last line leaves no room for them."""
    if re.search(r"\\\s*\n", body):
        return body  # black leaves a docstring with a backslash at a line's end alone
    lines = body.split("\n")
    if len(lines) > 1:
        lines = [_expand_leading_tabs(line) for line in lines]
        common = min(
            (len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=None
        )
        if common is not None:
            rest = [line[common:].rstrip() for line in lines[1:]]
            lines = [lines[0].strip()] + [pad + line if line else "" for line in rest]
            if not rest[-1]:
                lines[-1] = pad
        body = "\n".join(lines)
    else:
        body = body.strip()
    if not body:
        return body
    if body[0] == '"':
        body = " " + body
    padded = body[-1] == '"'
    if padded:
        body += " "
    trailing_backslash = False
    if body[-1] == "\\" and (len(body) - len(body.rstrip("\\"))) % 2:
        body += " "
        trailing_backslash = True
    last = body.split("\n")
    if len(last) > 1 and len(last[-1]) + 3 > LINE_LENGTH and not trailing_backslash:
        # the quote no longer meets the closing quotes: black's next pass strips the space
        body = (body[:-1] if padded else body) + "\n" + pad
    return body


def _expand_leading_tabs(line: str) -> str:
    code = line.lstrip()
    if not code or code == line:
        return line
    return line[: len(line) - len(code)].expandtabs(4) + code


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


class TemplateFailure(Exception):
    """A template override that cannot be read, compiled or rendered."""


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in `$XDG_CACHE_HOME/asyncgen/jinja-<version>/` (`~/.cache/...`),
    keyed by Jinja by each template's name and source, so a run does not compile them again;
    `ASYNCGEN_NO_CACHE=1` turns it off."""
    if os.environ.get("ASYNCGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "asyncgen" / f"jinja-{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a cache that cannot be written only costs time
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.cache
def environment(overrides: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=_bytecode_cache(),
        loader=_Loader(overrides),
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


class _Loader(jinja2.BaseLoader):
    """The built-in templates and their overrides; a built-in template compiled ahead of time
    is not compiled again (see the module)."""

    def __init__(self, overrides: Path | None) -> None:
        self.overrides = overrides

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool]]:
        found = _template_source(self.overrides, template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        return found

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        code = _compiled_code(name, source) if filename is None else None
        if code is None:  # an override, or a template changed since it was compiled
            return super().load(environment, name, globals)
        globals = {} if globals is None else globals
        return environment.template_class.from_code(environment, code, globals, uptodate)


_COMPILED = "asyncgen.templates.compiled"


def _compiled_code(name: str, source: str) -> CodeType | None:
    """The code compiled ahead of time from the built-in template `name`, if it was compiled
    from `source` by this Jinja."""
    try:
        index: dict[str, tuple[str, str]] = importlib.import_module(_COMPILED).SOURCES
        if index.get(name) != (_digest(source), jinja2.__version__):
            return None
        spec = importlib.util.find_spec(f"{_COMPILED}.{_module_of(name)}")
        if spec is None or not isinstance(spec.loader, InspectLoader):
            return None
        return spec.loader.get_code(spec.name)  # from the bytecode Python keeps, when current
    except (ImportError, AttributeError, OSError, SyntaxError, ValueError):
        return None  # missing or damaged: the template is compiled now, which costs only time


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _module_of(template: str) -> str:
    """`client.py.jinja` -> `client_py`, `__init__.py.jinja` -> `init_py`."""
    return "_".join(re.findall("[a-z0-9]+", template.removesuffix(".jinja").lower()))


def built_in() -> list[str]:
    """The names of the built-in templates."""
    folder = resources.files("asyncgen.templates")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".jinja"))


def compiled_modules() -> dict[str, str]:
    """`templates/compiled/`: file name -> text, the code of every built-in template and the
    index of what it was compiled from."""
    env = environment(None)
    files, index = {}, []
    for name in built_in():
        source = _built_in_source(name)
        module = _module_of(name)
        files[f"{module}.py"] = (
            f"# {name} compiled by Jinja {jinja2.__version__}: written by "
            "`python scripts/compile_templates.py`; do not edit.\n"
            + env.compile(source, name, None, raw=True)
            + "\n"
        )
        index.append(f"    {name!r}: ({_digest(source)!r}, {jinja2.__version__!r}),\n")
    files["__init__.py"] = (
        '"""The built-in templates as the Python code Jinja compiles them to (see `render`):\n'
        'written by `python scripts/compile_templates.py`; do not edit."""\n\n'
        "# template -> (SHA-256 of the text it was compiled from, the Jinja version that did)\n"
        "SOURCES = {\n" + "".join(index) + "}\n"
    )
    return files


def _built_in_source(name: str) -> str:
    return resources.files("asyncgen.templates").joinpath(name).read_text(encoding="utf-8")


def overridden(name: str, overrides: Path | None) -> Path | None:
    """The override of the template of module `name` (e.g. `client.py`), if there is one."""
    path = overrides / (name + ".jinja") if overrides is not None else None
    return path if path is not None and path.is_file() else None


def _template_source(
    overrides: Path | None, name: str
) -> tuple[str, str | None, Callable[[], bool]] | None:
    module = name.removesuffix(".jinja")
    override = overridden(module, overrides)
    if override is not None:
        stamp = _stamp(override)
        text = override.read_text(encoding="utf-8")
        return text, str(override), lambda: _stamp(override) == stamp
    path = resources.files("asyncgen.templates").joinpath(name)
    if not path.is_file():
        return None
    # Up to date until an override of the same name appears.
    return _built_in_source(name), None, lambda: overridden(module, overrides) is None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def render(name: str, context: Mapping[str, object], overrides: Path | None = None) -> str | None:
    """The text of the module `name` (e.g. `client.py`), or None when there is no template."""
    try:
        template = environment(overrides).get_template(name + ".jinja")
        return template.render(context)
    except jinja2.TemplateNotFound:
        return None
    except (jinja2.TemplateError, OSError, UnicodeDecodeError) as exc:
        override = overridden(name, overrides)
        if override is None:
            raise  # a built-in template's failure is asyncgen's own bug
        raise TemplateFailure(f"{override}{_line(exc)}: {exc}") from exc


def _line(exc: Exception) -> str:
    """`:<line>` of the template where Jinja places an error, when it does."""
    line = getattr(exc, "lineno", None)
    if line is None and exc.__traceback__ is not None:
        tb: TracebackType | None = exc.__traceback__
        while tb is not None:  # a render error: the innermost frame in template code
            if tb.tb_frame.f_code.co_filename.endswith(".jinja"):
                line = tb.tb_lineno
            tb = tb.tb_next
    return f":{line}" if line else ""
