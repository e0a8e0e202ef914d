"""A runbook's typed ``parameters``: the values an execution starts with.

Values come from a StartRunbookExecution request or a response plan's ``ssmAutomation``
action, whose ``parameters`` are lists of text as in AWS's model (a String parameter takes the
list's one value); a parameter with no value takes its ``default``, and one without a default
must be given.
"""

from __future__ import annotations

import re
from typing import Any

from core.errors import ValidationException

PARAMETER_TYPES = ("String", "StringList", "Integer", "Boolean", "MapList", "StringMap")


def coerce_parameter(name: str, kind: str, value: Any) -> Any:
    """``value`` as parameter ``name`` of type ``kind``; ValueError saying why it cannot be."""
    if kind in ("String", "Integer", "Boolean") and isinstance(value, list) and len(value) == 1:
        value = value[0]
    if kind == "String" and isinstance(value, str):
        return value
    if kind == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
    if kind == "Boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    if kind == "StringList":
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    if kind == "StringMap" and isinstance(value, dict):
        return value
    if kind == "MapList" and isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise ValueError(f"parameter {name} must be a {kind}, not {value!r:.100}")


def resolve_parameters(doc: dict[str, Any], given: dict[str, Any], field: str = "parameters") -> dict[str, Any]:
    """Every parameter's value; ValidationException naming an unknown, missing or bad one."""
    specs = doc.get("parameters") or {}
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise ValidationException(
            f"the runbook has no parameter {unknown[0]!r} (its parameters: {', '.join(specs) or 'none'})",
            fields=[{"name": f"{field}.{unknown[0]}", "message": "unknown parameter"}],
        )
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in given:
            raw = given[name]
        elif "default" in spec:
            raw = spec["default"]
        else:
            raise ValidationException(
                f"the runbook needs the parameter {name} ({spec['type']}), which has no default",
                fields=[{"name": f"{field}.{name}", "message": "required"}],
            )
        try:
            values[name] = coerce_parameter(name, spec["type"], raw)
        except ValueError as exc:
            raise ValidationException(str(exc), fields=[{"name": f"{field}.{name}", "message": str(exc)}]) from None
    return values
