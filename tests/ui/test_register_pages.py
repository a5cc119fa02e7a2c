"""Contracts, cost sharing, decisions and actions, and the audit log: pages and dialogs.

Every register's record is added, edited and deleted through its dialog with qtbot;
each time the database must have changed and the audit log must say so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.database import Database
from app.services import (
    actions,
    agreements,
    audit,
    contract_items,
    contracts,
    costs,
    decisions,
    fx,
    listing_registers,
    register_labels,
    risks,
)
from tests.conftest import Fixture, audit_count, risk_draft
from tests.unit.services.test_listing_registers import Seeded, seed
from ui import workers
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.agreement_dialog import AgreementDialog
from ui.dialogs.contract_dialog import ContractDialog
from ui.dialogs.contract_items_dialogs import DeliverableDialog
from ui.dialogs.decision_dialog import DecisionDialog
from ui.dialogs.fields import DateField, Field, PickerField, TextField
from ui.dialogs.money_dialogs import ContributionDialog, ExpenditureDialog, RateDialog
from ui.dialogs.money_fields import CurrencyMoneyField, MoneyField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.value_fields import DecimalField
from ui.pages.audit_page import AuditPage
from ui.pages.contracts_page import ContractsPage
from ui.pages.costs_page import CostsPage
from ui.pages.decisions_page import DecisionsPage
from ui.pages.register_group import OVERDUE_TINT, WARNING_TINT
from ui.pages.register_page import RegisterPage

# Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def seeded(db: Database, programme: Fixture) -> Seeded:
    return seed(db, programme)


PageFactory = Callable[[type[QWidget]], Any]


@pytest.fixture
def make_page(
    qtbot: QtBot, db: Database, programme: Fixture, stack: QUndoStack, settings: QSettings
) -> PageFactory:
    """A page of `kind` at 1280 x 800, shown, with the test programme selected.

    The pages live as long as the fixture, so a fixture set up after this one (the
    model tester) is torn down while they still exist.
    """
    pages: list[QWidget] = []

    def make(kind: type[QWidget]) -> Any:
        page = kind(db, stack, settings=settings)  # type: ignore[call-arg]
        pages.append(page)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        with qtbot.waitSignal(page.loaded):  # type: ignore[attr-defined]
            page.set_programme(programme.programme_id)  # type: ignore[attr-defined]
        return page

    return make


@pytest.fixture(autouse=True)
def _no_workers_left() -> Iterator[None]:
    yield
    workers.wait_all(5000)


# Helpers ---------------------------------------------------------------------------------


def open_dialog(qtbot: QtBot, register: RegisterPage, row: int | None) -> Any:
    if row is None:
        register.add_action.trigger()
    else:
        register.table.select_row(row)
        register.edit_action.trigger()
    dialog = register.dialog
    assert isinstance(dialog, RecordDialog)
    qtbot.waitExposed(dialog)
    return dialog


def row_of(register: RegisterPage, test: Callable[[Any], bool]) -> int:
    for number in range(register.model.rowCount()):
        if test(register.model.row_at(number)):
            return number
    raise AssertionError("no such row")


def retype(qtbot: QtBot, dialog: RecordDialog, name: str, text: str) -> None:
    field = dialog.field(name)
    editor = getattr(field, "edit", field.editor)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(editor, text)


def choose(dialog: RecordDialog, name: str, data: object) -> None:
    field = dialog.field(name)
    combo = field.combo  # type: ignore[attr-defined]
    index = field.options.row_of(data) if isinstance(field, PickerField) else combo.findData(data)
    assert index != -1, f"{name}: {data!r} is not offered"
    combo.setCurrentIndex(index)


def set_date(dialog: RecordDialog, name: str, day: date | None) -> None:
    field = dialog.field(name)
    assert isinstance(field, DateField)
    field.set_value(day)


def click_ok(qtbot: QtBot, dialog: RecordDialog) -> None:
    assert dialog.ok_button.isEnabled(), dialog.problems()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problems()


def delete_row(
    qtbot: QtBot, register: RegisterPage, row: int, monkeypatch: pytest.MonkeyPatch
) -> Any:
    monkeypatch.setattr(register, "confirm_delete", lambda rows: True)
    victim = register.model.row_at(row)
    register.table.select_row(row)
    register.table.setFocus()
    register.delete_action.trigger()
    return victim


def latest(db: Database, entity: str) -> tuple[str, int]:
    entry = audit.entries(db, entity=entity, limit=1)[0]
    return entry.action, entry.entity_id


def shown(register: RegisterPage, column: str) -> list[str]:
    number = register.model.column_of(column)
    return [register.model.index(r, number).data() for r in range(register.model.rowCount())]


# Models ----------------------------------------------------------------------------------


REGISTERS = [
    (ContractsPage, None),
    (CostsPage, "agreements"),
    (CostsPage, "contributions"),
    (CostsPage, "expenditures"),
    (CostsPage, "rates"),
    (DecisionsPage, "decisions_register"),
    (DecisionsPage, "actions_register"),
    (AuditPage, None),
]


@pytest.mark.parametrize(("kind", "name"), REGISTERS)
def test_every_model_passes_the_model_tester(
    make_page: PageFactory,
    qtmodeltester: ModelTester,
    seeded: Seeded,
    kind: type[QWidget],
    name: str | None,
) -> None:
    page = make_page(kind)
    register = page if name is None else getattr(page, name)
    assert register.model.rowCount() >= 2
    qtmodeltester.check(register.model, force_py=True)


def test_empty_registers_say_what_to_do(make_page: PageFactory) -> None:
    costs_page = make_page(CostsPage)
    for register in costs_page.registers:
        assert register.stack.currentWidget() is register.empty_label
        assert "Insert" in register.empty_label.text()
    assert costs_page.tabs.tabText(1) == "&Contributions (0)"


def test_keyboard_filter_and_column_chooser(
    qtbot: QtBot, make_page: PageFactory, seeded: Seeded, settings: QSettings
) -> None:
    contracts_page: ContractsPage = make_page(ContractsPage)
    # The filter box filters in SQL, through the organisations' names too.
    qtbot.keyClicks(contracts_page.filter_edit, "radome")
    contracts_page.apply_filter()
    assert shown(contracts_page, "number") == ["C-002"]
    assert contracts_page.count_label.text() == "1 of 2 contracts match"
    contracts_page.filter_edit.clear()
    contracts_page.apply_filter()
    # Rarely needed columns start hidden; the chooser shows them, and remembers.
    assert "period_end" in contracts_page.table.hidden_columns()
    menu = contracts_page.table.column_menu()
    item = next(a for a in menu.actions() if a.objectName() == "column_period_end")
    item.setChecked(True)
    assert "period_end" not in contracts_page.table.hidden_columns()
    assert "period_end" not in (settings.value("pages/contracts/hidden_columns") or [])
    # Enter opens the selected record; a double-click too.
    contracts_page.activateWindow()
    contracts_page.table.select_row(0)
    contracts_page.table.setFocus()
    qtbot.waitUntil(contracts_page.isActiveWindow)  # shortcuts need an active window
    qtbot.keyClick(contracts_page.table, Qt.Key.Key_Return)
    assert isinstance(contracts_page.dialog, ContractDialog)
    assert contracts_page.dialog.row == contracts_page.model.row_at(0)
    contracts_page.dialog.reject()
    rect = contracts_page.table.visualRect(contracts_page.model.index(1, 1))
    viewport = contracts_page.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[no-untyped-call]
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[no-untyped-call]
    assert contracts_page.dialog.row == contracts_page.model.row_at(1)
    contracts_page.dialog.reject()

    # On a page of two registers, Insert adds to the one being worked in.
    decisions_page: DecisionsPage = make_page(DecisionsPage)
    register = decisions_page.actions_register
    decisions_page.activateWindow()
    register.table.select_row(0)
    register.table.setFocus()
    qtbot.waitUntil(decisions_page.isActiveWindow)
    qtbot.keyClick(register.table, Qt.Key.Key_Insert)
    assert isinstance(register.dialog, ActionDialog)
    assert register.dialog.row is None
    assert decisions_page.decisions_register.dialog is None
    assert decisions_page.filter_edit is register.filter_edit


# Contracts -------------------------------------------------------------------------------


def test_add_edit_delete_a_contract(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: ContractsPage = make_page(ContractsPage)
    dialog = open_dialog(qtbot, page, None)
    assert isinstance(dialog, ContractDialog)
    assert not dialog.ok_button.isEnabled()  # number, title and the parties still needed
    qtbot.keyClicks(dialog.field("number").editor, "C-003")
    qtbot.keyClicks(dialog.field("title").editor, "Seeker spares")
    choose(dialog, "supplier_id", programme.india_org)
    assert dialog.field("supplier_id").combo.currentText() == "TRL-Lab — तरंग रडार प्रयोगशाला"  # type: ignore[attr-defined]
    choose(dialog, "customer_id", programme.russia_org)
    value = dialog.field("value_minor")
    assert isinstance(value, CurrencyMoneyField)
    value.currency_combo.setCurrentIndex(value.currency_combo.findData("USD"))
    retype(qtbot, dialog, "value_minor", "2,500,000.50")
    assert dialog.offset_field.currency == "USD"  # the obligation follows the contract
    click_ok(qtbot, dialog)
    added = next(
        c for c in contracts.list_contracts(db, programme.programme_id) if c.number == "C-003"
    )
    assert (added.value_minor, added.currency, added.supplier_id) == (
        250_000_050,
        "USD",
        programme.india_org,
    )
    assert latest(db, "contract") == ("created", added.id)
    assert "C-003" in shown(page, "number")

    dialog = open_dialog(qtbot, page, row_of(page, lambda r: r.number == "C-003"))
    retype(qtbot, dialog, "title", "Seeker spares and support")
    click_ok(qtbot, dialog)
    assert contracts.get_contract(db, added.id).title == "Seeker spares and support"
    assert latest(db, "contract") == ("updated", added.id)
    assert audit.entries(db, entity="contract", limit=1)[0].old_values == {"title": "Seeker spares"}

    victim = delete_row(qtbot, page, row_of(page, lambda r: r.number == "C-003"), monkeypatch)
    assert victim.id == added.id
    assert "C-003" not in [c.number for c in contracts.list_contracts(db, programme.programme_id)]
    assert latest(db, "contract") == ("deleted", added.id)
    assert "C-003" not in shown(page, "number")


def test_contract_below_its_ic_minimum_is_tinted_and_says_so(
    make_page: PageFactory, seeded: Seeded
) -> None:
    page: ContractsPage = make_page(ContractsPage)
    row = row_of(page, lambda r: r.number == "C-002")  # Buy (Indian), 40 % of 60 %
    check = page.model.index(row, page.model.column_of("ic_check"))
    assert check.data() == "below minimum 50 %"
    assert check.data(Qt.ItemDataRole.BackgroundRole) == WARNING_TINT[0]
    other = page.model.index(row_of(page, lambda r: r.number == "C-001"), 0)
    assert other.data(Qt.ItemDataRole.BackgroundRole) is None


def test_contract_dialog_suggests_the_offset_obligation(
    qtbot: QtBot, make_page: PageFactory, seeded: Seeded
) -> None:
    page: ContractsPage = make_page(ContractsPage)
    dialog = open_dialog(qtbot, page, row_of(page, lambda r: r.number == "C-002"))
    retype(qtbot, dialog, "value_minor", "25,000,00,00,000")  # ₹25,000 crore
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    assert dialog.offset_field.value() == 75_000_000_000_00  # 30 % of the whole value
    assert "30 % of the whole value" in dialog.suggestion.text()
    retype(qtbot, dialog, "value_minor", "100")
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    assert dialog.offset_field.value() == 0
    # A value in a currency with no rate to INR cannot be judged: the dialog says why.
    value = dialog.field("value_minor")
    assert isinstance(value, CurrencyMoneyField)
    value.currency_combo.setCurrentIndex(value.currency_combo.findData("EUR"))
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    assert "No exchange rate converts EUR to INR" in dialog.suggestion.text()


def test_contract_deliverable_through_its_tab(
    qtbot: QtBot, make_page: PageFactory, db: Database, seeded: Seeded, stack: QUndoStack
) -> None:
    page: ContractsPage = make_page(ContractsPage)
    dialog = open_dialog(qtbot, page, row_of(page, lambda r: r.number == "C-002"))
    tab = dialog.item_tabs["deliverables"]
    dialog.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    child = tab.dialog
    assert isinstance(child, DeliverableDialog)
    qtbot.keyClicks(child.field("item").editor, "Radome assembly")
    child.field("quantity_ordered").set_value(12)
    click_ok(qtbot, child)
    (row,) = contract_items.list_deliverables(db, seeded.contracts[0])
    assert (row.item, row.quantity_ordered) == ("Radome assembly", 12)
    assert latest(db, "deliverable") == ("created", row.id)
    assert tab.table.rowCount() == 1
    stack.undo()
    assert contract_items.list_deliverables(db, seeded.contracts[0]) == []
    assert tab.table.rowCount() == 0


# Cost sharing -------------------------------------------------------------------------------


def test_agreement_ok_waits_for_exactly_100_percent(
    qtbot: QtBot, make_page: PageFactory, db: Database, programme: Fixture, seeded: Seeded
) -> None:
    page: CostsPage = make_page(CostsPage)
    dialog = open_dialog(qtbot, page.agreements, None)
    assert isinstance(dialog, AgreementDialog)
    qtbot.keyClicks(dialog.field("code").editor, "AGR-TRIALS")
    qtbot.keyClicks(dialog.field("title").editor, "Trials cost share")
    shares = dialog.shares
    assert [shares.partner_text(n) for n in range(2)] == ["IND — India", "RUS — Russia"]
    qtbot.keyClicks(shares.share_edit(0), "50")
    qtbot.keyClicks(shares.share_edit(1), "49.99")
    assert shares.total.text() == "Total: 99.9900 % — must be exactly 100 %"
    assert not dialog.ok_button.isEnabled()
    assert shares.table.property("invalid") is True
    assert "must add up to exactly 100 %" in shares.problem.text()
    retype_share = shares.share_edit(1)
    retype_share.selectAll()
    qtbot.keyClicks(retype_share, "50")
    assert shares.total.text() == "Total: 100.0000 %"
    assert dialog.ok_button.isEnabled()
    assert shares.table.property("invalid") is False
    click_ok(qtbot, dialog)
    added = next(
        a for a in agreements.list_agreements(db, programme.programme_id) if a.code == "AGR-TRIALS"
    )
    assert [(s.nation, s.share_pct) for s in added.shares] == [
        ("IND", Decimal(50)),
        ("RUS", Decimal(50)),
    ]
    assert latest(db, "cost_share_agreement") == ("created", added.id)
    assert "AGR-TRIALS" in shown(page.agreements, "code")


def test_edit_and_delete_an_agreement(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    stack: QUndoStack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: CostsPage = make_page(CostsPage)
    register = page.agreements
    prod = seeded.agreements[1]
    dialog = open_dialog(qtbot, register, register.model.row_of_id(prod))
    assert dialog.shares.total.text() == "Total: 100.0000 %"
    dialog.shares.share_edit(0).setText("60")
    dialog.shares.share_edit(1).setText("40")
    retype(qtbot, dialog, "title", "Production cost share, lot 2")
    click_ok(qtbot, dialog)
    row = agreements.get_agreement(db, prod)
    assert row.title == "Production cost share, lot 2"
    assert [s.share_pct for s in row.shares] == [Decimal(60), Decimal(40)]
    assert latest(db, "cost_share_agreement") == ("updated", prod)
    assert latest(db, "cost_share")[0] == "updated"
    summary = shown(register, "shares")[register.model.row_of_id(prod)]
    assert summary == "IND 60 % · Severny Luch 40 %"
    # Undo puts the whole agreement back, shares and all, as an audited change.
    stack.undo()
    assert [s.share_pct for s in agreements.get_agreement(db, prod).shares] == [
        Decimal("66.6667"),
        Decimal("33.3333"),
    ]
    # An agreement nobody has paid under can go.
    spare = agreements.create_agreement(
        db, programme.programme_id, replace_code(agreements.get_agreement(db, prod).draft())
    )
    register.reload()
    victim = delete_row(qtbot, register, register.model.row_of_id(spare.id), monkeypatch)
    assert victim.id == spare.id
    assert spare.id not in [a.id for a in agreements.list_agreements(db, programme.programme_id)]
    assert latest(db, "cost_share_agreement") == ("deleted", spare.id)


def replace_code(draft: agreements.AgreementDraft) -> agreements.AgreementDraft:
    from dataclasses import replace

    return replace(draft, code="AGR-SPARE", workstream_ids=())


def test_add_edit_delete_a_contribution(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: CostsPage = make_page(CostsPage)
    register = page.contributions
    page.tabs.setCurrentWidget(register)
    dialog = open_dialog(qtbot, register, None)
    assert isinstance(dialog, ContributionDialog)
    share = dialog.field("cost_share_id")
    assert isinstance(share, PickerField)
    assert share.combo.currentText() == "AGR-DEV · IND (50 %)"
    retype(qtbot, dialog, "amount_minor", "12,50,000.00")
    set_date(dialog, "contributed_on", date(2025, 7, 1))
    qtbot.keyClicks(dialog.field("description").editor, "Second instalment")
    click_ok(qtbot, dialog)
    added = next(
        c
        for c in costs.list_contributions(db, seeded.agreements[0])
        if c.description == "Second instalment"
    )
    assert (added.amount_minor, added.currency, added.kind) == (125_000_000, "INR", "cash")
    assert latest(db, "contribution") == ("created", added.id)
    assert "₹1,250,000.00" in shown(register, "amount")

    dialog = open_dialog(qtbot, register, register.model.row_of_id(added.id))
    retype(qtbot, dialog, "amount_minor", "1,500,000")
    click_ok(qtbot, dialog)
    changed = listing_registers.first(
        db, listing_registers.CONTRIBUTIONS, programme.programme_id, {"id": added.id}
    )
    assert changed is not None and changed.amount_minor == 150_000_000
    assert latest(db, "contribution") == ("updated", added.id)

    delete_row(qtbot, register, register.model.row_of_id(added.id), monkeypatch)
    assert added.id not in [c.id for c in costs.list_contributions(db, seeded.agreements[0])]
    assert latest(db, "contribution") == ("deleted", added.id)


def test_add_edit_delete_an_expenditure(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: CostsPage = make_page(CostsPage)
    register = page.expenditures
    page.tabs.setCurrentWidget(register)
    dialog = open_dialog(qtbot, register, None)
    assert isinstance(dialog, ExpenditureDialog)
    choose(dialog, "workstream_id", seeded.workstreams[1])
    choose(dialog, "category", "subcontract")
    retype(qtbot, dialog, "amount_minor", "3,40,000")
    click_ok(qtbot, dialog)
    pid = programme.programme_id
    added = next(e for e in costs.list_expenditures(db, pid) if e.category == "subcontract")
    assert (added.workstream_id, added.amount_minor) == (seeded.workstreams[1], 34_000_000)
    assert latest(db, "expenditure") == ("created", added.id)

    dialog = open_dialog(qtbot, register, register.model.row_of_id(added.id))
    qtbot.keyClicks(dialog.field("description").editor, "Radome moulds")
    click_ok(qtbot, dialog)
    assert next(e for e in costs.list_expenditures(db, pid) if e.id == added.id).description == (
        "Radome moulds"
    )
    assert latest(db, "expenditure") == ("updated", added.id)

    delete_row(qtbot, register, register.model.row_of_id(added.id), monkeypatch)
    assert added.id not in [e.id for e in costs.list_expenditures(db, pid)]
    assert latest(db, "expenditure") == ("deleted", added.id)


def test_add_edit_delete_an_exchange_rate(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: CostsPage = make_page(CostsPage)
    register = page.rates
    page.tabs.setCurrentWidget(register)
    dialog = open_dialog(qtbot, register, None)
    assert isinstance(dialog, RateDialog)
    choose(dialog, "from_currency", "EUR")
    choose(dialog, "to_currency", "INR")
    set_date(dialog, "rate_date", date(2025, 2, 1))
    qtbot.keyClicks(dialog.field("rate").editor, "90.25")
    assert dialog.reading.text() == "1 EUR = 90.25 INR"
    click_ok(qtbot, dialog)
    added = next(r for r in fx.list_rates(db) if r.from_currency == "EUR")
    assert (added.rate_date, added.rate) == (date(2025, 2, 1), Decimal("90.25"))
    assert latest(db, "exchange_rate") == ("created", added.id)

    dialog = open_dialog(qtbot, register, register.model.row_of_id(added.id))
    retype(qtbot, dialog, "rate", "91")
    click_ok(qtbot, dialog)
    assert next(r for r in fx.list_rates(db) if r.id == added.id).rate == Decimal(91)
    assert latest(db, "exchange_rate") == ("updated", added.id)

    delete_row(qtbot, register, register.model.row_of_id(added.id), monkeypatch)
    assert added.id not in [r.id for r in fx.list_rates(db)]
    assert latest(db, "exchange_rate") == ("deleted", added.id)


# Decisions and actions --------------------------------------------------------------------


def test_add_edit_delete_a_decision(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: DecisionsPage = make_page(DecisionsPage)
    register = page.decisions_register
    dialog = open_dialog(qtbot, register, None)
    assert isinstance(dialog, DecisionDialog)
    qtbot.keyClicks(dialog.field("title").editor, "Choose the radome test site")
    qtbot.keyClicks(dialog.field("forum").editor, "Joint Working Group")
    click_ok(qtbot, dialog)
    pid = programme.programme_id
    added = next(d for d in decisions.list_decisions(db, pid) if d.title.startswith("Choose"))
    assert added.status == "pending"
    assert latest(db, "decision") == ("created", added.id)

    dialog = open_dialog(qtbot, register, register.model.row_of_id(added.id))
    choose(dialog, "status", "taken")
    assert dialog.field("decided_on").value() == date.today()  # taken: dated today
    assert not dialog.ok_button.isEnabled()  # a taken decision must say what was decided
    assert dialog.field("outcome").problem.text() == "Outcome must say what was decided"
    qtbot.keyClicks(dialog.field("outcome").editor, "Bengaluru range, March")
    click_ok(qtbot, dialog)
    taken = decisions.get_decision(db, added.id)
    assert (taken.status, taken.outcome, taken.decided_on) == (
        "taken",
        "Bengaluru range, March",
        date.today(),
    )
    assert latest(db, "decision") == ("updated", added.id)

    delete_row(qtbot, register, register.model.row_of_id(added.id), monkeypatch)
    assert added.id not in [d.id for d in decisions.list_decisions(db, pid)]
    assert latest(db, "decision") == ("deleted", added.id)


def test_add_edit_delete_an_action(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: DecisionsPage = make_page(DecisionsPage)
    register = page.actions_register
    dialog = open_dialog(qtbot, register, None)
    assert isinstance(dialog, ActionDialog)
    qtbot.keyClicks(dialog.field("title").editor, "Send the range booking form")
    qtbot.keyClicks(dialog.field("owner").editor, "Sqn Ldr Iyer")
    choose(dialog, "risk_id", seeded.risk)
    click_ok(qtbot, dialog)
    pid = programme.programme_id
    added = next(a for a in actions.list_actions(db, pid) if a.owner == "Sqn Ldr Iyer")
    assert added.risk_id == seeded.risk
    assert latest(db, "action") == ("created", added.id)
    assert shown(register, "risk")[register.model.row_of_id(added.id)] == "R-001"

    dialog = open_dialog(qtbot, register, register.model.row_of_id(added.id))
    choose(dialog, "status", "done")
    click_ok(qtbot, dialog)
    done = actions.get_action(db, added.id)
    assert (done.status, done.done_on) == ("done", date.today())
    assert latest(db, "action") == ("updated", added.id)

    delete_row(qtbot, register, register.model.row_of_id(added.id), monkeypatch)
    assert added.id not in [a.id for a in actions.list_actions(db, pid)]
    assert latest(db, "action") == ("deleted", added.id)


def test_actions_read_the_risks_of_their_loaded_rows_only(
    qtbot: QtBot,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    stack: QUndoStack,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The risk column reads the labels of the rows' risks a page at a time, each once,
    never the programme's every risk (tens of thousands in a large register)."""
    pid = programme.programme_id
    second = risks.raise_risk(db, pid, risk_draft(reference="R-002", title="Seeker yield"))
    risks.raise_risk(db, pid, risk_draft(reference="R-003", title="Referred to by nothing"))
    actions.create_action(
        db, pid, actions.ActionDraft("Audit the line", "Rao", date(2025, 6, 1), risk_id=second.id)
    )
    asked: list[set[int] | None] = []
    read = register_labels.risk_labels

    def spy(
        db: Database, programme_id: int, only: Collection[int] | None = None
    ) -> dict[int, tuple[str, str, str]]:
        asked.append(None if only is None else set(only))
        return read(db, programme_id, only)

    monkeypatch.setattr(register_labels, "risk_labels", spy)
    page = DecisionsPage(db, stack, settings=settings, page_size=1)
    qtbot.addWidget(page)
    page.set_programme(pid)
    register = page.actions_register
    model = register.model
    assert shown(register, "risk") == ["R-001"]  # due first
    assert asked == [{seeded.risk}]
    while model.canFetchMore():
        model.fetchMore()
    assert shown(register, "risk") == ["R-001", "R-002", ""]
    assert asked == [{seeded.risk}, {second.id}]
    tooltip = model.index(1, model.column_of("risk")).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "R-002 — Seeker yield"

    risks.update_risk(db, second.id, second.version, replace(second.draft(), reference="R-02B"))
    page.reload()
    assert shown(register, "risk") == ["R-001", "R-02B", ""]
    assert asked[-1] == {seeded.risk, second.id}


