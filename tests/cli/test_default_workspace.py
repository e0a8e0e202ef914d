"""Tests never reach the user's own workspace (platformdirs' user_data_dir): the suite points
XDG_DATA_HOME and XDG_CONFIG_HOME at a temp directory (tests/conftest.py), and a command that
talks to a core at --endpoint writes nothing to the default data directory (`cockpit user ...
--endpoint` used to create it and append its log there on every run of the users CLI test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cockpit.cli import EXIT_USAGE, default_data_dir
from cockpit.settings import default_config_file

ROOT = Path(__file__).resolve().parents[2]
REAL_DATA = Path.home() / ".local" / "share"


def test_the_default_workspace_is_under_the_suites_temp_directory(_no_default_workspace: Path, monkeypatch) -> None:
    monkeypatch.delenv("COCKPIT_UI_CONFIG_FILE", raising=False)
    assert default_data_dir().is_relative_to(_no_default_workspace)
    assert not default_data_dir().is_relative_to(REAL_DATA)
    assert default_config_file().is_relative_to(_no_default_workspace)


def test_a_command_sent_to_an_endpoint_leaves_the_default_workspace_alone(_no_default_workspace: Path) -> None:
    env = {**os.environ, "COCKPIT_ACCESS_KEY_ID": "", "COCKPIT_SECRET_ACCESS_KEY": ""}
    done = subprocess.run([sys.executable, "-m", "cockpit.cli", "user", "list", "--endpoint", "http://127.0.0.1:9"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_USAGE and "COCKPIT_ACCESS_KEY_ID" in done.stderr  # no credentials given
    assert not default_data_dir().exists(), sorted(p.name for p in default_data_dir().iterdir())
