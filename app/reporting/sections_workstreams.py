"""The pack's workstreams section: the RAG table, the timeline and the milestone trend."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.reporting import charts
from app.reporting.briefing import BriefingData, WorkstreamLine
from app.reporting.sections_common import (
    LANDSCAPE_HEIGHT,
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    Plain,
    bold,
    bullets,
    count,
    export_command,
    gap,
    heading,
    join,
    left_out,
    name,
    para,
    ratio,
    signed,
    small,
    to_landscape,
    worst_first,
)
from app.reporting.sections_summary import REASONS_SHOWN
from app.reporting.tables import table

# Workstreams per timeline page: fewer leaves room for the milestone diamonds.
TIMELINE_ROWS = 18
# Workstreams in the table and on the timeline (two timeline pages); the most severe.
WORKSTREAMS_LISTED = 2 * TIMELINE_ROWS
SEVERITY = {"RED": 2, "AMBER": 1, "GREEN": 0}


def _rag_row(w: WorkstreamLine) -> list[str | Flowable]:
    title = join(w.title, small(join("Lead:", name(w.lead)))) if w.lead else w.title
    upcoming = (
        join(w.next_milestone, small(f"forecast {w.next_forecast}" if w.next_forecast else ""))
        if w.next_milestone
        else Plain("none open")
    )
    slip = Plain("") if w.slip_days is None else signed(w.slip_days)
    return [
        w.code,
        title,
        w.phase,
        Plain(f"{w.trl_now} / {w.trl_target}"),
        upcoming,
        slip,
        ratio(w.spi),
        ratio(w.cpi),
        charts.rag_badge(w.rag),
    ]


def _why_not_green(data: BriefingData) -> list[Flowable]:
    late = [w for w in data.workstreams if w.rag != "GREEN"]
    if not late:
        return []
    # Only the lines shown are formatted: a large programme has hundreds.
    shown = late[: REASONS_SHOWN * 2]
    lines = [join(bold(f"{w.code} {w.rag}:"), "; ".join(w.reasons)) for w in shown]
    return heading(
        "Why workstreams are not GREEN", 2, bullets(lines, hidden=len(late) - len(shown))
    )


def _timeline_pages(data: BriefingData, listed: Sequence[WorkstreamLine]) -> list[Flowable]:
    """The timeline on landscape pages, at most TIMELINE_ROWS workstreams per chart."""
    if not listed:
        return []  # the table above already says there is none
    by_code: dict[str, list[tuple[date, date]]] = {}
    for m in data.milestones:
        by_code.setdefault(m.workstream, []).append((m.baseline, m.forecast))
    rows = [
        charts.TimelineRow(
            _cut(f"{w.code} {w.title}", 48),
            w.baseline_start,
            w.baseline_finish,
            w.forecast_finish,
            tuple(by_code.get(w.code, ())),
        )
        for w in listed
    ]
    dates = [d for r in rows for d in (r.baseline_start, r.baseline_finish, r.forecast_finish) if d]
    dates += [d for r in rows for pair in r.milestones for d in pair]
    start, end = min([*dates, data.status_date]), max([*dates, data.status_date])
    story: list[Flowable] = []
    chart_height = LANDSCAPE_HEIGHT - 16 * mm
    for first in range(0, len(rows), TIMELINE_ROWS):
        chunk = rows[first : first + TIMELINE_ROWS]
        height = min(chart_height, 30 * mm + 12 * mm * len(chunk))
        story.append(charts.timeline(chunk, start, end, data.status_date, LANDSCAPE_WIDTH, height))
    return heading("Workstream timeline", 1, story, room=LANDSCAPE_HEIGHT)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def workstreams(data: BriefingData) -> list[Flowable]:
    listed = worst_first(data.workstreams, WORKSTREAMS_LISTED, lambda w: SEVERITY.get(w.rag, 0))
    rag = [w.rag for w in data.workstreams]
    counts = ", ".join(f"{rag.count(s)} {s}" for s in ("RED", "AMBER", "GREEN"))
    schedule = data.figures.schedule
    slip = "" if schedule.max_slip_days is None else f", largest slip {schedule.max_slip_days} days"
    intro = (
        f"{count(len(data.workstreams), 'workstream')}: {counts}. Milestones: "
        f"{schedule.milestones_complete} complete, {schedule.milestones_overdue} overdue{slip}. "
        "Slip: the next milestone's forecast against its baseline, in days."
    )
    rag_table = table(
        (
            "Code",
            "Workstream",
            "Phase",
            "TRL now / target",
            "Next milestone",
            "Slip (d)",
            "SPI",
            "CPI",
            "RAG",
        ),
        [_rag_row(w) for w in listed],
        (13, 37, 18, 14, 32, 9, 9, 9, 17),
        PORTRAIT_WIDTH,
        numeric={3, 5, 6, 7},
        empty="No workstream is visible to this audience.",
    )
    trend = (
        charts.trend_chart(
            data.trend, LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT - 25 * mm, data.status_date
        )
        if data.trend
        else para("No milestone has a reported forecast history yet.")
    )
    trend_note = (
        "Each line is one milestone: its forecast date (up) as reported over time (across). "
        "A rising line is a slipping milestone; a line reaching the diagonal was achieved."
    )
    return [
        *heading("2 Workstreams", 0),
        para(intro),
        gap(2 * mm),
        *left_out(
            len(listed),
            len(data.workstreams),
            "workstreams",
            "The most severe are listed (RED, then AMBER); "
            f"{export_command('workstreams', data.audience)} lists them all.",
        ),
        rag_table,
        *_why_not_green(data),
        # Landscape pages only for something to draw on them.
        *(
            [
                *to_landscape(),
                *_timeline_pages(data, listed),
                *heading("Milestone trend", 1, [para(trend_note, "note"), trend]),
            ]
            if listed or data.trend
            else [gap(2 * mm), trend]
        ),
    ]
