"""What an area is: a top-level screen of the cockpit, run as a Textual *mode* with its own
screen stack. The areas themselves are declared once, in ``cockpit/build.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class Area:
    mode: str
    """Mode name, and the ``:`` verb that opens the area."""
    title: str
    description: str
    screen: Callable[[], Screen]
