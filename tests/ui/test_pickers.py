"""Record pickers: typing narrows the list, and the value is always a record offered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.database import Database
from app.services import risks
from tests.conftest import Fixture, risk_draft
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.agreement_dialog import AgreementDialog
from ui.dialogs.checklist import ChecklistField
from ui.dialogs.contract_dialog import ContractDialog
from ui.dialogs.fields import PickerField
from ui.dialogs.pickers import RecordPicker
from ui.dialogs.record_dialog import RecordDialog

RISKS = {
    "R-001": "Radome supplier capacity",
    "R-002": "Seeker licence delay",
    "R-003": "Export licence for the seeker",
    "R-004": "Test range booking",
}


@pytest.fixture
def risk_ids(db: Database, programme: Fixture) -> dict[str, int]:
    return {
        reference: risks.raise_risk(
            db, programme.programme_id, risk_draft(reference=reference, title=title)
        ).id
        for reference, title in RISKS.items()
    }


def shown(qtbot: QtBot, dialog: RecordDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.confirm_discard = lambda: True  # type: ignore[method-assign]  # closed at teardown
    dialog.show()
    qtbot.waitExposed(dialog)


@pytest.fixture
def action_dialog(
    qtbot: QtBot, db: Database, programme: Fixture, risk_ids: dict[str, int]
) -> ActionDialog:
    """A new action with everything but its risk filled in."""
    dialog = ActionDialog(db, programme.programme_id)
    shown(qtbot, dialog)
    qtbot.keyClicks(dialog.field("title").editor, "Book the range")
    qtbot.keyClicks(dialog.field("owner").editor, "Sqn Ldr Iyer")
    return dialog


def picker_field(dialog: RecordDialog, name: str) -> PickerField:
    field = dialog.field(name)
    assert isinstance(field, PickerField)
    return field


def type_into(qtbot: QtBot, picker: RecordPicker, text: str) -> None:
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    picker.clearEditText()
    qtbot.keyClicks(picker, text)


def completions(picker: RecordPicker) -> list[str]:
    model = picker.finder.completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_typing_narrows_the_list_and_choosing_sets_the_value(
    qtbot: QtBot, action_dialog: ActionDialog, risk_ids: dict[str, int]
) -> None:
    field = picker_field(action_dialog, "risk_id")
    assert field.combo.count() == len(RISKS) + 1  # and "(the programme)"
    type_into(qtbot, field.combo, "LICENCE")
    # Any part of the text, in any case.
    assert completions(field.combo) == [
        "R-002 — Seeker licence delay",
        "R-003 — Export licence for the seeker",
    ]
    assert field.value() is None
    assert field.problem.text() == "Risk: choose one of the 2 entries that match “LICENCE”"
    assert not action_dialog.ok_button.isEnabled()
    popup = field.combo.finder.popup()
    assert popup is not None and popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    with qtbot.waitSignal(field.edited):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert field.value() == risk_ids["R-003"]
    assert field.combo.currentText() == "R-003 — Export licence for the seeker"
    assert not field.invalid
    assert action_dialog.ok_button.isEnabled()


def test_enter_takes_the_only_record_that_matches(
    qtbot: QtBot, action_dialog: ActionDialog, risk_ids: dict[str, int]
) -> None:
    field = picker_field(action_dialog, "risk_id")
    type_into(qtbot, field.combo, "range")
    assert field.problem.text() == "Risk: choose the entry that matches “range”"
    with qtbot.waitSignal(field.edited):
        qtbot.keyClick(field.combo, Qt.Key.Key_Return)
    assert field.value() == risk_ids["R-004"]
    assert action_dialog.isVisible()  # the Enter chose the risk; it did not save
    assert action_dialog.ok_button.isEnabled()


def test_text_that_matches_nothing_gives_no_value_until_taken_back(
    qtbot: QtBot, action_dialog: ActionDialog, risk_ids: dict[str, int]
) -> None:
    field = picker_field(action_dialog, "risk_id")
    field.combo.setCurrentIndex(field.options.row_of(risk_ids["R-001"]))
    assert action_dialog.ok_button.isEnabled()
    type_into(qtbot, field.combo, "radar")
    assert field.value() is None
    assert field.invalid
    assert field.problem.text() == "Risk: nothing matches “radar”"
    assert not action_dialog.ok_button.isEnabled()
    qtbot.keyClick(field.combo, Qt.Key.Key_Return)  # nothing to take: stays as typed
    assert field.combo.currentText() == "radar"
    assert not action_dialog.ok_button.isEnabled()
    qtbot.keyClick(field.combo, Qt.Key.Key_Escape)  # takes back the typing, not the dialog
    assert action_dialog.isVisible()
    assert field.value() == risk_ids["R-001"]
    assert not field.invalid
    assert action_dialog.ok_button.isEnabled()


def test_leaving_a_picker_settles_or_puts_back_what_was_typed(
    qtbot: QtBot, db: Database, programme: Fixture
) -> None:
    dialog = ContractDialog(db, programme.programme_id)
    shown(qtbot, dialog)
    supplier = picker_field(dialog, "supplier_id")
    customer = picker_field(dialog, "customer_id")
    # Required: no "none" entry, just a greyed hint while nothing is chosen.
    assert supplier.combo.count() == 2
    assert (supplier.combo.currentText(), supplier.combo.text_edit.placeholderText()) == (
        "",
        "(choose…)",
    )
    assert supplier.local_problems() == {"supplier_id": "Supplier must be chosen"}
    supplier.combo.setFocus()
    qtbot.waitUntil(supplier.combo.hasFocus)
    qtbot.keyClicks(supplier.combo, "luch")
    assert supplier.value() is None
    popup = supplier.combo.finder.popup()
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Escape)  # closes the list; the text stays
    assert not popup.isVisible()
    assert supplier.combo.currentText() == "luch"
    customer.combo.setFocus()  # leaving takes the only record that matches
    qtbot.waitUntil(customer.combo.hasFocus)
    assert supplier.value() == programme.russia_org
    assert supplier.combo.currentText() == "Severny Luch — НПО «Северный луч»"
    qtbot.keyClicks(customer.combo, "zzz")
    assert customer.local_problems() == {"customer_id": "Customer: nothing matches “zzz”"}
    supplier.combo.setFocus()  # leaving puts back what it held: still nothing
    qtbot.waitUntil(supplier.combo.hasFocus)
    assert customer.combo.currentText() == ""
    assert customer.local_problems() == {"customer_id": "Customer must be chosen"}


def test_a_record_not_offered_is_kept_and_shown(
    action_dialog: ActionDialog, risk_ids: dict[str, int]
) -> None:
    field = picker_field(action_dialog, "risk_id")
    field.set_value(4242)  # e.g. a risk of another programme
    assert field.value() == 4242
    assert field.combo.currentText() == "record 4242"
    field.set_value(None)
    assert field.combo.currentText() == "(the programme)"
    assert field.value() is None


def test_pickers_sharing_one_list_keep_their_own_values(
    qtbot: QtBot, db: Database, programme: Fixture
) -> None:
    dialog = ContractDialog(db, programme.programme_id)
    qtbot.addWidget(dialog)
    supplier = picker_field(dialog, "supplier_id")
    customer = picker_field(dialog, "customer_id")
    assert supplier.options is customer.options
    assert supplier.combo.model() is customer.combo.model()
    supplier.set_value(programme.india_org)
    with qtbot.waitSignal(customer.edited):
        customer.combo.setCurrentIndex(customer.options.row_of(programme.russia_org))
    assert (supplier.value(), customer.value()) == (programme.india_org, programme.russia_org)
    customer.set_value(999)
    assert (supplier.value(), customer.value()) == (programme.india_org, 999)
    assert supplier.combo.currentText() == "TRL-Lab — तरंग रडार प्रयोगशाला"


def test_agreement_share_rows_pick_partners_from_one_list(
    qtbot: QtBot, db: Database, programme: Fixture
) -> None:
    dialog = AgreementDialog(db, programme.programme_id)
    shown(qtbot, dialog)
    shares = dialog.shares
    first, second = shares.partner_picker(0), shares.partner_picker(1)
    assert first.model() is second.model() is shares.choices
    type_into(qtbot, second, "luch")
    qtbot.keyClick(second, Qt.Key.Key_Return)
    assert [(s.nation, s.organisation_id) for s in shares.value()] == [
        ("IND", None),
        (None, programme.russia_org),
    ]
    type_into(qtbot, first, "zzz")
    assert shares.value()[0].nation is None
    assert shares.local_problems()["shares"].startswith(
        "The partner in row 1: nothing matches “zzz”"
    )
    assert not dialog.ok_button.isEnabled()


def test_checklist_filters_and_keeps_records_not_listed(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    field = ChecklistField(
        "workstream_ids",
        "Workstreams",
        [(1, "WS-01 — Seeker"), (2, "WS-02 — Radome"), (3, "WS-03 — Range")],
        unavailable={3: "covered by AGR-PROD"},
    )
    qtbot.addWidget(field)
    field.set_value((2, 9))
    qtmodeltester.check(field.checklist)
    assert field.value() == (2, 9)
    shown_rows = field.list.model()
    texts = [shown_rows.index(row, 0).data() for row in range(shown_rows.rowCount())]
    assert texts[2:] == ["WS-03 — Range — covered by AGR-PROD", "record 9"]
    assert not shown_rows.flags(shown_rows.index(2, 0)) & Qt.ItemFlag.ItemIsEnabled
    qtbot.keyClicks(field.filter, "RADOME")
    assert shown_rows.rowCount() == 1
    with qtbot.waitSignal(field.edited):
        shown_rows.setData(
            shown_rows.index(0, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
        )
    assert field.value() == (9,)
