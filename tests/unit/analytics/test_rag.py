"""The RAG rule of DOMAIN.md, threshold by threshold."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest

from app.services.analytics_rag import (
    Limits,
    Rag,
    WorkstreamState,
    programme_rag,
    workstream_rag,
)
from app.services.settings import DEFAULTS

D = date(2026, 6, 30)
LIMITS = Limits.of(DEFAULTS["rag"])
FINE = WorkstreamState(
    0, 0, Decimal("1.0000"), Decimal("1.0000"), "CDR", date(2026, 9, 1), date(2026, 9, 1)
)


@dataclass(frozen=True)
class Risk:
    reference: str
    proximity: date | None


def test_defaults_are_domains_numbers() -> None:
    assert LIMITS == Limits(30, Decimal("0.85"), Decimal("0.95"), 30)


def test_green_when_nothing_is_wrong() -> None:
    assert workstream_rag(FINE, [], D, LIMITS).status == "GREEN"


@pytest.mark.parametrize(
    ("changes", "status", "reason"),
    [
        ({"overdue": 1, "max_overdue_days": 30}, "AMBER", "1 milestone is overdue"),
        ({"overdue": 2, "max_overdue_days": 31}, "RED", "a milestone is overdue by 31 days"),
        ({"spi": Decimal("0.9499")}, "AMBER", "SPI 0.9499 below 0.95"),
        ({"spi": Decimal("0.9500")}, "GREEN", "on schedule and budget; no open HIGH risk"),
        ({"cpi": Decimal("0.8499")}, "RED", "CPI 0.8499 below 0.85"),
        ({"cpi": Decimal("0.8500")}, "AMBER", "CPI 0.8500 below 0.95"),
        ({"spi": None, "cpi": None}, "GREEN", "on schedule and budget; no open HIGH risk"),
        (
            {"next_forecast": date(2026, 9, 2)},
            "AMBER",
            "next milestone 'CDR' forecast 2026-09-02, after its baseline 2026-09-01",
        ),
    ],
)
def test_thresholds(changes: dict[str, object], status: str, reason: str) -> None:
    rag = workstream_rag(replace(FINE, **changes), [], D, LIMITS)  # type: ignore[arg-type]
    assert rag.status == status
    assert reason in rag.reasons


@pytest.mark.parametrize(
    ("proximity", "status"),
    [
        (date(2026, 7, 30), "RED"),  # D + 30 days: inside the window
        (date(2026, 7, 31), "AMBER"),  # D + 31 days
        (date(2026, 1, 1), "RED"),  # a past proximity counts
        (None, "AMBER"),  # no proximity: HIGH, but not imminent
    ],
)
def test_open_high_risk(proximity: date | None, status: str) -> None:
    assert workstream_rag(FINE, [Risk("R-9", proximity)], D, LIMITS).status == status


def test_red_lists_only_the_red_reasons() -> None:
    state = replace(FINE, overdue=3, max_overdue_days=45, spi=Decimal("0.90"))
    assert workstream_rag(state, [], D, LIMITS) == Rag(
        "RED", ("a milestone is overdue by 45 days",)
    )


def test_programme_is_the_worst_with_reasons_named_by_workstream() -> None:
    amber = Rag("AMBER", ("1 milestone is overdue",))
    red = Rag("RED", ("CPI 0.8000 below 0.85",))
    green = Rag("GREEN", ("on schedule and budget; no open HIGH risk",))
    rag = programme_rag([("WS-01", amber), ("WS-02", red), ("WS-03", green)], [], D, LIMITS)
    assert rag == Rag("RED", ("WS-02: CPI 0.8000 below 0.85",))


def test_programme_risks_tied_to_no_workstream_count() -> None:
    green = Rag("GREEN", ("on schedule and budget; no open HIGH risk",))
    rag = programme_rag([("WS-01", green)], [Risk("R-1", date(2026, 7, 1))], D, LIMITS)
    assert rag == Rag("RED", ("open HIGH risk R-1 with proximity 2026-07-01",))
    assert programme_rag([("WS-01", green)], [], D, LIMITS).status == "GREEN"
