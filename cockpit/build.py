"""The one factory that builds the cockpit: the CLI, the tests and the screenshots all use it."""

from __future__ import annotations

from cockpit.app import ClientOpener, CockpitApp
from cockpit.settings import CockpitSettings, load_settings
from core.client.base import Client
from core.clock import Clock


def build_app(
    client: Client | ClientOpener,
    settings: CockpitSettings | None = None,
    clock: Clock | None = None,
) -> CockpitApp:
    """``client`` is a connected Client, or an opener called inside the app's event loop.

    ``clock`` drives live durations (a FakeClock keeps snapshots still); default: system time.
    """
    return CockpitApp(client, settings or load_settings(), clock=clock)
