"""Red / amber / green, with the reasons that set it (DOMAIN.md, "RAG").

The rule reads figures the other analytics modules computed; it computes none of its
own, so the dashboard, the pack and `summary` can never disagree about a status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

RED, AMBER, GREEN = "RED", "AMBER", "GREEN"
_SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}


class HighRisk(Protocol):
    @property
    def reference(self) -> str: ...
    @property
    def proximity(self) -> date | None: ...


@dataclass(frozen=True)
class Limits:
    """The office's RAG thresholds (settings key "rag")."""

    red_overdue_days: int
    red_index: Decimal
    amber_index: Decimal
    risk_window_days: int

    @classmethod
    def of(cls, setting: dict[str, Any]) -> Limits:
        return cls(
            int(setting["red_overdue_days"]),
            Decimal(str(setting["red_index"])),
            Decimal(str(setting["amber_index"])),
            int(setting["risk_window_days"]),
        )


@dataclass(frozen=True)
class Rag:
    status: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class WorkstreamState:
    """What the rule needs to know about one workstream at the status date."""

    overdue: int
    max_overdue_days: int
    spi: Decimal | None
    cpi: Decimal | None
    next_title: str | None
    next_forecast: date | None
    next_baseline: date | None


def _risk_reasons(
    risks: Sequence[HighRisk], as_of: date, limits: Limits
) -> tuple[list[str], list[str]]:
    red, amber = [], []
    horizon = as_of + timedelta(days=limits.risk_window_days)
    for risk in risks:
        if risk.proximity is not None and risk.proximity <= horizon:
            red.append(f"open HIGH risk {risk.reference} with proximity {risk.proximity}")
        else:
            amber.append(f"open HIGH risk {risk.reference}")
    return red, amber


def _index_reasons(name: str, value: Decimal | None, limits: Limits) -> tuple[list[str], list[str]]:
    if value is None:
        return [], []
    if value < limits.red_index:
        return [f"{name} {value} below {limits.red_index}"], []
    if value < limits.amber_index:
        return [], [f"{name} {value} below {limits.amber_index}"]
    return [], []


def _decide(red: list[str], amber: list[str], green_reason: str) -> Rag:
    if red:
        return Rag(RED, tuple(red))
    if amber:
        return Rag(AMBER, tuple(amber))
    return Rag(GREEN, (green_reason,))


def workstream_rag(
    state: WorkstreamState, risks: Sequence[HighRisk], as_of: date, limits: Limits
) -> Rag:
    red, amber = _risk_reasons(risks, as_of, limits)
    if state.max_overdue_days > limits.red_overdue_days:
        red.insert(0, f"a milestone is overdue by {state.max_overdue_days} days")
    elif state.overdue:
        plural = "s are" if state.overdue > 1 else " is"
        amber.insert(0, f"{state.overdue} milestone{plural} overdue")
    for name, value in (("SPI", state.spi), ("CPI", state.cpi)):
        index_red, index_amber = _index_reasons(name, value, limits)
        red += index_red
        amber += index_amber
    if (
        state.next_forecast is not None
        and state.next_baseline is not None
        and state.next_forecast > state.next_baseline
    ):
        amber.append(
            f"next milestone {state.next_title!r} forecast {state.next_forecast}, "
            f"after its baseline {state.next_baseline}"
        )
    return _decide(red, amber, "on schedule and budget; no open HIGH risk")


def programme_rag(
    workstreams: Sequence[tuple[str, Rag]],
    unassigned: Sequence[HighRisk],
    as_of: date,
    limits: Limits,
) -> Rag:
    """The worst of the workstreams and of the risks tied to no workstream."""
    red, amber = _risk_reasons(unassigned, as_of, limits)
    candidates = [Rag(RED, tuple(red))] if red else []
    if amber:
        candidates.append(Rag(AMBER, tuple(amber)))
    candidates += [
        Rag(rag.status, tuple(f"{code}: {reason}" for reason in rag.reasons))
        for code, rag in workstreams
    ]
    worst = max((_SEVERITY[c.status] for c in candidates), default=0)
    if worst == 0:
        return Rag(GREEN, ("every workstream is GREEN",))
    status = next(s for s, level in _SEVERITY.items() if level == worst)
    reasons = [reason for c in candidates if c.status == status for reason in c.reasons]
    return Rag(status, tuple(reasons))
