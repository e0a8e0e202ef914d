"""Commands for people who type: the ``:`` command line and the palette providers (one per area).

Command-line verbs live in ``VERBS``; add one with ``@verb(...)``. Every area in
``cockpit.areas.AREAS`` is a verb too (``:incidents``), and each planned area answers honestly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from cockpit.app import CockpitApp


@dataclass(frozen=True)
class Verb:
    name: str
    usage: str
    help: str
    run: Callable[[CockpitApp, str], None]
    aliases: tuple[str, ...] = ()


VERBS: dict[str, Verb] = {}


def verb(name: str, usage: str, help: str, aliases: tuple[str, ...] = ()):
    def register(run: Callable[[CockpitApp, str], None]) -> Callable[[CockpitApp, str], None]:
        entry = Verb(name, usage, help, run, aliases)
        for key in (name, *aliases):
            VERBS[key] = entry
        return run

    return register


def all_verbs() -> list[Verb]:
    """Each verb once, with the area verbs, for help and completion."""
    from cockpit.areas import AREAS, PLANNED

    seen: dict[str, Verb] = {v.name: v for v in VERBS.values()}
    for a in AREAS:
        seen.setdefault(a.mode, Verb(a.mode, f":{a.mode}", f"Go to {a.title}", _go(a.mode)))
    for mode, title in PLANNED.items():
        seen.setdefault(mode, Verb(mode, f":{mode}", f"{title} (not built yet)", _go(mode)))
    return sorted(seen.values(), key=lambda v: v.name)


def _go(mode: str) -> Callable[[CockpitApp, str], None]:
    return lambda app, _args: app.go_to_area(mode)


def run_command_line(app: CockpitApp, text: str) -> None:
    text = text.strip().lstrip(":").strip()
    if not text:
        return
    name, _, args = text.partition(" ")
    entry = VERBS.get(name.lower()) or next((v for v in all_verbs() if v.name == name.lower()), None)
    if entry is None:
        known = " ".join(f":{v.name}" for v in all_verbs())
        app.flash(f"unknown command :{name} (known: {known})", "error")
        return
    entry.run(app, args.strip())


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
    from cockpit.screens.incident_detail import IncidentDetailScreen

    app.switch_mode("incidents")
    app.call_after_refresh(lambda: app.push_screen(IncidentDetailScreen(arn)))
