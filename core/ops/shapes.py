"""Request validation and response shaping from botocore's service models.

botocore's models (read by ``core.ops.aws_models``) are the spec for every AWS-named
operation: member names, types, enums, lengths, ranges and patterns. ``check_input`` enforces
them and answers every violation with a ValidationException that names the member;
``shape_output`` turns a handler's result into exactly what boto3 would hand back (aware-UTC
datetimes, no unknown or empty members) and ``check_output`` lists where a shaped response
breaks its model. Patterns are Java regular expressions (``\\p{L}``, ``\\p{N}``, ``\\p{Z}``),
which the ``regex`` package compiles and ``re`` cannot. A required string is never empty.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.errors import ValidationException
from core.ops.aws_models import Shape
from core.ops.pattern_words import pattern_words
from core.timeutil import parse_timestamp

if TYPE_CHECKING:
    import regex

@functools.cache
def _pattern(pattern: str) -> regex.Pattern[str]:
    import regex  # only when a pattern is first checked: it is not needed to open a core

    return regex.compile(pattern)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    """Walks a value along its shape. On input it converts timestamps; on output
    (``output=True``) a timestamp must already be an aware datetime."""

    def __init__(self, *, output: bool = False) -> None:
        self.errors: list[dict[str, str]] = []
        self.output = output

    def fail(self, path: str, message: str) -> None:
        self.errors.append({"name": path or "(request)", "message": message})

    def check(self, shape: Shape, value: Any, path: str) -> Any:
        kind = shape.type_name
        meta = shape.metadata
        if kind == "structure":
            if not isinstance(value, dict):
                self.fail(path, f"must be an object, not {type(value).__name__}")
                return value
            out = {}
            for key in value:
                if key not in shape.members:
                    self.fail(_join(path, key), "is not a member of " + shape.name)
            empty: set[str] = set()  # said once: not "must have at least 1 character" as well
            for req in shape.required_members:
                if value.get(req) is None:
                    self.fail(_join(path, req), "is required")
                elif value[req] == "" and shape.members[req].type_name == "string":
                    self.fail(_join(path, req), "is required and must not be empty")
                    empty.add(req)
            present = [k for k, v in value.items() if v is not None and k in shape.members and k not in empty]
            if meta.get("union"):
                if len(present) != 1:
                    self.fail(path, f"must set exactly one of {', '.join(shape.members)}")
            for key in present:
                out[key] = self.check(shape.members[key], value[key], _join(path, key))
            return out
        if kind == "list":
            if not isinstance(value, list | tuple):
                self.fail(path, f"must be a list, not {type(value).__name__}")
                return value
            self._collection_length(path, len(value), meta, "items")
            return [self.check(shape.member, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if kind == "map":
            if not isinstance(value, dict):
                self.fail(path, f"must be an object, not {type(value).__name__}")
                return value
            self._collection_length(path, len(value), meta, "entries")
            out = {}
            for k, v in value.items():
                key = self.check(shape.key, k, f"{path}.<key {k!r}>")
                out[key] = self.check(shape.value, v, _join(path, str(k)))
            return out
        if kind == "string":
            if not isinstance(value, str):
                self.fail(path, f"must be a string, not {type(value).__name__}")
                return value
            self._length(path, len(value), meta, "characters")
            if shape.enum and value not in shape.enum:
                self.fail(path, f"value {_show(value)} must be one of: {', '.join(shape.enum)}")
            pattern = meta.get("pattern")
            if pattern and value and not _pattern(pattern).search(value):
                self.fail(path, pattern_words(pattern, value) or f"value {_show(value)} does not match the pattern {pattern}")
            return value
        if kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(path, f"must be a whole number, not {_show(value)}")
                return value
            self._range(path, value, meta)
            return value
        if kind in ("double", "float"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(path, f"must be a number, not {_show(value)}")
                return value
            self._range(path, value, meta)
            return float(value)
        if kind == "boolean":
            if not isinstance(value, bool):
                self.fail(path, f"must be true or false, not {_show(value)}")
            return value
        if kind == "timestamp":
            if self.output:
                if not isinstance(value, datetime) or value.tzinfo is None:
                    self.fail(path, f"must be an aware datetime, not {_show(value)}")
                return value
            try:
                return parse_timestamp(value)
            except (ValueError, OverflowError):
                self.fail(path, f"value {_show(value)} is not a timestamp")
                return value
        if kind == "blob":
            if not isinstance(value, bytes | str):
                self.fail(path, "must be bytes or text")
            return value
        return value

    def _collection_length(self, path: str, n: int, meta: dict[str, Any], unit: str) -> None:
        # A list or map shape is shared by requests and responses, and its minimum is the
        # request's: AWS answers an empty one (a resource with no tags has ``tags: {}``)
        if not (self.output and n == 0):
            self._length(path, n, meta, unit)

    def _length(self, path: str, n: int, meta: dict[str, Any], unit: str) -> None:
        if "min" in meta and n < meta["min"]:
            self.fail(path, f"must have at least {meta['min']} {_counted(meta['min'], unit)} (has {n})")
        if "max" in meta and n > meta["max"]:
            self.fail(path, f"must have at most {meta['max']} {_counted(meta['max'], unit)} (has {n})")

    def _range(self, path: str, value: float, meta: dict[str, Any]) -> None:
        if "min" in meta and value < meta["min"]:
            self.fail(path, f"value {value} must be at least {meta['min']}")
        if "max" in meta and value > meta["max"]:
            self.fail(path, f"value {value} must be at most {meta['max']}")


def _counted(n: int, unit: str) -> str:
    """"1 character", "2 characters" (``unit`` is the plural: characters, items, entries)."""
    return unit if n != 1 else {"entries": "entry"}.get(unit, unit.removesuffix("s"))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def validation_error(errors: list[dict[str, str]]) -> ValidationException:
    count = len(errors)
    detail = "; ".join(f"'{e['name']}' {e['message']}" for e in errors[:10])
    more = f" (and {count - 10} more)" if count > 10 else ""
    noun = "error" if count == 1 else "errors"
    return ValidationException(f"{count} validation {noun} detected: {detail}{more}", fields=errors)


def check_input(shape: Shape | None, params: Any) -> dict[str, Any]:
    if shape is None:
        if params:
            raise validation_error([{"name": "(request)", "message": "takes no members"}])
        return {}
    checker = _Checker()
    out = checker.check(shape, params, "")
    if checker.errors:
        raise validation_error(checker.errors)
    return out


def check_output(shape: Shape | None, value: Any) -> list[dict[str, str]]:
    """Where a shaped response breaks its model (empty when it satisfies it)."""
    if shape is None:
        return [] if value in (None, {}) else [{"name": "(response)", "message": "must be empty"}]
    checker = _Checker(output=True)
    checker.check(shape, value, "")
    return checker.errors


def shape_output(shape: Shape | None, value: Any) -> Any:
    """Keep the members the model knows, drop empties, and make timestamps aware datetimes."""
    if shape is None:
        return {} if isinstance(value, dict) else value
    kind = shape.type_name
    if value is None:
        return None
    if kind == "structure" and isinstance(value, dict):
        out = {}
        for key, member in shape.members.items():
            if key in value and value[key] is not None:
                out[key] = shape_output(member, value[key])
        return out
    if kind == "list" and isinstance(value, list | tuple):
        return [shape_output(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: shape_output(shape.value, v) for k, v in value.items()}
    if kind == "timestamp" and not isinstance(value, datetime):
        return parse_timestamp(value)
    return value
