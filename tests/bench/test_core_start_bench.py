"""Core start-up and rotation benchmarks (`make bench`; not part of `make test`). They print
figures; no asserts on time, because the machine is shared.

    .venv/bin/python -m pytest -q -s tests/bench/test_core_start_bench.py

- Importing the core (``import core.ops.catalog``, a fresh process each time): botocore's
  service models are read lazily, so no botocore module is imported. Target: <= 0.3 s.
- Opening a core on a new data directory and answering its first AWS-named call (which reads
  that service's model). Target: <= 0.2 s.
- Fourteen days of a ten-member weekly rotation. Target: best of 20 <= 10 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.engine.rotation import compute_shifts

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7


def _fresh(code: str) -> tuple[float, float]:
    """(wall, CPU) seconds a fresh interpreter takes to run ``code``, measured inside the child
    (CPU time is the steadier figure on a shared machine)."""
    probe = (f"import time; t, c = time.perf_counter(), time.process_time(); {code}; "
             "print(time.perf_counter() - t, time.process_time() - c)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def _print(title: str, samples: list[tuple[float, float]], target: str) -> None:
    wall = sorted(w * 1000 for w, _ in samples)
    cpu = sorted(c * 1000 for _, c in samples)
    print(f"\n[bench] {title}: n={len(wall)} wall min={wall[0]:.0f} ms median={statistics.median(wall):.0f} ms;"
          f" CPU min={cpu[0]:.0f} ms median={statistics.median(cpu):.0f} ms ({target})")


def test_bench_import_core() -> None:
    _print("import core.ops.catalog", [_fresh("import core.ops.catalog") for _ in range(RUNS)], "target <= 300 ms")
    leaked = subprocess.run(
        [sys.executable, "-c", "import sys, core.ops.catalog; print(sum(m.startswith('botocore') for m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    print(f"[bench] botocore modules imported by the core: {leaked} (target 0)")


def test_bench_open_core_and_first_call(tmp_path: Path) -> None:
    samples = []
    for i in range(RUNS):
        code = (
            "import asyncio, core; from core import open_core\n"
            "async def main():\n"
            f"    async with open_core({str(tmp_path / f'ws{i}')!r}) as c:\n"
            "        await c.client().call('ListReplicationSets', {})\n"
            "asyncio.run(main())"
        )
        samples.append(_fresh(f"exec({code!r})"))
    _print("import + open a new core + first call", samples, "target <= 500 ms")


def test_bench_fourteen_days_of_a_ten_member_weekly_rotation() -> None:
    ny = ZoneInfo("America/New_York")
    members = [f"arn:aws:ssm-contacts:us-east-1:111122223333:contact/m{i}" for i in range(10)]
    window = datetime(2025, 3, 1, tzinfo=ny)
    kw = dict(
        members=members,
        start_time=datetime(2020, 1, 6, 9, tzinfo=ny),
        time_zone_id="America/New_York",
        recurrence={"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                    "WeeklySettings": [{"DayOfWeek": "MON", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}}]},
        window_start=window,
        window_end=window + timedelta(days=14),
    )
    compute_shifts(**kw)
    samples = []
    for _ in range(20):
        t = time.perf_counter()
        compute_shifts(**kw)
        samples.append(time.perf_counter() - t)
    print(f"\n[bench] 14 days of a 10-member weekly rotation: best={min(samples) * 1000:.2f} ms (target <= 10 ms)")
