"""The pack's executive summary: the programme RAG and its reasons, five key figures,
the decisions required from the reader, and what changed since the previous pack."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle

from app.domain import Rating
from app.reporting import charts
from app.reporting.briefing import BriefingData, Changes
from app.reporting.sections_common import (
    HEAD_FILL,
    PORTRAIT_WIDTH,
    Plain,
    bold,
    bullets,
    count,
    day,
    export_command,
    gap,
    heading,
    join,
    left_out,
    money,
    para,
    pct,
    ratio,
    worst_first,
)
from app.reporting.tables import grid, side_by_side, table

# A reason list longer than this is cut, pointing to the section with the detail.
REASONS_SHOWN = 8
DECISIONS_LISTED = 12


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
                    "The soonest needed come first; "
                    f"{export_command('decisions', data.audience)} lists them all.",
                ),
                decisions,
            ],
        ),
        *heading("What changed since the previous pack", 1, [para(changes_summary(data.changes))]),
    ]
