"""ECMA-262 regular expressions: the translation of `pattern` to Python `re`, and `format: regex`.

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
"""

from __future__ import annotations

import re
import unicodedata

_ECMA_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
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
_ECMA_BINARY = (
    "Any",
    "ASCII",
    "Assigned",
    "Alphabetic",
    "Lowercase",
    "Uppercase",
    "White_Space",
)
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
        if key not in (
            "General_Category",
            "gc",
            "Script",
            "sc",
            "Script_Extensions",
            "scx",
        ):
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
        _ecma_char(lo) if lo == hi else f"{_ecma_char(lo)}-{_ecma_char(hi)}"
        for lo, hi in ranges
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
                elif src.startswith("?<", i + 1) and src[i + 3 : i + 4] not in (
                    "=",
                    "!",
                ):
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
            if self.strict or re.compile(r"\{[0-9]+(,[0-9]*)?\}").match(
                self.src, self.pos
            ):
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
            return ("set" if c == "p" else "notset"), _ecma_property(
                m[1], self.strict, self.build
            )
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
            low = re.compile(r"\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE).match(
                self.src, self.pos
            )
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

    def _class_item(
        self, kind: str, value: str, chars: list[str], sets: list[str]
    ) -> None:
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
