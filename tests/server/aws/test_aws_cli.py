"""The real AWS CLI (awscli from the package index) against a real `cockpit serve`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AWS = Path(sys.executable).with_name("aws")


def aws(site, *args: str, role: str = "admin", endpoint: bool = True, env: dict[str, str] | None = None):
    key = site.keys[role]
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": key.secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_MAX_ATTEMPTS": "1",
        **(env or {}),
    }
    argv = [str(AWS), *args, "--output", "json"] + (["--endpoint-url", site.url] if endpoint else [])
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=environment)


@pytest.fixture(scope="module")
def cli_plan(incidents, replication_set) -> str:
    return incidents.create_response_plan(name="cli", incidentTemplate={"title": "From the CLI", "impact": 3})["arn"]


def test_start_incident_and_list_incident_records(site, cli_plan):
    started = aws(site, "ssm-incidents", "start-incident", "--response-plan-arn", cli_plan, "--title", "cli outage")
    assert started.returncode == 0, started.stderr
    arn = json.loads(started.stdout)["incidentRecordArn"]
    listed = aws(site, "ssm-incidents", "list-incident-records", "--filters",
                 json.dumps([{"key": "status", "condition": {"equals": {"stringValues": ["OPEN"]}}}]))
    assert listed.returncode == 0, listed.stderr
    summaries = json.loads(listed.stdout)["incidentRecordSummaries"]
    assert arn in [s["arn"] for s in summaries]
    assert next(s for s in summaries if s["arn"] == arn)["title"] == "cli outage"


def test_list_contacts_through_the_service_endpoint_variable(site, contacts, replication_set):
    contacts.create_contact(Alias="cli-contact", Type="PERSONAL", Plan={"Stages": []})
    listed = aws(site, "ssm-contacts", "list-contacts", endpoint=False, env={"AWS_ENDPOINT_URL_SSM_CONTACTS": site.url})
    assert listed.returncode == 0, listed.stderr
    assert "cli-contact" in [c["Alias"] for c in json.loads(listed.stdout)["Contacts"]]


def test_errors_reach_the_cli_as_aws_errors(site, cli_plan):
    missing = aws(site, "ssm-incidents", "get-response-plan", "--arn", cli_plan + "-gone")
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    denied = aws(site, "ssm-incidents", "start-incident", "--response-plan-arn", cli_plan, role="readonly")
    assert denied.returncode != 0 and "AccessDeniedException" in denied.stderr
    forged = aws(site, "ssm-contacts", "list-contacts", env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"})
    assert forged.returncode != 0 and "InvalidSignatureException" in forged.stderr
