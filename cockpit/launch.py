"""Starting the TUI: `cockpit` / `cockpit ui` on a workspace, `cockpit demo` on a fresh one."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from functools import partial
from pathlib import Path

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.settings import CockpitSettings, load_settings
from core.clock import SystemClock


def run_tui(command: str, data_dir: Path, config: Path | None, *, keep: bool = False) -> int:
    """Run the cockpit until the user quits or the terminal goes away (SIGHUP: clean exit).

    ``demo`` runs on a fresh temporary workspace, removed on exit unless ``keep``."""
    from pydantic import ValidationError

    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"cockpit: the UI settings are invalid:\n{error}", file=sys.stderr)
        return 1
    if command != "demo":
        return _run_app(data_dir, config, settings)
    from cockpit.demo import seed_demo_workspace

    data_dir = Path(tempfile.mkdtemp(prefix="cockpit-demo-"))
    try:
        asyncio.run(seed_demo_workspace(data_dir, config))
        return _run_app(data_dir, config, settings)
    finally:
        if keep:
            print(f"The demo workspace stays in {data_dir} (cockpit --data-dir {data_dir}).", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _run_app(data_dir: Path, config: Path | None, settings: CockpitSettings) -> int:
    clock = SystemClock()
    app = build_app(partial(embedded_client, data_dir, clock, config), settings, clock=clock)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
