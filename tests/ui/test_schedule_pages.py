"""The workstream and milestone pages: dialogs, validation, re-baselining, history, undo."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.database import Database
from app.services import audit, listing_schedule, milestones, workstreams
from app.services.milestones import MilestoneDraft, MilestoneRow
from app.services.workstreams import WorkstreamRow
from tests.conftest import Fixture, workstream_draft
from ui.dialogs.fields import DateField, PickerField, TextField
from ui.dialogs.milestone_dialog import MilestoneDialog
from ui.dialogs.money_fields import MoneyField
from ui.dialogs.rebaseline_dialog import RebaselineDialog
from ui.dialogs.schedule_fields import SpinField
from ui.dialogs.workstream_dialog import WorkstreamDialog
from ui.pages.milestones_page import MilestonesPage
from ui.pages.workstreams_page import WorkstreamsPage

TODAY = date(2025, 9, 1)  # the status date the milestone register is listed at


@pytest.fixture(autouse=True)
def status_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_schedule, "today", lambda: TODAY)


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat)


def show(qtbot: QtBot, page: Any, programme_id: int) -> None:
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded):
        page.set_programme(programme_id)


@pytest.fixture
def ws_page(
    qtbot: QtBot, db: Database, programme: Fixture, stack: QUndoStack, settings: QSettings
) -> WorkstreamsPage:
    page = WorkstreamsPage(db, stack, settings=settings)
    show(qtbot, page, programme.programme_id)
    return page


@pytest.fixture
def ms_page(
    qtbot: QtBot, db: Database, programme: Fixture, stack: QUndoStack, settings: QSettings
) -> MilestonesPage:
    page = MilestonesPage(db, stack, settings=settings)
    show(qtbot, page, programme.programme_id)
    return page


def add_workstream(db: Database, programme: Fixture, **changes: object) -> WorkstreamRow:
    return workstreams.create_workstream(db, programme.programme_id, workstream_draft(**changes))


def add_milestone(db: Database, workstream_id: int, **changes: object) -> MilestoneRow:
    values: dict[str, Any] = {
        "title": "Preliminary design review",
        "baseline_date": date(2025, 6, 30),
        "forecast_date": date(2025, 7, 15),
        **changes,
    }
    values.setdefault("acceptance_criteria", f"{values['title']}: minutes signed by both partners")
    return milestones.create_milestone(
        db, workstream_id, MilestoneDraft(**values), reported_on=date(2025, 2, 1)
    )


@pytest.fixture
def two_workstreams(db: Database, programme: Fixture, ws_page: WorkstreamsPage) -> list[Any]:
    rows = [
        add_workstream(
            db,
            programme,
            code="WS-RADAR",
            title="Radar joint development",
            status="active",
            lead_organisation_id=programme.india_org,
            budget_minor=125_000_000_00,
        ),
        add_workstream(
            db, programme, code="WS-SEEKER", title="Seeker co-production", status="on hold"
        ),
    ]
    ws_page.reload()
    return rows


@pytest.fixture
def schedule(db: Database, programme: Fixture, ms_page: MilestonesPage) -> dict[str, Any]:
    """Two workstreams; at 2025-09-01 PDR is complete, CDR overdue, FAT and QT open."""
    radar = add_workstream(db, programme, code="WS-RADAR", title="Radar joint development")
    seeker = add_workstream(db, programme, code="WS-SEEKER", title="Seeker co-production")
    rows = {
        "radar": radar,
        "seeker": seeker,
        "PDR": add_milestone(db, radar.id, title="PDR", actual_date=date(2025, 7, 20)),  # +20
        "CDR": add_milestone(
            db,
            radar.id,
            title="CDR",
            baseline_date=date(2025, 8, 1),
            forecast_date=date(2025, 8, 20),  # +19, overdue
        ),
        "FAT": add_milestone(
            db,
            seeker.id,
            title="FAT",
            baseline_date=date(2025, 12, 1),
            forecast_date=date(2025, 11, 1),  # -30
        ),
        "QT": add_milestone(
            db,
            seeker.id,
            title="QT",
            baseline_date=date(2026, 3, 1),
            forecast_date=date(2026, 3, 1),  # 0
        ),
    }
    ms_page.reload()
    return rows


def codes(page: WorkstreamsPage) -> list[str]:
    return [page.model.row_at(r).code for r in range(page.model.rowCount())]


def titles(page: MilestonesPage) -> list[str]:
    return [page.model.row_at(r).title for r in range(page.model.rowCount())]


def open_dialog(qtbot: QtBot, page: Any, row: int | None) -> Any:
    if row is None:
        page.add_action.trigger()
    else:
        page.table.select_row(row)
        page.edit_action.trigger()
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def text(dialog: Any, name: str) -> TextField:
    field = dialog.field(name)
    assert isinstance(field, TextField)
    return field


def retype(qtbot: QtBot, dialog: Any, name: str, value: str) -> None:
    field = text(dialog, name)
    field.edit.selectAll()  # type: ignore[union-attr]
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    if value:
        qtbot.keyClicks(field.edit, value)


def set_date(dialog: Any, name: str, value: date | None) -> None:
    field = dialog.field(name)
    assert isinstance(field, DateField)
    if value is None:
        assert field.none is not None
        field.none.setChecked(True)
    else:
        if field.none is not None:
            field.none.setChecked(False)
        field.set_value(value)


def click_ok(qtbot: QtBot, dialog: Any) -> None:
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def click_header(qtbot: QtBot, page: Any, key: str) -> None:
    header = page.table.horizontalHeader()
    section = page.model.column_of(key)
    where = QPoint(header.sectionViewportPosition(section) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)  # type: ignore[no-untyped-call]


def filter_by(qtbot: QtBot, page: Any, value: str) -> None:
    page.filter_edit.setText(value)
    with qtbot.waitSignal(page.loaded, timeout=2000):
        pass


def cell(page: Any, row: int, key: str, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
    return page.model.data(page.model.index(row, page.model.column_of(key)), role)


# Models -------------------------------------------------------------------------------


def test_models_pass_the_model_tester(
    qtmodeltester: ModelTester,
    ws_page: WorkstreamsPage,
    ms_page: MilestonesPage,
    schedule: dict[str, Any],
) -> None:
    ws_page.reload()
    assert ws_page.model.rowCount() == 2
    qtmodeltester.check(ws_page.model, force_py=True)
    assert ms_page.model.rowCount() == 4
    qtmodeltester.check(ms_page.model, force_py=True)


def test_empty_pages_say_what_to_do(ws_page: WorkstreamsPage, ms_page: MilestonesPage) -> None:
    assert ws_page.stack.currentWidget() is ws_page.empty_label
    assert "Press Insert or click Add" in ws_page.empty_label.text()
    # Until the user chooses columns, two dates give the title their room.
    assert ws_page.table.hidden_columns() == ["baseline_start", "actual_finish"]
    assert ms_page.stack.currentWidget() is ms_page.empty_label
    assert "add one on the Workstreams page first" in ms_page.empty_label.text()
    ms_page.add_action.trigger()  # no workstream to put a milestone in: says so
    assert ms_page.dialog is None
    assert ms_page.notice is not None and "has none yet" in ms_page.notice.text()


# Workstreams ------------------------------------------------------------------------------


def test_add_a_workstream_through_the_dialog(
    qtbot: QtBot, ws_page: WorkstreamsPage, db: Database, programme: Fixture
) -> None:
    dialog = open_dialog(qtbot, ws_page, None)
    assert isinstance(dialog, WorkstreamDialog)
    assert not dialog.ok_button.isEnabled()  # code and title still needed
    qtbot.keyClicks(text(dialog, "code").edit, "WS-GAN")
    qtbot.keyClicks(text(dialog, "title").edit, "Gallium nitride modules")
    lead = dialog.field("lead_organisation_id")
    assert isinstance(lead, PickerField)
    lead.combo.setCurrentIndex(lead.options.row_of(programme.russia_org))
    trl = dialog.field("trl_now")
    assert isinstance(trl, SpinField)
    assert (trl.spin.minimum(), trl.spin.maximum()) == (1, 9)
    trl.spin.setValue(4)
    mrl = dialog.field("mrl_target")
    assert isinstance(mrl, SpinField)
    assert mrl.spin.maximum() == 10
    set_date(dialog, "baseline_start", date(2025, 1, 1))
    set_date(dialog, "baseline_finish", date(2027, 6, 30))
    set_date(dialog, "forecast_finish", date(2027, 9, 30))
    budget = dialog.field("budget_minor")
    assert isinstance(budget, MoneyField)
    assert budget.symbol.text() == "₹ INR"  # the programme's base currency
    budget.edit.clear()
    qtbot.keyClicks(budget.edit, "4,50,00,000")
    with qtbot.waitSignal(ws_page.loaded):
        click_ok(qtbot, dialog)
    (row,) = workstreams.list_workstreams(db, programme.programme_id)
    assert (row.code, row.title, row.lead_organisation_id) == (
        "WS-GAN",
        "Gallium nitride modules",
        programme.russia_org,
    )
    assert (row.trl_now, row.mrl_target, row.budget_minor) == (4, 10, 45_000_000_00)
    assert (row.baseline_finish, row.forecast_finish) == (date(2027, 6, 30), date(2027, 9, 30))
    entry = audit.entries(db, entity="workstream", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("created", row.id)
    assert codes(ws_page) == ["WS-GAN"]
    assert cell(ws_page, 0, "lead") == "Severny Luch"
    assert cell(ws_page, 0, "budget_minor") == "₹45,000,000.00"


def test_edit_a_workstream_through_the_dialog(
    qtbot: QtBot, ws_page: WorkstreamsPage, db: Database, two_workstreams: list[WorkstreamRow]
) -> None:
    radar = two_workstreams[0]
    dialog = open_dialog(qtbot, ws_page, ws_page.model.row_of_id(radar.id))
    assert dialog.windowTitle() == "Workstream WS-RADAR — Radar joint development"
    retype(qtbot, dialog, "title", "Radar joint development and trials")
    click_ok(qtbot, dialog)
    assert workstreams.get_workstream(db, radar.id).title == "Radar joint development and trials"
    entry = audit.entries(db, entity="workstream", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("updated", radar.id)
    assert entry.old_values == {"title": "Radar joint development"}
    assert "Radar joint development and trials" in [r.title for r in ws_page.model.rows()]


def test_enter_opens_the_dialog(
    qtbot: QtBot, ws_page: WorkstreamsPage, two_workstreams: list[WorkstreamRow]
) -> None:
    ws_page.table.select_row(1)
    ws_page.activateWindow()
    ws_page.table.setFocus()
    qtbot.waitActive(ws_page)
    qtbot.keyClick(ws_page.table, Qt.Key.Key_Return)
    assert isinstance(ws_page.dialog, WorkstreamDialog)
    assert ws_page.dialog.row == ws_page.model.row_at(1)


def test_delete_a_workstream_asks_and_undo_restores_it_with_its_participants(
    qtbot: QtBot,
    ws_page: WorkstreamsPage,
    db: Database,
    programme: Fixture,
    stack: QUndoStack,
    two_workstreams: list[WorkstreamRow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeker = two_workstreams[1]
    workstreams.add_participant(db, seeker.id, programme.russia_org, "seeker head")
    monkeypatch.setattr(ws_page, "confirm_delete", lambda rows: False)
    ws_page.table.select_row(ws_page.model.row_of_id(seeker.id))
    ws_page.delete_action.trigger()
    assert len(workstreams.list_workstreams(db, programme.programme_id)) == 2  # said no
    monkeypatch.setattr(ws_page, "confirm_delete", lambda rows: True)
    ws_page.delete_action.trigger()
    assert codes(ws_page) == ["WS-RADAR"]
    entry = audit.entries(db, entity="workstream", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("deleted", seeker.id)
    stack.undo()
    (back,) = [
        w for w in workstreams.list_workstreams(db, programme.programme_id) if w.code == "WS-SEEKER"
    ]
    assert [(p.organisation_id, p.role) for p in workstreams.participants(db, back.id)] == [
        (programme.russia_org, "seeker head")
    ]
    assert codes(ws_page) == ["WS-RADAR", "WS-SEEKER"]


def test_multi_select_delete_asks_once(
    qtbot: QtBot,
    ws_page: WorkstreamsPage,
    db: Database,
    programme: Fixture,
    stack: QUndoStack,
    two_workstreams: list[WorkstreamRow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int] = []
    monkeypatch.setattr(ws_page, "confirm_delete", lambda rows: asked.append(len(rows)) or True)
    ws_page.table.selectAll()
    ws_page.delete_action.trigger()
    assert asked == [2]
    assert workstreams.list_workstreams(db, programme.programme_id) == []
    assert ws_page.stack.currentWidget() is ws_page.empty_label
    stack.undo()
    assert len(workstreams.list_workstreams(db, programme.programme_id)) == 2


def test_empty_title_outlines_the_field_and_disables_ok(
    qtbot: QtBot, ws_page: WorkstreamsPage, two_workstreams: list[WorkstreamRow]
) -> None:
    dialog = open_dialog(qtbot, ws_page, 0)
    assert dialog.ok_button.isEnabled()
    retype(qtbot, dialog, "title", "")
    field = text(dialog, "title")
    assert field.edit.property("invalid") is True
    assert field.problem.isVisible()
    assert field.problem.text() == "Title must not be empty"
    assert not dialog.ok_button.isEnabled()
    retype(qtbot, dialog, "title", "Back again")
    assert field.edit.property("invalid") is False
    assert dialog.ok_button.isEnabled()


def test_baseline_finish_before_start_outlines_it(
    qtbot: QtBot, ws_page: WorkstreamsPage, two_workstreams: list[WorkstreamRow]
) -> None:
    dialog = open_dialog(qtbot, ws_page, 0)
    set_date(dialog, "baseline_finish", date(2024, 12, 31))  # the start is 2025-01-01
    finish = dialog.field("baseline_finish")
    assert finish.editor.property("invalid") is True
    assert finish.problem.text() == "Baseline finish must not be before baseline start (2025-01-01)"
    assert not dialog.ok_button.isEnabled()
    assert dialog.tabs.tabText(1).endswith("⚠")  # the problem's tab says so
    set_date(dialog, "baseline_finish", date(2027, 12, 31))
    assert dialog.ok_button.isEnabled()


def test_participants_are_added_and_removed_with_undo(
    qtbot: QtBot,
    ws_page: WorkstreamsPage,
    db: Database,
    programme: Fixture,
    stack: QUndoStack,
    two_workstreams: list[WorkstreamRow],
) -> None:
    radar = two_workstreams[0]
    dialog = open_dialog(qtbot, ws_page, ws_page.model.row_of_id(radar.id))
    assert dialog.participants_table.rowCount() == 0
    choices = dialog.participant_combo.choices
    dialog.participant_combo.setCurrentIndex(choices.row_of(programme.russia_org))
    qtbot.keyClicks(dialog.participant_role, "antenna array")
    qtbot.mouseClick(dialog.add_participant_button, Qt.MouseButton.LeftButton)
    (added,) = workstreams.participants(db, radar.id)
    assert (added.organisation_id, added.role) == (programme.russia_org, "antenna array")
    assert dialog.participants_table.rowCount() == 1
    assert dialog.participants_table.item(0, 2).text() == "antenna array"  # type: ignore[union-attr]
    assert choices.row_of(programme.russia_org) == -1  # not offered twice
    assert audit.entries(db, entity="workstream participant", limit=1)[0].action == "created"
    assert stack.undoText() == "Add participant Severny Luch"
    dialog.participants_table.selectRow(0)
    qtbot.mouseClick(dialog.remove_participant_button, Qt.MouseButton.LeftButton)
    assert workstreams.participants(db, radar.id) == []
    assert dialog.participants_table.rowCount() == 0
    stack.undo()  # the removal
    assert len(workstreams.participants(db, radar.id)) == 1
    assert dialog.participants_table.rowCount() == 1
    stack.undo()  # the addition
    assert workstreams.participants(db, radar.id) == []


def test_rows_are_tinted_by_status_with_the_word(
    ws_page: WorkstreamsPage, two_workstreams: list[WorkstreamRow]
) -> None:
    background = Qt.ItemDataRole.BackgroundRole
    assert cell(ws_page, 0, "status") == "Active"
    assert cell(ws_page, 1, "status") == "On hold"
    assert cell(ws_page, 0, "title", background).name() == "#e6f3e3"
    assert cell(ws_page, 1, "title", background).name() == "#fdf1cf"
    assert cell(ws_page, 0, "trl_now") == "5 → 8"


def test_workstream_filter_and_sort(
    qtbot: QtBot, ws_page: WorkstreamsPage, two_workstreams: list[WorkstreamRow]
) -> None:
    filter_by(qtbot, ws_page, "seeker")
    assert codes(ws_page) == ["WS-SEEKER"]
    assert ws_page.count_label.text() == "1 of 2 workstreams match"
    filter_by(qtbot, ws_page, "TRL-Lab")  # the lead organisation
    assert codes(ws_page) == ["WS-RADAR"]
    filter_by(qtbot, ws_page, "")
    click_header(qtbot, ws_page, "status")  # lifecycle order: active before on hold
    assert codes(ws_page) == ["WS-RADAR", "WS-SEEKER"]
    click_header(qtbot, ws_page, "status")
    assert codes(ws_page) == ["WS-SEEKER", "WS-RADAR"]


# Milestones -------------------------------------------------------------------------------


def test_add_a_milestone_through_the_dialog(
    qtbot: QtBot, ms_page: MilestonesPage, db: Database, programme: Fixture
) -> None:
    radar = add_workstream(db, programme, code="WS-RADAR", marking=1, releasable_to="IND")
    add_workstream(db, programme, code="WS-SEEKER")
    ms_page.reload()
    dialog = open_dialog(qtbot, ms_page, None)
    assert isinstance(dialog, MilestoneDialog)
    qtbot.keyClicks(text(dialog, "title").edit, "Critical design review")
    dialog._show_all = True
    dialog.revalidate()
    picker = dialog.field("workstream_id")
    assert picker.editor.property("invalid") is True  # no workstream chosen yet
    assert picker.problem.text() == "Workstream must be chosen"
    assert not dialog.ok_button.isEnabled()
    assert isinstance(picker, PickerField)
    picker.combo.setCurrentIndex(picker.options.row_of(radar.id))
    # Protected like its workstream unless the user says otherwise.
    assert dialog.field("marking").values() == {"marking": 1, "releasable_to": "IND"}
    set_date(dialog, "baseline_date", date(2025, 10, 31))
    set_date(dialog, "forecast_date", date(2025, 11, 14))
    qtbot.keyClicks(text(dialog, "acceptance_criteria").edit, "CDR board signs off")
    assert dialog.slip.text() == "+14 days late against the baseline"
    click_ok(qtbot, dialog)
    (row,) = milestones.list_milestones(db, programme.programme_id)
    assert (row.workstream_id, row.title, row.baseline_date, row.forecast_date) == (
        radar.id,
        "Critical design review",
        date(2025, 10, 31),
        date(2025, 11, 14),
    )
    assert (row.marking, row.releasable_to) == (1, "IND")
    entry = audit.entries(db, entity="milestone", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("created", row.id)
    assert [f.forecast_date for f in milestones.forecast_history(db, row.id)] == [
        date(2025, 11, 14)
    ]
    assert titles(ms_page) == ["Critical design review"]
    assert cell(ms_page, 0, "workstream") == "WS-RADAR"
    assert cell(ms_page, 0, "slip_days") == "+14"


def test_editing_the_forecast_is_recorded_and_shown_in_the_history(
    qtbot: QtBot, ms_page: MilestonesPage, db: Database, schedule: dict[str, Any]
) -> None:
    cdr = schedule["CDR"]
    dialog = open_dialog(qtbot, ms_page, ms_page.model.row_of_id(cdr.id))
    assert dialog.baseline_label.text() == "2025-08-01"  # read-only: a label
    assert "baseline_date" not in [n for f in dialog.fields for n in f.names]
    assert dialog.forecast_table.rowCount() == 1
    set_date(dialog, "forecast_date", date(2025, 9, 30))
    click_ok(qtbot, dialog)
    assert milestones.get_milestone(db, cdr.id).forecast_date == date(2025, 9, 30)
    history = milestones.forecast_history(db, cdr.id)
    assert [f.forecast_date for f in history] == [date(2025, 8, 20), date(2025, 9, 30)]
    assert history[-1].reported_on == date.today()
    entry = audit.entries(db, entity="milestone", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("updated", cdr.id)
    assert entry.old_values == {"forecast_date": "2025-08-20"}
    # No longer overdue at 2025-09-01; the slip follows the forecast.
    row = ms_page.model.row_of_id(cdr.id)
    assert (cell(ms_page, row, "state"), cell(ms_page, row, "slip_days")) == ("Open", "+60")
    dialog = open_dialog(qtbot, ms_page, row)
    table = dialog.forecast_table
    shown = [[table.item(r, c).text() for c in range(2)] for r in range(table.rowCount())]  # type: ignore[union-attr]
    assert shown == [
        [date.today().isoformat(), "2025-09-30"],  # newest first
        ["2025-02-01", "2025-08-20"],
    ]


def test_rebaseline_through_the_button_and_undo_it(
    qtbot: QtBot,
    ms_page: MilestonesPage,
    db: Database,
    stack: QUndoStack,
    schedule: dict[str, Any],
) -> None:
    cdr = schedule["CDR"]
    dialog = open_dialog(qtbot, ms_page, ms_page.model.row_of_id(cdr.id))
    retype(qtbot, dialog, "title", "Critical design review")  # typed before re-baselining
    qtbot.mouseClick(dialog.rebaseline_button, Qt.MouseButton.LeftButton)
    rebase = dialog.rebaseline_dialog
    assert isinstance(rebase, RebaselineDialog)
    qtbot.waitExposed(rebase)
    assert rebase.field("new_date").value() == date(2025, 8, 20)  # the forecast, offered
    assert not rebase.ok_button.isEnabled()  # reason and authority are required
    assert "Reason" in rebase.hint.text() and "Approving authority" in rebase.hint.text()
    set_date(rebase, "new_date", date(2025, 8, 1))  # the baseline it already is
    assert rebase.field("new_date").problem.text() == (
        "New baseline date is already the baseline (2025-08-01)"
    )
    set_date(rebase, "new_date", date(2025, 9, 15))
    qtbot.keyClicks(text(rebase, "reason").edit, "Radome test slot moved by the range")
    qtbot.keyClicks(text(rebase, "authority").edit, "Joint Steering Committee, 9th meeting")
    set_date(rebase, "approved_on", date(2025, 8, 10))
    click_ok(qtbot, rebase)
    assert not rebase.isVisible()

    now = milestones.get_milestone(db, cdr.id)
    assert now.baseline_date == date(2025, 9, 15)
    (entry,) = milestones.baseline_history(db, cdr.id)
    assert (entry.old_date, entry.new_date, entry.authority, entry.approved_on) == (
        date(2025, 8, 1),
        date(2025, 9, 15),
        "Joint Steering Committee, 9th meeting",
        date(2025, 8, 10),
    )
    assert audit.entries(db, entity="milestone baseline", limit=1)[0].action == "created"
    assert stack.undoText() == "Re-baseline milestone CDR to 2025-09-15"
    # The dialog shows the new baseline and history, and keeps what was typed.
    assert dialog.baseline_label.text() == "2025-09-15"
    assert dialog.baseline_table.rowCount() == 1
    assert dialog.baseline_table.item(0, 3).text() == "Joint Steering Committee, 9th meeting"  # type: ignore[union-attr]
    assert text(dialog, "title").value() == "Critical design review"
    assert dialog.slip.text() == "\u221226 days early against the baseline"
    click_ok(qtbot, dialog)  # the title saves over the re-baselined version: no conflict
    assert milestones.get_milestone(db, cdr.id).title == "Critical design review"
    assert milestones.get_milestone(db, cdr.id).baseline_date == date(2025, 9, 15)

    stack.undo()  # the title
    stack.undo()  # the re-baselining: re-baselined back, and recorded too
    assert milestones.get_milestone(db, cdr.id).baseline_date == date(2025, 8, 1)
    history = milestones.baseline_history(db, cdr.id)
    assert [(b.old_date, b.new_date) for b in history] == [
        (date(2025, 8, 1), date(2025, 9, 15)),
        (date(2025, 9, 15), date(2025, 8, 1)),
    ]
    assert history[1].reason.startswith("Undo: re-baselining from 2025-08-01 to 2025-09-15")
    assert history[1].authority == "Joint Steering Committee, 9th meeting"
    stack.redo()
    assert milestones.get_milestone(db, cdr.id).baseline_date == date(2025, 9, 15)
    assert len(milestones.baseline_history(db, cdr.id)) == 3


def test_bad_milestone_title_outlines_it_and_disables_ok(
    qtbot: QtBot, ms_page: MilestonesPage, schedule: dict[str, Any]
) -> None:
    dialog = open_dialog(qtbot, ms_page, 0)
    retype(qtbot, dialog, "title", "")
    field = text(dialog, "title")
    assert field.edit.property("invalid") is True
    assert field.problem.text() == "Title must not be empty"
    assert not dialog.ok_button.isEnabled()


def test_service_refusal_is_shown_on_its_field(
    qtbot: QtBot, ms_page: MilestonesPage, db: Database, schedule: dict[str, Any]
) -> None:
    dialog = open_dialog(qtbot, ms_page, ms_page.model.row_of_id(schedule["CDR"].id))
    set_date(dialog, "forecast_date", date(2024, 12, 1))  # before the workstream starts
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    problem = dialog.field("forecast_date").problem.text()
    assert problem == "Forecast date must not be before workstream WS-RADAR starts (2025-01-01)"
    assert not dialog.ok_button.isEnabled()


def test_delete_a_milestone_and_undo_brings_its_history_back(
    qtbot: QtBot,
    ms_page: MilestonesPage,
    db: Database,
    programme: Fixture,
    stack: QUndoStack,
    schedule: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cdr = schedule["CDR"]
    moved = milestones.update_milestone(
        db, cdr.id, cdr.version, cdr.edit(), reported_on=date(2025, 3, 1)
    )
    moved = milestones.update_milestone(
        db,
        cdr.id,
        moved.version,
        milestones.MilestoneEdit(title="CDR", forecast_date=date(2025, 8, 25)),
        reported_on=date(2025, 4, 1),
    )
    milestones.rebaseline(
        db, cdr.id, moved.version, date(2025, 8, 15), "Slot", "JSC", date(2025, 5, 1)
    )
    before = (
        milestones.get_milestone(db, cdr.id),
        [(f.reported_on, f.forecast_date) for f in milestones.forecast_history(db, cdr.id)],
        [(b.old_date, b.new_date, b.reason) for b in milestones.baseline_history(db, cdr.id)],
    )
    ms_page.reload()
    monkeypatch.setattr(ms_page, "confirm_delete", lambda rows: True)
    ms_page.table.select_row(ms_page.model.row_of_id(cdr.id))
    ms_page.activateWindow()
    ms_page.table.setFocus()
    qtbot.waitActive(ms_page)
    qtbot.keyClick(ms_page.table, Qt.Key.Key_Delete)
    assert "CDR" not in titles(ms_page)
    entry = audit.entries(db, entity="milestone", limit=1)[0]
    assert (entry.action, entry.entity_id) == ("deleted", cdr.id)
    stack.undo()
    (back,) = [
        m for m in milestones.list_milestones(db, programme.programme_id) if m.title == "CDR"
    ]
    assert (back.baseline_date, back.forecast_date) == (
        before[0].baseline_date,
        before[0].forecast_date,
    )
    assert [(f.reported_on, f.forecast_date) for f in milestones.forecast_history(db, back.id)] == (
        before[1]
    )
    assert [
        (b.old_date, b.new_date, b.reason) for b in milestones.baseline_history(db, back.id)
    ] == before[2]
    assert "CDR" in titles(ms_page)


def test_state_is_a_word_and_a_tint(ms_page: MilestonesPage, schedule: dict[str, Any]) -> None:
    background = Qt.ItemDataRole.BackgroundRole
    states = {
        ms_page.model.row_at(r).title: (
            cell(ms_page, r, "state"),
            cell(ms_page, r, "title", background),
        )
        for r in range(ms_page.model.rowCount())
    }
    assert states["CDR"][0] == "Overdue" and states["CDR"][1].name() == "#fbe1de"
    assert states["PDR"][0] == "Complete" and states["PDR"][1].name() == "#e6f3e3"
    assert states["QT"] == ("Open", None)


def test_sorting_by_slip_days_orders_rows(
    qtbot: QtBot, ms_page: MilestonesPage, schedule: dict[str, Any]
) -> None:
    click_header(qtbot, ms_page, "slip_days")
    assert (ms_page.model.sort_key, ms_page.model.descending) == ("slip_days", False)
    assert titles(ms_page) == ["FAT", "QT", "CDR", "PDR"]
    assert [cell(ms_page, r, "slip_days") for r in range(4)] == ["\u221230", "0", "+19", "+20"]
    click_header(qtbot, ms_page, "slip_days")
    assert titles(ms_page) == ["PDR", "CDR", "QT", "FAT"]


def test_filtering_narrows_by_text_and_by_workstream(
    qtbot: QtBot, ms_page: MilestonesPage, schedule: dict[str, Any]
) -> None:
    filter_by(qtbot, ms_page, "dr")
    assert sorted(titles(ms_page)) == ["CDR", "PDR"]
    assert ms_page.count_label.text() == "2 of 4 milestones match"
    filter_by(qtbot, ms_page, "ws-seeker")  # the workstream's code
    assert sorted(titles(ms_page)) == ["FAT", "QT"]
    filter_by(qtbot, ms_page, "")
    combo = ms_page.workstream_combo
    assert combo.count() == 3  # all, and the two workstreams
    combo.setCurrentIndex(combo.findData(schedule["radar"].id))
    assert sorted(titles(ms_page)) == ["CDR", "PDR"]
    # A new milestone starts in the workstream shown.
    dialog = open_dialog(qtbot, ms_page, None)
    assert dialog.field("workstream_id").value() == schedule["radar"].id
    dialog.reject()
    ms_page.show_workstream(None)
    assert len(titles(ms_page)) == 4


# Screenshots --------------------------------------------------------------------------------


def save(widget: QWidget, folder: Path, name: str) -> None:
    assert widget.grab().save(str(folder / name))
    assert (folder / name).stat().st_size > 10_000


def test_screenshots(
    qtbot: QtBot,
    ws_page: WorkstreamsPage,
    ms_page: MilestonesPage,
    db: Database,
    programme: Fixture,
    tmp_path: Path,
) -> None:
    folder = Path(os.environ.get("SETU_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    kinds = ["joint R&D", "co-production", "technology transfer", "trials and certification"]
    statuses = ["active", "active", "on hold", "not started", "complete", "cancelled"]
    phases = ["design", "development", "prototype", "trials", "production"]
    ids = []
    for i in range(14):
        ids.append(
            add_workstream(
                db,
                programme,
                code=f"WS-{i + 1:02d}",
                title=[
                    "Active electronically scanned radar",
                    "Seeker co-production (Головка самонаведения)",
                    "Propellant indigenisation",
                    "Launcher transfer of technology",
                    "Integrated flight trials",
                ][i % 5],
                kind=kinds[i % 4],
                phase=phases[i % 5],
                status=statuses[i % 6],
                lead_organisation_id=[programme.india_org, programme.russia_org, None][i % 3],
                trl_now=3 + i % 5,
                budget_minor=(i + 1) * 37_500_000_00,
                forecast_finish=date(2028, 1, 31) if i % 2 else None,
            ).id
        )
    for i in range(30):
        add_milestone(
            db,
            ids[i % 5],
            title=["PDR", "CDR", "Prototype delivered", "Qualification trials", "FAT"][i % 5]
            + f" — lot {i // 5 + 1}",
            baseline_date=date(2025, 3 + i % 9, 1),
            forecast_date=date(2025, 3 + i % 9, 1 + (i * 7) % 27),
            actual_date=date(2025, 4, 2) if i % 4 == 0 else None,
            value_weight=1 + i % 3,
        )
    ws_page.reload()
    ms_page.reload()
    save(ws_page, folder, "workstreams_page.png")
    save(ms_page, folder, "milestones_page.png")
    dialog = open_dialog(qtbot, ws_page, 0)
    save(dialog, folder, "workstream_dialog.png")
    dialog.tabs.setCurrentIndex(1)
    set_date(dialog, "baseline_finish", date(2024, 6, 1))
    save(dialog, folder, "workstream_dialog_invalid.png")
    dialog.tabs.setCurrentIndex(2)
    save(dialog, folder, "workstream_dialog_participants.png")
    dialog = open_dialog(qtbot, ms_page, 1)
    save(dialog, folder, "milestone_dialog.png")
    row = dialog.row
    milestones.rebaseline(
        db, row.id, row.version, date(2025, 12, 1), "Range slot moved", "JSC", date(2025, 8, 1)
    )
    dialog.reject()
    dialog = open_dialog(qtbot, ms_page, 1)
    dialog.tabs.setCurrentIndex(1)
    save(dialog, folder, "milestone_dialog_history.png")
    qtbot.mouseClick(dialog.rebaseline_button, Qt.MouseButton.LeftButton)
    assert dialog.rebaseline_dialog is not None
    qtbot.waitExposed(dialog.rebaseline_dialog)
    save(dialog.rebaseline_dialog, folder, "rebaseline_dialog.png")
    dialog.rebaseline_dialog.reject()
    dialog.reject()
    dialog = open_dialog(qtbot, ms_page, None)
    qtbot.keyClicks(text(dialog, "title").edit, "Series production readiness review")
    dialog.accept()  # refused: no workstream chosen; every problem is shown
    assert dialog.isVisible()
    save(dialog, folder, "milestone_dialog_new_invalid.png")
