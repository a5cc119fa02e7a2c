"""Settings are checked like records and saved with optimistic locking."""

from __future__ import annotations

from datetime import date

import pytest

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.services import risks, settings
from app.services.risks import RiskDraft
from tests.conftest import Fixture


def test_defaults_until_changed(db: Database) -> None:
    row = settings.get(db, "rag")
    assert row.version == 0 and row.value == settings.DEFAULTS["rag"]
    new = {**row.value, "red_overdue_days": 45}
    saved = settings.change(db, "rag", new, row.version)
    assert saved.version == 1 and settings.get(db, "rag").value["red_overdue_days"] == 45


def test_two_officers_changing_a_setting(db: Database) -> None:
    row = settings.get(db, "rag")
    settings.change(db, "rag", {**row.value, "risk_window_days": 60}, row.version)
    with pytest.raises(ConflictError):
        settings.change(db, "rag", {**row.value, "risk_window_days": 10}, row.version)
    assert settings.get(db, "rag").value["risk_window_days"] == 60


@pytest.mark.parametrize(
    ("key", "new", "field"),
    [
        ("marking_scale", ["ONLY"], "marking_scale"),
        ("marking_scale", ["A", "A"], "marking_scale"),
        ("offsets", {"nonsense": 1}, "offsets"),
        ("rag", {**settings.DEFAULTS["rag"], "red_index": "0.99"}, "rag.red_index"),
        ("rag", {**settings.DEFAULTS["rag"], "amber_index": "lots"}, "rag.amber_index"),
        (
            "offsets",
            {**settings.DEFAULTS["offsets"], "multiplier_max": "0.1"},
            "offsets.multiplier_max",
        ),
        (
            "offsets",
            {**settings.DEFAULTS["offsets"], "threshold_currency": "XYZ"},
            "offsets.threshold_currency",
        ),
        ("procurement_minimums", {"Buy (Indian)": "120"}, "procurement_minimums.Buy (Indian)"),
    ],
)
def test_bad_settings_are_named_and_change_nothing(
    db: Database, key: str, new: object, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        settings.change(db, key, new, 0)
    assert err.value.field == field
    assert settings.get(db, key).version == 0


def test_scale_cannot_drop_a_level_in_use(db: Database, programme: Fixture) -> None:
    draft = RiskDraft("R-1", "Secret risk", "security", date(2025, 1, 1), 2, 2, 1, 1, marking=3)
    risks.raise_risk(db, programme.programme_id, draft)
    with pytest.raises(ValidationError, match="level 4 of the scale"):
        settings.change(db, "marking_scale", ["OPEN", "RESTRICTED", "CONFIDENTIAL"], 0)
    settings.change(db, "marking_scale", ["OPEN", "RESTRICTED", "CONFIDENTIAL", "SECRET"], 0)
    with db.read() as session:
        assert settings.marking_name(session, 3) == "SECRET"
