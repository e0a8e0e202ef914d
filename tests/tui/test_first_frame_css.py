"""The first frame parses the stylesheet once: every widget type the incident list mounts had its
default CSS added before the first parse (cockpit/shell/css_preload.py). Each later batch of new
widget types made Textual parse again and restyle every node (~0.1 s CPU of a cold start)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from tests.tui.helpers import settle


async def test_the_incident_list_is_styled_with_one_parse(demo_workspace: Path, settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    parses = []
    parse = Stylesheet.parse

    def counted(self: Stylesheet) -> None:
        parses.append(len(self.source))
        parse(self)

    monkeypatch.setattr(Stylesheet, "parse", counted)
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Checkout payments failing for EU cards" in "\n".join(
            strip.text for strip in app.screen._compositor.render_strips())
        assert len(parses) == 1, f"the stylesheet was parsed {len(parses)} times (sources: {parses})"
