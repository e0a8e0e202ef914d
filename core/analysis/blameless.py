"""The blameless check: an analysis describes what happened and what the system allowed, not
who got it wrong. Text that names a person's contact gets a gentle reminder; it never blocks."""

from __future__ import annotations

import regex

from core.store.db import Tx

MIN_NAME = 3


async def named_people(tx: Tx, text: str) -> list[str]:
    """The personal contacts (alias or display name) ``text`` names, in the order stored."""
    if not text.strip():
        return []
    rows = await tx.fetchall("SELECT alias, display_name FROM contacts WHERE type = 'PERSONAL' ORDER BY created_us")
    found = []
    for row in rows:
        for name in (row["display_name"], row["alias"]):
            if name and len(name) >= MIN_NAME and regex.search(
                rf"(?<![\p{{L}}\p{{N}}_-]){regex.escape(name)}(?![\p{{L}}\p{{N}}_-])", text, regex.IGNORECASE
            ):
                found.append(row["display_name"] or row["alias"])
                break
    return found


def warning(names: list[str]) -> str:
    who = ", ".join(names)
    return (f"This text names {who}. An analysis is blameless: consider describing the role and what the "
            "system let happen instead of the person (saved as written).")
