"""The cockpit App: owns the client, the clock, the settings, the live event feed, the flash
line's last message, and the keys that work everywhere (`?`, `:`, the palette, quit).

It knows no area: ``cockpit/build.py`` hands it the areas, the ``:`` verbs, the palette
providers and the stylesheets."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, ScreenStackError
from textual.binding import Binding
from textual.command import Provider
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import Widget
from textual.widgets._toast import ToastRack
from textual.worker import WorkerCancelled

from cockpit.feedback import describe_error, locked_out_words
from cockpit.settings import CockpitSettings
from cockpit.shell.area import Area
from cockpit.shell.command_line import CommandLineModal
from cockpit.shell.css_preload import FIRST_SCREEN_WIDGETS, SHARED_LATER_WIDGETS, preload_widget_css
from cockpit.shell.help import HelpModal
from cockpit.shell.verbs import Verb, parse_line
from cockpit.theme import choose_theme, register_themes, theme_variable_defaults
from core.client.base import Client
from core.clock import Clock, SystemClock
from core.errors import (
    ConfigError,
    ResourceNotFoundException,
    ServiceError,
    StoreError,
    ThrottlingException,
    ValidationException,
)
from core.model import events as ev
from core.model.events import DomainEvent
from core.model.incidents import impact_label

if TYPE_CHECKING:
    from cockpit.shell.screen import CockpitScreen

ClientOpener = Callable[[], AbstractAsyncContextManager[Client]]
"""Something that opens a client inside the app's own event loop (snapshots, screenshots)."""
FirstRun = Callable[["CockpitApp"], Awaitable[object]]
"""Run once the app has mounted (the wizard opens itself on an unprepared workspace)."""
EVENTS_GROUP = "core-events"
WAITING_GROUP = "waiting"
"""Workers that wait for time to pass (on the app's clock) before they act; like the event
listener, ``workers_idle`` does not wait for them."""


