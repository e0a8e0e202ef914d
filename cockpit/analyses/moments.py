"""Key moments and times of an analysis as labelled rows (the Metrics tab and the export)."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Any

from core.model.analyses import KEY_MOMENTS, TIMES
from widgets.formatting import EMPTY, format_duration, local_time


def seconds_text(seconds: float | None) -> str:
    return EMPTY if seconds is None else format_duration(timedelta(seconds=seconds))


def moment_rows(analysis: dict[str, Any], zone: tzinfo | None) -> list[tuple[str, str]]:
    moments = analysis.get("keyMoments") or {}
    return [(label, local_time(moments.get(key), zone) if moments.get(key) else "not recorded")
            for key, label in KEY_MOMENTS]


def time_rows(analysis: dict[str, Any]) -> list[tuple[str, str]]:
    metrics = analysis.get("metrics") or {}
    return [(label, seconds_text(metrics.get(key)) if key in metrics else "not known") for key, label, _, _ in TIMES]
