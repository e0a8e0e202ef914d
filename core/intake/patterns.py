"""EventBridge event patterns: the whole language, following aws/event-ruler's README.

    check_pattern(pattern)          -> None, or PatternError naming the path and what is wrong
    matches(pattern, event) -> bool

A pattern is a JSON object whose keys name event fields. A field's value is either a nested
object (a pattern for the event's object there) or a non-empty array of *matchers*; the field
matches when any matcher matches any of the event's values there, and the pattern matches
when every field does ("and" across fields, "or" within one). The matchers:

* exact values: a string, a number (``5`` matches ``5.0``), ``true``, ``false``, ``null``;
* ``{"prefix": s}``, ``{"suffix": s}`` (also ``{"prefix": {"equals-ignore-case": s}}`` and the
  suffix form), ``{"equals-ignore-case": s}``, ``{"wildcard": "a*b"}`` (``*`` is any run of
  characters; ``\\*`` and ``\\\\`` escape; two ``*`` in a row are refused);
* ``{"anything-but": v}`` with ``v`` a string, a number, a list of strings or of numbers, or
  ``{"prefix"|"suffix"|"equals-ignore-case"|"wildcard": s or [s, ...]}``: a value of the
  field that is none of those (the field must have a value);
* ``{"numeric": [">", 0, "<=", 5]}``: at most one lower and one upper bound, or ``["=", x]``;
  numbers only, within +-5.0e9;
* ``{"exists": true|false}``: whether the field has a leaf value (an object is not a leaf);
* ``{"cidr": "10.0.0.0/24"}``: an IPv4 or IPv6 address string inside the network.

``"$or": [{...}, {...}]`` (two or more objects, none using a matcher's keyword as a field
name) matches when any of its patterns does; otherwise ``$or`` is an ordinary field name.

Arrays in the event: a field holding an array matches when any element does, and the fields
of one object pattern must all match inside the same element of an array (README, "JSON
Array Matching": no match joins fields from different elements).
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Iterator
from typing import Any

NUMERIC_LIMIT = 5.0e9
MATCHER_KEYS = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"}
)
RESERVED_IN_OR = MATCHER_KEYS
LOWER = {">", ">="}
UPPER = {"<", "<="}
_MISSING = object()


class PatternError(ValueError):
    """A pattern that is not valid: ``path`` is the dotted field it is about."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '(pattern)'}: {message}")
        self.path = path
        self.reason = message


# ---------------------------------------------------------------------------- checking


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_or(key: str, value: Any) -> bool:
    return (
        key == "$or"
        and isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(p, dict) for p in value)
        and not any(k in RESERVED_IN_OR for p in value for k in p)
    )


def check_pattern(pattern: Any, path: str = "") -> None:
    """Raise PatternError naming the first thing wrong with ``pattern``."""
    if not isinstance(pattern, dict):
        raise PatternError(path, f"a pattern is a JSON object, not {type(pattern).__name__}")
    if not pattern:
        raise PatternError(path, "a pattern needs at least one field")
    for key, value in pattern.items():
        where = f"{path}.{key}" if path else key
        if _is_or(key, value):
            for i, alternative in enumerate(value):
                check_pattern(alternative, f"{where}[{i}]")
        elif isinstance(value, dict):
            check_pattern(value, where)
        elif isinstance(value, list):
            if not value:
                raise PatternError(where, "an empty list matches nothing; give at least one value")
            for matcher in value:
                _check_matcher(matcher, where)
        else:
            raise PatternError(where, "a field's values are given as a list, e.g. [\"value\"]")


