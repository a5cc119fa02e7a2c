"""The contracts register: value, parties, status, and indigenous content against the minimum.

A contract whose IC target or achieved value is below its procurement category's
minimum (DOMAIN.md) is tinted amber and says so in its "IC check" column.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from app.domain import ContractStatus
from app.services import listing_registers, register_labels, settings
from app.services.contracts import PROCUREMENT_KEY, ContractRow
from ui.dialogs.contract_dialog import ContractDialog, contract_ops, ic_verdict
from ui.dialogs.value_fields import decimal_text
from ui.models.register_model import RIGHT, Column, Tint
from ui.pages.register_group import WARNING_TINT, MarkedRegister, amount_text
from ui.undo import RecordOps

# Finished or ended contracts are history: they are not flagged.
_CLOSED = (ContractStatus.COMPLETE.value, ContractStatus.TERMINATED.value)


class ContractsPage(MarkedRegister):
    """Contracts of the selected programme: `ContractsPage(db, undo_stack)`, `set_programme(id)`."""

    spec = listing_registers.CONTRACTS
    settings_key = "contracts"
    entities = ("contract", "deliverable", "ToT package", "offset discharge")
    default_hidden = (
        "period_end",
        "procurement_category",
        "offset_obligation",
        "workstream",
        "marking",
    )
    dialog_class = ContractDialog
    amount_dialog = True
    default_sort = ("number", False)

    # Read at every reload: names of the organisations and workstreams, IC minimums.
    organisations: Mapping[int, str] = MappingProxyType({})
    workstreams: Mapping[int, str] = MappingProxyType({})
    minimums: Mapping[str, Any] = MappingProxyType({})

    def read_lookups(self) -> None:
        self.organisations = {
            o.id: o.short_name
            for o in register_labels.organisation_titles(self.db, self.programme_id)
        }
        self.workstreams = register_labels.workstream_codes(self.db, self.programme_id)
        self.minimums = dict(settings.get(self.db, PROCUREMENT_KEY).value)

    # RegisterPage hooks -------------------------------------------------------------

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("number", tr("Number"), 100),
            Column("title", tr("Title"), 220, stretch=True),
            Column("kind", tr("Kind"), 125),
            Column("supplier", tr("Supplier"), 110, formatter=self._supplier),
            Column("customer", tr("Customer"), 110, formatter=self._customer),
            Column(
                "value",
                tr("Value"),
                140,
                RIGHT,
                formatter=lambda r: amount_text(r.value_minor, r.currency, grouping=self.grouping),
            ),
            Column("signed_on", tr("Signed"), 86),
            Column("period_end", tr("Ends"), 88),
            Column("status", tr("Status"), 80),
            Column(
                "ic_achieved_pct",
                tr("IC achieved / target"),
                122,
                RIGHT,
                formatter=lambda r: tr("{achieved} / {target} %").format(
                    achieved=decimal_text(r.ic_achieved_pct), target=decimal_text(r.ic_target_pct)
                ),
            ),
            Column(
                "ic_check",
                tr("IC check"),
                140,
                formatter=self._ic_check,
                tooltip=lambda r: r.procurement_category or tr("No procurement category"),
                sort_key="procurement_category",
            ),
            Column("procurement_category", tr("Category"), 160),
            Column(
                "offset_obligation",
                tr("Offset obligation"),
                140,
                RIGHT,
                formatter=lambda r: amount_text(
                    r.offset_obligation_minor, r.currency, grouping=self.grouping
                ),
            ),
            Column(
                "workstream",
                tr("Workstream"),
                90,
                formatter=lambda r: (
                    self.workstreams.get(r.workstream_id, "") if r.workstream_id is not None else ""
                ),
            ),
            self.marking_column(),
        ]

    def _supplier(self, row: ContractRow) -> str:
        return self.organisations.get(row.supplier_id, str(row.supplier_id))

    def _customer(self, row: ContractRow) -> str:
        return self.organisations.get(row.customer_id, str(row.customer_id))

    def below_minimum(self, row: ContractRow) -> Decimal | None:
        """The minimum the contract falls below, or None when it meets it (or has none)."""
        verdict = ic_verdict(
            self.minimums, row.procurement_category, row.ic_target_pct, row.ic_achieved_pct
        )
        if verdict is None or not verdict[1] or row.status in _CLOSED:
            return None
        return Decimal(verdict[0])

    def _ic_check(self, row: ContractRow) -> str:
        minimum = self.below_minimum(row)
        if minimum is not None:
            return self.tr("below minimum {pct} %").format(pct=decimal_text(minimum))
        if row.procurement_category in self.minimums:
            return self.tr("meets minimum")
        return ""

    def ops(self) -> RecordOps[Any, Any]:
        return contract_ops(self.db, self.programme_id)

    def row_tint(self, row: Any) -> Tint | None:
        return WARNING_TINT if self.below_minimum(row) is not None else None

    def noun(self, n: int) -> str:
        return self.tr("contract") if n == 1 else self.tr("contracts")

    def empty_text(self) -> str:
        return self.tr(
            "No contracts yet. Press Insert or click Add to record the first co-production "
            "contract (its organisations must be in the programme first)."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter contracts by number, title, kind, status, category or organisation…")
