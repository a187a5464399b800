"""Run-time checks for `format`: dates and times, simple syntaxes, URIs, IRIs and URI templates.

Host names and e-mail addresses are in `idna.py`, `regex` in `ecma_regex.py`; the table of
all checkers is here.

Every top-level definition here is self-contained (standard library only) because the validator
compiler copies the ones a schema needs, by name and with what they use, into the module it
generates. Keep them that way: no imports from the rest of asyncgen, annotations that name only
what is defined or imported here, and no string annotations.
"""

from __future__ import annotations

import ipaddress
import re

# --------------------------------------------------------------------------- dates and times

_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME_RE = re.compile(
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)


def _valid_date(year: int, month: int, day: int) -> bool:
    if month < 1 or month > 12 or day < 1:
        return False
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


def _fmt_date(x: str) -> bool:
    m = _DATE_RE.fullmatch(x)
    return m is not None and _valid_date(int(m[1]), int(m[2]), int(m[3]))


def _fmt_time(x: str) -> bool:
    m = _TIME_RE.fullmatch(x)
    if m is None:
        return False
    hour, minute, second = int(m[1]), int(m[2]), int(m[3])
    off_h = int(m[5]) if m[4] else 0
    off_m = int(m[6]) if m[4] else 0
    if hour > 23 or minute > 59 or second > 60 or off_h > 23 or off_m > 59:
        return False
    if second == 60:
        # A leap second is only ever 23:59:60 in UTC.
        offset = off_h * 60 + off_m
        utc = hour * 60 + minute - (offset if m[4] == "+" else -offset)
        return utc % 1440 == 1439
    return True


def _fmt_date_time(x: str) -> bool:
    return len(x) > 11 and x[10] in "Tt" and _fmt_date(x[:10]) and _fmt_time(x[11:])


# --------------------------------------------------------------------------- simple syntaxes

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_JSON_POINTER_RE = re.compile(r"(?:/(?:[^~/]|~[01])*)*")
_RELATIVE_JSON_POINTER_RE = re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~[01])*)*)")
_IPV4_RE = re.compile(
    r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
)
_IPV6_CHARS_RE = re.compile(r"[0-9A-Fa-f:.]+")
_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _fmt_uuid(x: str) -> bool:
    return _UUID_RE.fullmatch(x) is not None


def _fmt_json_pointer(x: str) -> bool:
    return _JSON_POINTER_RE.fullmatch(x) is not None


def _fmt_relative_json_pointer(x: str) -> bool:
    return _RELATIVE_JSON_POINTER_RE.fullmatch(x) is not None


def _fmt_ipv4(x: str) -> bool:
    return _IPV4_RE.fullmatch(x) is not None


def _fmt_ipv6(x: str) -> bool:
    if _IPV6_CHARS_RE.fullmatch(x) is None:
        return False
    try:
        ipaddress.IPv6Address(x)
    except ValueError:
        return False
    return True


def _fmt_byte(x: str) -> bool:
    # Standard base64 with padding. One pass in C, without decoding: delete the alphabet and
    # what is left must be the padding, at the end.
    n = len(x)
    if n % 4 or not x.isascii():
        return False
    rest = x.encode().translate(None, _B64_ALPHABET)
    if not rest:
        return True
    return (rest == b"=" and x[-1] == "=") or (rest == b"==" and x[-2:] == "==")


def _fmt_byte_shape(x: str) -> bool:
    # The part of the base64 check that costs nothing per character: ASCII, whole quads. The
    # alphabet is checked when the text is decoded (models decode `format: byte` on first read).
    return not len(x) % 4 and x.isascii()


# --------------------------------------------------------------------------- URIs and IRIs

_UCSCHAR = (
    "\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"


def _uri_pattern(extra: str, private: str, absolute: bool) -> str:
    unreserved = "-A-Za-z0-9._~" + extra
    sub = "!$&'()*+,;="
    pct = "%[0-9A-Fa-f]{2}"
    pchar = f"(?:[{unreserved}{sub}:@]|{pct})"
    seg = f"{pchar}*"
    seg_nz = f"{pchar}+"
    authority = (
        f"(?:(?:[{unreserved}{sub}:]|{pct})*@)?"
        rf"(?:\[[^\]/?#@]*\]|(?:[{unreserved}{sub}]|{pct})*)"
        "(?::[0-9]*)?"
    )
    tail = f"(?:\\?(?:{pchar}|[/?{private}])*)?(?:#(?:{pchar}|[/?])*)?"
    if absolute:
        return f"[A-Za-z][A-Za-z0-9+.-]*:(?://{authority}(?:/{seg})*|/(?:{seg_nz}(?:/{seg})*)?|{seg_nz}(?:/{seg})*|){tail}"
    seg_nz_nc = f"(?:[{unreserved}{sub}@]|{pct})+"
    relative = f"(?://{authority}(?:/{seg})*|/(?:{seg_nz}(?:/{seg})*)?|{seg_nz_nc}(?:/{seg})*|){tail}"
    return f"(?:{_uri_pattern(extra, private, True)}|{relative})"


_URI_RE = re.compile(_uri_pattern("", "", True))
_URI_REFERENCE_RE = re.compile(_uri_pattern("", "", False))
_IRI_RE = re.compile(_uri_pattern(_UCSCHAR, _IPRIVATE, True))
_IRI_REFERENCE_RE = re.compile(_uri_pattern(_UCSCHAR, _IPRIVATE, False))
_URI_IP_LITERAL_RE = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#@]*@)?\[([^\]]*)\]"
)
_IPVFUTURE_RE = re.compile(r"[vV][0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+")


def _uri_check(x: str, pattern: re.Pattern[str]) -> bool:
    if pattern.fullmatch(x) is None:
        return False
    m = _URI_IP_LITERAL_RE.match(x)
    if m is None:
        return True
    return _IPVFUTURE_RE.fullmatch(m[1]) is not None or _fmt_ipv6(m[1])


def _fmt_uri(x: str) -> bool:
    return _uri_check(x, _URI_RE)


def _fmt_uri_reference(x: str) -> bool:
    return _uri_check(x, _URI_REFERENCE_RE)


def _fmt_iri(x: str) -> bool:
    return _uri_check(x, _IRI_RE)


def _fmt_iri_reference(x: str) -> bool:
    return _uri_check(x, _IRI_REFERENCE_RE)


_URI_TEMPLATE_VAR = (
    r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*"
)
_URI_TEMPLATE_SPEC = _URI_TEMPLATE_VAR + r"(?::[1-9][0-9]{0,3}|\*)?"
_URI_TEMPLATE_RE = re.compile(
    "(?:[!#$&'()*+,./0-9:;=?@A-Z\\[\\]_a-z~"
    + _UCSCHAR
    + _IPRIVATE
    + "-]|%[0-9A-Fa-f]{2}"
    r"|\{[+#./;?&=,!@|]?" + _URI_TEMPLATE_SPEC + "(?:," + _URI_TEMPLATE_SPEC + r")*\})*"
)


def _fmt_uri_template(x: str) -> bool:
    return _URI_TEMPLATE_RE.fullmatch(x) is not None
