"""Security schemes: what each scheme of a document asks of a client, and the `Client.connect`
argument that supplies it (an API key in a header or the query, an HTTP bearer token)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .. import ir, naming
from .common import Builder, _text
from .schemas import Loc

__all__ = ["security_schemes"]


def security_schemes(
    builder: Builder, schemes: Any, loc: Loc, inline: Sequence[tuple[str, Any]] = ()
) -> tuple[ir.SecurityScheme, ...]:
    """The schemes of `components.securitySchemes`, then `inline` ones (3.x servers may
    list scheme objects in place), as (key, resolved scheme) pairs; one py_name each."""
    schemes, loc = builder.deref(schemes, loc)
    names = naming.Namespace(naming.RESERVED_ATTRIBUTES | {"server", "url", "self"})
    found = [
        (key, builder.deref(scheme, loc.child(key))[0])
        for key, scheme in (schemes.items() if isinstance(schemes, dict) else ())
    ]
    out = []
    for key, scheme in [*found, *inline]:
        if not isinstance(scheme, dict):
            continue
        out.append(_security_scheme(builder, key, scheme, loc.child(key), names))
    return tuple(out)


def _security_scheme(
    builder: Builder, key: str, scheme: dict[str, Any], loc: Loc, names: naming.Namespace
) -> ir.SecurityScheme:
    kind = _text(scheme, "type")
    where = _text(scheme, "in")
    wire, py, supported, prefix = "", naming.attribute(key), True, ""
    if kind == "apiKey" and where in ("header", "query"):
        # 2.x `apiKey` is meant for `user`/`password`; a header or query name only makes
        # sense for `httpApiKey`, which is what such documents mean.
        builder.warn(
            "security-scheme",
            f"security scheme {key!r} is `type: apiKey` with `in: {where}`; "
            "read as `httpApiKey`",
            loc.child("type"),
            hint="write `type: httpApiKey` for a key sent in a header or the query",
        )
        kind = "httpApiKey"
    if kind == "httpApiKey" and where in ("header", "query", "cookie"):
        wire = _text(scheme, "name")
        py = naming.attribute(wire or key)
        supported = where != "cookie" and bool(wire)
        prefix = _key_prefix(scheme)
    elif kind == "http" and _text(scheme, "scheme").lower() == "bearer":
        wire, where, py = "Authorization", "header", naming.attribute("bearer_token")
        prefix = "Bearer "
    else:
        where, supported = "", False
    return ir.SecurityScheme(
        key=key,
        type=kind,
        location=where if where in ("header", "query", "cookie") else "",  # type: ignore[arg-type]
        wire_name=wire,
        scheme=_text(scheme, "scheme").lower(),
        py_name=names.claim(py),
        description=_text(scheme, "description"),
        supported=supported,
        prefix=prefix,
    )


# `Token <key>`, `"Token <api key>"`: a word written before a placeholder in the description.
_PREFIX_IN_TEXT = re.compile(r"(?<![\w<])([A-Z][A-Za-z-]*) <[^<>\n]+>")


def _key_prefix(scheme: dict[str, Any]) -> str:
    """What an `httpApiKey` value is preceded by on the wire: `x-value-prefix`, else a
    `Word <placeholder>` pattern in the description (`Token <key>` → `Token `)."""
    declared = scheme.get("x-value-prefix")
    if isinstance(declared, str):
        return declared
    found = _PREFIX_IN_TEXT.search(_text(scheme, "description"))
    return found.group(1) + " " if found else ""
