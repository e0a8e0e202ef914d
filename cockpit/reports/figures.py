"""A report (GetIncidentReport) as titled tables of text, for the screen, the terminal and CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cockpit.analyses.moments import seconds_text

MEASURES = (("timeToEngage", "engage"), ("timeToAcknowledge", "ack"), ("timeToResolve", "resolve"))


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    values: list[float]  # what the table's chart plots, one per row


def _stat(summary: dict[str, Any], name: str) -> str:
    return seconds_text(summary.get(name)) if summary.get("count") else "–"


def _times(key: str, title: str, groups: list[dict[str, Any]], measure: str | None) -> Table:
    """One row per group: every measure's median, p90 and mean, or only ``measure``'s (and the
    chart plots the median of ``measure``, default time to acknowledge, in minutes)."""
    measures = [(m, short) for m, short in MEASURES if measure in (None, m)]
    stats = ("median", "p90", "mean")
    headers = ("", "n", *(f"{short} {stat.replace('median', 'med')}" for _, short in measures for stat in stats))
    rows = [(g["label"], str(g["incidentCount"]), *(_stat(g[m], stat) for m, _ in measures for stat in stats))
            for g in groups]
    values = [(g[measure or "timeToAcknowledge"].get("median") or 0) / 60 for g in groups]
    return Table(key, title, headers, rows, values)


def tables(report: dict[str, Any], measure: str | None = None) -> list[Table]:
    """Response times overall and by plan, impact and contact (all measures, or one); pages per
    contact and per hour of the day; incidents per week."""
    return [
        _times("plans", "Response times by response plan", [report["overall"], *report["byResponsePlan"]], measure),
        _times("impact", "Response times by impact", report["byImpact"], measure),
        _times("contacts", "Response times by contact", report["byContact"], measure),
        Table("pages", "Pages per contact", ("contact", "pages"),
              [(p["label"], str(p["pages"])) for p in report["pagesPerContact"]],
              [p["pages"] for p in report["pagesPerContact"]]),
        Table("hours", "Pages per hour of the day", ("hour", "pages"),
              [(f"{h['hour']:02d}", str(h["pages"])) for h in report["pagesPerHour"]],
              [h["pages"] for h in report["pagesPerHour"]]),
        Table("weeks", "Incidents per week", ("week of", "incidents"),
              [(w["weekStart"], str(w["incidents"])) for w in report["incidentsPerWeek"]],
              [w["incidents"] for w in report["incidentsPerWeek"]]),
    ]


def csv_rows(report: dict[str, Any]) -> list[list[str]]:
    """One flat CSV: section, group, then every figure in seconds (empty when unknown)."""
    out = [["section", "group", "incidents", *(f"{m}_{s}" for m, _ in MEASURES for s in ("count", "median", "p90",
                                                                                           "mean")), "pages"]]

    def times(section: str, groups: list[dict[str, Any]]) -> None:
        for g in groups:
            cells = [str(g[m].get(s, "")) for m, _ in MEASURES for s in ("count", "median", "p90", "mean")]
            out.append([section, g["label"], str(g["incidentCount"]), *cells, ""])

    times("overall", [report["overall"]])
    times("response_plan", report["byResponsePlan"])
    times("impact", report["byImpact"])
    times("contact", report["byContact"])
    blank = [""] * (1 + 4 * len(MEASURES))
    out += [["pages_per_contact", p["label"], *blank, str(p["pages"])] for p in report["pagesPerContact"]]
    out += [["pages_per_hour", f"{h['hour']:02d}", *blank, str(h["pages"])] for h in report["pagesPerHour"]]
    out += [["incidents_per_week", w["weekStart"], str(w["incidents"]), *blank[1:], ""] for w in report["incidentsPerWeek"]]
    return out
