"""The cockpit App: owns the client, the clock, the settings, the live event feed, the flash
line's last message, and the keys that work everywhere (`?`, `:`, the palette, quit)."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from cockpit.area_commands import AREA_PROVIDERS
from cockpit.areas import AREAS, DEFAULT_AREA, PLANNED, area
from cockpit.commands import IncidentCommands, NavigationCommands, run_command_line
from cockpit.css_preload import preload_widget_css
from cockpit.feedback import describe_error
from cockpit.settings import CockpitSettings
from cockpit.theme import choose_theme, register_themes, theme_variable_defaults
from core.client.base import Client
from core.clock import Clock, SystemClock
from core.errors import ConfigError, ServiceError, StoreError
from core.model import events as ev
from core.model.events import DomainEvent
from core.model.incidents import impact_label

ClientOpener = Callable[[], AbstractAsyncContextManager[Client]]
"""Something that opens a client inside the app's own event loop (snapshots, screenshots)."""
EVENTS_GROUP = "core-events"


class CockpitApp(App[int]):
    TITLE = "Incident Cockpit"
    # Every screen's stylesheet is read once, at start: otherwise the first time a screen is
    # shown Textual reparses the whole app's CSS (~300 ms on these machines). The rules stay
    # in each screen's sibling .tcss, nested under the screen's type.
    CSS_PATH = ["app.tcss", "screens/incident_list.tcss", "screens/incident_detail.tcss", "screens/contacts.tcss"]
    MODES = {a.mode: a.screen for a in AREAS}
    DEFAULT_MODE = DEFAULT_AREA
    COMMANDS = App.COMMANDS | {IncidentCommands, NavigationCommands} | AREA_PROVIDERS
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help", key_display="?",
                tooltip="Every key of this screen, and the : commands"),
        Binding("colon", "command_line", "Cmd", id="command-line", key_display=":",
                tooltip="Type a command: :start, :ack CODE, :incidents, :q"),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True,
                tooltip="Leave the cockpit"),
    ]

    def __init__(
        self,
        client: Client | ClientOpener,
        settings: CockpitSettings,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        if isinstance(client, Client):
            self.client: Client = client
            self._opener: ClientOpener | None = None
        else:
            self._opener = client
        self._opened: AbstractAsyncContextManager[Client] | None = None
        self.last_flash: tuple[str, str] = ("", "info")
        self.incident_titles: dict[str, str] = {}
        """arn -> title of every incident the screens have loaded (the palette searches it)."""
        super().__init__()
        preload_widget_css(self)
        self.domain_events: Signal[DomainEvent] = Signal(self, "domain-events")
        register_themes(self)
        self.theme = choose_theme(settings.theme, set(self.available_themes))
        if settings.keymap:
            self.set_keymap(settings.keymap)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()

    # ---- lifetime ---------------------------------------------------------------------------
    async def on_load(self) -> None:
        if self._opener is not None:
            opened = self._opener()
            try:
                self.client = await opened.__aenter__()
            except (ConfigError, StoreError, ServiceError) as error:
                self.exit(return_code=1, message=f"cockpit: cannot open the workspace: {error}")
                return
            self._opened = opened

    async def on_unmount(self) -> None:
        if self._opened is not None:
            opened, self._opened = self._opened, None
            await opened.__aexit__(None, None, None)

    def on_mount(self) -> None:
        # Everything loaded so far (modules, the core, botocore's models, the first screen)
        # lives as long as the app: keep it out of the garbage collector's full passes, which
        # otherwise walk it all and stall a key press or an incident opening by ~100 ms.
        self.call_after_refresh(gc.freeze)
        self.listen_to_core()
        self.open_wizard_on_first_run()
        if not self.is_headless:
            try:
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hang_up)
            except (NotImplementedError, RuntimeError, AttributeError):
                pass  # no SIGHUP on this platform

    @work(exclusive=True, group="first-run")
    async def open_wizard_on_first_run(self) -> None:
        """No replication set yet: open the Get prepared wizard instead of an empty list."""
        from cockpit.screens.wizard import open_if_unprepared

        await open_if_unprepared(self)

    def _hang_up(self) -> None:
        """The terminal went away (SSH dropped): leave cleanly, closing the core."""
        self.exit(return_code=0)

    async def workers_idle(self) -> None:
        """Wait until every worker but the long-lived event listener has finished (tests and
        screenshots use this; a finished worker may start another, so look again)."""
        for _ in range(50):
            busy = [w for w in self.workers if w.group != EVENTS_GROUP and not w.is_finished]
            if not busy:
                return
            await self.workers.wait_for_complete(busy)

    def now(self) -> datetime:
        return self.clock.now()

    # ---- live events ------------------------------------------------------------------------
    @work(exclusive=True, group=EVENTS_GROUP)
    async def listen_to_core(self) -> None:
        async for event in self.client.events():
            self.domain_events.publish(event)
            if event.type == ev.INCIDENT_STARTED:
                self._announce(event)

    def _announce(self, event: DomainEvent) -> None:
        impact = event.detail.get("impact")
        title = event.detail.get("title") or "an incident"
        if event.resource_arn:
            self.incident_titles[event.resource_arn] = title
        if impact in (1, 2):
            self.notify(f"{impact_label(impact)}: {title}", title="Incident started",
                        severity="error", timeout=8)
            if self.settings.bell:
                self.bell()

    # ---- feedback ---------------------------------------------------------------------------
    def flash(self, message: str, level: str = "info") -> None:
        """Report the result of the last action on the current screen's flash line."""
        self.last_flash = (message, level)
        show = getattr(self.screen, "show_flash", None)
        if show is None:  # a modal is on top: the screen under it shows it on resume
            for screen in reversed(self.screen_stack):
                show = getattr(screen, "show_flash", None)
                if show is not None:
                    break
        if show is not None:
            show(message, level)

    # ---- :ack CODE -------------------------------------------------------------------------
    @work(exclusive=True, group="ack-by-code")
    async def acknowledge_by_code(self, code: str, note: str | None = None) -> None:
        params = {"acceptCode": code, **({"note": note} if note else {})}
        try:
            out = await self.client.call("AcceptPageByCode", params)
        except ServiceError as error:
            self.flash(describe_error(error), "error")
            return
        who = out["contactArn"].rsplit("/", 1)[-1]
        incident = out.get("incidentId")
        title = self.incident_titles.get(incident or "")
        if incident and title is None:
            try:
                title = (await self.client.call("GetIncidentRecord", {"arn": incident}))["incidentRecord"]["title"]
            except ServiceError:
                title = None
        where = f" on “{title}”" if title else ""
        self.flash(f"{who} acknowledged{where}: their escalation stops here", "success")

    # ---- global actions ---------------------------------------------------------------------
    def action_help(self) -> None:
        from cockpit.modals.help import HelpModal

        if isinstance(self.screen, HelpModal):
            return
        self.push_screen(HelpModal(self.screen))

    def action_command_line(self) -> None:
        from cockpit.modals.command_line import CommandLineModal

        if isinstance(self.screen, CommandLineModal):
            return
        self.push_screen(CommandLineModal(), self._run_command_line)

    def _run_command_line(self, text: str | None) -> None:
        if text:
            run_command_line(self, text)

    def go_to_area(self, mode: str) -> None:
        if area(mode) is not None:
            self.switch_mode(mode)
        elif mode in PLANNED:
            self.flash(f"{PLANNED[mode]}: not in this build yet (planned in the TUI issue)", "warning")
        else:
            self.flash(f"no area named {mode!r}", "error")
