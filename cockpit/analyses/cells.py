"""A table cell for the column that takes the width the others leave (KeyTable(fill=...)):
on one line, ending in "…" when the column is narrower than its text."""

from __future__ import annotations

from rich.text import Text


def fill_cell(text: str) -> Text:
    return Text(" ".join(text.split()), no_wrap=True, overflow="ellipsis")
