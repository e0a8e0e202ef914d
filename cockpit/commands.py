"""Commands for people who type: the ``:`` command-line verbs and the palette providers.

Add a verb with ``@verb(...)``. Every area is a verb too (``:incidents``): ``all_verbs(areas)``
adds them, and the composition root (``cockpit/build.py``) hands the result to the app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.shell.area import Area
from cockpit.shell.verbs import Verb

if TYPE_CHECKING:
    from cockpit.shell.app import CockpitApp


VERBS: dict[str, Verb] = {}


def verb(name: str, usage: str, help: str, aliases: tuple[str, ...] = ()):
    def register(run: Callable[[CockpitApp, str], None]) -> Callable[[CockpitApp, str], None]:
        VERBS[name] = Verb(name, usage, help, run, aliases)
        return run

    return register


def all_verbs(areas: Sequence[Area]) -> list[Verb]:
    """Each verb once, with a verb per area, sorted (help and completion list them)."""
    seen: dict[str, Verb] = dict(VERBS)
    for a in areas:
        seen.setdefault(a.mode, Verb(a.mode, f":{a.mode}", f"Go to {a.title}", _go(a.mode)))
    return sorted(seen.values(), key=lambda v: v.name)


def _go(mode: str) -> Callable[[CockpitApp, str], None]:
    return lambda app, _args: app.go_to_area(mode)


@verb("quit", ":q", "Leave the cockpit", aliases=("q", "q!", "exit"))
def _quit(app: CockpitApp, args: str) -> None:
    app.exit(return_code=0)


@verb("help", ":help", "Show the keys of this screen", aliases=("h",))
def _help(app: CockpitApp, args: str) -> None:
    app.action_help()


@verb("start", ":start", "Start an incident from a response plan")
def _start(app: CockpitApp, args: str) -> None:
    app.switch_mode("incidents")
    app.call_after_refresh(lambda: app.run_action("start_incident", app.screen))


@verb("ack", ":ack CODE [note]", "Acknowledge the page that carries this accept code")
def _ack(app: CockpitApp, args: str) -> None:
    code, _, note = args.partition(" ")
    if not code:
        app.flash("usage: :ack CODE [note] (the accept code from the page)", "warning")
        return
    app.acknowledge_by_code(code, note.strip() or None)


@verb("open", ":open", "Show open incidents")
def _open(app: CockpitApp, args: str) -> None:
    _show_incident_tab(app, "open")


@verb("resolved", ":resolved", "Show resolved incidents")
def _resolved(app: CockpitApp, args: str) -> None:
    _show_incident_tab(app, "resolved")


@verb("theme", ":theme NAME", "Switch theme (cockpit-dark, cockpit-light, ansi-dark, ansi-light...)")
def _theme(app: CockpitApp, args: str) -> None:
    if args not in app.available_themes:
        app.flash(f"no theme {args!r}; try: {', '.join(sorted(app.available_themes))}", "error")
        return
    app.theme = args
    app.flash(f"theme {args}", "success")


def _show_incident_tab(app: CockpitApp, tab: str) -> None:
    app.switch_mode("incidents")

    def show() -> None:
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.call_after_refresh(lambda: app.run_action(f"show_tab('{tab}')", app.screen))

    app.call_after_refresh(show)


# ---- the command palette: one provider per area -------------------------------------------
Command = tuple[str, Callable[[], object], str]


class CommandListProvider(Provider):
    """A provider over a list of (name, callback, help); the first ``DISCOVER`` show when the
    palette opens, all are searched."""

    DISCOVER = 1

    def _commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands()[: self.DISCOVER]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class NavigationCommands(CommandListProvider):
    """Help and the command line (each area has its own provider: cockpit/area_commands.py)."""

    DISCOVER = 2

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: CockpitApp = self.app  # type: ignore[assignment]
        return [
            ("Help: keys of this screen", app.action_help, "Same as ?"),
            ("Command line", app.action_command_line, "Same as :"),
        ]


class IncidentCommands(CommandListProvider):
    """Start an incident, switch list tabs, and open any incident the cockpit has loaded."""

    DISCOVER = 4

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: CockpitApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable[[], object], str]] = [
            ("Go to Incidents", partial(app.go_to_area, "incidents"), "Open and resolved incidents"),
            ("Start an incident", partial(_start, app, ""), "Choose a response plan (s)"),
            ("Show open incidents", partial(_open, app, ""), "Incident list, Open tab"),
            ("Show resolved incidents", partial(_resolved, app, ""), "Incident list, Resolved tab"),
        ]
        for arn, title in list(app.incident_titles.items()):
            out.append((f"Open incident: {title}", partial(_open_incident, app, arn), arn))
        return out


def _open_incident(app: CockpitApp, arn: str) -> None:
    app.switch_mode("incidents")
    app.call_after_refresh(lambda: app.push_screen(IncidentDetailScreen(arn)))
