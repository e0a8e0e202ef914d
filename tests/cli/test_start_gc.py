"""Start-up runs without the cyclic GC (cockpit/__main__.py), and the GC comes back on: in the
TUI once its app is running, for every other command before it runs."""

from __future__ import annotations

import gc
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from cockpit.cli import main
from tests.support.terminal import ROOT


@pytest.fixture
def gc_off():
    gc.disable()
    yield
    gc.enable()


def test_a_command_runs_with_the_gc_back_on(gc_off, capsys) -> None:
    assert main(["ops"]) == 0
    assert "StartIncident" in capsys.readouterr().out
    assert gc.isenabled()


async def test_the_tui_turns_the_gc_back_on_once_running(gc_off, client) -> None:
    from cockpit.build import build_app
    from cockpit.settings import CockpitSettings

    app = build_app(client, CockpitSettings(theme="cockpit-dark", timezone="UTC", cursor_blink=False, keymap={}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()


def test_the_cockpit_command_starts_through_the_module_that_turns_the_gc_off() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "cockpit"]
    assert script.value == "cockpit.__main__:main"
    probe = "import gc, cockpit.__main__ as m, cockpit.cli as c; c.main = lambda: gc.isenabled(); print(m.main())"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
