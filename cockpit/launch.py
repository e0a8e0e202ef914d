"""Starting the TUI: `cockpit` / `cockpit ui` on a workspace, `cockpit demo` on a fresh one."""

from __future__ import annotations

import shutil
import sys
import tempfile
from functools import partial
from pathlib import Path

from cockpit.demo_seeding import DemoSeeding
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
    data_dir = Path(tempfile.mkdtemp(prefix="cockpit-demo-"))
    seeding: DemoSeeding | None = None
    try:
        seeding = DemoSeeding(data_dir, config)  # before the UI is imported: they overlap
        return _run_app(data_dir, config, settings, seeding)
    finally:
        if seeding is not None:
            seeding.stop()
        if keep:
            print(f"The demo workspace stays in {data_dir} (cockpit --data-dir {data_dir}).", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _run_app(data_dir: Path, config: Path | None, settings: CockpitSettings,
             seeding: DemoSeeding | None = None) -> int:
    from cockpit.build import build_app  # the UI (Textual, every screen): loaded only now
    from cockpit.shell.terminal_driver import with_hang_up

    clock = SystemClock()
    opener = partial(embedded_client, data_dir, clock, config)
    app = build_app(seeding.opener(opener) if seeding else opener, settings, clock=clock)
    app.driver_class = with_hang_up(app.driver_class)  # a terminal gone without a SIGHUP: leave all the same
    result = app.run()
    if app.open_error is not None:  # the workspace could not be opened: cli.py says why
        raise app.open_error
    return result if isinstance(result, int) else (app.return_code or 0)
