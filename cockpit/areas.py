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

from cockpit.screens.contacts import ContactsScreen
from cockpit.screens.escalation_plans import EscalationPlansScreen
from cockpit.screens.incident_list import IncidentListScreen
from cockpit.screens.outbox import OutboxScreen
from cockpit.screens.response_plans import ResponsePlansScreen
from cockpit.screens.schedules import SchedulesScreen
from cockpit.screens.settings_screen import SettingsScreen
from cockpit.screens.wizard import WizardScreen


@dataclass(frozen=True)
class Area:
    mode: str
    """Mode name, and the ``:`` verb that opens the area."""
    title: str
    description: str
    screen: Callable[[], Screen]


AREAS: tuple[Area, ...] = (
    Area("incidents", "Incidents", "Open and resolved incidents, and analyses", IncidentListScreen),
    Area("contacts", "Contacts", "People and on-call schedules, their channels and activation", ContactsScreen),
    Area("plans", "Escalation plans", "Stages of contacts to engage", EscalationPlansScreen),
    Area("schedules", "On-call schedules", "Rotations, shifts for the next 14 days, overrides", SchedulesScreen),
    Area("responseplans", "Response plans", "Incident templates and whom they engage", ResponsePlansScreen),
    Area("settings", "Settings", "Replication set, deletion protection, paging providers", SettingsScreen),
    Area("outbox", "Outbox", "Every activation code and page the pager sent", OutboxScreen),
    Area("prepare", "Get prepared", "The setup wizard: replication set, contacts, plans", WizardScreen),
)

# Areas the TUI issue asks for that this build does not have yet: the command line and the
# palette say so honestly instead of failing with "unknown command".
PLANNED: dict[str, str] = {}

DEFAULT_AREA = AREAS[0].mode


def area(mode: str) -> Area | None:
    return next((a for a in AREAS if a.mode == mode), None)
