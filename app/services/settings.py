"""The office's settings: stored as JSON rows, with DOMAIN.md's values as defaults.

A setting changes how every figure is computed and how every record is marked, so a
new value is checked as strictly as any record (a ValidationError naming the part that
is wrong) and saved with the same optimistic locking.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import DEFAULT_MARKINGS, DEFAULT_PROCUREMENT_MINIMUMS
from app.errors import ConflictError, ValidationError
from app.models import Setting
from app.services import lookups, markings
from app.services.validation import Checker

DEFAULTS: dict[str, Any] = {
    "marking_scale": list(DEFAULT_MARKINGS),
    # Minimum indigenous content (percent) per procurement category (DAP 2020).
    "procurement_minimums": {k: str(v) for k, v in DEFAULT_PROCUREMENT_MINIMUMS.items()},
    "offsets": {
        "obligation_pct": "30",
        "threshold_minor": 2000 * 10**7 * 100,  # ₹2,000 crore, in paise
        "threshold_currency": "INR",
        "multiplier_min": "0.5",
        "multiplier_max": "4",
        "credit_life_years": 7,
    },
    "rag": {
        "red_overdue_days": 30,
        "red_index": "0.85",
        "amber_index": "0.95",
        "risk_window_days": 30,
    },
}


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: Any
    version: int  # 0 while the default applies (nothing stored yet)


def value(session: Session, key: str) -> Any:
    """A setting's value, or its default when the office has not changed it."""
    if key not in DEFAULTS:
        raise KeyError(key)

    def read() -> Any:
        stored = session.scalar(select(Setting.value).where(Setting.key == key))
        return DEFAULTS[key] if stored is None else json.loads(stored)

    return lookups.remembered(session, ("setting", key), [Setting.__tablename__], read)


def get(db: Database, key: str) -> SettingRow:
    with db.read() as session:
        row = session.scalar(select(Setting).where(Setting.key == key))
        if row is None:
            return SettingRow(key, value(session, key), 0)
        return SettingRow(key, json.loads(row.value), row.version)


def marking_name(session: Session, level: int) -> str:
    scale = value(session, "marking_scale")
    return str(scale[level]) if 0 <= level < len(scale) else f"level {level}"


def all_values(db: Database) -> dict[str, Any]:
    with db.read() as session:
        return {key: value(session, key) for key in DEFAULTS}


def _number(check: Checker, field: str, raw: Any, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        check.add(field, f"{raw!r} is not a number")
        return None
    check.decimal(field, number, low, high, 4)
    return number


def _same_keys(check: Checker, key: str, new: Any) -> bool:
    if not isinstance(new, dict) or set(new) != set(DEFAULTS[key]):
        check.add(key, f"must give exactly: {', '.join(sorted(DEFAULTS[key]))}")
        return False
    return True


def _check_scale(check: Checker, new: Any, session: Session) -> None:
    if (
        not isinstance(new, list)
        or not 2 <= len(new) <= 10
        or not all(isinstance(m, str) and m.strip() and len(m) <= 40 for m in new)
        or len(set(new)) != len(new)
    ):
        check.add("marking_scale", "must list 2 to 10 different marking names, lowest first")
        return
    in_use = markings.highest(session)
    if in_use >= len(new):
        check.add(
            "marking_scale",
            f"records are marked at level {in_use + 1} of the scale; it needs that many levels",
        )


def _check_minimums(check: Checker, new: Any, _session: Session) -> None:
    if not isinstance(new, dict) or not all(isinstance(k, str) and k.strip() for k in new):
        check.add("procurement_minimums", "must map each category name to a percentage")
        return
    for category, pct in new.items():
        _number(check, f"procurement_minimums.{category}", pct, Decimal(0), Decimal(100))


def _check_offsets(check: Checker, new: Any, _session: Session) -> None:
    if not _same_keys(check, "offsets", new):
        return
    _number(check, "offsets.obligation_pct", new["obligation_pct"], Decimal(0), Decimal(100))
    check.amount("offsets.threshold_minor", new["threshold_minor"])
    check.currency("offsets.threshold_currency", new["threshold_currency"])
    low = _number(
        check, "offsets.multiplier_min", new["multiplier_min"], Decimal("0.01"), Decimal(100)
    )
    high = _number(
        check, "offsets.multiplier_max", new["multiplier_max"], Decimal("0.01"), Decimal(100)
    )
    if low is not None and high is not None and low > high:
        check.add("offsets.multiplier_max", "must not be below the minimum multiplier")
    check.whole("offsets.credit_life_years", new["credit_life_years"], 1, 50)


def _check_rag(check: Checker, new: Any, _session: Session) -> None:
    if not _same_keys(check, "rag", new):
        return
    check.whole("rag.red_overdue_days", new["red_overdue_days"], 0, 3650)
    red = _number(check, "rag.red_index", new["red_index"], Decimal(0), Decimal(2))
    amber = _number(check, "rag.amber_index", new["amber_index"], Decimal(0), Decimal(2))
    if red is not None and amber is not None and red > amber:
        check.add("rag.red_index", "must not be above the amber threshold")
    check.whole("rag.risk_window_days", new["risk_window_days"], 0, 3650)


_CHECKS: dict[str, Callable[[Checker, Any, Session], None]] = {
    "marking_scale": _check_scale,
    "procurement_minimums": _check_minimums,
    "offsets": _check_offsets,
    "rag": _check_rag,
}


def change(db: Database, key: str, new: Any, version: int) -> SettingRow:
    """Store a setting (audited like any record); `version` is what the caller read."""
    if key not in DEFAULTS:
        raise ValidationError.one("key", f"{key!r} is not a setting")
    encoded = json.dumps(new, sort_keys=True, ensure_ascii=False)
    with db.begin() as session:
        row = session.scalar(select(Setting).where(Setting.key == key))
        if (0 if row is None else row.version) != version:
            current = None if row is None else {"value": json.loads(row.value)}
            raise ConflictError("setting", 0 if row is None else row.id, current)
        check = Checker()
        _CHECKS[key](check, new, session)
        check.done()
        if row is None:
            row = Setting(key=key, value=encoded)
            session.add(row)
        else:
            row.value = encoded
        session.flush()
        return SettingRow(key, json.loads(row.value), row.version)
