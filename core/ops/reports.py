"""GetIncidentReport (our own operation): response times, pages and incident counts over a period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from core.analysis import reports
from core.engine.context import Context
from core.errors import ValidationException
from core.ops.registry import OWN_SERVICE, operation

DEFAULT_DAYS = 30
MAX_DAYS = 400


class GetIncidentReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    startTime: AwareDatetime | None = Field(default=None, description="default: `days` before endTime")
    days: int = Field(default=DEFAULT_DAYS, ge=1, le=MAX_DAYS, description="the period's length when startTime is not given")
    endTime: AwareDatetime | None = Field(default=None, description="exclusive; default: now (included)")
    timeZone: str = Field(default="UTC", min_length=1, max_length=64,
                          description="IANA zone for hours of the day and weeks")


def _invalid(field: str, message: str) -> ValidationException:
    return ValidationException(f"{field}: {message}", fields=[{"name": field, "message": message}])


@operation("GetIncidentReport", service=OWN_SERVICE, readonly=True, request=GetIncidentReportRequest)
async def get_incident_report(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Report on the incidents started in a period: time to engage, acknowledge and resolve
    (median, p90, mean) overall and by response plan, impact and contact, pages per contact and
    per hour of the day, and incidents per week."""
    end = req.get("endTime") or ctx.now + timedelta(microseconds=1)  # up to and including now
    start = req.get("startTime") or end - timedelta(days=req["days"])
    if start >= end:
        raise _invalid("startTime", "must be before endTime")
    if end - start > timedelta(days=MAX_DAYS):
        raise _invalid("startTime", f"a report covers at most {MAX_DAYS} days")
    try:
        ZoneInfo(req["timeZone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise _invalid("timeZone", f"{req['timeZone']!r} is not an IANA time zone (e.g. Europe/Paris)") from None
    return {"report": await reports.build(ctx.tx, start, end, req["timeZone"])}
