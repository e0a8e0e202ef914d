"""Numbered SQL migrations: ``NNNN_name.sql`` files beside this module, applied in order."""

from __future__ import annotations

import re
from importlib import resources


def _load() -> list[tuple[int, str]]:
    found = []
    for entry in resources.files(__name__).iterdir():
        m = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", entry.name)
        if m:
            found.append((int(m.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, found {numbers}")
    return found


MIGRATIONS = _load()
LATEST_VERSION = MIGRATIONS[-1][0] if MIGRATIONS else 0
