"""The office's settings: stored as JSON rows, with DOMAIN.md's values as defaults."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import DEFAULT_MARKINGS, DEFAULT_PROCUREMENT_MINIMUMS
from app.errors import ValidationError
from app.models import Setting

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


def value(session: Session, key: str) -> Any:
    """A setting's value, or its default when the office has not changed it."""
    if key not in DEFAULTS:
        raise KeyError(key)
    stored = session.scalar(select(Setting.value).where(Setting.key == key))
    return DEFAULTS[key] if stored is None else json.loads(stored)


def all_values(db: Database) -> dict[str, Any]:
    with db.read() as session:
        return {key: value(session, key) for key in DEFAULTS}


def change(db: Database, key: str, new: Any) -> None:
    """Store a setting (audited like any record)."""
    if key not in DEFAULTS:
        raise ValidationError.one("key", f"{key!r} is not a setting")
    if key == "marking_scale" and (
        not isinstance(new, list) or not new or not all(isinstance(m, str) and m for m in new)
    ):
        raise ValidationError.one("marking_scale", "must be a list of marking names")
    encoded = json.dumps(new, sort_keys=True, ensure_ascii=False)
    with db.begin() as session:
        row = session.scalar(select(Setting).where(Setting.key == key))
        if row is None:
            session.add(Setting(key=key, value=encoded))
        else:
            row.value = encoded
