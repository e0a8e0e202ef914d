"""Start-up imports only the screens the first frame shows; every other area is named
``"module:Class"`` in ``cockpit/build.py`` and imported when first shown."""

from __future__ import annotations

import json
import subprocess
import sys

from textual.screen import Screen

from cockpit.build import AREAS
from tests.support.terminal import ROOT

SHOWN_AT_START = {"incidents", "contacts"}  # the first screen, and one whose stylesheet is read at start


def test_building_the_app_does_not_import_the_other_areas_screens():
    lazy = {a.mode: a.screen for a in AREAS if isinstance(a.screen, str)}
    assert set(lazy) == {a.mode for a in AREAS} - SHOWN_AT_START
    probe = ("import json, sys; import cockpit.build; "
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith('cockpit.'))))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(out.stdout))
    imported_early = {mode: path for mode, path in lazy.items() if path.partition(":")[0] in loaded}
    assert imported_early == {}


def test_each_lazy_area_names_a_screen_that_exists():
    for area in AREAS:
        screen = area.screen_class()
        assert isinstance(screen, type) and issubclass(screen, Screen), area
        if isinstance(area.screen, str):
            assert f"{screen.__module__}:{screen.__name__}" == area.screen
