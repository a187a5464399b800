"""Which checker of `formats.py` (or `idna.py`, `ecma_regex.py`) each `format` names.

Apart from the checkers, so that compiling validators never imports them: the compiler copies
their source (read by `runtime._Runtime`), and importing them would compile their regular
expressions for nothing.
"""

from __future__ import annotations

__all__ = ["DEFERRED_BYTE", "FORMAT_CHECKERS"]

# Format name → checker name, for the compiler. `binary` is an annotation.
# Not a format a document can name: `compile_module(deferred=...)` puts it in place of `byte`.
DEFERRED_BYTE = "\x00byte, alphabet checked when decoded"

FORMAT_CHECKERS: dict[str, str] = {
    "date": "_fmt_date",
    "time": "_fmt_time",
    "date-time": "_fmt_date_time",
    "email": "_fmt_email",
    "idn-email": "_fmt_idn_email",
    "hostname": "_fmt_hostname",
    "idn-hostname": "_fmt_idn_hostname",
    "ipv4": "_fmt_ipv4",
    "ipv6": "_fmt_ipv6",
    "uri": "_fmt_uri",
    "uri-reference": "_fmt_uri_reference",
    "iri": "_fmt_iri",
    "iri-reference": "_fmt_iri_reference",
    "uri-template": "_fmt_uri_template",
    "uuid": "_fmt_uuid",
    "json-pointer": "_fmt_json_pointer",
    "relative-json-pointer": "_fmt_relative_json_pointer",
    "regex": "_fmt_regex",
    "byte": "_fmt_byte",
    DEFERRED_BYTE: "_fmt_byte_shape",
}
