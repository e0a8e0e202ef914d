"""The command palette's provider for each area: go there, or run any of its actions.

One Provider class per area, built from the areas (``cockpit/build.py`` declares them) and each
area screen's own ``Binding``s, so a new area or key shows up in the palette without more code.
Actions that act on a selected row (edit, delete...) run on the area's current selection,
exactly as pressing the key there would.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import Provider

from cockpit.commands import Command, CommandListProvider
from cockpit.shell.area import Area

if TYPE_CHECKING:
    from cockpit.shell.app import CockpitApp

def _run_in_area(app: CockpitApp, mode: str, action: str | None) -> None:
    app.go_to_area(mode)
    if action is not None:
        app.call_after_refresh(lambda: app.run_action(action, app.screen))


def area_commands(app: CockpitApp, area: Area) -> list[Command]:
    out: list[Command] = [(f"Go to {area.title}", partial(_run_in_area, app, area.mode, None), area.description)]
    for binding in getattr(area.screen_class(), "BINDINGS", []):
        if isinstance(binding, Binding) and binding.show and binding.description:
            out.append((
                f"{area.title}: {binding.description}",
                partial(_run_in_area, app, area.mode, binding.action),
                binding.tooltip or f"Key {binding.key}",
            ))
    return out


class _AreaProvider(CommandListProvider):
    area: Area

    def _commands(self) -> list[Command]:
        return area_commands(self.app, self.area)  # type: ignore[arg-type]


def provider_for(area: Area) -> type[Provider]:
    name = "".join(part.title() for part in area.mode.split("_")) + "Commands"
    return type(name, (_AreaProvider,), {"area": area, "__doc__": f"Palette commands for {area.title}."})
