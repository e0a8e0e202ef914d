"""The cockpit measured as a user feels it: a real ``cockpit`` process in a pseudo-terminal,
read through a terminal emulator (tests/support/terminal.py), keys typed into the terminal.
Figures are printed, never asserted (the machine is shared). Run this file alone:

    .venv/bin/python -m pytest -q -s tests/bench/test_terminal_bench.py

- cold start: from ``exec`` of ``cockpit demo`` to the first complete frame that shows the
  incident tiles (the demo seeds its workspace first: that is part of what a user waits for);
  and of ``cockpit --data-dir WS`` on a 10,000-incident workspace. Target <= 1.0 s, stretch 0.6 s.
- opening an incident: from ``enter`` written to the terminal to the first frame with the
  detail screen's breadcrumb, summary and recent timeline events. Target p95 <= 150 ms.
- a key to its repainted frame: from the key written to the terminal to the first frame whose
  colours differ from the frame before (focus moved, tab changed; live durations only change
  digits, so they do not count). Target p95 <= 50 ms.
- the CPU time the process (and the demo's seeding child) used by that first frame, since on a
  shared machine the wall clock mostly measures the other processes;
- the cyclic GC: start-up runs without it (cockpit/__main__.py: it walked the imports'
  objects for ~0.1 s CPU and freed almost nothing); the app freezes what start-up made and turns
  it on once running. The second big-workspace run makes that ``gc.freeze()`` do nothing, to
  see what the freeze itself buys.

The children get the environment a user has: this one's, less ``PYTHONDONTWRITEBYTECODE`` (set
in some sandboxes, it makes every start compile the tree's modules again), with the
tree's bytecode written first, as an installed package has it (pip compiles a wheel at install;
an editable install writes it at the first run); and they start as the ``cockpit`` command does
(``python -m cockpit``, the console script's module).
"""

from __future__ import annotations

import asyncio
import compileall
import os
import statistics
import time
from pathlib import Path

import pytest

from tests.support.terminal import ROOT, Terminal, cockpit

RUNS = 5
SIZE = (120, 40)
CRITICAL_TILE = "Checkout payments failing for EU cards"  # one of the demo's open incidents


@pytest.fixture(autouse=True)
def users_bytecode(monkeypatch) -> None:
    """Bytecode cached and used, as for a user (see the module's docstring)."""
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    for package in ("cockpit", "core", "widgets"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _report(title: str, values: list[float], target: str) -> None:
    ms = sorted(v * 1000 for v in values)
    p50, p95 = statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"[bench] {title}: n={len(ms)} p50={p50:.0f} ms p95={p95:.0f} ms "
          f"min={ms[0]:.0f} ms max={ms[-1]:.0f} ms ({target})")


def _lines(term: Terminal) -> list[str]:
    return term.screen.display


def _list_shown(term: Terminal) -> bool:
    lines = _lines(term)
    return lines[1].lstrip().startswith("Open incidents (") and "▊" in "".join(lines[3:6])


def _detail_shown(term: Terminal) -> bool:
    lines = _lines(term)
    if not (lines[0].lstrip().startswith("Incidents › ") and lines[0].rstrip().endswith("› Overview")):
        return False
    text = "\n".join(lines)
    if "Summary" not in text or "Recent timeline events" not in text:
        return False
    after = lines[next(i for i, line in enumerate(lines) if "Recent timeline events" in line) + 1]
    return after.lstrip()[:2] == "20"  # the first event's date


def _colours(term: Terminal) -> tuple:
    return tuple(tuple((c.fg, c.bg, c.bold, c.reverse) for c in row) for row in term.cells())


def _cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far, with its waited-for children (the demo's seeding
    child): on a loaded machine this says what start-up costs better than the wall clock."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


def _settle(term: Terminal, seconds: float = 0.15) -> None:
    """Let the app finish what it was doing, as a person reads before the next key."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        term.read(end - time.perf_counter())


def _key_to_frame(term: Terminal, key: str) -> float:
    before = _colours(term)
    sent = time.perf_counter()
    term.press(key)
    return term.wait_frame(lambda: _colours(term) != before, timeout=10) - sent


def _session(argv: list[str], env: dict[str, str] | None = None, opens: int = 8) -> dict[str, list[float]]:
    """Start, open incidents, move on the list and across tabs; every figure in seconds."""
    out: dict[str, list[float]] = {"open": [], "list-key": [], "tab-key": []}
    with Terminal(argv, *SIZE, env=env) as term:
        out["start"] = [term.wait_frame(lambda: _list_shown(term), timeout=60) - term.started]
        out["start-cpu"] = [_cpu_seconds(term.process.pid)]
        _settle(term, 0.5)  # the tiles' details (counts, chat channel) finish loading
        for _ in range(opens):
            sent = time.perf_counter()
            term.press("enter")
            out["open"].append(term.wait_frame(lambda: _detail_shown(term)) - sent)
            _settle(term)
            term.press("escape")
            term.wait_frame(lambda: _list_shown(term))
            _settle(term)
        for i in range(40):
            out["list-key"].append(_key_to_frame(term, "j" if i % 2 == 0 else "k"))
            _settle(term, 0.08)
        term.press("enter")
        term.wait_frame(lambda: _detail_shown(term))
        _settle(term, 0.3)
        for _ in range(21):
            out["tab-key"].append(_key_to_frame(term, "]"))
            _settle(term, 0.08)
        term.press("ctrl+q")
        term.wait_exit()
    return out


def _sessions(argv: list[str], env: dict[str, str] | None = None) -> dict[str, list[float]]:
    runs = [_session(argv, env, opens=8 if i == 0 else 2) for i in range(RUNS)]
    return {key: sum((r[key] for r in runs), []) for key in runs[0]}


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory) -> Path:
    from tests.bench.test_tui_bench import N, _build

    data_dir = tmp_path_factory.mktemp("terminal-bench") / "ws"
    asyncio.run(_build(data_dir))
    print(f"\n[bench] built a {N:,}-incident workspace")
    return data_dir


def _report_session(name: str, figures: dict[str, list[float]]) -> None:
    _report(f"{name}: cold start, exec to the first frame with tiles", figures["start"], "target <= 1000 ms, stretch 600 ms")
    _report(f"{name}: cold start, CPU used by then (the process and its seeding child)", figures["start-cpu"],
            "the work start-up does, whatever the load")
    _report(f"{name}: opening an incident, enter to its frame", figures["open"], "target p95 <= 150 ms")
    _report(f"{name}: j/k on the list, key to its frame", figures["list-key"], "target p95 <= 50 ms")
    _report(f"{name}: ] across the tabs, key to its frame", figures["tab-key"], "target p95 <= 50 ms")


def test_bench_demo_in_a_terminal(tmp_path):
    print()
    _report_session("cockpit demo", _sessions(cockpit("demo"), env={"TMPDIR": str(tmp_path)}))


def test_bench_big_workspace_in_a_terminal(big_workspace: Path, tmp_path):
    no_freeze = tmp_path / "no-freeze"
    no_freeze.mkdir()
    (no_freeze / "sitecustomize.py").write_text("import gc\ngc.freeze = lambda: None\n")
    argv = cockpit("--data-dir", str(big_workspace))
    print()
    _report_session("10,000 incidents", _sessions(argv))
    _report_session("10,000 incidents, gc.freeze() disabled", _sessions(argv, env={"PYTHONPATH": str(no_freeze)}))
