"""`cockpit call` and `cockpit ops`: output, exit codes and error reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cockpit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_call_success_prints_json(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    code, out, err = run(capsys, "--data-dir", ws, "call", "CreateReplicationSet", '{"regions": {"local": {}}}')
    assert code == 0, err
    arn = json.loads(out)["arn"]
    assert arn.startswith("arn:aws:ssm-incidents::")
    code, out, _ = run(capsys, "--data-dir", ws, "call", "CreateResponsePlan",
                       '{"name": "db", "incidentTemplate": {"title": "DB down", "impact": 2}}')
    plan = json.loads(out)["arn"]
    code, out, _ = run(capsys, "--data-dir", ws, "call", "StartIncident", json.dumps({"responsePlanArn": plan}))
    inc = json.loads(out)["incidentRecordArn"]
    code, out, _ = run(capsys, "--data-dir", ws, "call", "GetIncidentRecord", json.dumps({"arn": inc}))
    record = json.loads(out)["incidentRecord"]
    assert code == 0 and record["title"] == "DB down"
    assert record["creationTime"].endswith("+00:00")  # timestamps print as ISO 8601 UTC
    code, out, _ = run(capsys, "--data-dir", ws, "call", "LookupAuditEvents", '{"operation": "StartIncident"}')
    assert json.loads(out)["events"][0]["origin"] == "cli"


def test_call_error_exits_1_with_code_message_and_fields(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    run(capsys, "--data-dir", ws, "call", "CreateReplicationSet", '{"regions": {"local": {}}}')
    code, out, err = run(capsys, "--data-dir", ws, "call", "StartIncident",
                         '{"responsePlanArn": "arn:aws:ssm-incidents::123456789012:response-plan/x", "impact": 9}')
    assert code == 1 and out == ""
    assert err.startswith("ValidationException: ")
    assert "  impact: value 9 must be at most 5" in err
    code, out, err = run(capsys, "--data-dir", ws, "call", "GetResponsePlan",
                         '{"arn": "arn:aws:ssm-incidents::123456789012:response-plan/x"}')
    assert code == 1 and err.startswith("ResourceNotFoundException: ")


def test_unknown_operation(tmp_path, capsys):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "call", "LaunchRocket", "{}")
    assert code == 1
    assert "unknown operation 'LaunchRocket'" in err and "cockpit ops" in err


def test_bad_json_is_a_usage_error(tmp_path, capsys):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "call", "ListIncidentRecords", "{not json")
    assert code == 2 and "not valid JSON" in err
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "call", "ListIncidentRecords", "[1, 2]")
    assert code == 2 and "JSON object" in err
    assert not (tmp_path / "cockpit.db").exists()  # nothing was opened


def test_request_from_stdin(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO('{"regions": {"local": {}}}'))
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "call", "CreateReplicationSet", "-")
    assert code == 0 and "arn" in json.loads(out)


def test_ops_lists_every_operation(capsys):
    code, out, _ = run(capsys, "ops")
    assert code == 0
    lines = out.splitlines()
    names = {line.split()[0] for line in lines}
    assert {"StartIncident", "CreateReplicationSet", "ListTimelineEvents", "LookupAuditEvents"} <= names
    start = next(line for line in lines if line.startswith("StartIncident "))
    assert "ssm-incidents" in start and "dedupe" in start


def test_the_console_script_as_a_subprocess(tmp_path):
    cmd = [sys.executable, "-m", "cockpit.cli", "--data-dir", str(tmp_path)]
    ok = subprocess.run([*cmd, "call", "ListReplicationSets"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout) == {"replicationSetArns": []}
    bad = subprocess.run([*cmd, "call", "ListIncidentRecords"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stderr.startswith("ValidationException: ") and "replication set" in bad.stderr
    assert "Traceback" not in bad.stderr
