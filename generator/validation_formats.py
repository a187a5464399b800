"""Run-time checks for `format` and the ECMA-262 → Python `re` translation.

Every top-level definition here is self-contained (standard library only) because the validator
compiler copies the ones a schema needs, by name and with what they use, into the module it
generates. Keep them that way: no imports from the rest of asyncgen, annotations that name only
what is defined or imported here, and no string annotations.

Approximations (Python has no Unicode property database beyond `unicodedata`):

- ECMA-262 patterns are parsed with the `u`-flag grammar and translated: `\\d`, `\\w`, `\\b` are
  ASCII as in ECMA-262, `\\s` is ECMA-262's white space, `.` excludes the four line terminators,
  `$` matches only at the very end. `\\p{…}` supports General_Category values (short and long
  names, plus `digit`), a few binary properties, and `Script=`/`sc=` approximated from character
  names. Variable-width lookbehind parses (so `format: regex` accepts it) but `re` cannot compile
  it, and a backreference to a group that has not matched fails instead of matching empty.
- IDNA 2008 (hostname A-labels, idn-hostname) derives PVALID/CONTEXT/DISALLOWED from
  `unicodedata` as RFC 5892 does; Joining_Type (ZWNJ rule) is approximated: letters of the
  Arabic, Syriac, N'Ko and Mongolian blocks count as dual-joining; Greek/Hebrew script tests use
  character names. NFC is not required of U-labels.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

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
    relative = (
        f"(?://{authority}(?:/{seg})*|/(?:{seg_nz}(?:/{seg})*)?|{seg_nz_nc}(?:/{seg})*|){tail}"
    )
    return f"(?:{_uri_pattern(extra, private, True)}|{relative})"


_URI_RE = re.compile(_uri_pattern("", "", True))
_URI_REFERENCE_RE = re.compile(_uri_pattern("", "", False))
_IRI_RE = re.compile(_uri_pattern(_UCSCHAR, _IPRIVATE, True))
_IRI_REFERENCE_RE = re.compile(_uri_pattern(_UCSCHAR, _IPRIVATE, False))
_URI_IP_LITERAL_RE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#@]*@)?\[([^\]]*)\]")
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


_URI_TEMPLATE_VAR = r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*"
_URI_TEMPLATE_SPEC = _URI_TEMPLATE_VAR + r"(?::[1-9][0-9]{0,3}|\*)?"
_URI_TEMPLATE_RE = re.compile(
    "(?:[!#$&'()*+,./0-9:;=?@A-Z\\[\\]_a-z~" + _UCSCHAR + _IPRIVATE + "-]|%[0-9A-Fa-f]{2}"
    r"|\{[+#./;?&=,!@|]?" + _URI_TEMPLATE_SPEC + "(?:," + _URI_TEMPLATE_SPEC + r")*\})*"
)


def _fmt_uri_template(x: str) -> bool:
    return _URI_TEMPLATE_RE.fullmatch(x) is not None


# --------------------------------------------------------------------------- host names (IDNA 2008)

_LDH_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_IDN_DOTS_RE = re.compile("[.\u3002\uff0e\uff61]")
_IDNA_PVALID = frozenset("\xdf\u03c2\u06fd\u06fe\u0f0b\u3007")
_IDNA_CONTEXTUAL = frozenset(
    "\u200c\u200d\xb7\u0375\u05f3\u05f4\u30fb\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667"
    "\u0668\u0669\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
)
_IDNA_EXCLUDED = frozenset("\u0640\u07fa\u302e\u302f\u3031\u3032\u3033\u3034\u3035\u303b")
_IDNA_IGNORED = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
    # IgnorableBlocks and Hangul jamo (Hangul_Syllable_Type L, V, T).
    (0x20D0, 0x20FF),
    (0x1D100, 0x1D24F),
    (0x1100, 0x11FF),
    (0xA960, 0xA97F),
    (0xD7B0, 0xD7FF),
)
_IDNA_DUAL_JOINING = (
    (0x0620, 0x06FF),
    (0x0710, 0x074F),
    (0x0750, 0x077F),
    (0x07C0, 0x07FF),
    (0x0860, 0x08FF),
    (0x1800, 0x18AF),
    (0xA840, 0xA87F),
)
_IDNA_HIRAGANA_KATAKANA_HAN = (
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303B),
    (0x3040, 0x30FA),
    (0x30FC, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)


def _in_ranges(c: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in ranges)


def _idna_pvalid(c: str) -> bool:
    if c in _IDNA_PVALID or c in "abcdefghijklmnopqrstuvwxyz0123456789-":
        return True
    if c in _IDNA_EXCLUDED or _in_ranges(c, _IDNA_IGNORED):
        return False
    if unicodedata.category(c) not in ("Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc"):
        return False
    # Unstable: changed by NFKC case folding.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", c).casefold()) == c


def _idna_joining(c: str) -> bool:
    return unicodedata.category(c) == "Lo" and _in_ranges(c, _IDNA_DUAL_JOINING)


def _idna_transparent(c: str) -> bool:
    return c != "\u200c" and unicodedata.category(c) in ("Mn", "Me", "Cf")


def _idna_context_ok(label: str, i: int) -> bool:
    c = label[i]
    before = label[i - 1] if i else ""
    after = label[i + 1] if i + 1 < len(label) else ""
    if c in "\u200c\u200d":
        if before and unicodedata.combining(before) == 9:
            return True
        if c == "\u200d":
            return False
        j = i - 1
        while j >= 0 and _idna_transparent(label[j]):
            j -= 1
        k = i + 1
        while k < len(label) and _idna_transparent(label[k]):
            k += 1
        return j >= 0 and k < len(label) and _idna_joining(label[j]) and _idna_joining(label[k])
    if c == "\xb7":
        return before == "l" and after == "l"
    if c == "\u0375":
        return bool(after) and unicodedata.name(after, "").startswith("GREEK")
    if c in "\u05f3\u05f4":
        return bool(before) and unicodedata.name(before, "").startswith("HEBREW")
    if c == "\u30fb":
        return any(_in_ranges(d, _IDNA_HIRAGANA_KATAKANA_HAN) for d in label)
    if "\u0660" <= c <= "\u0669":
        return not any("\u06f0" <= d <= "\u06f9" for d in label)
    if "\u06f0" <= c <= "\u06f9":
        return not any("\u0660" <= d <= "\u0669" for d in label)
    return False


def _idna_ulabel_ok(label: str) -> bool:
    if label[2:4] == "--" or label[0] == "-" or label[-1] == "-":
        return False
    if unicodedata.category(label[0]) in ("Mn", "Mc", "Me"):
        return False
    for i, c in enumerate(label):
        if c in _IDNA_CONTEXTUAL:
            if not _idna_context_ok(label, i):
                return False
        elif not _idna_pvalid(c):
            return False
    return True


def _idna_bidi_ok(label: str) -> bool:
    # RFC 5893 section 2, applied to every label of a domain that has a right-to-left label.
    classes = [unicodedata.bidirectional(c) for c in label]
    first = classes[0]
    trimmed = classes[:]
    while trimmed and trimmed[-1] == "NSM":
        trimmed.pop()
    last = trimmed[-1] if trimmed else ""
    if first in ("R", "AL"):
        allowed = {"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"}
        if not set(classes) <= allowed or last not in ("R", "AL", "EN", "AN"):
            return False
        return not ("EN" in classes and "AN" in classes)
    if first == "L":
        allowed = {"L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"}
        return set(classes) <= allowed and last in ("L", "EN")
    return False


def _idna_alabel_decode(label: str) -> str | None:
    try:
        u = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return None
    if u.isascii() or u.encode("punycode").decode("ascii") != label[4:].lower():
        return None
    return u if _idna_ulabel_ok(u) else None


def _idna_domain_ok(labels: list[str], ascii_only: bool) -> bool:
    ulabels = []
    total = -1
    for label in labels:
        if not label:
            return False
        if label.isascii():
            size = len(label)
            if label[:4].lower() == "xn--":
                u = _idna_alabel_decode(label)
                if u is None:
                    return False
                label = u
            elif _LDH_RE.fullmatch(label) is None or label[2:4] == "--":
                return False
        elif ascii_only or not _idna_ulabel_ok(label):
            return False
        else:
            size = 4 + len(label.encode("punycode"))
        if size > 63:
            return False
        total += size + 1
        ulabels.append(label)
    if total > 253:
        return False
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for u in ulabels for c in u)
    return not rtl or all(_idna_bidi_ok(u) for u in ulabels)


def _fmt_hostname(x: str) -> bool:
    return bool(x) and x.isascii() and _idna_domain_ok(x.split("."), True)


def _fmt_idn_hostname(x: str) -> bool:
    return bool(x) and _idna_domain_ok(_IDN_DOTS_RE.split(x), False)


# --------------------------------------------------------------------------- e-mail

_EMAIL_LOCAL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r'|"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"'
)
_IDN_EMAIL_LOCAL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\U0010ffff-]+"
    r"(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\U0010ffff-]+)*"
    r'|"(?:[\x20\x21\x23-\x5b\x5d-\x7e\x80-\U0010ffff]|\\[\x20-\x7e])*"'
)
_EMAIL_SPLIT_RE = re.compile(r'("(?:[^"\\]|\\.)*"|[^@"]*)@(.*)', re.DOTALL)


def _email_ok(x: str, local_re: re.Pattern[str], idn: bool) -> bool:
    m = _EMAIL_SPLIT_RE.fullmatch(x)
    if m is None:
        return False
    local, domain = m[1], m[2]
    if local_re.fullmatch(local) is None or len(local.encode("utf-8", "surrogatepass")) > 64:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        if literal[:5].lower() == "ipv6:":
            return _fmt_ipv6(literal[5:])
        return _fmt_ipv4(literal)
    return _fmt_idn_hostname(domain) if idn else _fmt_hostname(domain)


def _fmt_email(x: str) -> bool:
    return _email_ok(x, _EMAIL_LOCAL_RE, False)


def _fmt_idn_email(x: str) -> bool:
    return _email_ok(x, _IDN_EMAIL_LOCAL_RE, True)


# --------------------------------------------------------------------------- ECMA-262 regular expressions

_ECMA_SPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_ECMA_WORD = "A-Za-z0-9_"
_ECMA_ANY = "[\\x00-\\U0010ffff]"
_ECMA_SYNTAX = "^$\\.*+?()[]{}|/"
_ECMA_CATEGORIES = {
    "L": "Letter",
    "LC": "Cased_Letter",
    "Lu": "Uppercase_Letter",
    "Ll": "Lowercase_Letter",
    "Lt": "Titlecase_Letter",
    "Lm": "Modifier_Letter",
    "Lo": "Other_Letter",
    "M": "Mark",
    "Mn": "Nonspacing_Mark",
    "Mc": "Spacing_Mark",
    "Me": "Enclosing_Mark",
    "N": "Number",
    "Nd": "Decimal_Number",
    "Nl": "Letter_Number",
    "No": "Other_Number",
    "P": "Punctuation",
    "Pc": "Connector_Punctuation",
    "Pd": "Dash_Punctuation",
    "Ps": "Open_Punctuation",
    "Pe": "Close_Punctuation",
    "Pi": "Initial_Punctuation",
    "Pf": "Final_Punctuation",
    "Po": "Other_Punctuation",
    "S": "Symbol",
    "Sm": "Math_Symbol",
    "Sc": "Currency_Symbol",
    "Sk": "Modifier_Symbol",
    "So": "Other_Symbol",
    "Z": "Separator",
    "Zs": "Space_Separator",
    "Zl": "Line_Separator",
    "Zp": "Paragraph_Separator",
    "C": "Other",
    "Cc": "Control",
    "Cf": "Format",
    "Cs": "Surrogate",
    "Co": "Private_Use",
    "Cn": "Unassigned",
}
_ECMA_BINARY = ("Any", "ASCII", "Assigned", "Alphabetic", "Lowercase", "Uppercase", "White_Space")
_ECMA_CLASS_CACHE: dict[str, str] = {}
_ECMA_GROUP_NAME_RE = re.compile(r"[^\W0-9][\w$\u200c\u200d]*|\$[\w$\u200c\u200d]*")


def _ecma_char(cp: int) -> str:
    """One code point as Python regex source that means that character, in or out of a class."""
    c = chr(cp)
    if c.isascii() and (c.isalnum() or c == "_"):
        return c
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def _ecma_property(name: str, strict: bool, build: bool) -> str:
    """The contents of a Python character class for `\\p{name}` ("" when not building)."""
    key, _, value = name.partition("=")
    codes: tuple[str, ...] = ()
    script = ""
    if value:
        if key not in ("General_Category", "gc", "Script", "sc", "Script_Extensions", "scx"):
            raise ValueError(f"unknown property {name!r}")
        if key in ("Script", "sc", "Script_Extensions", "scx"):
            script = value.replace("_", " ").upper()
        key = value
    if not script:
        long_names = {v: k for k, v in _ECMA_CATEGORIES.items()}
        if key in _ECMA_CATEGORIES or key in long_names:
            short = long_names.get(key, key)
            codes = ("Lu", "Ll", "Lt") if short == "LC" else (short,)
        elif not strict and key.lower() == "digit":
            codes = ("Nd",)
        elif key not in _ECMA_BINARY or value:
            raise ValueError(f"unknown property {name!r}")
    if not build:
        return ""
    if name in _ECMA_CLASS_CACHE:
        return _ECMA_CLASS_CACHE[name]
    ranges: list[list[int]] = []
    for cp in range(0x110000):
        c = chr(cp)
        cat = unicodedata.category(c)
        if script:
            hit = unicodedata.name(c, "").startswith(script + " ")
        elif codes:
            hit = cat in codes or (len(codes[0]) == 1 and cat[0] == codes[0])
        elif key == "Any":
            hit = True
        elif key == "ASCII":
            hit = cp < 0x80
        elif key == "Assigned":
            hit = cat != "Cn"
        elif key == "White_Space":
            hit = c.isspace()
        elif key == "Alphabetic":
            hit = c.isalpha() or cat == "Nl"
        elif key == "Lowercase":
            hit = c.islower()
        else:
            hit = c.isupper()
        if hit:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    out = "".join(
        _ecma_char(lo) if lo == hi else f"{_ecma_char(lo)}-{_ecma_char(hi)}" for lo, hi in ranges
    )
    _ECMA_CLASS_CACHE[name] = out
    return out


class _EcmaRegex:
    """A recursive-descent parser of ECMA-262 patterns (the `u` grammar, or with `strict=False`
    the lenient Annex B one) that writes the equivalent Python pattern as it goes."""

    def __init__(self, src: str, strict: bool, build: bool) -> None:
        self.src = src
        self.pos = 0
        self.strict = strict
        self.build = build
        self.names: list[str] = []
        self.groups = self._count_groups()

    def fail(self, what: str) -> ValueError:
        return ValueError(f"{what} at position {self.pos}")

    def _count_groups(self) -> int:
        src, i, n, in_class = self.src, 0, 0, False
        while i < len(src):
            c = src[i]
            if c == "\\":
                i += 1
            elif in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
            elif c == "(":
                if not src.startswith("?", i + 1):
                    n += 1
                elif src.startswith("?<", i + 1) and src[i + 3 : i + 4] not in ("=", "!"):
                    n += 1
                    end = src.find(">", i)
                    self.names.append(src[i + 3 : end] if end > 0 else "")
            i += 1
        return n

    def peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.src[i] if i < len(self.src) else ""

    def parse(self) -> str:
        if self.strict and len(set(self.names)) != len(self.names):
            raise self.fail("duplicate group name")
        out = self.disjunction()
        if self.pos < len(self.src):
            raise self.fail("unmatched ')'")
        return out

    def disjunction(self) -> str:
        parts = [self.alternative()]
        while self.peek() == "|":
            self.pos += 1
            parts.append(self.alternative())
        return "|".join(parts)

    def alternative(self) -> str:
        out = []
        while self.pos < len(self.src) and self.peek() not in "|)":
            out.append(self.term())
        return "".join(out)

    def term(self) -> str:
        c = self.peek()
        quantifiable = True
        if c == "^":
            self.pos += 1
            atom, quantifiable = "^", False
        elif c == "$":
            self.pos += 1
            atom, quantifiable = "\\Z", False
        elif c == "\\" and self.peek(1) in ("b", "B"):
            w = f"[{_ECMA_WORD}]"
            if self.peek(1) == "b":
                atom = f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"
            else:
                atom = f"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"
            self.pos += 2
            quantifiable = False
        elif c == "(":
            atom, quantifiable = self.group()
        else:
            atom = self.atom()
        quantifier = self.quantifier()
        if quantifier is None:
            return atom
        if not quantifiable:
            raise self.fail("nothing to repeat")
        return f"(?:{atom}){quantifier}"

    def quantifier(self) -> str | None:
        c = self.peek()
        if c in ("*", "+", "?"):
            self.pos += 1
            q = c
        elif c == "{":
            m = re.compile(r"\{([0-9]+)(,([0-9]*))?\}").match(self.src, self.pos)
            if m is None:
                if self.strict:
                    raise self.fail("lone '{'")
                return None
            if m[3] and int(m[3]) < int(m[1]):
                raise self.fail("numbers out of order in quantifier")
            self.pos = m.end()
            q = m[0]
        else:
            return None
        if self.peek() == "?":
            self.pos += 1
            q += "?"
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and self.strict):
            raise self.fail("nothing to repeat")
        return q

    def group(self) -> tuple[str, bool]:
        start = self.pos
        self.pos += 1
        rest = self.src[self.pos : self.pos + 3]
        lookahead = rest[:2] in ("?=", "?!")
        lookbehind = rest in ("?<=", "?<!")
        if rest[:2] == "?:" or lookahead:
            head = "(" + rest[:2]
            self.pos += 2
        elif lookbehind:
            head = "(" + rest
            self.pos += 3
        elif rest[:2] == "?<":
            end = self.src.find(">", self.pos)
            name = self.src[self.pos + 2 : end] if end > 0 else ""
            if not _ECMA_GROUP_NAME_RE.fullmatch(name):
                raise self.fail("invalid group name")
            head = f"(?P<g{self.names.index(name) + 1}_>"
            self.pos = end + 1
        elif rest[:1] == "?":
            raise self.fail("invalid group")
        else:
            head = "("
        body = self.disjunction()
        if self.peek() != ")":
            self.pos = start
            raise self.fail("unterminated group")
        self.pos += 1
        quantifiable = not lookbehind and not (lookahead and self.strict)
        return f"{head}{body})", quantifiable

    def atom(self) -> str:
        c = self.peek()
        if c == ".":
            self.pos += 1
            return "[^\\n\\r\\u2028\\u2029]"
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.atom_escape()
        if c in "*+?":
            raise self.fail("nothing to repeat")
        if c == "{":
            if self.strict or re.compile(r"\{[0-9]+(,[0-9]*)?\}").match(self.src, self.pos):
                raise self.fail("nothing to repeat")
        elif c in "}]" and self.strict:
            raise self.fail(f"lone {c!r}")
        cp = ord(c)
        self.pos += 1
        return _ecma_char(cp)

    def atom_escape(self) -> str:
        c = self.peek(1)
        if c.isdigit() and c != "0":
            m = re.compile(r"[0-9]+").match(self.src, self.pos + 1)
            assert m is not None
            n = int(m[0])
            if n <= self.groups:
                self.pos = m.end()
                return f"(?:\\{n})"
            if self.strict:
                raise self.fail("backreference to a missing group")
        if c == "k" and (self.strict or self.names):
            m = re.compile(r"k<([^>]*)>").match(self.src, self.pos + 1)
            if m is None or m[1] not in self.names:
                raise self.fail("invalid named reference")
            self.pos = m.end()
            return f"(?P=g{self.names.index(m[1]) + 1}_)"
        kind, value = self.class_escape()
        if kind == "char":
            return _ecma_char(int(value))
        return f"[{value}]" if kind == "set" else f"[^{value}]"

    def class_escape(self) -> tuple[str, str]:
        """After a backslash: ("char", code point) or ("set"/"notset", class contents)."""
        self.pos += 1
        c = self.peek()
        if not c:
            raise self.fail("trailing backslash")
        self.pos += 1
        sets = {"d": "0-9", "w": _ECMA_WORD, "s": _ECMA_SPACE}
        if c.lower() in sets:
            return ("set" if c.islower() else "notset"), sets[c.lower()]
        simple = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}
        if c in simple:
            return "char", str(simple[c])
        if c == "c":
            letter = self.peek()
            if letter.isascii() and letter.isalpha():
                self.pos += 1
                return "char", str(ord(letter) % 32)
            if self.strict:
                raise self.fail("invalid control escape")
            self.pos -= 1
            return "char", str(ord("\\"))
        if c == "0" and not self.peek().isdigit():
            return "char", "0"
        if c == "x":
            m = re.compile(r"[0-9A-Fa-f]{2}").match(self.src, self.pos)
            if m:
                self.pos = m.end()
                return "char", str(int(m[0], 16))
        if c == "u":
            cp = self.unicode_escape()
            if cp is not None:
                return "char", str(cp)
        if c in ("p", "P"):
            m = re.compile(r"\{([A-Za-z0-9_=]+)\}").match(self.src, self.pos)
            if m is None:
                raise self.fail("invalid property escape")
            self.pos = m.end()
            return ("set" if c == "p" else "notset"), _ecma_property(m[1], self.strict, self.build)
        if self.strict and c not in _ECMA_SYNTAX and c != "-":
            raise self.fail(f"invalid escape \\{c}")
        if c.isdigit() and not self.strict:
            return "char", str(int(c))
        return "char", str(ord(c))

    def unicode_escape(self) -> int | None:
        m = re.compile(r"\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{4})").match(self.src, self.pos)
        if m is None:
            if self.strict:
                raise self.fail("invalid unicode escape")
            return None
        cp = int(m[1] or m[2], 16)
        if cp > 0x10FFFF:
            raise self.fail("unicode escape out of range")
        self.pos = m.end()
        if 0xD800 <= cp <= 0xDBFF:
            low = re.compile(r"\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE).match(self.src, self.pos)
            if low:
                self.pos = low.end()
                return 0x10000 + ((cp - 0xD800) << 10) + int(low[1], 16) - 0xDC00
        return cp

    def class_atom(self) -> tuple[str, str]:
        c = self.peek()
        if c == "\\":
            if self.peek(1) == "b":
                self.pos += 2
                return "char", "8"
            if self.peek(1) == "-":
                self.pos += 2
                return "char", str(ord("-"))
            return self.class_escape()
        if not c:
            raise self.fail("unterminated character class")
        self.pos += 1
        return "char", str(ord(c))

    def char_class(self) -> str:
        self.pos += 1
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        chars: list[str] = []
        sets: list[str] = []
        while self.peek() != "]":
            kind, value = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                kind2, value2 = self.class_atom()
                if kind == "char" and kind2 == "char":
                    if int(value) > int(value2):
                        raise self.fail("range out of order in character class")
                    chars.append(f"{_ecma_char(int(value))}-{_ecma_char(int(value2))}")
                    continue
                if self.strict:
                    raise self.fail("invalid character class range")
                for k, v in ((kind, value), ("char", str(ord("-"))), (kind2, value2)):
                    self._class_item(k, v, chars, sets)
                continue
            self._class_item(kind, value, chars, sets)
        self.pos += 1
        union = [f"[{''.join(chars)}]"] if chars else []
        union += [f"[^{s}]" for s in sets]
        if not negated:
            if not union:
                return "(?!)"
            return union[0] if len(union) == 1 else f"(?:{'|'.join(union)})"
        if not union:
            return _ECMA_ANY
        if not sets:
            return f"[^{''.join(chars)}]"
        return f"(?:(?!{'|'.join(union)}){_ECMA_ANY})"

    def _class_item(self, kind: str, value: str, chars: list[str], sets: list[str]) -> None:
        if kind == "char":
            chars.append(_ecma_char(int(value)))
        elif kind == "set":
            chars.append(value)
        else:
            sets.append(value)


def _ecma_regex_to_python(pattern: str, strict: bool = False) -> str:
    """Python `re` source equivalent to an ECMA-262 pattern; ValueError if it is not one."""
    return _EcmaRegex(pattern, strict, True).parse()


def _fmt_regex(x: str) -> bool:
    try:
        _EcmaRegex(x, True, False).parse()
    except ValueError:
        return False
    return True


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

__all__ = ["DEFERRED_BYTE", "FORMAT_CHECKERS"]
