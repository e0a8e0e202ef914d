"""Opaque ``nextToken`` values for keyset paging: a page never skips or repeats a row, even
while rows are added, because the token names the last row seen, not an offset."""

from __future__ import annotations

import base64
import json
from typing import Any

from core.errors import ValidationException
from core.store.db import Tx


def encode(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str | None, field: str = "nextToken", scope: str | None = None) -> dict[str, Any] | None:
    """Read a token back; a forged or foreign token is a ValidationException naming ``field``."""
    if not token:
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(value, dict) or (scope is not None and value.get("s") != scope):
            raise ValueError
        return value
    except (ValueError, UnicodeDecodeError):
        raise ValidationException(
            f"{field} is not a token this list returned",
            fields=[{"name": field, "message": "invalid pagination token"}],
        ) from None


def page_size(requested: int | None, ceiling: int = 100) -> int:
    return min(requested or 50, ceiling)


async def by_name(tx: Tx, table: str, scope: str, req: dict[str, Any]) -> tuple[list[Any], str | None]:
    """One page of ``table``'s rows in ``name`` order (``req``'s maxResults and nextToken), and
    the token of the next page (None after the last)."""
    after = decode(req.get("nextToken"), scope=scope)
    limit = page_size(req.get("maxResults"))
    rows = await tx.fetchall(
        f"SELECT * FROM {table} WHERE name > ? ORDER BY name LIMIT ?",  # noqa: S608 (a table name of ours)
        ((after or {}).get("n", ""), limit + 1),
    )
    token = encode({"s": scope, "n": rows[limit - 1]["name"]}) if len(rows) > limit else None
    return rows[:limit], token
