"""``{{ Param }}`` and ``{{ step.Output }}`` in a step's inputs.

A string that is exactly one reference takes the referenced value as it is (a StringList
parameter stays a list, an Integer output a number); a reference inside longer text is
replaced by the value's text. ``{{ automation:EXECUTION_ID }}`` is the execution's id.
"""

from __future__ import annotations

import json
import re
from typing import Any

REF_RE = re.compile(r"\{\{\s*([A-Za-z0-9_:.\-]+)\s*\}\}")
BUILTINS = frozenset({"automation:EXECUTION_ID"})


def references(value: Any) -> list[str]:
    """Every name referenced anywhere in ``value``."""
    if isinstance(value, str):
        return REF_RE.findall(value)
    if isinstance(value, dict):
        return [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    """``value`` with every reference replaced; KeyError naming an unknown reference."""
    if isinstance(value, str):
        whole = REF_RE.fullmatch(value.strip())
        if whole:
            return variables[whole.group(1)]
        return REF_RE.sub(lambda m: _text(variables[m.group(1)]), value)
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    return value
