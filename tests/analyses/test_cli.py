"""`cockpit analysis create|export` and `cockpit report [--csv]` on a workspace holding the
scripted incident (made on the fake clock, then the CLI opens the same data directory)."""

from __future__ import annotations

import asyncio
import csv
import io
import re

from cockpit.cli import main
from core import FakeClock, open_core
from tests.analyses.scripted import scripted_incident
from tests.conftest import START

PERIOD = ["--from", "2026-03-01", "--to", "2026-04-01"]


def _incident(data_dir) -> str:
    async def made() -> str:
        async with open_core(data_dir, clock=FakeClock(START)) as core:
            return (await scripted_incident(core.client(), core.clock))[0]
    return asyncio.run(made())


def _work_on(data_dir, analysis_id: str) -> None:
    async def work() -> None:
        async with open_core(data_dir, clock=FakeClock(START)) as core:
            client = core.client()
            await client.call("AnswerQuestion", {"analysisId": analysis_id, "questionId": "prevention-why-1",
                                                 "answer": "A config push | skipped canaries"})
            await client.call("UpdateAnalysis", {"analysisId": analysis_id,
                                                 "overview": {"whatHappened": "Pool size set to 0"}})
            await client.call("AnswerQuestion", {"analysisId": analysis_id, "questionId": "detection-alarm",
                                                 "answer": "yes"})
            item = (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]["actionItems"][0]
            await client.call("UpdateActionItem", {"analysisId": analysis_id, "itemId": item["itemId"],
                                                   "status": "DISMISSED"})
            await client.call("CreateActionItem", {"analysisId": analysis_id, "title": "Canary config pushes",
                                                   "owner": "platform team", "dueDate": "2026-03-20"})
            await client.call("UpdateChecklistItem", {"analysisId": analysis_id, "itemId": "shared", "checked": True})
    asyncio.run(work())


def test_create_prints_the_id_and_export_writes_the_whole_analysis(data_dir, tmp_path, capsys):
    incident = _incident(data_dir)
    assert main(["--data-dir", str(data_dir), "analysis", "create", incident]) == 0
    analysis_id = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[0-9a-f]{32}", analysis_id)
    _work_on(data_dir, analysis_id)

    out = tmp_path / "review.md"
    assert main(["--data-dir", str(data_dir), "analysis", "export", analysis_id, "-o", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# Analysis: API is down\n")
    for heading in ("## Properties", "## Overview", "### What happened", "## Metrics", "## Timeline",
                    "## Questions", "### Prevention", "## Actions", "## Checklist"):
        assert f"\n{heading}\n" in text, heading
    assert "\nPool size set to 0\n" in text
    assert "| Incident start | 2026-03-02 09:10 |" in text and "| Resolved | 2026-03-02 10:10 |" in text
    assert "| Time to detect | 3m 00s |" in text and "| Time to acknowledge | 10m 00s |" in text
    assert "| Time to resolve | 1h 00m |" in text
    assert "A config push | skipped canaries" in text  # answers are prose, kept whole
    assert "- [ ] accepted: Canary config pushes (owner platform team, due 2026-03-20)" in text
    assert "Dismissed action items:\n\n- ~~Add or tune an alarm for this failure~~" in text
    assert "- [x] The analysis is shared with the teams involved" in text
    assert "- [ ] Every question is answered" in text
    assert "- 2026-03-02 09:10 · Created: Incident started: API is down (2 High)\n" in text
    assert "- 2026-03-02 09:30 · Updated: impact 2 High → 4 Low\n" in text

    assert main(["--data-dir", str(data_dir), "analysis", "export", analysis_id]) == 0
    assert capsys.readouterr().out == text


def test_bad_input_is_a_clear_error_not_a_traceback(data_dir, capsys):
    incident = _incident(data_dir)
    assert main(["--data-dir", str(data_dir), "analysis", "create", incident, "--template", "Nope"]) == 1
    err = capsys.readouterr().err
    assert "ResourceNotFoundException" in err and "'Nope' does not exist" in err and "Traceback" not in err
    assert main(["--data-dir", str(data_dir), "analysis", "export", "f" * 32]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_report_prints_tables_and_csv_with_the_scripted_figures(data_dir, capsys):
    _incident(data_dir)
    assert main(["--data-dir", str(data_dir), "report", *PERIOD]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1 incident from 2026-03-01 00:00 to 2026-04-01 00:00 UTC")
    assert "Response times by response plan" in text and "Pages per hour of the day" in text
    assert main(["--data-dir", str(data_dir), "report", *PERIOD, "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    overall = next(r for r in rows if r["section"] == "overall")
    # the script: engaged after 2 min, acknowledged after 10, resolved after 60
    assert (overall["timeToEngage_median"], overall["timeToAcknowledge_mean"], overall["timeToResolve_p90"]) == (
        "120.0", "600.0", "3600.0")
    hours = {r["group"]: r["pages"] for r in rows if r["section"] == "pages_per_hour"}
    assert hours["09"] == "1" and sum(map(int, hours.values())) == 1
    assert main(["--data-dir", str(data_dir), "report", "--zone", "Nowhere/Land"]) == 1
    assert "not an IANA time zone" in capsys.readouterr().err
