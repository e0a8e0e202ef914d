"""The wizard's first-run check, kept apart from its screen so start-up need not import it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.workspace.replication import describe_workspace
from core.errors import ServiceError

if TYPE_CHECKING:
    from cockpit.shell.app import CockpitApp


async def open_if_unprepared(app: CockpitApp) -> bool:
    """The app calls this once at start: with no replication set, open the wizard."""
    try:
        prepared = bool((await describe_workspace(app.client)).get("replicationSetArn"))
    except ServiceError:
        return False
    if not prepared:
        await app.switch_mode("prepare")
        app.flash("Welcome: this workspace is not set up yet; the steps below prepare it.", "info")
    return not prepared