class OpeningClient:
    """The app's client while its opener runs: each call (and the event stream) waits for the
    opened client, then goes to it."""

    def __init__(self) -> None:
        self._client: asyncio.Future[Client] = asyncio.get_running_loop().create_future()

    def opened(self, client: Client) -> None:
        self._client.set_result(client)

    async def call(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await (await asyncio.shield(self._client)).call(name, params)

    async def events(self) -> AsyncIterator[DomainEvent]:
        async for event in (await asyncio.shield(self._client)).events():
            yield event

    async def aclose(self) -> None:
        if self._client.done():
            await self._client.result().aclose()


GC_THRESHOLDS = (20_000, 20, 20)
"""Python's (700, 10, 10) collect the youngest objects every 700 allocations: a frame makes
tens of thousands of short-lived ones, so each key paid several collections and, now and then,
a full one of ~25 ms. Collected 30 times less often, a key's p95 CPU went from ~108 to ~75 ms."""


class CockpitApp(App[int]):
    TITLE = "Incident Cockpit"
    ENABLE_COMMAND_PALETTE = True
    connection: reactive[str] = reactive("")
    """Empty while the core is reachable; "reconnecting to URL …" while an attached cockpit's
    connection is lost (every screen's header shows it)."""

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
        *,
        areas: Sequence[Area],
        verbs: Sequence[Verb] = (),
        palette: Iterable[type[Provider]] = (),
        stylesheets: Sequence[Path] = (),
        later_widgets: tuple[type[Widget], ...] = (),
        first_run: FirstRun | None = None,
    ) -> None:
        """``stylesheets``: every screen's .tcss, read once at start (otherwise the first time
        a screen is shown Textual reparses the whole app's CSS, ~300 ms here); the rules stay
        nested under each screen's type. ``later_widgets``: the areas' widget types
        (the first screen's panes, and those only later screens mount), whose default CSS is parsed
        at start too, in the same single parse."""
        self.areas = tuple(areas)
        self.verbs = tuple(verbs)
        self.MODES = {a.mode: a.new_screen for a in self.areas}
        self.DEFAULT_MODE = self.areas[0].mode
        self.COMMANDS = App.COMMANDS | set(palette)
        self._first_run = first_run
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        if isinstance(client, Client):
            self.client: Client = client
            self._opener: ClientOpener | None = None
        else:
            self._opener = client
        self._opened: AbstractAsyncContextManager[Client] | None = None
        self._opening: asyncio.Task[None] | None = None
        self.open_error: Exception | None = None
        """What the opener raised beyond a configuration, store or service error; the app has
        left, and whoever ran it reports the error (``cockpit/launch.py`` raises it again)."""
        self.last_flash: tuple[str, str] = ("", "info")
        self.incident_titles: dict[str, str] = {}
        """arn -> title of every incident the screens have loaded (the palette searches it)."""
        super().__init__(css_path=["app.tcss", *stylesheets])
        preload_widget_css(self, FIRST_SCREEN_WIDGETS + SHARED_LATER_WIDGETS + later_widgets)
        self.domain_events: Signal[DomainEvent] = Signal(self, "domain-events")
        register_themes(self)
        self.theme = choose_theme(settings.theme, set(self.available_themes))
        self.animation_level = "full" if settings.animations else "none"
        if settings.keymap:
            self.set_keymap(settings.keymap)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()

    _parsed_css_variables: dict[str, str] | None = None

    def refresh_css(self, animate: bool = True) -> None:
        """Textual reparses every stylesheet on each refresh, though only new CSS variables (a
        theme change) change what they parse to; at start it refreshes twice after the first
        parse, and each reparse also empties the cache that makes adding a widget's CSS cheap.
        Keep the parse while the variables are the ones it was made with."""
        variables = self.get_css_variables()
        if variables != self._parsed_css_variables:
            self._parsed_css_variables = variables
            super().refresh_css(animate)
            return
        sheet = self.stylesheet
        sheet.set_variables = sheet.reparse = lambda *_: None  # shadow the two methods, once
        try:
            super().refresh_css(animate)
        finally:
            del sheet.set_variables, sheet.reparse

    # ---- lifetime ---------------------------------------------------------------------------
    def on_load(self) -> None:
        """With an opener, the screens compose and paint while it opens the client (a demo's
        workspace may still be seeding): their calls wait for it (``OpeningClient``)."""
        if self._opener is not None:
            waiting = OpeningClient()
            self.client = waiting
            self._opening = asyncio.get_running_loop().create_task(self._open(waiting))

    async def _open(self, waiting: OpeningClient) -> None:
        assert self._opener is not None
        opened = self._opener()
        try:
            client = await opened.__aenter__()
        except (ConfigError, StoreError, ServiceError) as error:
            await self._leave(f"cockpit: cannot open the workspace: {error}")
            return  # the calls waiting for it never return: the app is leaving
        except Exception as error:  # a damaged database (sqlite3.DatabaseError): `cockpit` words it
            self.open_error = error
            await self._leave()
            return
        self._opened = opened
        self.client = client
        waiting.opened(client)

    async def _leave(self, message: str | None = None) -> None:
        """Exit with status 1, once the first screen has mounted (leaving while it mounts
        would break its on_mount, which queries its widgets)."""
        await self._mounted_event.wait()
        await self.screen._mounted_event.wait()
        self.exit(return_code=1, message=message)

    async def on_unmount(self) -> None:
        if self._opening is not None and not self._opening.done():
            self._opening.cancel()
        if self._opened is not None:
            opened, self._opened = self._opened, None
            await opened.__aexit__(None, None, None)

    def _refresh_notifications(self) -> None:
        """Textual shows each screen's toast rack again as the screen resumes, empty or not,
        which made every screen lay itself out twice as it appeared (~15 ms, on the path of
        opening an incident and of esc). The rack starts hidden (app.tcss): with nothing to
        show and nothing shown, there is nothing to do."""
        if not self._notifications:
            with suppress(NoMatches, ScreenStackError):
                if not self.screen.get_child_by_type(ToastRack).display:
                    return
        super()._refresh_notifications()

    def prepare_screen(self, screen: CockpitScreen) -> None:
        """Compose and mount ``screen`` now, off the stack, as Textual does for a screen it is
        about to push: pushed later, it only lays out and paints (opening an incident went from
        ~130 ms of work to ~50). Until then its workers run and its events arrive; a screen
        prepared and not wanted is ``discard_screen``-ed."""
        screen.ahead = True
        self._get_screen(screen)

    async def discard_screen(self, screen: CockpitScreen) -> None:
        if screen.ahead and screen not in self.screen_stack:
            screen.ahead = False
            await screen.remove()

    def on_mount(self) -> None:
        if not gc.isenabled():  # started without it (cockpit/__main__.py): what start-up made stays out of collections
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
            gc.enable()
        self.listen_to_core()
        if self._first_run is not None:
            self.run_first_run()
        if not self.is_headless:
            try:
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hang_up)
            except (NotImplementedError, RuntimeError, AttributeError):
                pass  # no SIGHUP on this platform

    @work(exclusive=True, group="first-run")
    async def run_first_run(self) -> None:
        assert self._first_run is not None
        await self._first_run(self)

    def _hang_up(self) -> None:
        """The terminal went away (SSH dropped): leave cleanly, closing the core."""
        self.exit(return_code=0)

    async def workers_idle(self) -> None:
        """Wait until every worker but the long-lived event listener has finished (tests and
        screenshots use this; a finished worker may start another, so look again; one cancelled
        by a newer one of its exclusive group is done too)."""
        for _ in range(50):
            busy = [w for w in self.workers if w.group not in (EVENTS_GROUP, WAITING_GROUP) and not w.is_finished]
            if not busy:
                return
            with suppress(WorkerCancelled):
                await self.workers.wait_for_complete(busy)

    def now(self) -> datetime:
        return self.clock.now()

    # ---- live events ------------------------------------------------------------------------
    @work(exclusive=True, group=EVENTS_GROUP)
    async def listen_to_core(self) -> None:
        async for event in self.client.events():
            if event.type == ev.CONNECTION_LOST:
                self.connection = f"reconnecting to {event.detail.get('url', 'the core')} …"
                if ":" in event.detail.get("reason", ""):  # refused, not merely unreachable
                    self.flash(f"the core refused the event stream: {event.detail['reason']}", "error")
            elif event.type == ev.EVENTS_MISSED:
                self.flash("some changes made while away are older than the core keeps: "
                           "the screens read everything again", "warning")
            elif event.type == ev.CONNECTION_RESTORED:
                self.connection = ""
                self.flash("reconnected: the changes made meanwhile follow", "success")
            self.domain_events.publish(event)
            if event.type == ev.INCIDENT_STARTED:
                self._announce(event)

    def _announce(self, event: DomainEvent) -> None:
        impact = event.detail.get("impact")
        title = event.detail.get("title") or "an incident"
        if event.resource_arn:
            self.incident_titles[event.resource_arn] = title
        if impact in (1, 2):  # on the flash line, as every result is reported: it covers no tile
            self.flash(f"Incident started: {impact_label(impact)} “{title}”", "warning")
            if self.settings.bell:
                self.bell()

    # ---- feedback ---------------------------------------------------------------------------
    def flash(self, message: str, level: str = "info", on: Screen | None = None) -> None:
        """Report the result of the last action on the current screen's flash line (or on
        ``on``, a screen being opened, when it appears). It stays on that screen only."""
        self.last_flash = (message, level)
        if on is not None:
            on.pending_flash = (message, level)  # type: ignore[attr-defined]
            return
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
        except ValidationException as error:
            if any(f.get("name") == "acceptCode" for f in error.fields):
                self.flash("An accept code has 6 digits: type the one the page carried", "error")
            else:
                self.flash(describe_error(error), "error")
            return
        except ResourceNotFoundException as error:
            _, _, lockout = error.message.partition("; ")  # the core's count of tries left
            self.flash("No open page has that code" + (f"; {lockout}" if lockout else ""), "error")
            return
        except ThrottlingException as error:
            self.flash(locked_out_words(error, self.now(), self.settings.zone), "error")
            return
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
        if isinstance(self.screen, HelpModal):
            return
        self.push_screen(HelpModal(self.screen, self.verbs))

    def action_command_line(self) -> None:
        if isinstance(self.screen, CommandLineModal):
            return
        self.push_screen(CommandLineModal(self.verbs), self.run_command_line)

    def run_command_line(self, text: str | None) -> None:
        """Run a typed ``:`` line (nothing for an empty one; an unknown verb is flashed)."""
        if not text or not text.strip().lstrip(":").strip():
            return
        verb, name, args = parse_line(self.verbs, text)
        if verb is None:
            known = " ".join(f":{v.name}" for v in self.verbs)
            self.flash(f"unknown command :{name} (known: {known})", "error")
            return
        verb.run(self, args)

    def go_to_area(self, mode: str) -> None:
        """Show the area's own screen (its list), whatever was opened on top of it."""
        if any(a.mode == mode for a in self.areas):
            self.switch_mode(mode)
            while len(self.screen_stack) > 1:
                self.pop_screen()
        else:
            self.flash(f"no area named {mode!r}", "error")