def _check_string(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise PatternError(where, f"{what} takes a string, not {type(value).__name__}")
    return value


def _check_wildcard(value: Any, where: str) -> None:
    text = _check_string(value, where, "wildcard")
    i, after_star = 0, False
    while i < len(text):
        if text[i] == "\\":
            if i + 1 >= len(text) or text[i + 1] not in "*\\":
                raise PatternError(where, f"wildcard {text!r}: a backslash may only escape '*' or '\\'")
            i, after_star = i + 2, False
            continue
        if text[i] == "*" and after_star:
            raise PatternError(where, f"wildcard {text!r} has consecutive '*' characters")
        i, after_star = i + 1, text[i] == "*"


def _check_affix(kind: str, value: Any, where: str) -> None:
    if isinstance(value, dict) and set(value) == {"equals-ignore-case"}:
        _check_string(value["equals-ignore-case"], where, f"{kind} equals-ignore-case")
        return
    _check_string(value, where, kind)


def _check_numeric(spec: Any, where: str) -> None:
    if not isinstance(spec, list) or not spec or len(spec) % 2:
        raise PatternError(where, 'numeric takes pairs of operator and number, e.g. [">", 0, "<=", 5]')
    ops = spec[0::2]
    for op, number in zip(ops, spec[1::2], strict=True):
        if op not in LOWER | UPPER | {"="}:
            raise PatternError(where, f"numeric operator {op!r} is not one of =, <, <=, >, >=")
        if not _is_number(number) or not math.isfinite(number):
            raise PatternError(where, f"numeric operator {op!r} needs a number, not {number!r}")
        if abs(number) > NUMERIC_LIMIT:
            raise PatternError(where, f"numeric {number} is outside -5.0e9..5.0e9")
    if "=" in ops and len(ops) != 1:
        raise PatternError(where, "numeric '=' stands alone")
    lowers = [i for i, op in enumerate(ops) if op in LOWER]
    uppers = [i for i, op in enumerate(ops) if op in UPPER]
    if len(lowers) > 1 or len(uppers) > 1 or len(ops) > 2:
        raise PatternError(where, "numeric takes at most one lower bound (>, >=) and one upper bound (<, <=)")
    if lowers and uppers and spec[lowers[0] * 2 + 1] >= spec[uppers[0] * 2 + 1]:
        raise PatternError(where, "numeric's lower bound must be below its upper bound")


def _check_anything_but(value: Any, where: str) -> None:
    if isinstance(value, str) or _is_number(value):
        return
    if isinstance(value, list):
        if not value:
            raise PatternError(where, "anything-but takes a non-empty list")
        if not (all(isinstance(v, str) for v in value) or all(_is_number(v) for v in value)):
            raise PatternError(where, "anything-but's list holds only strings or only numbers")
        return
    if isinstance(value, dict) and len(value) == 1:
        (kind, inner), = value.items()
        if kind not in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
            raise PatternError(where, f"anything-but does not take {kind!r}")
        for item in inner if isinstance(inner, list) and kind in ("equals-ignore-case", "wildcard") else [inner]:
            if kind == "wildcard":
                _check_wildcard(item, where)
            else:
                _check_string(item, where, f"anything-but {kind}")
        return
    raise PatternError(where, "anything-but takes a string, a number, a list of them, or {prefix|suffix|...: ...}")


def _check_matcher(matcher: Any, where: str) -> None:
    if matcher is None or isinstance(matcher, str | bool) or _is_number(matcher):
        return
    if not isinstance(matcher, dict):
        raise PatternError(where, f"{matcher!r} is not a value or a matcher object")
    if len(matcher) != 1:
        raise PatternError(where, f"a matcher object has exactly one key, not {sorted(matcher)}")
    (kind, value), = matcher.items()
    if kind in ("prefix", "suffix"):
        _check_affix(kind, value, where)
    elif kind == "equals-ignore-case":
        _check_string(value, where, kind)
    elif kind == "wildcard":
        _check_wildcard(value, where)
    elif kind == "anything-but":
        _check_anything_but(value, where)
    elif kind == "numeric":
        _check_numeric(value, where)
    elif kind == "exists":
        if not isinstance(value, bool):
            raise PatternError(where, "exists takes true or false")
    elif kind == "cidr":
        try:
            ipaddress.ip_network(_check_string(value, where, "cidr"), strict=False)
        except ValueError as exc:
            raise PatternError(where, f"cidr {value!r} is not a network: {exc}") from None
    else:
        raise PatternError(where, f"unknown matcher {kind!r}; use one of {', '.join(sorted(MATCHER_KEYS))}")


# ---------------------------------------------------------------------------- matching


def matches(pattern: dict[str, Any], event: Any) -> bool:
    """Whether ``event`` (parsed JSON) matches ``pattern`` (already checked)."""
    return _match_object(pattern, event)


def _elements(node: Any) -> Iterator[Any]:
    """An array's elements, nested arrays crushed out."""
    for item in node:
        if isinstance(item, list):
            yield from _elements(item)
        else:
            yield item


def _match_object(pattern: dict[str, Any], node: Any) -> bool:
    if isinstance(node, list):
        elements = list(_elements(node))
        if elements:
            return any(_match_object(pattern, element) for element in elements)
        node = _MISSING
    for key, sub in pattern.items():
        if _is_or(key, sub):
            if not any(_match_object(alternative, node) for alternative in sub):
                return False
            continue
        value = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
        if isinstance(sub, dict):
            if not _match_object(sub, value):
                return False
        elif not _match_field(sub, value):
            return False
    return True


def _leaves(value: Any) -> list[Any]:
    if value is _MISSING or isinstance(value, dict):
        return []
    if isinstance(value, list):
        return [v for v in _elements(value) if not isinstance(v, dict)]
    return [value]


def _match_field(matchers: list[Any], value: Any) -> bool:
    leaves = _leaves(value)
    for matcher in matchers:
        if isinstance(matcher, dict) and "exists" in matcher:
            if bool(leaves) is matcher["exists"]:
                return True
        elif any(_match_value(matcher, leaf) for leaf in leaves):
            return True
    return False


def _equal(expected: Any, value: Any) -> bool:
    if _is_number(expected):
        return _is_number(value) and float(expected) == float(value)
    if isinstance(expected, bool) or expected is None:
        return value is expected
    return isinstance(value, str) and value == expected


def _wildcard_re(text: str) -> re.Pattern[str]:
    parts, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            parts.append(re.escape(text[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def _affix(kind: str, spec: Any, value: str) -> bool:
    if isinstance(spec, dict):
        spec, value = spec["equals-ignore-case"].casefold(), value.casefold()
    return value.startswith(spec) if kind == "prefix" else value.endswith(spec)


def _string_test(kind: str, spec: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if kind in ("prefix", "suffix"):
        return _affix(kind, spec, value)
    if kind == "equals-ignore-case":
        return value.casefold() == spec.casefold()
    return _wildcard_re(spec).fullmatch(value) is not None  # wildcard


def _anything_but(spec: Any, value: Any) -> bool:
    if isinstance(spec, dict):
        (kind, inner), = spec.items()
        if not isinstance(value, str):
            return False
        options = inner if isinstance(inner, list) else [inner]
        return not any(_string_test(kind, option, value) for option in options)
    options = spec if isinstance(spec, list) else [spec]
    return not any(_equal(option, value) for option in options)


def _numeric(spec: list[Any], value: Any) -> bool:
    if not _is_number(value) or abs(value) > NUMERIC_LIMIT:
        return False
    for op, bound in zip(spec[0::2], spec[1::2], strict=True):
        ok = {
            "=": value == bound, ">": value > bound, ">=": value >= bound, "<": value < bound, "<=": value <= bound,
        }[op]
        if not ok:
            return False
    return True


def _cidr(spec: str, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(spec, strict=False)
    except ValueError:
        return False


def _match_value(matcher: Any, value: Any) -> bool:
    if not isinstance(matcher, dict):
        return _equal(matcher, value)
    (kind, spec), = matcher.items()
    if kind == "anything-but":
        return _anything_but(spec, value)
    if kind == "numeric":
        return _numeric(spec, value)
    if kind == "cidr":
        return _cidr(spec, value)
    return _string_test(kind, spec, value)