def test_overdue_actions_are_tinted_and_say_overdue(
    make_page: PageFactory, db: Database, programme: Fixture, seeded: Seeded
) -> None:
    pid = programme.programme_id
    later = actions.create_action(
        db, pid, actions.ActionDraft("Plan lot 3", "Rao", date(2099, 1, 1))
    )
    page: DecisionsPage = make_page(DecisionsPage)
    model = page.actions_register.model
    status = model.column_of("status")
    late = model.index(
        row_of(page.actions_register, lambda r: r.title == "Book test range"), status
    )
    assert late.data() == "open — overdue"
    assert late.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_TINT[0]
    assert late.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_TINT[1]
    fine = model.index(model.row_of_id(later.id), status)
    assert fine.data() == "open"
    assert fine.data(Qt.ItemDataRole.BackgroundRole) is None


def test_multi_select_delete_is_one_undoable_step(
    qtbot: QtBot,
    make_page: PageFactory,
    db: Database,
    programme: Fixture,
    seeded: Seeded,
    stack: QUndoStack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: DecisionsPage = make_page(DecisionsPage)
    register = page.decisions_register
    asked: list[int] = []
    monkeypatch.setattr(register, "confirm_delete", lambda rows: asked.append(len(rows)) or True)
    register.table.selectAll()
    register.delete_action.trigger()
    assert asked == [2]
    assert decisions.list_decisions(db, programme.programme_id) == []
    assert register.stack.currentWidget() is register.empty_label
    assert stack.undoText() == "Delete 2 records"
    stack.undo()
    assert len(decisions.list_decisions(db, programme.programme_id)) == 2
    assert register.model.rowCount() == 2


# Validation --------------------------------------------------------------------------------


def problem_of(field: Field) -> str:
    return "" if field.problem.isHidden() else field.problem.text()


def test_invalid_fields_are_outlined_and_block_ok(
    qtbot: QtBot, make_page: PageFactory, seeded: Seeded
) -> None:
    contracts_page: ContractsPage = make_page(ContractsPage)
    dialog = open_dialog(
        qtbot, contracts_page, row_of(contracts_page, lambda r: r.number == "C-002")
    )
    assert dialog.ok_button.isEnabled()
    target = dialog.field("ic_target_pct")
    assert isinstance(target, DecimalField)
    retype(qtbot, dialog, "ic_target_pct", "sixty")
    assert target.edit.property("invalid") is True
    assert problem_of(target) == "IC target: “sixty” is not a number"
    assert not dialog.ok_button.isEnabled()
    assert dialog.tabs.tabText(1).endswith("⚠")
    retype(qtbot, dialog, "ic_target_pct", "100.5")
    assert problem_of(target) == "IC target must be from 0 to 100, not 100.5"
    retype(qtbot, dialog, "ic_target_pct", "55")
    assert target.edit.property("invalid") is False
    assert dialog.ok_button.isEnabled()
    value = dialog.field("value_minor")
    assert isinstance(value, MoneyField)
    retype(qtbot, dialog, "value_minor", "12.345")
    assert problem_of(value) == "Value has more than 2 decimal places for INR"
    assert not dialog.ok_button.isEnabled()
    dialog.reject = lambda: None  # type: ignore[method-assign]

    costs_page: CostsPage = make_page(CostsPage)
    costs_page.tabs.setCurrentWidget(costs_page.rates)
    rate_dialog = open_dialog(qtbot, costs_page.rates, 0)
    retype(qtbot, rate_dialog, "rate", "0")
    rate = rate_dialog.field("rate")
    assert rate.editor.property("invalid") is True
    assert problem_of(rate) == "Rate must be more than 0"
    assert not rate_dialog.ok_button.isEnabled()

    decisions_page: DecisionsPage = make_page(DecisionsPage)
    decision_dialog = open_dialog(qtbot, decisions_page.decisions_register, 0)
    retype(qtbot, decision_dialog, "title", "")
    title = decision_dialog.field("title")
    assert isinstance(title, TextField)
    assert title.edit.property("invalid") is True
    assert problem_of(title) == "Title must not be empty"
    assert not decision_dialog.ok_button.isEnabled()


# The audit log --------------------------------------------------------------------------------


def test_audit_page_lists_entries_newest_first_with_details(
    qtbot: QtBot, make_page: PageFactory, db: Database, seeded: Seeded
) -> None:
    contract = contracts.get_contract(db, seeded.contracts[1])
    contracts.update_contract(
        db, contract.id, contract.version, replace_title(contract.draft(), "Seeker ToT, phase 1")
    )
    page: AuditPage = make_page(AuditPage)
    assert page.model.total == audit_count(db)
    ids = [page.model.row_at(r).id for r in range(page.model.rowCount())]
    assert ids == sorted(ids, reverse=True)
    newest = page.model.row_at(0)
    assert (newest.entity, newest.action, newest.entity_id) == ("contract", "updated", contract.id)
    page.table.select_row(0)
    details = page.details
    assert details.heading.text().startswith(f"Entry {newest.id}: ")
    cells = [
        [details.table.item(r, c).text() for c in range(4)] for r in range(details.table.rowCount())
    ]
    assert cells[0] == ["title", "Seeker technology transfer", "Seeker ToT, phase 1", "changed"]
    assert ["number", "", "C-001", ""] in cells
    # The local time is shown beside UTC.
    assert page.model.index(0, page.model.column_of("at")).data().endswith(" UTC")
    assert page.model.index(0, page.model.column_of("local")).data()
    # Filter by kind of record, and by text.
    page.set_entity("cost_share_agreement")
    assert {page.model.row_at(r).entity for r in range(page.model.rowCount())} == {
        "cost_share_agreement"
    }
    assert page.model.total == 2
    page.set_entity(None)
    page.filter_edit.setText("Seeker ToT")
    page.apply_filter()
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [newest.id]
    # Read-only: Insert and Delete do nothing.
    before = audit_count(db)
    page.add()
    page.delete_selected()
    assert page.dialog is None and audit_count(db) == before
    assert not page.add_action.isEnabled()


def replace_title(draft: contracts.ContractDraft, title: str) -> contracts.ContractDraft:
    from dataclasses import replace

    return replace(draft, title=title)


def verify_on_page(qtbot: QtBot, page: AuditPage) -> str:
    op = page.verify()
    with qtbot.waitSignal(op.finished, timeout=20_000):
        pass
    return page.details.result_text()


def test_audit_verification_succeeds_then_names_a_tampered_entry(
    qtbot: QtBot, make_page: PageFactory, db: Database, db_path: Path, seeded: Seeded
) -> None:
    page: AuditPage = make_page(AuditPage)
    head = audit.head(db)
    assert verify_on_page(qtbot, page) == f"verified: head {head.hash}:{head.count}"
    assert page.details.verify_button.isEnabled()

    conn = sqlite3.connect(db_path)
    try:
        # The log is append-only where the schema has triggers: lift them as a tamperer would.
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = 'audit_entry'"
        ).fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE audit_entry SET user = 'mallory' WHERE id = 3")
        for _name, sql in triggers:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    text = verify_on_page(qtbot, page)
    assert text.startswith("NOT verified: audit entry 3 has been altered (its hash does not match)")


