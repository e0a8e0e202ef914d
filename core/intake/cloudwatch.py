"""CloudWatch alarm notifications, as SNS delivers them (the SNS ``Message`` is the alarm's
JSON). ALARM triggers, deduped by the alarm's ARN, with the response plan's impact; OK
resolves; INSUFFICIENT_DATA is kept in the log and acts on nothing."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.intake.alerts import Action, Alert, PayloadError, optional, parse_time, require

STATES = {"ALARM": Action.TRIGGER, "OK": Action.RESOLVE}
SOURCE = "aws.cloudwatch"


def alarm_message(text: str) -> dict[str, Any]:
    try:
        message = json.loads(text)
    except json.JSONDecodeError:
        raise PayloadError("the SNS 'Message' is not a CloudWatch alarm's JSON") from None
    if not isinstance(message, dict):
        raise PayloadError("the SNS 'Message' is not a CloudWatch alarm's JSON object")
    return message


def normalize(message: dict[str, Any], topic_arn: str, now: datetime) -> list[Alert]:
    name = require(message, "AlarmName", str)
    state = require(message, "NewStateValue", str)
    if state not in (*STATES, "INSUFFICIENT_DATA"):
        raise PayloadError(f"'NewStateValue' must be ALARM, OK or INSUFFICIENT_DATA, not {state[:30]!r}")
    if state not in STATES:
        return []
    arn = optional(message, "AlarmArn", str)
    if not arn:
        parts = topic_arn.split(":")
        region, account = (parts[3], parts[4]) if len(parts) > 5 else ("", "")
        account = str(message.get("AWSAccountId") or account)
        arn = f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}"
    reason = optional(message, "NewStateReason", str)
    return [
        Alert(
            action=STATES[state],
            dedupe=arn,
            title=f"CloudWatch alarm {name} is {state}"[:200],
            source=SOURCE,
            timestamp=parse_time(message.get("StateChangeTime"), "StateChangeTime", now),
            event=message,
            name=name,
            summary=message.get("AlarmDescription") if isinstance(message.get("AlarmDescription"), str) else reason,
            resource_arn=arn,
            details={"reason": reason, "oldState": message.get("OldStateValue")},
        )
    ]
