"""TUI fixtures: the app built by the one factory, on a real core, on fake time."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest

from cockpit.demo import seed_demo_workspace
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core.ops import users


@pytest.fixture(autouse=True)
def _no_user_ui_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The developer's own ui.toml and COCKPIT_UI_* must not leak into tests."""
    monkeypatch.setenv("COCKPIT_UI_CONFIG_FILE", str(tmp_path / "absent-ui.toml"))
    for name in ("COCKPIT_UI_THEME", "COCKPIT_UI_KEYMAP", "COCKPIT_UI_TIMEZONE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def settings() -> CockpitSettings:
    return CockpitSettings(theme="cockpit-dark", timezone="UTC", cursor_blink=False, keymap={})


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, seeded once per session (history ending at DEMO_NOW)."""
    workspace = tmp_path_factory.mktemp("demo-seed") / "workspace"
    ids = (f"CKIASNAPSHOT{n:08d}" for n in itertools.count(1))  # the users' keys: stable ids, stable pictures
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_new_access_key_id", lambda: next(ids))
        asyncio.run(seed_demo_workspace(workspace, end=DEMO_NOW))
    return workspace


@pytest.fixture
def demo_workspace(seeded_demo: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded demo workspace."""
    copy = tmp_path / "demo"
    shutil.copytree(seeded_demo, copy)
    return copy
