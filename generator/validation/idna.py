"""Run-time checks for host names (IDNA 2008) and the e-mail addresses built on them.

Every top-level definition here is self-contained (standard library only) because the validator
compiler copies the ones a schema needs, by name and with what they use, into the module it
generates. Keep them that way: no imports from the rest of asyncgen (`formats` aside, whose
definitions are copied the same way), annotations that name only
what is defined or imported here, and no string annotations.

Approximations (Python has no Unicode property database beyond `unicodedata`):

- IDNA 2008 (hostname A-labels, idn-hostname) derives PVALID/CONTEXT/DISALLOWED from
  `unicodedata` as RFC 5892 does; Joining_Type (ZWNJ rule) is approximated: letters of the
  Arabic, Syriac, N'Ko and Mongolian blocks count as dual-joining; Greek/Hebrew script tests use
  character names. NFC is not required of U-labels.
"""

from __future__ import annotations

import re
import unicodedata

from .formats import _fmt_ipv4, _fmt_ipv6

# --------------------------------------------------------------------------- host names (IDNA 2008)

_LDH_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_IDN_DOTS_RE = re.compile("[.\u3002\uff0e\uff61]")
_IDNA_PVALID = frozenset("\xdf\u03c2\u06fd\u06fe\u0f0b\u3007")
_IDNA_CONTEXTUAL = frozenset(
    "\u200c\u200d\xb7\u0375\u05f3\u05f4\u30fb\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667"
    "\u0668\u0669\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
)
_IDNA_EXCLUDED = frozenset(
    "\u0640\u07fa\u302e\u302f\u3031\u3032\u3033\u3034\u3035\u303b"
)
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
    return (
        unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", c).casefold()) == c
    )


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
        return (
            j >= 0
            and k < len(label)
            and _idna_joining(label[j])
            and _idna_joining(label[k])
        )
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
    rtl = any(
        unicodedata.bidirectional(c) in ("R", "AL", "AN") for u in ulabels for c in u
    )
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
    if (
        local_re.fullmatch(local) is None
        or len(local.encode("utf-8", "surrogatepass")) > 64
    ):
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
