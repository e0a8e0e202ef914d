"""The composition root: the one factory that builds the cockpit (the CLI, the tests and the
screenshots all use it), and the one place that declares its areas.

Each area is a Textual *mode* with its own screen stack. From ``AREAS`` the app gets its
``MODES``, the ``:`` command line a verb per area (``:incidents``), and the command palette a
provider per area. To add an area, write its package (``cockpit/<area>/`` with its screen, forms,
modals and ``.tcss``) and add one ``Area`` here. An area the first screen does not show is named
``"module:Class"`` and imported when first shown: start-up imports only what it shows.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from cockpit.analyses.pane import AnalysesPane
from cockpit.area_commands import provider_for
from cockpit.commands import IncidentCommands, NavigationCommands, all_verbs
from cockpit.contacts.screen import ContactsScreen
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.engagements_pane import EngagementsPane
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.settings import CockpitSettings, load_settings
from cockpit.shell.app import ClientOpener, CockpitApp
from cockpit.shell.area import Area
from cockpit.wizard.first_run import open_if_unprepared
from core.client.base import Client
from core.clock import Clock

AREAS: tuple[Area, ...] = (
    Area("incidents", "Incidents", "Open and resolved incidents, and analyses", IncidentListScreen),
    Area("contacts", "Contacts", "People and on-call schedules, their channels and activation", ContactsScreen),
    Area("plans", "Escalation plans", "Stages of contacts to engage", "cockpit.plans.screen:EscalationPlansScreen"),
    Area("schedules", "On-call schedules", "Rotations, shifts for the next 14 days, overrides", "cockpit.schedules.screen:SchedulesScreen"),
    Area("responseplans", "Response plans", "Incident templates and whom they engage", "cockpit.responseplans.screen:ResponsePlansScreen"),
    Area("runbooks", "Runbooks", "Automation runbooks responders step through; the critical incident template", "cockpit.runbooks.screen:RunbooksScreen"),
    Area("settings", "Settings", "Replication set, deletion protection, paging providers", "cockpit.workspace.screen:SettingsScreen"),
    Area("outbox", "Outbox", "Every activation code and page the pager sent", "cockpit.outbox.screen:OutboxScreen"),
    Area("reports", "Reports", "Time to engage, acknowledge and resolve; pages; incidents per week", "cockpit.reports.screen:ReportsScreen"),
    Area("audit", "Audit", "Who changed what, when and from where: the audit trail", "cockpit.audit.screen:AuditScreen"),
    Area("users", "Users", "Who may attach and call the APIs: roles, access keys (admins)", "cockpit.users.screen:UsersScreen"),
    Area("prepare", "Get prepared", "The setup wizard: replication set, contacts, plans", "cockpit.wizard.screen:WizardScreen"),
    Area("integrations", "Integrations", "Monitoring sources posting alerts: intake URLs, payloads, replay",
         "cockpit.integrations.screen:IntegrationsScreen"),
    Area("heartbeats", "Heartbeats", "Pings expected from jobs; a missed one starts an incident", "cockpit.heartbeats.screen:HeartbeatsScreen"),
    Area("maintenance", "Maintenance", "Active and upcoming windows that hold pages back", "cockpit.maintenance.screen:MaintenanceScreen"),
)

# Incidents has its own richer provider (open any loaded incident).
PALETTE = frozenset({IncidentCommands, NavigationCommands} | {provider_for(a) for a in AREAS if a.mode != "incidents"})

# Every screen's stylesheet, read once at start (each screen's rules nest under its type).
STYLESHEETS = tuple(
    Path(inspect.getfile(screen)).with_name(str(screen.CSS_PATH))
    for screen in (IncidentListScreen, IncidentDetailScreen, ContactsScreen)
)


def build_app(
    client: Client | ClientOpener,
    settings: CockpitSettings | None = None,
    clock: Clock | None = None,
) -> CockpitApp:
    """``client`` is a connected Client, or an opener called inside the app's event loop.

    ``clock`` drives live durations (a FakeClock keeps snapshots still); default: system time.
    """
    return CockpitApp(
        client, settings or load_settings(), clock=clock,
        areas=AREAS, verbs=all_verbs(AREAS), palette=PALETTE, stylesheets=STYLESHEETS,
        later_widgets=(AnalysesPane, EngagementsPane), first_run=open_if_unprepared,
    )
