"""The architecture's arrows: import-linter's contracts hold, and the core stays headless."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ("textual", "rich", "cockpit", "widgets")


def test_import_linter_contracts_pass():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "broken" not in out.stdout.lower() or " 0 broken" in out.stdout


def test_importing_the_core_loads_no_ui_module():
    probe = (
        "import sys, core, core.runtime\n"
        "from core import open_core, FakeClock\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {UI!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"core imported UI modules: {out.stdout.strip()}"
