"""Prometheus Alertmanager's webhook (version 4) and Grafana's unified alerting webhook.

Grafana's body is Alertmanager's plus ``title``, ``message``, ``orgId`` and, per alert,
``dashboardURL``, ``panelURL``, ``silenceURL``, ``valueString``. Dedupe is by the group key
(one incident per notification group, the default) or, with ``dedupeBy: fingerprint``, per
alert. Firing alerts trigger; resolved ones resolve. The incident's related items link each
alert's ``generatorURL`` and, from Grafana, its dashboard and panel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.intake.alerts import Action, Alert, PayloadError, optional, parse_time, require

STATUSES = {"firing": Action.TRIGGER, "resolved": Action.RESOLVE}
LINKS = (("generatorURL", "Alert source"), ("dashboardURL", "Dashboard"), ("panelURL", "Panel"))


def _status(value: Any, where: str) -> Action:
    if value not in STATUSES:
        raise PayloadError(f"'{where}' must be 'firing' or 'resolved', not {str(value)[:40]!r}")
    return STATUSES[value]


def _labels(obj: dict[str, Any], key: str, where: str) -> dict[str, str]:
    value = optional(obj, key, dict, where) or {}
    return {str(k): str(v) for k, v in value.items()}


def _links(alerts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for alert in alerts:
        for key, title in LINKS:
            url = alert.get(key)
            if isinstance(url, str) and url.startswith(("http://", "https://")) and (title, url) not in out:
                out.append((title, url))
    return out


def _title(labels: dict[str, str], annotations: dict[str, str], fallback: str) -> str:
    name = labels.get("alertname") or fallback
    summary = annotations.get("summary")
    return f"{name}: {summary}" if summary else name


def normalize(payload: Any, options: dict[str, Any], now: datetime, source: str) -> list[Alert]:
    """``source`` is ``alertmanager`` or ``grafana``."""
    if not isinstance(payload, dict):
        raise PayloadError("the payload must be a JSON object")
    version = payload.get("version")
    if source == "alertmanager" and version != "4":
        raise PayloadError(f"'version' must be \"4\" (Alertmanager's webhook format), not {version!r}")
    group_key = require(payload, "groupKey", str)
    group_status = _status(payload.get("status"), "status")
    raw_alerts = require(payload, "alerts", list)
    if not raw_alerts:
        raise PayloadError("'alerts' is empty")
    alerts = []
    for i, raw in enumerate(raw_alerts):
        where = f"alerts[{i}]"
        if not isinstance(raw, dict):
            raise PayloadError(f"'{where}' must be an object")
        _status(raw.get("status"), f"{where}.status")
        for key in ("labels", "annotations"):
            _labels(raw, key, where)
        optional(raw, "fingerprint", str, where)
        parse_time(raw.get("startsAt"), f"{where}.startsAt", now)
        alerts.append(raw)
    common_labels = _labels(payload, "commonLabels", "")
    common_annotations = _labels(payload, "commonAnnotations", "")
    kind = "Grafana" if source == "grafana" else "Alertmanager"
    if options.get("dedupeBy") == "fingerprint":
        return [_one_alert(raw, payload, source, kind, now) for raw in alerts]
    first = alerts[0]
    title = payload.get("title") if source == "grafana" and isinstance(payload.get("title"), str) else None
    title = title or _title(common_labels or _labels(first, "labels", ""), common_annotations, f"{kind} alert")
    summary = payload.get("message") if isinstance(payload.get("message"), str) else None
    summary = summary or common_annotations.get("description") or common_annotations.get("summary")
    return [
        Alert(
            action=group_status,
            dedupe=group_key,
            title=title[:200],
            source=source,
            timestamp=parse_time(first.get("startsAt"), "alerts[0].startsAt", now),
            event=payload,
            name=common_labels.get("alertname") or group_key,
            summary=summary,
            links=_links(alerts),
            details={"receiver": payload.get("receiver"), "alerts": len(alerts), "groupKey": group_key},
        )
    ]


def _one_alert(raw: dict[str, Any], payload: dict[str, Any], source: str, kind: str, now: datetime) -> Alert:
    labels, annotations = _labels(raw, "labels", ""), _labels(raw, "annotations", "")
    fingerprint = raw.get("fingerprint") or "|".join(f"{k}={v}" for k, v in sorted(labels.items()))
    if not fingerprint:
        raise PayloadError("an alert has neither 'fingerprint' nor labels to dedupe by")
    return Alert(
        action=STATUSES[raw["status"]],
        dedupe=f"{source}:{fingerprint}",
        title=_title(labels, annotations, f"{kind} alert")[:200],
        source=source,
        timestamp=parse_time(raw.get("startsAt"), "startsAt", now),
        event={**payload, "alerts": [raw]},
        name=labels.get("alertname") or fingerprint,
        summary=annotations.get("description") or annotations.get("summary"),
        links=_links([raw]),
        details={"fingerprint": fingerprint, "labels": labels},
    )
