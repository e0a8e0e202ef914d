"""What an area is: a top-level screen of the cockpit, run as a Textual *mode* with its own
screen stack. The areas themselves are declared once, in ``cockpit/build.py``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from textual.screen import Screen


@dataclass(frozen=True)
class Area:
    mode: str
    """Mode name, and the ``:`` verb that opens the area."""
    title: str
    description: str
    screen: type[Screen] | str
    """The area's screen class, or ``"package.module:Class"``: imported the first time the area
    is shown (or its palette commands listed), so start-up loads only the screens it shows."""

    def screen_class(self) -> type[Screen]:
        if isinstance(self.screen, str):
            module, _, name = self.screen.partition(":")
            return getattr(import_module(module), name)
        return self.screen

    def new_screen(self) -> Screen:
        """The area's screen, made when its mode is first entered (Textual's ``MODES``)."""
        return self.screen_class()()
