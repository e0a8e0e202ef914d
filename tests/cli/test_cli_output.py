"""`cockpit ops` and `cockpit call` as a shell user meets them: a closed pipe, a typo, the
operation list's summaries."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from cockpit.cli import EXIT_BROKEN_PIPE, main

ROOT = Path(__file__).resolve().parents[2]


def test_ops_into_a_closed_pipe_ends_without_a_traceback():
    """`cockpit ops | head`: the reader is gone before the list is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "cockpit.cli", "ops"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == EXIT_BROKEN_PIPE


def test_ops_into_head_prints_the_first_lines():
    shell = subprocess.run(f"{sys.executable} -m cockpit.cli ops | head -3", shell=True, cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert shell.stderr == ""
    assert len(shell.stdout.splitlines()) == 3


def test_a_misspelled_operation_gets_did_you_mean(tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path), "call", "StartIncidnet", "{}"])
    err = capsys.readouterr().err
    assert code == 1
    assert "unknown operation 'StartIncidnet'; did you mean StartIncident?" in err
    assert len(err.splitlines()) == 1, err  # the message alone: no "  operation: unknown" under it
    main(["--data-dir", str(tmp_path), "call", "LaunchRocket", "{}"])
    assert "did you mean" not in capsys.readouterr().err  # nothing close: no guess


def test_ops_summaries_end_at_a_sentence_end(capsys):
    assert main(["ops"]) == 0
    summaries = dict(line.split(maxsplit=2)[::2] for line in capsys.readouterr().out.splitlines())
    assert len(summaries) > 60
    assert all(re.search(r"[.!?]$", s) for s in summaries.values()), [
        name for name, s in summaries.items() if not re.search(r"[.!?]$", s)]
    # a docstring whose first sentence wraps onto a second line is printed whole, on one line
    assert summaries["AcceptPageByCode"].endswith("carries this code: what a responder types "
                                                  "from their phone (`:ack CODE` in the cockpit).")
