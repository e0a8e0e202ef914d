"""Analysis templates in the store: the standard one (in code, read-only) and the ones teams
write, checked so that an analysis can always be built from them."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from core.analysis.standard_template import NOTES, SECTION_KINDS, STANDARD, STANDARD_NAME
from core.errors import ResourceNotFoundException, ValidationException
from core.store.db import Tx, loads
from core.timeutil import from_us


def _invalid(field: str, message: str) -> ValidationException:
    return ValidationException(f"{field}: {message}", fields=[{"name": field, "message": message}])


def check(doc: dict[str, Any]) -> None:
    """Every standard section once, only ``notes`` sections besides, and no id used twice."""
    kinds = Counter(s["kind"] for s in doc["sections"])
    for kind in SECTION_KINDS:
        if kinds[kind] != 1:
            raise _invalid("sections", f"a template has exactly one '{kind}' section (found {kinds[kind]})")
    for part in ("sections", "questions", "checklist"):
        ids = Counter(item["id"] for item in doc[part])
        twice = sorted(i for i, n in ids.items() if n > 1)
        if twice:
            raise _invalid(part, f"the id {twice[0]!r} is used twice")
    for question in doc["questions"]:
        if question.get("recommendation") and question.get("kind") != "yesno":
            raise _invalid("questions", f"question {question['id']!r} recommends an action, so its kind must be 'yesno'")


def standard() -> dict[str, Any]:
    return copy.deepcopy(STANDARD)


def _from_row(row: Any) -> dict[str, Any]:
    doc = loads(row["doc"])
    return {**doc, "name": row["name"], "arn": row["arn"], "builtin": False,
            "createdTime": from_us(row["created_us"]), "lastModifiedTime": from_us(row["updated_us"])}


async def load(tx: Tx, name: str, field: str = "templateName") -> dict[str, Any]:
    """A template by name (the standard one included), or ResourceNotFoundException naming it."""
    if name == STANDARD_NAME:
        return standard()
    row = await tx.fetchone("SELECT * FROM analysis_templates WHERE name = ?", (name,))
    if row is None:
        raise ResourceNotFoundException(
            f"{field}: analysis template {name!r} does not exist (ListAnalysisTemplates lists them)",
            "ANALYSIS_TEMPLATE", name,
        )
    return _from_row(row)


async def stored(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.fetchall("SELECT * FROM analysis_templates ORDER BY name")
    return [_from_row(r) for r in rows]


def is_notes(section: dict[str, Any]) -> bool:
    return section["kind"] == NOTES
