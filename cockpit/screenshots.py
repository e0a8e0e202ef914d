"""`python -m cockpit.screenshots DIR` (`make screenshots`): SVGs of the real app on a demo
workspace, at fixed sizes and on a fake clock, built by the same factory as the CLI."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from textual.pilot import Pilot

from cockpit.build import build_app
from cockpit.demo import seed_demo_workspace
from cockpit.factory import embedded_client
from cockpit.settings import CockpitSettings
from core.clock import FakeClock

DEMO_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
Steps = Callable[[Pilot], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    """Let every message, worker and follow-up repaint finish (never sleep)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers_idle()  # type: ignore[attr-defined]
    await pilot.pause()


async def _list(pilot: Pilot) -> None:
    await settle(pilot)


async def _resolved(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def _detail(pilot: Pilot, tab: str = "1") -> None:
    await settle(pilot)
    await pilot.press("j")  # the impact 1 incident, which has a summary, metrics and links
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(tab)
    await settle(pilot)


async def _start_modal(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


async def _help(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def _area(pilot: Pilot, mode: str) -> None:
    await settle(pilot)
    pilot.app.go_to_area(mode)  # type: ignore[attr-defined]
    await settle(pilot)


async def _wizard(pilot: Pilot) -> None:
    await settle(pilot)  # an empty workspace opens the Get prepared wizard by itself
    await pilot.press("space")  # agree; the next step needs c, which would change the workspace
    await settle(pilot)


SHOTS: dict[str, tuple[tuple[int, int], Steps]] = {
    "incident-list": ((100, 30), _list),
    "incident-list-80x24": ((80, 24), _list),
    "resolved": ((100, 30), _resolved),
    "incident-details": ((100, 30), _detail),
    "timeline": ((100, 30), partial(_detail, tab="3")),
    "engagements": ((100, 30), partial(_detail, tab="5")),
    "runbook": ((100, 30), partial(_detail, tab="4")),
    "related-items": ((100, 30), partial(_detail, tab="6")),
    "start-incident": ((100, 30), _start_modal),
    "help": ((100, 30), _help),
    "wizard": ((100, 30), _wizard),
    **{f"area-{mode}": ((100, 30), partial(_area, mode=mode)) for mode in (
        "contacts", "schedules", "responseplans", "runbooks", "outbox", "reports", "audit",
        "integrations", "heartbeats", "maintenance", "users",
    )},
}
ON_AN_EMPTY_WORKSPACE = frozenset({"wizard"})


def screenshot_settings() -> CockpitSettings:
    return CockpitSettings(theme="cockpit-dark", timezone="UTC", cursor_blink=False, keymap={})


async def take(name: str, workspace: Path, out_dir: Path) -> Path:
    size, steps = SHOTS[name]
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, workspace, clock), screenshot_settings(), clock=clock)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out_dir)))
    return path


async def main(out_dir: Path) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="cockpit-shots-") as tmp:
        workspace = Path(tmp) / "demo"
        await seed_demo_workspace(workspace, end=DEMO_NOW)
        return [await take(name, Path(tmp) / "empty" if name in ON_AN_EMPTY_WORKSPACE else workspace, out_dir)
                for name in SHOTS]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    for written in asyncio.run(main(target)):
        print(written)
