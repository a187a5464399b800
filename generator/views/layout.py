"""Black's layout, decided while the views are built: the statements of the modules whose
templates print them as they are (black would leave them unchanged).

Only what the broker and codec views need (string literals come from `layout`): calls and
subscripts on one line or split the way black splits them, `def` lines.
"""

from __future__ import annotations

from ..layout import LINE_LENGTH as LINE
from ..layout import literal

__all__ = ["call", "literal", "returns", "signature"]


def call(head: str, args: str, indent: int, tail: str = "", brackets: str = "()") -> str:
    """`head(args)tail` laid out as black lays it out: on one line when it fits, else the
    arguments on a line of their own, else one argument per line with a trailing comma."""
    pad, left, right = " " * indent, brackets[0], brackets[1]
    if not args or indent + len(head) + len(args) + len(tail) + 2 <= LINE:
        return f"{head}{left}{args}{right}{tail}"
    target, equals, value = head.rpartition(" = ")
    if equals and indent + len(head) + 1 > LINE and not tail:
        # The assignment's first line would be too long: black puts the value in parentheses.
        inner = call(value, args, indent + 4, "", brackets)
        return f"{target} = (\n{pad}    {inner}\n{pad})"
    if indent + 4 + len(args) <= LINE:
        return f"{head}{left}\n{pad}    {args}\n{pad}{right}{tail}"
    if args.startswith("{") and args.endswith("}"):  # one dict: its items one per line
        items = "".join(f"{pad}        {item},\n" for item in _top_level(args[1:-1]))
        return f"{head}{left}\n{pad}    {{\n{items}{pad}    }}\n{pad}{right}{tail}"
    items = "".join(f"{pad}    {item},\n" for item in _top_level(args))
    return f"{head}{left}\n{items}{pad}{right}{tail}"


def returns(annotation: str, indent: int) -> str:
    """The last line of a split signature, `) -> annotation:`, laid out (a subscript splits)."""
    head, bracket, rest = annotation.partition("[")
    if not bracket:
        return f") -> {annotation}:"
    return call(f") -> {head}", rest[:-1], indent, ":", "[]")


def signature(head: str, params: str, annotation: str, indent: int) -> str:
    """`def head(params) -> annotation:` laid out for black: on one line when it fits, else the
    parameters on a line of their own when that and the last line fit, else one parameter per
    line (a trailing comma keeps them there) and the last line laid out by `returns`."""
    pad = " " * indent
    one = f"{head}({params}) -> {annotation}:"
    if indent + len(one) <= LINE:
        return one
    last = f") -> {annotation}:"
    # black adds a trailing comma after a lone parameter (not after several)
    comma = "," if len(_top_level(params)) == 1 else ""
    if indent + 4 + len(params + comma) <= LINE and indent + len(last) <= LINE:
        return f"{head}(\n{pad}    {params}{comma}\n{pad}{last}"
    items = "".join(f"{pad}    {item},\n" for item in _top_level(params))
    return f"{head}(\n{items}{pad}{returns(annotation, indent)}"


def _top_level(text: str) -> list[str]:
    """`text` split at the commas outside brackets and string literals."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]
