"""Markdown (a runbook's or a step's description) drawn as rich draws it: bold, lists, code.

A Static shows it as one renderable, not a Markdown widget per text. The text is parsed the first
time it is drawn, not when it is handed over: the incident detail fills every runbook step's
body while it opens, and most of them stay folded. markdown-it is imported then too (~55 ms
here), so a cold start never pays for it. Each text is parsed once."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.markdown import Markdown


class MarkdownText:
    """A rich renderable of ``text`` read as Markdown."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _parsed(self.text)


@lru_cache(maxsize=512)
def _parsed(text: str) -> Markdown:
    from rich.markdown import Markdown  # imported when first drawn: see the module's note

    return Markdown(text)
