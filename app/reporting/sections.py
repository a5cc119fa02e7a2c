"""The briefing pack's story, section by section, in the order the issue gives.

Each section function reads only the `BriefingData` it is given and returns platypus
flowables; `pdf.render` strings them together, each section on a new page. Headings
in the "h1" and "h2" styles are what the contents page lists. The cover and the
contents are here; the other sections each have their module (`sections_summary`,
`sections_workstreams`, `sections_money`, `sections_risks`), built from the same blocks
(`sections_common`, `tables`).

A pack is read in ten minutes, so every list is capped (the most severe first) with a
note saying how many rows were left out and where the rest are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.reporting.briefing import BriefingData
from app.reporting.contents import Contents
from app.reporting.sections_common import (
    INK,
    LANDSCAPE,
    PORTRAIT,
    PORTRAIT_WIDTH,
    Plain,
    gap,
    para,
)
from app.reporting.sections_money import contracts, cost_sharing
from app.reporting.sections_risks import annex, changes, risks
from app.reporting.sections_summary import summary
from app.reporting.sections_workstreams import workstreams
from app.reporting.tables import facts, grid

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
    """The contents page: its lines are set by `contents.fill` once the story is built."""
    return [para("Contents", "contents"), Contents()]


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
