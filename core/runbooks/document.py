"""Reading a runbook document: YAML or JSON text, or the JSON ``aws ssm get-document`` prints.

An SSM Automation document (schemaVersion 0.3) holds a ``description``, typed ``parameters``
and ``mainSteps``. ``get-document`` wraps the document's own text in ``Content`` with its
``DocumentFormat`` (JSON or YAML); ``load_document`` unwraps it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from core.errors import ValidationException

SCHEMA_VERSION = "0.3"
FORMATS = ("YAML", "JSON")


@dataclass(frozen=True)
class Loaded:
    doc: dict[str, Any]
    content: str  # the document's own text (unwrapped from get-document's JSON)
    format: str  # YAML or JSON


def invalid(message: str, name: str = "content") -> ValidationException:
    return ValidationException(message, fields=[{"name": name, "message": message}])


def _parse(text: str, fmt: str | None) -> tuple[Any, str]:
    if fmt == "JSON" or (fmt is None and text.lstrip().startswith("{")):
        try:
            return json.loads(text), "JSON"
        except json.JSONDecodeError as exc:
            raise invalid(f"the document is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    try:
        return yaml.safe_load(text), "YAML"
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1} column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or "cannot be read"
        raise invalid(f"the document is not valid YAML: {problem}{at}") from None


def load_document(text: str, fmt: str | None = None) -> Loaded:
    """Parse ``text`` (``fmt`` JSON, YAML, or None to tell from the text)."""
    if fmt is not None and fmt.upper() not in FORMATS:
        raise invalid(f"documentFormat {fmt!r} is not one of JSON, YAML", "documentFormat")
    fmt = fmt.upper() if fmt else None
    if not text or not text.strip():
        raise invalid("the document is empty")
    value, fmt = _parse(text, fmt)
    if isinstance(value, dict) and "Content" in value and "mainSteps" not in value:
        inner = value["Content"]
        inner_fmt = str(value.get("DocumentFormat") or "JSON").upper()
        if not isinstance(inner, str):
            raise invalid("get-document's Content must be the document's text")
        if inner_fmt not in FORMATS:
            raise invalid(f"get-document's DocumentFormat {inner_fmt!r} is not one of JSON, YAML")
        value, fmt = _parse(inner, inner_fmt)
        text = inner
    if not isinstance(value, dict):
        raise invalid(f"the document must be a mapping with mainSteps, not {type(value).__name__}")
    return Loaded(doc=value, content=text, format=fmt)


def steps_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    steps = doc.get("mainSteps")
    return steps if isinstance(steps, list) else []


def step_index(doc: dict[str, Any]) -> dict[str, int]:
    return {s["name"]: i for i, s in enumerate(steps_of(doc)) if isinstance(s, dict) and isinstance(s.get("name"), str)}


def runbook_arn(region: str, account: str, name: str) -> str:
    return f"arn:aws:ssm:{region}:{account}:document/{name}"


def execution_arn(region: str, account: str, execution_id: str) -> str:
    return f"arn:aws:ssm:{region}:{account}:automation-execution/{execution_id}"
