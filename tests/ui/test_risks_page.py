"""The risks page: heat map filter, add/edit/delete through the dialog, undo, conflicts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.database import Database
from app.services import audit, risks
from app.services.risks import RiskRow
from tests.conftest import Fixture, risk_draft
from ui.dialogs.fields import DateField, RatingField, TextField
from ui.dialogs.money_fields import MoneyField
from ui.dialogs.review_dialog import ReviewDialog
from ui.dialogs.risk_dialog import RiskDialog
from ui.pages.risks_page import RisksPage
from ui.widgets.heat_map import RESIDUAL


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def page(
    qtbot: QtBot, db: Database, programme: Fixture, stack: QUndoStack, settings: QSettings
) -> RisksPage:
    page = RisksPage(db, stack, settings=settings)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded):
        page.set_programme(programme.programme_id)
    return page


def add(db: Database, programme: Fixture, **changes: object) -> RiskRow:
    return risks.raise_risk(db, programme.programme_id, risk_draft(**changes))


@pytest.fixture
def three(db: Database, programme: Fixture, page: RisksPage) -> list[RiskRow]:
    rows = [
        add(db, programme, reference="R-001", title="Radome supplier capacity"),  # L4 I4
        add(db, programme, reference="R-002", title="Export licence", likelihood=4, impact=3),
        add(
            db,
            programme,
            reference="R-003",
            title="Seeker test range",
            likelihood=4,
            impact=3,
            residual_likelihood=1,
            residual_impact=1,
        ),
    ]
    page.reload()
    return rows


def shown(page: RisksPage) -> list[str]:
    return [page.model.row_at(r).reference for r in range(page.model.rowCount())]


def open_dialog(qtbot: QtBot, page: RisksPage, row: int | None) -> RiskDialog:
    if row is None:
        page.add_action.trigger()
    else:
        page.table.select_row(row)
        page.edit_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, RiskDialog)
    qtbot.waitExposed(dialog)
    return dialog


def text_editor(dialog: RiskDialog, name: str) -> TextField:
    field = dialog.field(name)
    assert isinstance(field, TextField)
    return field


def retype(qtbot: QtBot, dialog: RiskDialog, name: str, text: str) -> None:
    field = text_editor(dialog, name)
    field.edit.selectAll()  # type: ignore[union-attr]
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(field.edit, text)


def click_ok(qtbot: QtBot, dialog: RiskDialog) -> None:
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


# Heat map ---------------------------------------------------------------------------


def test_heat_map_shows_open_risks(page: RisksPage, three: list[RiskRow]) -> None:
    grid = page.heat_map.grid
    assert (grid.count(4, 4), grid.count(4, 3), grid.count(1, 1)) == (1, 2, 0)
    page.heat_map.set_mode(RESIDUAL)
    assert (grid.count(2, 3), grid.count(1, 1)) == (2, 1)


def test_heat_map_click_filters_the_table(
    qtbot: QtBot, page: RisksPage, three: list[RiskRow]
) -> None:
    grid = page.heat_map.grid
    cell = grid.cell_rect(4, 3).center()
    with qtbot.waitSignal(page.heat_map.cell_clicked) as clicked:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=cell)  # type: ignore[no-untyped-call]
    assert clicked.args == [4, 3]
    assert sorted(shown(page)) == ["R-002", "R-003"]
    assert page.chip.isVisible()
    assert page.chip.label.text() == "Filtered: open risks at L4 × I3"
    assert page.count_label.text() == "2 of 3 risks match"
    # The residual toggle keeps the cell and filters by residual values.
    page.heat_map.set_mode(RESIDUAL)
    assert shown(page) == []
    page.heat_map.set_mode("inherent")
    assert sorted(shown(page)) == ["R-002", "R-003"]
    # The same cell again clears the filter.
    with qtbot.waitSignal(page.heat_map.cleared):
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=cell)  # type: ignore[no-untyped-call]
    assert sorted(shown(page)) == ["R-001", "R-002", "R-003"]
    assert not page.chip.isVisible()


def test_chip_clear_clears_the_cell(qtbot: QtBot, page: RisksPage, three: list[RiskRow]) -> None:
    page.heat_map.click(4, 4)
    assert shown(page) == ["R-001"]
    qtbot.mouseClick(page.chip.clear_button, Qt.MouseButton.LeftButton)
    assert page.heat_map.selected is None
    assert len(shown(page)) == 3


def test_heat_map_keyboard(qtbot: QtBot, page: RisksPage, three: list[RiskRow]) -> None:
    grid = page.heat_map.grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)  # from L5 I1 to L4 I1
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # L4 I4
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert shown(page) == ["R-001"]


def test_page_model_passes_the_model_tester(
    qtmodeltester: ModelTester, page: RisksPage, three: list[RiskRow]
) -> None:
    qtmodeltester.check(page.model, force_py=True)


# Add, edit, delete through the dialog ------------------------------------------------


def test_add_a_risk_through_the_dialog(
    qtbot: QtBot, page: RisksPage, db: Database, programme: Fixture
) -> None:
    assert page.stack.currentWidget() is page.empty_label
    dialog = open_dialog(qtbot, page, None)
    assert not dialog.ok_button.isEnabled()  # reference and title still needed
    qtbot.keyClicks(text_editor(dialog, "reference").edit, "R-101")
    qtbot.keyClicks(text_editor(dialog, "title").edit, "Gallium nitride wafer supply")
    qtbot.keyClicks(text_editor(dialog, "owner").edit, "Ms. N. Bhat")
    likelihood = dialog.field("likelihood")
    assert isinstance(likelihood, RatingField)
    likelihood.spin.setValue(5)
    assert likelihood.word.text() == "Almost certain"
    money = dialog.field("cost_impact_minor")
    assert isinstance(money, MoneyField)
    money.edit.clear()
    qtbot.keyClicks(money.edit, "12,50,000.50")
    with qtbot.waitSignal(page.loaded):
        click_ok(qtbot, dialog)
    (row,) = risks.list_risks(db, programme.programme_id)
    assert (row.reference, row.title, row.owner) == (
        "R-101",
        "Gallium nitride wafer supply",
        "Ms. N. Bhat",
    )
    assert (row.likelihood, row.cost_impact_minor) == (5, 125000050)
    entry = audit.entries(db, entity="risk", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("created", row.id)
    assert shown(page) == ["R-101"]
    assert page.stack.currentWidget() is page.table
    assert page.heat_map.grid.count(5, 3) == 1


def test_edit_a_risk_through_the_dialog(
    qtbot: QtBot, page: RisksPage, db: Database, three: list[RiskRow]
) -> None:
    row = page.model.rows().index(next(r for r in page.model.rows() if r.reference == "R-002"))
    dialog = open_dialog(qtbot, page, row)
    assert dialog.windowTitle() == "Risk R-002 — Export licence"
    retype(qtbot, dialog, "title", "Export licence for RF parts")
    click_ok(qtbot, dialog)
    assert risks.get_risk(db, three[1].id).title == "Export licence for RF parts"
    entry = audit.entries(db, entity="risk", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("updated", three[1].id)
    assert entry.old_values == {"title": "Export licence"}
    assert any(r.title == "Export licence for RF parts" for r in page.model.rows())


def test_double_click_opens_the_dialog(qtbot: QtBot, page: RisksPage, three: list[RiskRow]) -> None:
    rect = page.table.visualRect(page.model.index(0, 1))
    # A press first, as a real double-click has (the view opens the row it pressed).
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[no-untyped-call]
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[no-untyped-call]
    assert isinstance(page.dialog, RiskDialog)
    assert page.dialog.row == page.model.row_at(0)


def test_delete_asks_and_deletes(
    qtbot: QtBot,
    page: RisksPage,
    db: Database,
    programme: Fixture,
    three: list[RiskRow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page, "confirm_delete", lambda rows: False)
    page.table.select_row(0)
    page.delete_action.trigger()
    assert len(risks.list_risks(db, programme.programme_id)) == 3  # said no
    monkeypatch.setattr(page, "confirm_delete", lambda rows: True)
    victim = page.model.row_at(0)
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitActive(page)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert victim.id not in [r.id for r in risks.list_risks(db, programme.programme_id)]
    entry = audit.entries(db, entity="risk", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("deleted", victim.id)
    assert victim.reference not in shown(page)


# Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "x" * 201])
def test_bad_title_outlines_the_field_and_disables_ok(
    qtbot: QtBot, page: RisksPage, three: list[RiskRow], title: str
) -> None:
    dialog = open_dialog(qtbot, page, 0)
    assert dialog.ok_button.isEnabled()
    retype(qtbot, dialog, "title", title)
    field = text_editor(dialog, "title")
    assert field.edit.property("invalid") is True
    assert field.problem.isVisible()
    expected = "Title must not be empty" if not title else "Title is 201 characters long"
    assert field.problem.text().startswith(expected)
    assert not dialog.ok_button.isEnabled()
    assert dialog.tabs.tabText(0).endswith("⚠")
    retype(qtbot, dialog, "title", "Fine again")
    assert field.edit.property("invalid") is False
    assert not field.problem.isVisible()
    assert dialog.ok_button.isEnabled()


def test_money_that_is_not_an_amount_is_named(
    qtbot: QtBot, page: RisksPage, three: list[RiskRow]
) -> None:
    dialog = open_dialog(qtbot, page, 0)
    money = dialog.field("cost_impact_minor")
    assert isinstance(money, MoneyField)
    money.edit.setText("12.345")
    assert money.problem.text() == "Cost impact has more than 2 decimal places for INR"
    assert not dialog.ok_button.isEnabled()
    money.edit.setText("lots")
    assert "is not an amount" in money.problem.text()
    money.edit.setText("1,00,000")
    assert money.value() == 10_000_000
    assert dialog.ok_button.isEnabled()


def test_service_problem_marks_its_field(
    qtbot: QtBot, page: RisksPage, db: Database, programme: Fixture, three: list[RiskRow]
) -> None:
    dialog = open_dialog(qtbot, page, None)
    qtbot.keyClicks(text_editor(dialog, "reference").edit, "R-001")  # already used
    qtbot.keyClicks(text_editor(dialog, "title").edit, "Duplicate")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    reference = text_editor(dialog, "reference")
    assert reference.problem.text() == "Reference 'R-001' is already used by another risk"
    assert not dialog.ok_button.isEnabled()
    retype(qtbot, dialog, "reference", "R-004")
    assert dialog.ok_button.isEnabled()
    click_ok(qtbot, dialog)
    assert len(risks.list_risks(db, programme.programme_id)) == 4


def test_unsaved_edits_are_not_lost_without_asking(
    qtbot: QtBot, page: RisksPage, three: list[RiskRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(qtbot, page, 0)
    asked: list[bool] = []
    monkeypatch.setattr(dialog, "confirm_discard", lambda: asked.append(True) or False)
    dialog.reject()  # Cancel with nothing typed: closes
    assert not dialog.isVisible() and asked == []
    dialog = open_dialog(qtbot, page, 0)
    monkeypatch.setattr(dialog, "confirm_discard", lambda: asked.append(True) or False)
    retype(qtbot, dialog, "title", "Half-typed")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True]
    assert dialog.isVisible()
    assert text_editor(dialog, "title").value() == "Half-typed"


# Undo ---------------------------------------------------------------------------------


def test_undo_of_an_edit_restores_the_old_title(
    qtbot: QtBot, page: RisksPage, db: Database, stack: QUndoStack, three: list[RiskRow]
) -> None:
    dialog = open_dialog(qtbot, page, page.model.row_of_id(three[0].id))
    retype(qtbot, dialog, "title", "Radome supplier has no capacity")
    click_ok(qtbot, dialog)
    assert risks.get_risk(db, three[0].id).title == "Radome supplier has no capacity"
    assert stack.undoText() == "Edit risk R-001"
    with qtbot.waitSignal(page.changed):
        stack.undo()
    assert risks.get_risk(db, three[0].id).title == "Radome supplier capacity"
    assert audit.entries(db, entity="risk", limit=1)[0].old_values == {
        "title": "Radome supplier has no capacity"
    }
    assert any(r.title == "Radome supplier capacity" for r in page.model.rows())
    stack.redo()
    assert risks.get_risk(db, three[0].id).title == "Radome supplier has no capacity"


def test_undo_of_an_addition_deletes_it(
    qtbot: QtBot, page: RisksPage, db: Database, programme: Fixture, stack: QUndoStack
) -> None:
    dialog = open_dialog(qtbot, page, None)
    qtbot.keyClicks(text_editor(dialog, "reference").edit, "R-201")
    qtbot.keyClicks(text_editor(dialog, "title").edit, "Range booking")
    click_ok(qtbot, dialog)
    assert len(risks.list_risks(db, programme.programme_id)) == 1
    stack.undo()
    assert risks.list_risks(db, programme.programme_id) == []
    assert page.stack.currentWidget() is page.empty_label
    stack.redo()
    assert [r.reference for r in risks.list_risks(db, programme.programme_id)] == ["R-201"]


# Conflicts ----------------------------------------------------------------------------


def test_conflicting_edit_shows_both_versions(
    qtbot: QtBot, page: RisksPage, db: Database, three: list[RiskRow]
) -> None:
    dialog = open_dialog(qtbot, page, page.model.row_of_id(three[0].id))
    # Someone else saves first.
    risks.update_risk(
        db, three[0].id, three[0].version, replace(three[0].draft(), title="Theirs", owner="Rao")
    )
    retype(qtbot, dialog, "title", "Mine")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()  # nothing saved, nothing lost
    conflict = dialog.conflict_dialog
    assert conflict is not None and conflict.isVisible()
    assert conflict.message.text() == "Someone else changed this record since you opened it."
    assert ("Title", "Mine", "Theirs") in conflict.rows()
    assert ("Owner", "", "Rao") in conflict.rows()
    assert risks.get_risk(db, three[0].id).title == "Theirs"
    reload = conflict.findChild(type(dialog.ok_button), "reload_button")
    assert reload is not None
    qtbot.mouseClick(reload, Qt.MouseButton.LeftButton)
    assert text_editor(dialog, "title").value() == "Theirs"
    assert text_editor(dialog, "owner").value() == "Rao"
    retype(qtbot, dialog, "title", "Mine after all")
    click_ok(qtbot, dialog)
    assert risks.get_risk(db, three[0].id).title == "Mine after all"


def test_conflict_keep_mine_saves_over_theirs(
    qtbot: QtBot, page: RisksPage, db: Database, three: list[RiskRow]
) -> None:
    dialog = open_dialog(qtbot, page, page.model.row_of_id(three[0].id))
    risks.update_risk(db, three[0].id, three[0].version, replace(three[0].draft(), owner="Rao"))
    retype(qtbot, dialog, "title", "Mine")
    click_ok(qtbot, dialog)
    assert dialog.conflict_dialog is not None
    keep = dialog.conflict_dialog.findChild(type(dialog.ok_button), "keep_button")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert text_editor(dialog, "title").value() == "Mine"
    click_ok(qtbot, dialog)
    now = risks.get_risk(db, three[0].id)
    assert (now.title, now.owner) == ("Mine", "")  # the form as typed, saved knowingly


# History ------------------------------------------------------------------------------


def test_record_a_review_from_the_dialog(
    qtbot: QtBot, page: RisksPage, db: Database, stack: QUndoStack, three: list[RiskRow]
) -> None:
    dialog = open_dialog(qtbot, page, page.model.row_of_id(three[0].id))
    assert dialog.reviews_table is None  # built when the History tab is first shown
    assert dialog.history_page is not None
    dialog.tabs.setCurrentWidget(dialog.history_page)
    assert dialog.reviews_table is not None and dialog.reviews_table.rowCount() == 0
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    review = dialog.review_dialog
    assert isinstance(review, ReviewDialog)
    date_field = review.field("reviewed_on")
    assert isinstance(date_field, DateField)
    date_field.set_value(three[0].raised_on)
    review.field("likelihood").set_value(2)
    qtbot.keyClicks(review.field("note").editor, "Second source found")
    qtbot.mouseClick(review.ok_button, Qt.MouseButton.LeftButton)
    assert not review.isVisible()
    assert [r.note for r in risks.reviews(db, three[0].id)] == ["Second source found"]
    assert risks.get_risk(db, three[0].id).likelihood == 2
    assert dialog.reviews_table.rowCount() == 1
    assert dialog.field("likelihood").value() == 2  # the review set the current value
    assert not dialog.is_dirty()
    stack.undo()
    assert risks.reviews(db, three[0].id) == []


# Screenshots ----------------------------------------------------------------------------


def test_screenshots(
    qtbot: QtBot, page: RisksPage, db: Database, programme: Fixture, tmp_path: Path
) -> None:
    for i in range(40):
        add(
            db,
            programme,
            reference=f"R-{i:03d}",
            title=f"Risk {i}: supplier, schedule or export-control exposure",
            owner=["Col. P. Rathore", "I. Sokolov (И. Соколов)", "Ms. N. Bhat"][i % 3],
            likelihood=1 + i % 5,
            impact=1 + (i // 5) % 5,
            status="closed" if i % 11 == 0 else "open",
        )
    page.reload()
    assert page.grab().save(str(tmp_path / "risks_page.png"))
    page.heat_map.click(4, 3)
    assert page.model.rowCount() > 0
    assert page.grab().save(str(tmp_path / "risks_page_filtered.png"))
    dialog = open_dialog(qtbot, page, 0)
    assert dialog.grab().save(str(tmp_path / "risk_dialog.png"))
    retype(qtbot, dialog, "title", "")
    assert dialog.grab().save(str(tmp_path / "risk_dialog_invalid.png"))
    for name in ("risks_page.png", "risk_dialog.png", "risk_dialog_invalid.png"):
        assert (tmp_path / name).stat().st_size > 10_000