# Screenshots ------------------------------------------------------------------------------------


def test_screenshots(
    qtbot: QtBot, make_page: PageFactory, db: Database, seeded: Seeded, tmp_path: Path
) -> None:
    saved: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        path = tmp_path / f"{name}.png"
        assert widget.grab().save(str(path))
        saved.append(path)

    contracts_page: ContractsPage = make_page(ContractsPage)
    save(contracts_page, "contracts_page")
    dialog = open_dialog(
        qtbot, contracts_page, row_of(contracts_page, lambda r: r.number == "C-002")
    )
    save(dialog, "contract_dialog")
    dialog.tabs.setCurrentIndex(1)
    save(dialog, "contract_dialog_industry")
    dialog.reject()

    costs_page: CostsPage = make_page(CostsPage)
    for register in costs_page.registers:
        costs_page.tabs.setCurrentWidget(register)
        save(costs_page, f"costs_page_{register.settings_key}")
    costs_page.tabs.setCurrentWidget(costs_page.agreements)
    agreement = open_dialog(
        qtbot, costs_page.agreements, costs_page.agreements.model.row_of_id(seeded.agreements[1])
    )
    save(agreement, "agreement_dialog")
    agreement.shares.share_edit(1).setText("33.3233")
    save(agreement, "agreement_dialog_invalid")
    agreement.reject = lambda: None  # type: ignore[method-assign]

    save(make_page(DecisionsPage), "decisions_page")
    audit_page: AuditPage = make_page(AuditPage)
    audit_page.table.select_row(0)
    verify_on_page(qtbot, audit_page)
    save(audit_page, "audit_page")
    for path in saved:
        assert path.stat().st_size > 10_000, path.name
