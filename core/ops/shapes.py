"""Request validation and response shaping from botocore's service models.

botocore's models are the spec for every AWS-named operation: member names, types, enums,
lengths, ranges and patterns. ``check_input`` enforces them and answers every violation with
a ValidationException that names the member; ``shape_output`` turns a handler's result into
exactly what boto3 would hand back (aware-UTC datetimes, no unknown or empty members).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

from core.errors import ValidationException
from core.timeutil import parse_timestamp

SERVICES = ("ssm-incidents", "ssm-contacts")


@functools.cache
def service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def operation_model(service: str, name: str) -> OperationModel | None:
    model = service_model(service)
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # a Java-only construct: leave it to the other constraints
        return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

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
            for req in shape.required_members:
                if value.get(req) is None:
                    self.fail(_join(path, req), "is required")
            present = [k for k, v in value.items() if v is not None and k in shape.members]
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
            self._length(path, len(value), meta, "items")
            return [self.check(shape.member, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if kind == "map":
            if not isinstance(value, dict):
                self.fail(path, f"must be an object, not {type(value).__name__}")
                return value
            self._length(path, len(value), meta, "entries")
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
            if pattern and value and (rx := _pattern(pattern)) and not rx.search(value):
                self.fail(path, f"value {_show(value)} does not match the pattern {pattern}")
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

    def _length(self, path: str, n: int, meta: dict[str, Any], unit: str) -> None:
        if "min" in meta and n < meta["min"]:
            self.fail(path, f"must have at least {meta['min']} {unit} (has {n})")
        if "max" in meta and n > meta["max"]:
            self.fail(path, f"must have at most {meta['max']} {unit} (has {n})")

    def _range(self, path: str, value: float, meta: dict[str, Any]) -> None:
        if "min" in meta and value < meta["min"]:
            self.fail(path, f"value {value} must be at least {meta['min']}")
        if "max" in meta and value > meta["max"]:
            self.fail(path, f"value {value} must be at most {meta['max']}")


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
