"""Small helpers for the JSON documents rows carry."""

from __future__ import annotations

from typing import Any

from core.errors import ResourceNotFoundException
from core.store.db import Tx, loads


async def load_doc(tx: Tx, table: str, arn: str, *, kind: str) -> dict[str, Any]:
    """The document of the row with ``arn``; ResourceNotFoundException naming ``kind`` if none."""
    row = await tx.fetchone(f"SELECT doc FROM {table} WHERE arn = ?", (arn,))  # noqa: S608
    if row is None:
        raise ResourceNotFoundException(f"{kind} {arn} does not exist", kind, arn)
    return loads(row["doc"])
