"""`?` lists every key a screen handles itself (issue 8, item 12): in each area, each key the
screen binds (and does not switch off) is a line of the help's first section, with the
screen's own description, even where a focused widget of Textual's binds it first (a table's
enter, which the Runbooks and Audit screens act on: it opens the row)."""

from __future__ import annotations

import io
from functools import partial

from rich.console import Console
from textual.actions import parse as parse_action
from textual.widgets import Static

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.shell.help import SCREEN, HelpModal, binding_origin, key_label
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle


def _rows(widget: Static) -> list[tuple[str, str]]:
    """(key, description) of each line of a help table."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return [tuple(line.split(maxsplit=2)[:2]) for line in console.file.getvalue().splitlines() if line.strip()]


async def test_every_key_a_preparation_screen_binds_is_in_its_help(demo_workspace, settings) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    missing: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for area in [a.mode for a in app.areas]:
            app.go_to_area(area)
            await settle(pilot)
            screen = app.screen
            own = {}
            for node, bindings in screen._modal_binding_chain:
                for key, binding in bindings:
                    _, action, parameters = parse_action(binding.action)
                    if (node is screen and binding.description and binding_origin(screen, binding, key) == SCREEN
                            and screen.check_action(action, parameters) is not False):
                        if binding.id and binding.id.startswith("tab-"):  # 1-9 share the line "1-9 Jump to tab"
                            own["1-9"] = ["Jump"]
                        else:
                            own.setdefault(key_label(key, binding), []).append(binding.description.split()[0])
            await press_binding(pilot, "help")
            assert isinstance(app.screen, HelpModal)
            shown = _rows(app.screen.query_one("#help-keys", Static))
            for label, descriptions in own.items():
                if not any(k == label and d in descriptions for k, d in shown):
                    missing.append(f"{area}: {label} ({' / '.join(descriptions)})")
            await press_binding(pilot, "help-close")
    assert missing == [], "\n".join(missing)
