"""A form's scrolling area that is never a tab stop of its own.

Textual's VerticalScroll takes focus, so `tab` in a form stopped on it with nothing visibly
focused. Its fields are the tab stops; focusing one scrolls it into view."""

from __future__ import annotations

from textual.containers import VerticalScroll


class FormScroll(VerticalScroll, can_focus=False):
    """Scrolls a form's fields; `tab` goes from field to field, never to this container."""
