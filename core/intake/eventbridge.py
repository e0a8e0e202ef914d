"""EventBridge events, as an API destination or a rule's HTTP target posts them.

* Security Hub findings (``detail.findings``): one alert per finding, deduped by its ``Id``,
  impact from ``Severity.Label`` (CRITICAL 1 .. INFORMATIONAL 5); a finding whose workflow is
  RESOLVED (or record state ARCHIVED) resolves.
* CloudWatch "Alarm State Change": deduped by the alarm ARN; ALARM triggers, OK resolves.
* Any other event: deduped by source, detail-type and resources; it triggers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.intake.alerts import Action, Alert, PayloadError, optional, parse_time, require

SEVERITY_IMPACT = {"CRITICAL": 1, "HIGH": 2, "MEDIUM": 3, "LOW": 4, "INFORMATIONAL": 5}
ENVELOPE = ("id", "detail-type", "source", "time")


def normalize(event: Any, now: datetime) -> list[Alert]:
    if not isinstance(event, dict):
        raise PayloadError("an EventBridge event is a JSON object")
    for key in ENVELOPE:
        require(event, key, str)
    detail = require(event, "detail", dict)
    resources = optional(event, "resources", list) or []
    when = parse_time(event["time"], "time", now)
    if isinstance(detail.get("findings"), list):
        return [_finding(event, f, i, when) for i, f in enumerate(detail["findings"])]
    if event["detail-type"] == "CloudWatch Alarm State Change":
        return _alarm(event, detail, resources, when)
    key = "|".join([event["source"], event["detail-type"], *map(str, resources)])
    return [
        Alert(
            action=Action.TRIGGER, dedupe=key, title=f"{event['detail-type']} ({event['source']})"[:200],
            source=event["source"], timestamp=when, event=event, name=event["detail-type"],
            resource_arn=str(resources[0]) if resources else None,
        )
    ]


def _finding(event: dict[str, Any], finding: Any, i: int, when: datetime) -> Alert:
    where = f"detail.findings[{i}]"
    if not isinstance(finding, dict):
        raise PayloadError(f"'{where}' must be an object")
    finding_id = require(finding, "Id", str, where)
    title = require(finding, "Title", str, where)
    severity = optional(finding, "Severity", dict, where) or {}
    label = severity.get("Label")
    if label is not None and label not in SEVERITY_IMPACT:
        raise PayloadError(f"'{where}.Severity.Label' must be one of {', '.join(SEVERITY_IMPACT)}")
    workflow = (finding.get("Workflow") or {}).get("Status") if isinstance(finding.get("Workflow"), dict) else None
    resolved = workflow in ("RESOLVED", "SUPPRESSED") or finding.get("RecordState") == "ARCHIVED"
    return Alert(
        action=Action.RESOLVE if resolved else Action.TRIGGER,
        dedupe=finding_id,
        title=f"Security Hub: {title}"[:200],
        source=event["source"],
        timestamp=parse_time(finding.get("UpdatedAt"), f"{where}.UpdatedAt", when),
        event={**event, "detail": {**event["detail"], "findings": [finding]}},
        name=title,
        impact=SEVERITY_IMPACT.get(label) if label else None,
        summary=finding.get("Description") if isinstance(finding.get("Description"), str) else None,
        resource_arn=finding_id if finding_id.startswith("arn:") else None,
        details={"severity": label, "productArn": finding.get("ProductArn")},
    )


def _alarm(event: dict[str, Any], detail: dict[str, Any], resources: list[Any], when: datetime) -> list[Alert]:
    name = require(detail, "alarmName", str, "detail")
    state = require(require(detail, "state", dict, "detail"), "value", str, "detail.state")
    if state not in ("ALARM", "OK"):
        return []
    arn = str(resources[0]) if resources else f"arn:aws:cloudwatch:{event.get('region', '')}:{event.get('account', '')}:alarm:{name}"
    return [
        Alert(
            action=Action.TRIGGER if state == "ALARM" else Action.RESOLVE, dedupe=arn,
            title=f"CloudWatch alarm {name} is {state}"[:200], source="aws.cloudwatch", timestamp=when,
            event=event, name=name, resource_arn=arn,
            summary=(detail.get("state") or {}).get("reason") if isinstance(detail.get("state"), dict) else None,
        )
    ]
