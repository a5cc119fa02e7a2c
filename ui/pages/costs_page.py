"""Cost sharing: agreements, contributions, expenditure and exchange rates, one tab each.

Each tab is a full register (filter, SQL sorting and paging, column chooser, Insert,
Delete, undo). Amounts are shown in the currency they were paid or spent in; the
analytics convert them by each agreement's FX rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.database import Database
from app.services import agreements, listing_registers, register_labels
from app.services.register_labels import ShareLabel
from ui.dialogs.agreement_dialog import AgreementDialog, agreement_ops
from ui.dialogs.money_dialogs import (
    ContributionDialog,
    ExpenditureDialog,
    RateDialog,
    contribution_ops,
    expenditure_ops,
    rate_ops,
    rate_text,
)
from ui.dialogs.value_fields import decimal_text
from ui.models.register_model import RIGHT, Column
from ui.pages.register_group import MarkedRegister, RegisterGroup, amount_text
from ui.pages.register_page import RegisterPage
from ui.undo import RecordOps


class AgreementsRegister(MarkedRegister):
    spec = listing_registers.AGREEMENTS
    settings_key = "agreements"
    entities = ("agreement", "workstream")
    default_sort = ("code", False)

    # Read at every reload: each agreement's shares and workstreams, by agreement id.
    shares: Mapping[int, list[ShareLabel]] = MappingProxyType({})
    covers: Mapping[int, list[str]] = MappingProxyType({})

    def read_lookups(self) -> None:
        shares: dict[int, list[ShareLabel]] = defaultdict(list)
        for share in register_labels.shares(self.db, self.programme_id):
            shares[share.agreement_id].append(share)
        codes = register_labels.workstream_codes(self.db, self.programme_id)
        covers: dict[int, list[str]] = defaultdict(list)
        covered = register_labels.covered_workstreams(self.db, self.programme_id)
        for workstream, (agreement, _code) in sorted(
            covered.items(), key=lambda item: codes.get(item[0], "")
        ):
            covers[agreement].append(codes.get(workstream, str(workstream)))
        self.shares, self.covers = dict(shares), dict(covers)

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("code", tr("Code"), 110),
            Column("title", tr("Title"), 240, stretch=True),
            Column("fx_rule", tr("FX rule"), 70),
            Column("signed_on", tr("Signed"), 90),
            Column("shares", tr("Shares"), 320, formatter=self._shares, tooltip=self._shares),
            Column(
                "workstreams",
                tr("Workstreams"),
                160,
                formatter=lambda r: ", ".join(self.covers.get(r.id, [])),
            ),
            self.marking_column(),
        ]

    def _shares(self, row: Any) -> str:
        return " · ".join(
            f"{s.partner} {decimal_text(s.share_pct)} %" for s in self.shares.get(row.id, [])
        )

    def ops(self) -> RecordOps[Any, Any]:
        return agreement_ops(self.db, self.programme_id)

    def open_dialog(self, row: Any | None) -> None:
        # The register lists the agreements' own columns; the dialog edits the whole.
        self.open_record_dialog(
            lambda: AgreementDialog(
                self.db,
                self.programme_id,
                agreements.get_agreement(self.db, row.id) if row is not None else None,
                undo_stack=self.undo_stack,
                parent=self,
            )
        )

    def noun(self, n: int) -> str:
        return self.tr("agreement") if n == 1 else self.tr("agreements")

    def empty_text(self) -> str:
        return self.tr(
            "No cost-share agreements yet. Press Insert or click Add to record who funds "
            "which workstreams, in what shares."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter agreements by code, title or FX rule…")


class ContributionsRegister(MarkedRegister):
    spec = listing_registers.CONTRIBUTIONS
    settings_key = "contributions"
    entities = ("contribution", "agreement")
    dialog_class = ContributionDialog
    amount_dialog = True
    default_sort = ("contributed_on", True)

    shares: Mapping[int, ShareLabel] = MappingProxyType(
        {}
    )  # by cost-share id, read at every reload

    def read_lookups(self) -> None:
        found = register_labels.shares(self.db, self.programme_id)
        self.shares = {s.cost_share_id: s for s in found}

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("contributed_on", tr("Date"), 90),
            Column(
                "agreement",
                tr("Agreement"),
                110,
                formatter=lambda r: self._share(r, "agreement_code"),
            ),
            Column("partner", tr("Partner"), 140, formatter=lambda r: self._share(r, "partner")),
            Column("kind", tr("Kind"), 70),
            Column(
                "amount",
                tr("Amount"),
                170,
                RIGHT,
                formatter=lambda r: amount_text(r.amount_minor, r.currency, grouping=self.grouping),
            ),
            Column("currency", tr("Currency"), 70),
            Column("description", tr("Description"), 240, stretch=True),
            self.marking_column(),
        ]

    def _share(self, row: Any, attribute: str) -> str:
        share = self.shares.get(row.cost_share_id)
        return str(getattr(share, attribute)) if share is not None else ""

    def ops(self) -> RecordOps[Any, Any]:
        return contribution_ops(self.db, self.programme_id)

    def noun(self, n: int) -> str:
        return self.tr("contribution") if n == 1 else self.tr("contributions")

    def empty_text(self) -> str:
        return self.tr(
            "No contributions yet. Press Insert or click Add to record what a partner paid "
            "in under an agreement (add the agreement first)."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter contributions by partner, agreement, kind, currency or description…")


class ExpendituresRegister(MarkedRegister):
    spec = listing_registers.EXPENDITURES
    settings_key = "expenditures"
    entities = ("expenditure", "workstream")
    dialog_class = ExpenditureDialog
    amount_dialog = True
    default_sort = ("spent_on", True)

    workstreams: Mapping[int, str] = MappingProxyType({})  # codes by id, read at every reload

    def read_lookups(self) -> None:
        self.workstreams = register_labels.workstream_codes(self.db, self.programme_id)

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("spent_on", tr("Date"), 90),
            Column(
                "workstream",
                tr("Workstream"),
                110,
                formatter=lambda r: self.workstreams.get(r.workstream_id, str(r.workstream_id)),
            ),
            Column("category", tr("Category"), 100),
            Column(
                "amount",
                tr("Amount"),
                170,
                RIGHT,
                formatter=lambda r: amount_text(r.amount_minor, r.currency, grouping=self.grouping),
            ),
            Column("currency", tr("Currency"), 70),
            Column("description", tr("Description"), 300, stretch=True),
            self.marking_column(),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        return expenditure_ops(self.db, self.programme_id)

    def noun(self, n: int) -> str:
        return self.tr("expenditure") if n == 1 else self.tr("expenditures")

    def empty_text(self) -> str:
        return self.tr(
            "No expenditure yet. Press Insert or click Add to record what was spent on a "
            "workstream."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter expenditure by workstream, category, currency or description…")


class RatesRegister(MarkedRegister):
    spec = listing_registers.RATES
    settings_key = "exchange_rates"
    entities = ("exchange rate",)
    dialog_class = RateDialog
    default_sort = ("rate_date", True)

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("rate_date", tr("Date"), 100),
            Column("from_currency", tr("From"), 70),
            Column("to_currency", tr("To"), 70),
            Column("rate", tr("Rate"), 150, RIGHT, formatter=lambda r: decimal_text(r.rate)),
            Column(
                "reads",
                tr("Reads"),
                260,
                formatter=lambda r: rate_text(r.from_currency, r.to_currency, r.rate),
                sort_key="rate",
                stretch=True,
            ),
            self.marking_column(),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        return rate_ops(self.db, self.programme_id)

    def noun(self, n: int) -> str:
        return self.tr("exchange rate") if n == 1 else self.tr("exchange rates")

    def empty_text(self) -> str:
        return self.tr(
            "No exchange rates yet. Setu never fetches them: press Insert or click Add to "
            "enter the rates the office uses (a rate from A to B also serves B to A)."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter exchange rates by currency…")


class CostsPage(RegisterGroup):
    """Cost sharing for the selected programme: `CostsPage(db, undo_stack)`, `set_programme(id)`."""

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(db, undo_stack, parent, settings=settings, page_size=page_size)
        self.setObjectName("costs_page")
        self.agreements = self.adopt(AgreementsRegister)
        self.contributions = self.adopt(ContributionsRegister)
        self.expenditures = self.adopt(ExpendituresRegister)
        self.rates = self.adopt(RatesRegister)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("costs_tabs")
        self.tabs.setDocumentMode(True)
        titles = [
            (self.agreements, self.tr("&Agreements")),
            (self.contributions, self.tr("&Contributions")),
            (self.expenditures, self.tr("E&xpenditure")),
            (self.rates, self.tr("Exchange &rates")),
        ]
        self._titles: dict[RegisterPage, str] = {}
        for register, title in titles:
            self._titles[register] = title
            self.tabs.addTab(register, title)
            register.loaded.connect(lambda r=register: self._count(r))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.tabs)

    def _count(self, register: RegisterPage) -> None:
        """Each tab says how many records it holds: "Contributions (12)"."""
        index = self.tabs.indexOf(register)
        title = self._titles[register]
        if register.programme_id == -1:
            self.tabs.setTabText(index, title)
            return
        total = register.model.register_total()
        self.tabs.setTabText(index, f"{title} ({total:,})")

    def current_register(self) -> RegisterPage:
        current = self.tabs.currentWidget()
        return current if isinstance(current, RegisterPage) else self.registers[0]
