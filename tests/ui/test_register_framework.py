"""The register framework: lazy table model, register page, undo through services."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QUndoStack
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.database import Database
from app.services import audit, listing, risks
from app.services.risks import RiskRow
from tests.conftest import Fixture, risk_draft
from ui.dialogs.risk_dialog import risk_ops
from ui.models.register_model import Column, RegisterModel
from ui.pages.risks_page import RisksPage
from ui.undo import CreateCommand, DeleteCommand, UpdateCommand, ledger

COLUMNS = [
    Column("reference", "Ref."),
    Column("title", "Title"),
    Column("score", "Score"),
    Column("rating", "Rating", formatter=lambda r: str(r.rating)),
    Column("proximity", "Proximity"),
]


def raise_many(db: Database, programme_id: int, n: int) -> None:
    """`n` risks R-000.. in one unit of work (fast); scores cycle so sorting shows."""
    with db.begin():
        for i in range(n):
            risks.raise_risk(
                db,
                programme_id,
                risk_draft(
                    reference=f"R-{i:03d}",
                    title=f"Risk number {i}",
                    likelihood=1 + i % 5,
                    impact=1 + (i // 5) % 5,
                ),
            )


def tint(row: RiskRow) -> tuple[QColor, QColor]:
    return QColor("#fbe1de"), QColor("#5c0b05")


@pytest.fixture
def model(db: Database, programme: Fixture) -> RegisterModel:
    model = RegisterModel(db, listing.RISKS, COLUMNS, row_tint=tint)
    model.set_sort("reference")
    model.set_programme(programme.programme_id)
    return model


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


# The model ----------------------------------------------------------------------------


def test_model_passes_the_model_tester_empty(
    qtmodeltester: ModelTester, model: RegisterModel
) -> None:
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize(
    ("sort", "descending", "text"),
    [("reference", False, ""), ("score", True, ""), ("title", False, "number 1")],
)
def test_model_passes_the_model_tester_with_rows(
    qtmodeltester: ModelTester,
    db: Database,
    programme: Fixture,
    sort: str,
    descending: bool,
    text: str,
) -> None:
    raise_many(db, programme.programme_id, 230)
    model = RegisterModel(db, listing.RISKS, COLUMNS, row_tint=tint)
    model.set_sort(sort, descending)
    model.text = text
    model.set_programme(programme.programme_id)
    assert model.canFetchMore(QModelIndex()) == (not text)
    # The Python tester checks one state (it calls fetchMore from its own reset
    # handler, which it then counts as a change inside the reset); Qt's own tester
    # below follows resets.
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == model.total


def test_model_passes_qts_own_model_tester(
    qtmodeltester: ModelTester, model: RegisterModel, db: Database, programme: Fixture, qtlog: Any
) -> None:
    raise_many(db, programme.programme_id, 30)
    model.reload()
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert failures == []


def test_fetch_more_loads_page_by_page(
    model: RegisterModel, db: Database, programme: Fixture
) -> None:
    raise_many(db, programme.programme_id, 450)
    model.reload()
    root = QModelIndex()
    assert (model.rowCount(), model.total) == (200, 450)
    assert model.canFetchMore(root)
    model.fetchMore(root)
    assert model.rowCount() == 400
    model.fetchMore(root)
    assert model.rowCount() == 450
    assert not model.canFetchMore(root)
    model.fetchMore(root)  # nothing more: no change
    assert model.rowCount() == 450
    references = [model.row_at(r).reference for r in range(450)]
    assert references == sorted(references) == [f"R-{i:03d}" for i in range(450)]


def test_sort_requeries_in_sql(model: RegisterModel, db: Database, programme: Fixture) -> None:
    raise_many(db, programme.programme_id, 450)
    model.reload()
    assert model.data(model.index(0, 0)) == "R-000"
    with_sort = model.column_of("score")
    model.sort(with_sort, Qt.SortOrder.DescendingOrder)
    # The highest score (25) of all 450, ties by id in the same direction: R-449, which
    # the first page (R-000..R-199) did not hold, so the sort was done in SQL.
    assert model.data(model.index(0, with_sort)) == "25"
    assert model.data(model.index(0, 0)) == "R-449"
    assert model.rowCount() == 200
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "R-449"
    model.sort(model.column_of("rating"), Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, model.column_of("rating"))) == "LOW"


def test_filter_narrows_rows(model: RegisterModel, db: Database, programme: Fixture) -> None:
    raise_many(db, programme.programme_id, 450)
    model.set_filter("number 44")  # 44 and 440-449
    assert model.rowCount() == model.total == 11
    assert model.register_total() == 450
    model.set_filter("")
    assert (model.rowCount(), model.total) == (200, 450)


def test_roles(model: RegisterModel, db: Database, programme: Fixture) -> None:
    risks.raise_risk(db, programme.programme_id, risk_draft())
    model.reload()
    index = model.index(0, model.column_of("score"))
    assert model.data(index) == "16"
    assert model.data(index, RegisterModel.SORT_ROLE) == 16  # numbers sort as numbers
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) == QColor("#fbe1de")
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) == QColor("#5c0b05")
    assert model.data(model.index(0, model.column_of("rating"))) == "HIGH"  # the word too
    assert model.data(model.index(0, model.column_of("proximity"))) == ""
    assert model.data(index, RegisterModel.ROW_ROLE).reference == "R-001"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Ref."


# The page -----------------------------------------------------------------------------


@pytest.fixture
def page(
    qtbot: QtBot, db: Database, programme: Fixture, stack: QUndoStack, settings: QSettings
) -> RisksPage:
    page = RisksPage(db, stack, settings=settings)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.loaded):
        page.set_programme(programme.programme_id)
    return page


def test_empty_state_says_what_to_do(page: RisksPage) -> None:
    assert page.stack.currentWidget() is page.empty_label
    assert "Press Insert or click Add" in page.empty_label.text()


def test_filter_is_debounced(
    qtbot: QtBot, page: RisksPage, db: Database, programme: Fixture
) -> None:
    raise_many(db, programme.programme_id, 12)
    page.reload()
    assert page.stack.currentWidget() is page.table
    page.filter_edit.setText("number 1")
    assert page.model.rowCount() == 12  # not yet: typing goes on
    with qtbot.waitSignal(page.loaded, timeout=2000):
        pass
    assert page.model.rowCount() == 3  # 1, 10, 11
    assert page.count_label.text() == "3 of 12 risks match"
    page.filter_edit.setText("no such risk")
    with qtbot.waitSignal(page.loaded, timeout=2000):
        pass
    assert page.stack.currentWidget() is page.empty_label
    assert "None of the 12 risks match" in page.empty_label.text()


def test_header_click_sorts(
    qtbot: QtBot, page: RisksPage, db: Database, programme: Fixture
) -> None:
    raise_many(db, programme.programme_id, 12)
    page.reload()
    assert page.model.data(page.model.index(0, 0)) == "R-009"  # score 5x2, highest first
    header = page.table.horizontalHeader()
    section = page.model.column_of("reference")
    where = QPoint(header.sectionViewportPosition(section) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)  # type: ignore[no-untyped-call]
    assert (page.model.sort_key, page.model.descending) == ("reference", False)
    assert page.model.data(page.model.index(0, 0)) == "R-000"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)  # type: ignore[no-untyped-call]
    assert page.model.data(page.model.index(0, 0)) == "R-011"


def test_column_chooser_is_remembered(
    qtbot: QtBot, page: RisksPage, db: Database, stack: QUndoStack, settings: QSettings
) -> None:
    menu = page.table.column_menu()
    owner = next(a for a in menu.actions() if a.objectName() == "column_owner")
    owner.setChecked(False)
    assert "owner" in page.table.hidden_columns()
    assert page.table.horizontalHeader().isSectionHidden(page.model.column_of("owner"))
    again = RisksPage(db, stack, settings=settings)
    qtbot.addWidget(again)
    assert again.table.hidden_columns() == ["owner"]


def test_delete_many_asks_once_and_undo_restores(
    qtbot: QtBot,
    page: RisksPage,
    db: Database,
    programme: Fixture,
    stack: QUndoStack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raise_many(db, programme.programme_id, 5)
    page.reload()
    asked: list[int] = []

    def confirm(rows: list[Any]) -> bool:
        asked.append(len(rows))
        return True

    monkeypatch.setattr(page, "confirm_delete", confirm)
    page.table.selectAll()
    page.delete_action.trigger()
    assert asked == [5]
    assert risks.list_risks(db, programme.programme_id) == []
    assert page.stack.currentWidget() is page.empty_label
    stack.undo()
    assert len(risks.list_risks(db, programme.programme_id)) == 5
    assert page.model.rowCount() == 5
    stack.redo()
    assert risks.list_risks(db, programme.programme_id) == []


# Undo through services ----------------------------------------------------------------


def test_update_undo_and_redo_are_audited(
    db: Database, programme: Fixture, stack: QUndoStack
) -> None:
    ops = risk_ops(db, programme.programme_id)
    before = risks.raise_risk(db, programme.programme_id, risk_draft())
    after = risks.update_risk(db, before.id, before.version, replace(before.draft(), title="New"))
    stack.push(UpdateCommand(ops, stack, before, after))
    stack.undo()
    assert risks.get_risk(db, before.id).title == "Radome supplier capacity"
    assert audit.entries(db, entity="risk", limit=1)[0].action == "updated"
    stack.redo()
    assert risks.get_risk(db, before.id).title == "New"


def test_undo_keeps_other_changes_and_refuses_to_overwrite_them(
    qtbot: QtBot, db: Database, programme: Fixture, stack: QUndoStack
) -> None:
    ops = risk_ops(db, programme.programme_id)
    before = risks.raise_risk(db, programme.programme_id, risk_draft())
    after = risks.update_risk(db, before.id, before.version, replace(before.draft(), title="New"))
    stack.push(UpdateCommand(ops, stack, before, after))
    # Someone else changes another field: undo puts back only the title.
    other = risks.update_risk(db, after.id, after.version, replace(after.draft(), owner="Rao"))
    stack.undo()
    now = risks.get_risk(db, before.id)
    assert (now.title, now.owner) == ("Radome supplier capacity", "Rao")
    # Someone else changes the title: redo would overwrite it, so it refuses.
    theirs = risks.update_risk(db, now.id, now.version, replace(now.draft(), title="Theirs"))
    with qtbot.waitSignal(ledger(stack).failed) as failure:
        stack.redo()
    assert "title" in failure.args[0]
    assert risks.get_risk(db, before.id).title == "Theirs"
    assert stack.count() == 0  # the step that could not be done is gone
    box = ledger(stack).last_message
    assert box is not None
    box.close()
    assert other.version < theirs.version


def test_create_and_delete_undo_follow_the_new_id(
    db: Database, programme: Fixture, stack: QUndoStack
) -> None:
    ops = risk_ops(db, programme.programme_id)
    row = risks.raise_risk(db, programme.programme_id, risk_draft())
    risks.review_risk(
        db,
        row.id,
        row.version,
        risks.ReviewDraft(row.raised_on, "Rao", 5, 5, "worse"),
    )
    row = risks.get_risk(db, row.id)
    stack.push(CreateCommand(ops, stack, row))
    stack.push(DeleteCommand(ops, stack, [row]))
    assert risks.list_risks(db, programme.programme_id) == []
    stack.undo()  # raised again, with a new id, its review and its values
    (again,) = risks.list_risks(db, programme.programme_id)
    assert again.id != row.id
    assert (again.likelihood, again.impact, again.title) == (5, 5, row.title)
    assert [r.note for r in risks.reviews(db, again.id)] == ["worse"]
    stack.undo()  # the creation's undo finds the record under its new id
    assert risks.list_risks(db, programme.programme_id) == []
    stack.redo()
    assert len(risks.list_risks(db, programme.programme_id)) == 1
