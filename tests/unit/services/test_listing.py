"""Registers listed a page at a time: sorted, filtered and counted in SQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import or_, select

from app.database import Database
from app.demo import build
from app.models import Risk
from app.services import listing, programmes, risks
from app.services.listing import RISKS, like_pattern
from tests.conftest import Fixture, risk_draft


@pytest.fixture
def five(db: Database, programme: Fixture) -> int:
    """Five risks whose every sortable column orders them differently (hand-checked)."""
    pid = programme.programme_id
    table = [
        # reference, title, category, owner, L, I, rL, rI, proximity, status
        ("R-003", "Radome supplier capacity", "supply chain", "Rao", 4, 4, 2, 3, None, "open"),
        ("R-001", "Export licence delay", "sanctions and export control", "Ivanova", 3, 5,
         1, 1, date(2025, 9, 1), "open"),
        ("R-005", "Rupee-rouble rate swing", "currency", "", 2, 2, 2, 2, date(2025, 6, 1),
         "closed"),
        ("R-002", "Seeker test range booking", "schedule", "Menon", 5, 1, 5, 1, None, "open"),
        ("R-004", "Absorption of seeker know-how", "technology absorption", "Petrov", 1, 5,
         1, 4, date(2025, 7, 15), "realised"),
    ]  # fmt: skip
    for ref, title, category, owner, lk, im, rl, ri, proximity, status in table:
        risks.raise_risk(
            db,
            pid,
            risk_draft(
                reference=ref,
                title=title,
                category=category,
                owner=owner,
                likelihood=lk,
                impact=im,
                residual_likelihood=rl,
                residual_impact=ri,
                proximity=proximity,
                status=status,
            ),
        )
    return pid


def refs(rows: list[risks.RiskRow]) -> list[str]:
    return [r.reference for r in rows]


def a_page(db: Database, pid: int, **options: object) -> tuple[list[risks.RiskRow], int]:
    args: dict[str, object] = {
        "sort": None,
        "descending": False,
        "text": "",
        "offset": 0,
        "limit": 100,
        **options,
    }
    return listing.page(db, RISKS, pid, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("reference", False, ["R-001", "R-002", "R-003", "R-004", "R-005"]),
        ("reference", True, ["R-005", "R-004", "R-003", "R-002", "R-001"]),
        ("title", False, ["R-004", "R-001", "R-003", "R-005", "R-002"]),
        ("owner", False, ["R-005", "R-001", "R-002", "R-004", "R-003"]),
        # Scores 16, 15, 4, 5, 5: the tie (R-002 id 4, R-004 id 5) goes by id, in the
        # same direction, so descending is exactly ascending reversed.
        ("score", True, ["R-003", "R-001", "R-004", "R-002", "R-005"]),
        ("score", False, ["R-005", "R-002", "R-004", "R-001", "R-003"]),
        # HIGH (4x4 = 16, 3x5 = 15), MEDIUM (1x5), LOW (5x1 = 5, 2x2 = 4).
        ("rating", True, ["R-003", "R-001", "R-004", "R-002", "R-005"]),
        ("rating", False, ["R-005", "R-002", "R-004", "R-001", "R-003"]),
        ("residual_score", True, ["R-003", "R-002", "R-004", "R-005", "R-001"]),
        # No proximity last in both directions.
        ("proximity", False, ["R-005", "R-004", "R-001", "R-003", "R-002"]),
        ("proximity", True, ["R-001", "R-004", "R-005", "R-002", "R-003"]),
        ("status", False, ["R-005", "R-003", "R-001", "R-002", "R-004"]),
        ("category", False, ["R-005", "R-001", "R-002", "R-003", "R-004"]),
        (None, False, ["R-003", "R-001", "R-005", "R-002", "R-004"]),  # entry order
    ],
)
def test_sorted_in_sql(
    db: Database, five: int, sort: str | None, descending: bool, expected: list[str]
) -> None:
    rows, total = a_page(db, five, sort=sort, descending=descending)
    assert refs(rows) == expected
    assert total == 5


def test_pages_cover_the_order_without_overlap(db: Database, five: int) -> None:
    seen: list[str] = []
    for offset in range(0, 5, 2):
        rows, total = a_page(db, five, sort="score", descending=True, offset=offset, limit=2)
        assert total == 5
        seen += refs(rows)
    assert seen == ["R-003", "R-001", "R-004", "R-002", "R-005"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seeker", ["R-002", "R-004"]),  # case-insensitive, in the title
        ("SEEKER", ["R-002", "R-004"]),
        ("r-00", ["R-001", "R-002", "R-003", "R-004", "R-005"]),  # reference
        ("ivanova", ["R-001"]),  # owner
        ("currency", ["R-005"]),  # category
        ("  radome  ", ["R-003"]),  # surrounding blanks ignored
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
        ("nothing like it", []),
    ],
)
def test_text_filter(db: Database, five: int, text: str, expected: list[str]) -> None:
    rows, total = a_page(db, five, sort="reference", text=text)
    assert refs(rows) == expected
    assert total == len(expected)
    assert listing.count(db, RISKS, five, text=text) == len(expected)


def test_wildcard_characters_match_themselves(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    risks.raise_risk(db, pid, risk_draft(reference="R-1", title="Yield 50% low"))
    risks.raise_risk(db, pid, risk_draft(reference="R-2", title="Yield 50 low"))
    risks.raise_risk(db, pid, risk_draft(reference="R_3", title="Other"))
    assert refs(a_page(db, pid, text="50%")[0]) == ["R-1"]
    assert refs(a_page(db, pid, text="R_")[0]) == ["R_3"]


# Latin, Cyrillic and Devanagari words the demo's risks hold (owners are written in
# both scripts, "I. Sokolov (И. Соколов)"), each in several cases.
DEMO_NEEDLES = [
    *("supplier", "SUPPLIER", "sUpPlIeR", "r-0", "Sokolov", "SOKOLOV"),
    *("Соколов", "соколов", "СОКОЛОВ", "Волкова", "कुलकर्णी"),
]


def test_text_filter_finds_what_ilike_finds(db: Database, dialect: str) -> None:
    """On SQLite the filter is a plain LIKE (faster than ILIKE's lower() of every value):
    it must find exactly the risks ILIKE finds, in every script, whatever the case."""
    build(db, scale=1, today=date(2026, 11, 26))
    pid = programmes.choose(db, None).id
    found: dict[str, list[int]] = {}
    for needle in DEMO_NEEDLES:
        pattern = like_pattern(needle)
        with db.read() as session:
            expected = session.scalars(
                select(Risk.id)
                .where(
                    Risk.programme_id == pid,
                    or_(*(c.ilike(pattern, escape="\\") for c in RISKS.searchable)),
                )
                .order_by(Risk.id)
            ).all()
        rows, total = a_page(db, pid, text=needle, limit=len(expected) + 1)
        found[needle] = [r.id for r in rows]
        assert (found[needle], total) == (list(expected), len(expected)), needle
    assert found["supplier"] == found["SUPPLIER"] == found["sUpPlIeR"] != []
    assert found["Sokolov"] == found["SOKOLOV"] == found["Соколов"] != []
    assert found["Волкова"] != [] and found["कुलकर्णी"] != []
    if dialect == "sqlite":  # SQLite folds ASCII only, with ILIKE as with LIKE
        assert found["соколов"] == found["СОКОЛОВ"] == []


def test_cell_filters_for_the_heat_map(db: Database, five: int) -> None:
    rows, total = a_page(db, five, where={"likelihood": 4, "impact": 4})
    assert (refs(rows), total) == (["R-003"], 1)
    rows, total = a_page(db, five, where={"residual_likelihood": 1, "residual_impact": 1})
    assert (refs(rows), total) == (["R-001"], 1)
    rows, total = a_page(db, five, where={"likelihood": 1, "impact": 5, "status": "open"})
    assert (refs(rows), total) == ([], 0)  # R-004 is realised
    rows, total = a_page(db, five, sort="reference", where={"status": "open"}, text="seeker")
    assert (refs(rows), total) == (["R-002"], 1)
    assert listing.count(db, RISKS, five) == 5


def test_other_programmes_are_not_listed(db: Database, five: int) -> None:
    rows, total = a_page(db, five + 1)
    assert (rows, total) == ([], 0)


def test_unknown_sort_or_filter_is_refused(db: Database, five: int) -> None:
    with pytest.raises(ValueError, match="sorted by 'version; DROP TABLE risk'"):
        a_page(db, five, sort="version; DROP TABLE risk")
    with pytest.raises(ValueError, match="filtered by 'marking'"):
        a_page(db, five, where={"marking": 0})


def test_rows_are_the_services_rows(db: Database, five: int) -> None:
    rows, _ = a_page(db, five, sort="reference", limit=1)
    assert rows == [r for r in risks.list_risks(db, five) if r.reference == "R-001"]


def test_risk_matrices_count_open_risks(db: Database, five: int) -> None:
    inherent, residual = listing.risk_matrices(db, five)
    expected_inherent = [[0] * 5 for _ in range(5)]
    expected_inherent[5 - 4][4 - 1] = 1  # R-003 L4 I4
    expected_inherent[5 - 3][5 - 1] = 1  # R-001 L3 I5
    expected_inherent[5 - 5][1 - 1] = 1  # R-002 L5 I1
    assert inherent == expected_inherent
    expected_residual = [[0] * 5 for _ in range(5)]
    expected_residual[5 - 2][3 - 1] = 1
    expected_residual[5 - 1][1 - 1] = 1
    expected_residual[5 - 5][1 - 1] = 1
    assert residual == expected_residual
    assert listing.risk_matrices(db, five + 1) == ([[0] * 5] * 5, [[0] * 5] * 5)
