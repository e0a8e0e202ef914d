"""aws:branch's Choices: a condition is ``Variable`` with one operation, or ``And``/``Or`` (a list
of conditions) or ``Not`` (one condition). Each choice names its ``NextStep``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"{value!r} is not true or false")


OPERATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "StringEquals": lambda v, x: str(v) == str(x),
    "EqualsIgnoreCase": lambda v, x: str(v).lower() == str(x).lower(),
    "StartsWith": lambda v, x: str(v).startswith(str(x)),
    "EndsWith": lambda v, x: str(v).endswith(str(x)),
    "Contains": lambda v, x: str(x) in (v if isinstance(v, list) else str(v)),
    "NumericEquals": lambda v, x: _number(v) == _number(x),
    "NumericGreater": lambda v, x: _number(v) > _number(x),
    "NumericLesser": lambda v, x: _number(v) < _number(x),
    "NumericGreaterOrEquals": lambda v, x: _number(v) >= _number(x),
    "NumericLesserOrEquals": lambda v, x: _number(v) <= _number(x),
    "BooleanEquals": lambda v, x: _boolean(v) == _boolean(x),
}
COMBINERS = ("And", "Or", "Not")


def condition_problems(cond: Any, where: str) -> list[str]:
    """What is wrong with one condition (``where`` says which, for the message)."""
    if not isinstance(cond, dict):
        return [f"{where} must be a mapping"]
    combiners = [k for k in COMBINERS if k in cond]
    ops = [k for k in OPERATIONS if k in cond]
    if combiners and (ops or "Variable" in cond):
        return [f"{where} mixes {combiners[0]} with a Variable"]
    if len(combiners) > 1:
        return [f"{where} has both {combiners[0]} and {combiners[1]}"]
    if combiners:
        name = combiners[0]
        inner = cond[name]
        if name == "Not":
            return condition_problems(inner, f"{where}.Not")
        if not isinstance(inner, list) or not inner:
            return [f"{where}.{name} must be a list of conditions"]
        return [p for i, c in enumerate(inner) for p in condition_problems(c, f"{where}.{name}[{i}]")]
    if "Variable" not in cond:
        return [f"{where} has no Variable (or And, Or, Not)"]
    if len(ops) != 1:
        known = ", ".join(OPERATIONS)
        unknown = [k for k in cond if k not in ("Variable", "NextStep", *OPERATIONS)]
        if unknown:
            return [f"{where} has an unknown operation {unknown[0]!r} (one of {known})"]
        return [f"{where} needs exactly one operation ({known})"]
    return []


def holds(cond: dict[str, Any]) -> bool:
    """Whether a condition (its Variables already substituted) holds; ValueError if a value
    cannot be compared as the operation needs."""
    if "And" in cond:
        return all(holds(c) for c in cond["And"])
    if "Or" in cond:
        return any(holds(c) for c in cond["Or"])
    if "Not" in cond:
        return not holds(cond["Not"])
    op = next(k for k in OPERATIONS if k in cond)
    return OPERATIONS[op](cond["Variable"], cond[op])


def choose(inputs: dict[str, Any]) -> str | None:
    """The NextStep of the first choice that holds, else Default (None when there is none)."""
    for choice in inputs.get("Choices") or []:
        if holds(choice):
            return choice["NextStep"]
    return inputs.get("Default")
