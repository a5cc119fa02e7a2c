"""The pack's risk section, the changes since the previous pack, and the annex.

Split from `sections` only to keep each file readable; the building blocks are the
same (`sections_common`).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.reporting import charts
from app.reporting.briefing import BriefingData, RiskLine
from app.reporting.sections_common import (
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    Plain,
    bullets,
    count,
    day,
    export_command,
    gap,
    heading,
    left_out,
    para,
    signed,
    worst_first,
)
from app.reporting.tables import TrendArrow, side_by_side, table

RISING_LISTED = 15
CHANGES_LISTED = 20  # lines per kind of change
ACTIONS_LISTED = 20
TOP_RISK_HEADER = ("Ref", "Risk", "Owner", "Score", "Rating", "Trend", "Mitigation")


def _risk_rows(lines: Sequence[RiskLine]) -> list[list[str | Flowable]]:
    return [
        [
            r.reference,
            r.title,
            r.owner,
            Plain(str(r.score)),
            Plain(r.rating),
            TrendArrow(r.trend),
            r.mitigation,
        ]
        for r in lines
    ]


def _risk_table(lines: Sequence[RiskLine], empty: str) -> Flowable:
    return table(
        TOP_RISK_HEADER,
        _risk_rows(lines),
        (17, 40, 26, 11, 14, 13, 46),
        PORTRAIT_WIDTH,
        numeric={3},
        empty=empty,
    )


def risks(data: BriefingData) -> list[Flowable]:
    exposure = data.figures.risks
    by_rating = exposure.by_rating
    open_risks = sum(by_rating.values())
    status = ", ".join(f"{n} {s}" for s, n in exposure.by_status.items())
    intro = (
        f"{count(open_risks, 'open risk')}: "
        + ", ".join(f"{n} {band}" for band, n in by_rating.items())
        + f" by current rating. All risks by status: {status}."
    )
    half = PORTRAIT_WIDTH / 2 - 3 * mm
    maps = side_by_side(
        [
            charts.heat_map(
                exposure.matrix_inherent, f"Inherent (current): {open_risks} open", half, 72 * mm
            ),
            charts.heat_map(
                exposure.matrix_residual,
                f"Residual (after mitigation): {open_risks} open",
                half,
                72 * mm,
            ),
        ],
        PORTRAIT_WIDTH,
    )
    old_scores = {r.reference: r.from_score for r in exposure.rising}
    rose = worst_first(data.rising, RISING_LISTED, lambda r: r.score)
    overdue = worst_first(data.overdue_actions, ACTIONS_LISTED, lambda a: a.days_overdue)
    rising = table(
        ("Ref", "Risk", "Owner", "Score was", "Score now", "Trend"),
        [
            [
                r.reference,
                r.title,
                r.owner,
                Plain(str(old_scores.get(r.reference, ""))),
                Plain(str(r.score)),
                TrendArrow("up"),
            ]
            for r in rose
        ],
        (16, 60, 30, 12, 12, 14),
        PORTRAIT_WIDTH,
        numeric={3, 4},
        empty="No risk rose since the previous pack.",
    )
    actions = table(
        ("Action", "Owner", "Due", "Days overdue", "Risk"),
        [
            (a.title, a.owner, day(a.due_on), Plain(str(a.days_overdue)), a.risk or "")
            for a in overdue
        ],
        (70, 32, 16, 14, 14),
        PORTRAIT_WIDTH,
        numeric={3},
        empty="No action is overdue.",
    )
    return [
        *heading("5 Risks", 0),
        para(intro),
        gap(3 * mm),
        maps,
        *heading(
            f"Top {len(data.top_risks)} risks",
            1,
            [_risk_table(data.top_risks, "No open risk is visible to this audience.")],
        ),
        *heading(
            "Risks that rose",
            1,
            [
                *left_out(
                    len(rose), len(data.rising), "risks that rose", "The highest scores come first."
                ),
                rising,
            ],
        ),
        *heading(
            "Overdue actions",
            1,
            [
                *left_out(
                    len(overdue),
                    len(data.overdue_actions),
                    "overdue actions",
                    "The most overdue come first; "
                    f"{export_command('actions', data.audience)} lists them all.",
                ),
                actions,
            ],
        ),
    ]


def changes(data: BriefingData) -> list[Flowable]:
    story: list[Flowable] = heading("6 Changes since the previous pack", 0)
    found = data.changes
    if found is None:
        story.append(
            para(
                "This is the first pack for this audience: there is no previous pack to "
                "compare with, so nothing is reported as changed."
            )
        )
        return story
    story.append(
        para(
            f"Compared with the pack of {found.since_date.isoformat()} for the same audience "
            f"(snapshot {found.since_snapshot})."
        )
    )
    # The biggest moves first when a long gap between packs makes the lists long.
    moved = worst_first(found.rescored_risks, CHANGES_LISTED, lambda r: abs(r[2] - r[1]))
    slips = worst_first(found.slipped_milestones, CHANGES_LISTED, lambda m: abs((m[2] - m[1]).days))
    rescored = table(
        ("Risk", "Score was", "Score now", "Trend"),
        [
            (ref, Plain(str(old)), Plain(str(new)), TrendArrow(_trend(old, new)))
            for ref, old, new in moved
        ],
        (30, 15, 15, 15),
        PORTRAIT_WIDTH * 0.6,
        numeric={1, 2},
    )
    slipped = table(
        ("Milestone", "Forecast was", "Forecast now", "Moved (days)"),
        [(title, day(old), day(new), signed((new - old).days)) for title, old, new in slips],
        (60, 16, 16, 14),
        PORTRAIT_WIDTH,
        numeric={3},
    )

    def listed(lines: Sequence[str]) -> list[Flowable]:
        return bullets(lines, limit=CHANGES_LISTED) or [para("None.")]

    def capped(shown: int, total: int, what: str) -> list[Flowable]:
        return left_out(shown, total, what, "The largest changes come first.")

    for title, body in (
        ("New risks", listed(found.new_risks)),
        ("Closed risks", listed(found.closed_risks)),
        (
            "Re-scored risks",
            [*capped(len(moved), len(found.rescored_risks), "re-scored risks"), rescored],
        ),
        (
            "Slipped milestones",
            [*capped(len(slips), len(found.slipped_milestones), "slipped milestones"), slipped],
        ),
        ("New contributions", listed(found.new_contributions)),
        ("Decisions taken", listed(found.decisions_taken)),
    ):
        story += heading(title, 2, body, room=20 * mm)
    return story


def _trend(old: int, new: int) -> str:
    return "up" if new > old else "down" if new < old else "flat"


def annex(data: BriefingData) -> list[Flowable]:
    register = table(
        (
            "Ref",
            "Risk",
            "Category",
            "Owner",
            "Status",
            "L",
            "I",
            "Score",
            "Rating",
            "Residual",
            "Trend",
            "Proximity",
            "Mitigation",
        ),
        [
            [
                r.reference,
                r.title,
                r.category,
                r.owner,
                Plain(r.status),
                Plain(str(r.likelihood)),
                Plain(str(r.impact)),
                Plain(str(r.score)),
                Plain(r.rating),
                Plain(str(r.residual_score)),
                TrendArrow(r.trend),
                day(r.proximity),
                r.mitigation,
            ]
            for r in data.risks
        ],
        (17, 44, 22, 26, 12, 5, 5, 11, 14, 14, 14, 17, 49),
        LANDSCAPE_WIDTH,
        numeric={5, 6, 7, 9},
        empty="No risk is visible to this audience.",
    )
    milestones = table(
        ("Workstream", "Milestone", "Baseline", "Forecast", "Actual", "Slip (days)", "State"),
        [
            (
                m.workstream,
                m.title,
                day(m.baseline),
                day(m.forecast),
                day(m.actual),
                signed(m.slip_days),
                Plain(m.state),
            )
            for m in data.milestones
        ],
        (18, 90, 18, 18, 18, 14, 16),
        LANDSCAPE_WIDTH,
        numeric={5},
        empty="No milestone is visible to this audience.",
    )
    return [
        *heading("7 Annex", 0),
        *heading(
            "Risk register",
            1,
            [
                *left_out(
                    len(data.risks),
                    data.risks_total,
                    "risks",
                    f"{export_command('risks', data.audience)} writes them all.",
                ),
                register,
            ],
        ),
        *heading(
            "Milestones",
            1,
            [
                *left_out(
                    len(data.milestones),
                    data.milestones_total,
                    "milestones",
                    f"{export_command('milestones', data.audience)} writes them all.",
                ),
                milestones,
            ],
        ),
    ]
