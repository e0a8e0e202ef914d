"""An action's result: the step's declared ``outputs`` selected from it (``Name``, ``Selector``
such as ``$.Payload.key`` or ``$.Json.items[0]``, and ``Type``: String, Integer, Boolean,
StringList, StringMap, MapList), or ``StepFailed`` saying why the action failed."""

from __future__ import annotations

import re
from typing import Any

TYPES = ("String", "Integer", "Boolean", "StringList", "StringMap", "MapList")
_SELECTOR_RE = re.compile(r"^\$((?:\.[A-Za-z0-9_\-]+|\[\d+\])*)$")
_PART_RE = re.compile(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]")


class StepFailed(Exception):
    """An action failed; the message says why (shown on the step and in the timeline)."""


def selector_problem(selector: Any) -> str | None:
    if not isinstance(selector, str) or not _SELECTOR_RE.match(selector):
        return f"Selector {selector!r} must look like $.Payload.name or $.Json.items[0]"
    return None


def select(result: dict[str, Any], selector: str) -> Any:
    """The value ``selector`` names in an action's result; KeyError saying what is missing."""
    value: Any = result
    for key, index in _PART_RE.findall(selector[1:]):
        if key:
            if not isinstance(value, dict) or key not in value:
                raise KeyError(f"{selector} names {key!r}, which the result does not hold")
            value = value[key]
        else:
            if not isinstance(value, list) or int(index) >= len(value):
                raise KeyError(f"{selector} names item {index}, which the result does not hold")
            value = value[int(index)]
    return value


def coerce(value: Any, type_name: str, name: str) -> Any:
    """``value`` as the declared type; ValueError naming the output."""
    ok: bool
    if type_name == "String":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        ok = isinstance(value, str)
    elif type_name == "Integer":
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif type_name == "Boolean":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        ok = isinstance(value, bool)
    elif type_name == "StringList":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif type_name == "StringMap":
        ok = isinstance(value, dict)
    else:
        ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if not ok:
        raise ValueError(f"output {name} should be a {type_name}, and the step returned {value!r:.200}")
    return value


def declared_outputs(step: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The step's outputs from an action's result; KeyError/ValueError saying which failed."""
    out: dict[str, Any] = {}
    for decl in step.get("outputs") or []:
        out[decl["Name"]] = coerce(select(result, decl["Selector"]), decl.get("Type", "String"), decl["Name"])
    return out
