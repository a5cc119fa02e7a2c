"""The briefing pack's story, one function per section, in the order the issue gives.

Each function reads only the `BriefingData` it is given and returns platypus
flowables; `pdf.render` strings them together, each section on a new page. Headings
in the "h1" and "h2" styles are what the contents page lists. The money sections live
in `sections_money`, the risk, change and annex sections in `sections_risks`.

A pack is read in ten minutes, so every list is capped (the most severe first) with a
note saying how many rows were left out and where the rest are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from app.domain import Rating
from app.reporting import charts, fonts
from app.reporting.briefing import BriefingData, Changes, WorkstreamLine
from app.reporting.sections_common import (
    HEAD_FILL,
    INK,
    LANDSCAPE,
    LANDSCAPE_HEIGHT,
    LANDSCAPE_WIDTH,
    PORTRAIT,
    PORTRAIT_WIDTH,
    Plain,
    bold,
    bullets,
    count,
    day,
    facts,
    gap,
    grid,
    heading,
    join,
    left_out,
    money,
    name,
    para,
    pct,
    ratio,
    side_by_side,
    signed,
    small,
    styles,
    table,
    to_landscape,
    worst_first,
)
from app.reporting.sections_money import contracts, cost_sharing
from app.reporting.sections_risks import annex, changes, risks

# A reason list longer than this is cut, pointing to the section with the detail.
REASONS_SHOWN = 8
# Workstreams per timeline page: fewer leaves room for the milestone diamonds.
TIMELINE_ROWS = 18
# Workstreams in the table and on the timeline (two timeline pages); the most severe.
WORKSTREAMS_LISTED = 2 * TIMELINE_ROWS
SEVERITY = {"RED": 2, "AMBER": 1, "GREEN": 0}
DECISIONS_LISTED = 12

Build = Callable[[BriefingData], list[Flowable]]


@dataclass(frozen=True)
class Section:
    build: Build
    template: str = PORTRAIT  # the page template the section starts on


# 0 Cover and contents -------------------------------------------------------------------


def cover(data: BriefingData) -> list[Flowable]:
    """What a reader and a registry clerk need before opening the pack: whose, for whom,
    as at when, how protected, and how to prove later that the data has not changed."""
    width = PORTRAIT_WIDTH
    snapshot = "not stored" if data.snapshot_id is None else f"snapshot {data.snapshot_id}"
    partners = "; ".join(f"{nation} {title}" for nation, title in data.partners)
    particulars: list[tuple[str, str | Flowable]] = [
        ("Programme code", Plain(data.code)),
        ("Partner nations", partners),
        ("Audience", data.audience_label),
        ("Status date", Plain(f"{data.status_date:%d %B %Y} ({data.status_date.isoformat()})")),
        ("Distribution", data.distribution),
        ("Version", Plain(snapshot)),
        ("Audit chain head", para(data.audit_head, "mono")),
        ("Created by", data.created_by),
        ("Created at", Plain(data.created_at)),
    ]
    marking = grid(
        [[para(data.marking, "marking")]],
        [width * 0.6],
        [
            ("BOX", (0, 0), (-1, -1), 1.5, INK),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ],
    )
    marking.hAlign = "CENTER"
    return [
        gap(30 * mm),
        para("BRIEFING PACK", "subtitle"),
        gap(2 * mm),
        para(data.name, "title"),
        para(data.code, "subtitle"),
        gap(18 * mm),
        marking,
        gap(18 * mm),
        facts(particulars, width),
        gap(6 * mm),
        para(
            "The audit chain head (hash:entries) lets the office prove later, with "
            "`setu audit --verify --expect-head`, that the database has not been changed "
            "behind Setu's back since this pack was made.",
            "note",
        ),
    ]


def contents(data: BriefingData) -> list[Flowable]:
    # The font is named for the same reason as in `grid`.
    toc = TableOfContents(
        dotsMinLevel=0,
        tableStyle=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    toc.levelStyles = [styles()["toc0"], styles()["toc1"]]
    return [para("Contents", "contents"), toc]


# 1 Executive summary ---------------------------------------------------------------------


def _status_line(data: BriefingData) -> list[Flowable]:
    rag = data.figures.rag
    line = grid(
        [
            [
                charts.rag_badge(rag.status, 60, 18),
                para(
                    join(
                        "Programme status as at",
                        data.status_date.isoformat() + ":",
                        bold(rag.status),
                    )
                ),
            ]
        ],
        [66, PORTRAIT_WIDTH - 66],
        [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )
    more = " (see Workstreams and Risks)"
    return [line, gap(2 * mm), *bullets(rag.reasons, limit=REASONS_SHOWN, more=more)]


def _tile(value: str, label: str, detail: str) -> list[Flowable]:
    return [para(value, "figure"), para(label, "cell_bold"), para(detail, "note")]


def _key_figures(data: BriefingData) -> Flowable:
    """Five figures a reader takes away, each with what it is measured against."""
    ev = data.figures.earned_value.programme
    industry = data.figures.industry
    ccy = data.base_currency
    by_rating = data.figures.risks.by_rating
    open_risks = sum(by_rating.values())

    def short(minor: int | None) -> str:
        # Headline sizes at a glance; the exact amounts are in the table under the tiles.
        return "n/a" if minor is None else charts.compact_money(minor, ccy)

    tiles = [
        _tile(ratio(ev.spi), "SPI", f"schedule: earned {short(ev.ev)} of {short(ev.pv)} planned"),
        _tile(ratio(ev.cpi), "CPI", f"cost: earned {short(ev.ev)} for {short(ev.ac)} spent"),
        _tile(
            short(ev.eac),
            "EAC vs BAC",
            f"estimate at completion against a budget of {short(ev.bac)}",
        ),
        _tile(
            pct(industry.ic_achieved_pct),
            "Indigenous content",
            f"achieved, against a target of {pct(industry.ic_target_pct)} (value-weighted)",
        ),
        _tile(
            str(by_rating[Rating.HIGH]),
            "Open HIGH risks",
            f"of {count(open_risks, 'open risk')}",
        ),
    ]
    row = side_by_side(tiles, PORTRAIT_WIDTH)
    row.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), HEAD_FILL),
                ("LINEBEFORE", (1, 0), (-1, -1), 2, "white"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return row


def _earned_value(data: BriefingData) -> Flowable:
    """The exact programme figures behind the tiles, in the base currency."""
    ev = data.figures.earned_value.programme
    ccy = data.base_currency
    return table(
        ("Earned value", ccy, "", ccy),
        [
            (
                "BAC (budget at completion)",
                money(ev.bac, ccy),
                "AC (actual cost)",
                money(ev.ac, ccy),
            ),
            (
                "PV (planned value)",
                money(ev.pv, ccy),
                "EAC (estimate at completion)",
                money(ev.eac, ccy),
            ),
            (
                "EV (earned value)",
                money(ev.ev, ccy),
                "VAC (variance at completion)",
                money(ev.vac, ccy),
            ),
        ],
        (26, 24, 26, 24),
        PORTRAIT_WIDTH,
        numeric={1, 3},
    )


def excluded_note(data: BriefingData) -> list[Flowable]:
    """DOMAIN.md: totals say when they leave out records the audience may not see."""
    n = data.excluded_records
    if n <= 0:
        return []
    verb = "is" if n == 1 else "are"
    text = f"{count(n, 'record')} not releasable to this audience {verb} excluded from every total."
    return [gap(2 * mm), para(text, "note")]


def changes_summary(found: Changes | None) -> str:
    if found is None:
        return (
            "This is the first pack for this audience: there is no previous pack to compare with."
        )
    since = f"Since the pack of {found.since_date.isoformat()} (snapshot {found.since_snapshot})"
    if found.empty:
        return f"{since} nothing reported here has changed."
    parts = [
        count(len(found.new_risks), "new risk"),
        count(len(found.closed_risks), "closed risk"),
        count(len(found.rescored_risks), "re-scored risk"),
        count(len(found.slipped_milestones), "slipped milestone"),
        count(len(found.new_contributions), "new contribution"),
        count(len(found.decisions_taken), "decision taken", "decisions taken"),
    ]
    return f"{since}: {', '.join(parts)} (details in section 6)."


def summary(data: BriefingData) -> list[Flowable]:
    pending = worst_first(data.decisions, DECISIONS_LISTED, lambda d: -d.needed_by.toordinal())
    decisions = table(
        ("Decision required", "Forum", "Needed by", "Status"),
        [(d.title, d.forum, day(d.needed_by), Plain(d.status)) for d in pending],
        (56, 24, 13, 10),
        PORTRAIT_WIDTH,
        empty="No decision is required from the reader in this pack.",
    )
    return [
        *heading("1 Executive summary", 0),
        *_status_line(data),
        *heading(
            "Key figures",
            1,
            [
                _key_figures(data),
                gap(3 * mm),
                _earned_value(data),
                *excluded_note(data),
            ],
        ),
        *heading(
            "Decisions required from you",
            1,
            [
                *left_out(
                    len(pending),
                    len(data.decisions),
                    "pending decisions",
                    "The soonest needed come first; `setu export decisions` lists them all.",
                ),
                decisions,
            ],
        ),
        *heading("What changed since the previous pack", 1, [para(changes_summary(data.changes))]),
    ]


# 2 Workstreams ---------------------------------------------------------------------------


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
    lines = [
        join(bold(f"{w.code} {w.rag}:"), "; ".join(w.reasons))
        for w in data.workstreams
        if w.rag != "GREEN"
    ]
    if not lines:
        return []
    return heading("Why workstreams are not GREEN", 2, bullets(lines, limit=REASONS_SHOWN * 2))


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
            "The most severe are listed (RED, then AMBER); `setu export workstreams` "
            "lists them all.",
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


SECTIONS: tuple[Section, ...] = (
    Section(cover),
    Section(contents),
    Section(summary),
    Section(workstreams),
    Section(contracts),
    Section(cost_sharing),
    Section(risks),
    Section(changes),
    Section(annex, LANDSCAPE),
)
