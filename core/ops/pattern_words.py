"""A name pattern's expected form in words: ``^[A-Za-z0-9_.\\-]{3,128}$`` refused "my rb!" as
"must be 3 to 128 characters long and hold only letters, digits and _ . - (not a space or !)".

Both validators use it: botocore's model patterns (``core.ops.shapes``) and the own
operations' pydantic fields (``core.ops.registry``). Only patterns of one character class
(optionally after a first-character class) with a length are put in words; any other pattern
(an ARN's) gives None and the caller says it as before."""

from __future__ import annotations

import re

_CLASS = r"\[((?:\\.|\\p\{\w\}|[^\]\\])+)\]"
_SIMPLE = re.compile(rf"^\^(?:{_CLASS})?{_CLASS}(\*|\+|\{{(\d+)(?:(,)(\d*))?\}})?\$$")
_TOKEN = re.compile(r"\\p\{(\w)\}|\\(.)|(.)-([^\]])|(.)", re.S)
_NAMED = {"L": "letters", "N": "digits", "Z": "spaces", "s": "spaces", "d": "digits"}
_SPECIAL = {" ": "a space", "\t": "a tab", "\n": "a line break"}


def _words(content: str) -> str | None:
    """A character class's content in words; None if it allows any character (``.\\s\\S``)."""
    kinds: list[str] = []
    literals: list[str] = []
    for prop, escaped, low, high, single in _TOKEN.findall(content):
        if prop:
            kinds.append(_NAMED.get(prop, f"\\p{{{prop}}}"))
        elif escaped in ("S", "W", "D"):
            return None
        elif escaped == "w":
            kinds += ["letters", "digits"]
            literals.append("_")
        elif escaped in _NAMED:
            kinds.append(_NAMED[escaped])
        elif escaped:
            literals.append(escaped)
        elif low:
            named = {("a", "z"): "lower-case letters", ("A", "Z"): "capital letters", ("0", "9"): "digits"}
            if (low, high) in named:
                kinds.append(named[low, high])
            elif not low.isalnum() and ord(high) - ord(low) < 10:  # +-/ is + , - . /
                literals += [chr(c) for c in range(ord(low), ord(high) + 1)]
            else:
                kinds.append(f"{low} to {high}")
        else:
            literals.append(single)
    if "lower-case letters" in kinds and "capital letters" in kinds:
        kinds = ["letters" if k == "lower-case letters" else k for k in kinds if k != "capital letters"]
    if " " in literals and "spaces" not in kinds:
        literals.remove(" ")
        kinds.append("spaces")
    names = list(dict.fromkeys(kinds)) + ([" ".join(dict.fromkeys(literals))] if literals else [])
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _length(quantifier: str, low: str, comma: str, high: str) -> str:
    if quantifier == "+":
        return "at least 1 character long"
    if not low:
        return ""
    if not comma:
        return f"{low} character{'s' if low != '1' else ''} long"
    if not high:
        return f"at least {low} character{'s' if low != '1' else ''} long"
    return f"{low} to {high} characters long"


def _not(bad: list[str]) -> str:
    shown = [_SPECIAL.get(c, c) for c in bad]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def pattern_words(pattern: str, value: str) -> str | None:
    """What ``value`` should have been, for a simple name ``pattern`` it does not match; None
    for any other pattern."""
    found = _SIMPLE.match(pattern)
    if found is None:
        return None
    first, rest, quantifier, low, comma, high = found.groups()
    allowed = _words(rest)
    if allowed is None:
        return None
    parts = []
    if length := _length(quantifier or "", low or "", comma or "", high or ""):
        if first:  # the first character is counted apart: {0,63} after it is 1 to 64 in all
            low_n, high_n = int(low) + 1, int(high) + 1 if high else None
            length = _length("", str(low_n), comma or "", str(high_n) if high_n else "")
        parts.append(f"be {length}")
    first_words = _words(first) if first else None
    if first_words is not None:
        parts.append(f"start with {' or '.join(first_words.rsplit(' and ', 1))}")
    parts.append(f"hold only {allowed}")
    rule = "must " + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    import regex  # as core.ops.shapes: Java's \p{L} classes, only once a value is refused

    one = regex.compile(f"[{rest}]")
    if bad := list(dict.fromkeys(c for c in value if not one.fullmatch(c))):
        rule += f" (not {_not(bad)})"
    elif first_words is not None and value and not regex.compile(f"[{first}]").fullmatch(value[0]):
        rule += f" (not {_not([value[0]])} first)"
    return rule
