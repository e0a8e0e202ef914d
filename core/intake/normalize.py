"""One entry point from a payload to alerts, by integration type.

The SNS envelope of a ``cloudwatch-sns`` payload is checked (and its signature verified) by
the intake before this runs; here its ``Message`` becomes the alarm's alerts. The Opsgenie
API's requests are normalized by core.intake.opsgenie, on their own routes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.intake import alertmanager, cloudwatch, eventbridge, generic
from core.intake.alerts import Alert, PayloadError
from core.intake.opsgenie import create_alert

TYPES = ("cloudwatch-sns", "eventbridge", "alertmanager", "grafana", "opsgenie", "generic")


def normalize(kind: str, options: dict[str, Any], payload: Any, now: datetime) -> list[Alert]:
    if kind == "alertmanager" or kind == "grafana":
        return alertmanager.normalize(payload, options, now, kind)
    if kind == "eventbridge":
        return eventbridge.normalize(payload, now)
    if kind == "generic":
        return generic.normalize(payload, options["mapping"], now)
    if kind == "opsgenie":
        return [create_alert(payload, now)]
    if kind == "cloudwatch-sns":
        if payload.get("Type") != "Notification":
            return []
        return cloudwatch.normalize(cloudwatch.alarm_message(payload["Message"]), payload["TopicArn"], now)
    raise PayloadError(f"unknown integration type {kind!r}")
