"""The one place that lists the cockpit's areas (top-level screens).

Each area is a Textual *mode* with its own screen stack. From this list the app builds its
``MODES``, the ``:`` command line gets a verb per area (``:incidents``), and the command
palette gets a "Go to ..." entry per area. To add an area (contacts, escalation plans,
schedules, response plans, settings, outbox), write ``cockpit/screens/<area>.py`` with its
sibling ``.tcss`` and add one ``Area`` here; drop its name from ``PLANNED`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from cockpit.screens.incident_list import IncidentListScreen


@dataclass(frozen=True)
class Area:
    mode: str
    """Mode name, and the ``:`` verb that opens the area."""
    title: str
    description: str
    screen: Callable[[], Screen]


AREAS: tuple[Area, ...] = (
    Area("incidents", "Incidents", "Open and resolved incidents, and analyses", IncidentListScreen),
)

# Areas the TUI issue asks for that this build does not have yet: the command line and the
# palette say so honestly instead of failing with "unknown command".
PLANNED: dict[str, str] = {
    "contacts": "Contacts",
    "plans": "Escalation plans",
    "schedules": "On-call schedules",
    "responseplans": "Response plans",
    "settings": "Settings",
    "outbox": "Outbox",
    "prepare": "Get prepared wizard",
}

DEFAULT_AREA = AREAS[0].mode


def area(mode: str) -> Area | None:
    return next((a for a in AREAS if a.mode == mode), None)
