"""Generic JSON: any payload, mapped to an alert by JSON Pointers (RFC 6901).

A mapping is ``{"title": "/alert/name", "impact": "/sev", "dedupe": "/id",
"description": "/text", "resolve": {"pointer": "/state", "equals": "ok"}}``; only ``title``
is required. Without ``dedupe`` every payload is its own incident (its event id); without
``impact`` the response plan's applies. ``check_mapping`` runs when the integration is saved,
and names the member and pointer that are wrong.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from core.intake.alerts import Action, Alert, PayloadError, impact_of

POINTERS = ("title", "impact", "dedupe", "description")
_MISSING = object()


class MappingError(ValueError):
    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member = member


def _check_pointer(member: str, pointer: Any) -> None:
    if not isinstance(pointer, str):
        raise MappingError(member, f"{member} must be a JSON Pointer string such as \"/alert/title\"")
    if pointer and not pointer.startswith("/"):
        raise MappingError(member, f"{member} pointer {pointer!r} must start with '/' (RFC 6901)")
    rest = pointer.replace("~0", "").replace("~1", "")
    if "~" in rest:
        raise MappingError(member, f"{member} pointer {pointer!r} has a '~' that is not ~0 or ~1")


def check_mapping(mapping: Any) -> dict[str, Any]:
    if not isinstance(mapping, dict):
        raise MappingError("mapping", "a generic integration needs a mapping object of JSON Pointers")
    unknown = set(mapping) - {*POINTERS, "resolve"}
    if unknown:
        raise MappingError("mapping", f"mapping has unknown members: {', '.join(sorted(unknown))}")
    if "title" not in mapping:
        raise MappingError("mapping.title", "mapping.title (a JSON Pointer to the alert's title) is required")
    for member in POINTERS:
        if member in mapping:
            _check_pointer(f"mapping.{member}", mapping[member])
    resolve = mapping.get("resolve")
    if resolve is not None:
        if not isinstance(resolve, dict) or set(resolve) != {"pointer", "equals"}:
            raise MappingError("mapping.resolve", "mapping.resolve is {\"pointer\": \"/status\", \"equals\": \"resolved\"}")
        _check_pointer("mapping.resolve.pointer", resolve["pointer"])
    return mapping


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value ``pointer`` names in ``document``, or ``_MISSING``."""
    node = document
    if pointer == "":
        return node
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)


def normalize(payload: Any, mapping: dict[str, Any], now: datetime) -> list[Alert]:
    title = resolve_pointer(payload, mapping["title"])
    if title is _MISSING or title in (None, ""):
        raise PayloadError(f"the payload has no title at {mapping['title']!r} (mapping.title)")
    impact = None
    if "impact" in mapping:
        found = resolve_pointer(payload, mapping["impact"])
        if found is not _MISSING and found is not None:
            impact = impact_of(found, f"{mapping['impact']} (mapping.impact)")
    dedupe = None
    if "dedupe" in mapping:
        found = resolve_pointer(payload, mapping["dedupe"])
        if found is _MISSING or found in (None, ""):
            raise PayloadError(f"the payload has no dedupe key at {mapping['dedupe']!r} (mapping.dedupe)")
        dedupe = _text(found)
    description = resolve_pointer(payload, mapping["description"]) if "description" in mapping else _MISSING
    action = Action.TRIGGER
    if mapping.get("resolve"):
        found = resolve_pointer(payload, mapping["resolve"]["pointer"])
        if found is not _MISSING and found == mapping["resolve"]["equals"]:
            action = Action.RESOLVE
    body = json.dumps(payload, sort_keys=True, default=str).encode()
    return [
        Alert(
            action=action,
            dedupe=dedupe or "generic:" + hashlib.sha256(body).hexdigest()[:32],
            title=_text(title)[:200],
            source="generic",
            timestamp=now,
            event=payload if isinstance(payload, dict) else {"payload": payload},
            name=_text(title)[:200],
            impact=impact,
            summary=None if description is _MISSING or description is None else _text(description)[:8000],
        )
    ]
