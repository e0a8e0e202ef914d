"""`cockpit runbook import FILE [--name NAME]` and `cockpit runbook validate FILE`."""

from __future__ import annotations

import json

from cockpit.cli import main

DOC = "schemaVersion: '0.3'\ndescription: Restart the API\nmainSteps:\n  - {name: check, action: aws:pause}\n  - {name: restart, action: aws:pause}\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_names_the_runbook_for_the_file_and_a_second_import_adds_a_version(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    path = tmp_path / "restart-api.yaml"
    path.write_text(DOC)
    assert run(capsys, "--data-dir", ws, "runbook", "import", str(path)) == (
        0, "Imported runbook restart-api (version 1, 2 steps)\n", ""
    )
    assert run(capsys, "--data-dir", ws, "runbook", "import", str(path))[1] == "Updated runbook restart-api (version 2, 2 steps)\n"
    code, out, _ = run(capsys, "--data-dir", ws, "call", "GetRunbook", '{"name": "restart-api"}')
    assert json.loads(out)["runbook"]["description"] == "Restart the API"


def test_import_reads_get_document_output_under_another_name(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    path = tmp_path / "aws.json"
    path.write_text(json.dumps({"Name": "AWS-Restart", "DocumentFormat": "YAML", "Content": DOC}))
    code, out, err = run(capsys, "--data-dir", ws, "runbook", "import", str(path), "--name", "restart")
    assert (code, out, err) == (0, "Imported runbook restart (version 1, 2 steps)\n", "")


def test_a_bad_document_is_refused_with_its_problems_and_nothing_saved(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    path = tmp_path / "bad.yaml"
    path.write_text("schemaVersion: '0.3'\nmainSteps:\n  - {name: go, action: aws:runShellScript}\n")
    code, out, err = run(capsys, "--data-dir", ws, "runbook", "import", str(path))
    assert code == 1 and out == ""
    assert "step 'go': action aws:runShellScript is not supported here" in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "--data-dir", ws, "runbook", "validate", str(path))
    assert code == 1
    assert out.splitlines()[0] == f"{path}: 1 problem"
    assert json.loads(run(capsys, "--data-dir", ws, "call", "ListRunbooks", "{}")[1]) == {"runbooks": []}


def test_a_missing_file_is_a_usage_error(tmp_path, capsys):
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "ws"), "runbook", "import", str(tmp_path / "none.yaml"))
    assert code == 2
    assert err == f"cockpit runbook: cannot read {tmp_path / 'none.yaml'}: No such file or directory\n"
