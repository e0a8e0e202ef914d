"""`cockpit demo` in a real terminal: its temporary workspace goes when it exits, unless
`--keep`, which says where it stays."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from tests.support.terminal import Terminal, cockpit

TILE = "Checkout payments failing for EU cards"


def _run_demo(tmp_path: Path, *args: str, leave=lambda t: t.press("ctrl+q")) -> tuple[int, str]:
    with Terminal(cockpit("demo", *args), env={"TMPDIR": str(tmp_path)}) as term:
        term.wait_for(lambda shown: TILE in shown, timeout=60)
        assert [p.name[:12] for p in tmp_path.iterdir()] == ["cockpit-demo"]  # the workspace exists meanwhile
        leave(term)
        code = term.wait_exit()
        return code, term.raw.decode(errors="replace")


def test_demo_removes_its_workspace_on_quit(tmp_path):
    code, out = _run_demo(tmp_path)
    assert code == 0
    assert list(tmp_path.iterdir()) == []
    assert "stays in" not in out


def test_demo_removes_its_workspace_when_the_terminal_hangs_up(tmp_path):
    code, _ = _run_demo(tmp_path, leave=lambda t: os.killpg(t.process.pid, signal.SIGHUP))
    assert code == 0
    assert list(tmp_path.iterdir()) == []


def test_demo_keep_leaves_the_workspace_and_says_where(tmp_path):
    code, out = _run_demo(tmp_path, "--keep")
    assert code == 0
    (kept,) = tmp_path.iterdir()
    assert (kept / "cockpit.db").is_file()
    said = re.search(r"The demo workspace stays in (\S+) \(cockpit --data-dir \1\)", out)
    assert said and Path(said.group(1)) == kept


def test_a_demo_that_cannot_be_seeded_says_why_and_leaves_nothing(tmp_path):
    """The seeding runs beside the loading UI (a child process): its failure still reaches
    the user, as one message, and the workspace still goes."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("paging: [not, a, mapping\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with Terminal(cockpit("--config", str(bad), "demo"), env={"TMPDIR": str(scratch)}) as term:
        assert term.wait_exit() == 1
        out = " ".join(term.raw.decode(errors="replace").split())
    assert "the demo workspace could not be seeded" in out and "is not valid YAML" in out
    assert "Traceback" not in out
    assert list(scratch.iterdir()) == []
