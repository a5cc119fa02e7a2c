"""The cost-share agreement dialog: the agreement, its partners' shares, the workstreams
it covers and, for a fixed agreement, the rates agreed at signature.

The agreement is saved as a whole (`agreements.update_agreement`), so OK stays disabled
until everything is right, above all until the shares add up to exactly 100 %: the
total is shown live under the shares, to four decimals, in words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.database import Database
from app.domain import FxRule
from app.services import agreement_checks, agreements, register_labels
from app.services.agreements import AgreementDraft, AgreementRow, ShareDraft
from app.services.validation import TITLE_MAX, Checker
from ui.dialogs.checklist import ChecklistField
from ui.dialogs.context import programme_context
from ui.dialogs.fields import ChoiceField, DateField, TextField
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.table_fields import FixedRatesField, SharesField
from ui.dialogs.value_fields import decimal_text
from ui.undo import RecordOps

CODE_MAX = 40  # as agreement_checks.check_agreement
# Fields whose problems are sentences of their own ("Shares: the shares add up to …").
_LISTS = ("shares", "workstream_ids", "fixed_rates")


def agreement_ops(db: Database, programme_id: int) -> RecordOps[AgreementRow, AgreementDraft]:
    """The agreements' use-cases for dialogs and undo, bound to one programme."""
    return RecordOps(
        db=db,
        entity="agreement",
        create=lambda draft: agreements.create_agreement(db, programme_id, draft),
        update=lambda i, version, draft: agreements.update_agreement(db, i, version, draft),
        delete=lambda i, version: agreements.delete_agreement(db, i, version),
        get=lambda i: agreements.get_agreement(db, i),
        draft_of=lambda row: row.draft(),
        label=lambda row: row.code,
    )


class AgreementDialog(RecordDialog):
    """Add or edit a cost-share agreement with its shares, workstreams and fixed rates."""

    draft_type = AgreementDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: AgreementRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.context = programme_context(db, programme_id)
        organisations = register_labels.organisation_titles(db, programme_id)
        self.partners = [
            (f"nation:{code}", f"{code} — {name}") for code, name in self.context.nations
        ] + [
            (f"organisation:{o.id}", f"{o.short_name} — {o.name} ({o.nation})")
            for o in organisations
        ]
        self.workstreams = [
            (w.id, w.label) for w in register_labels.workstream_titles(db, programme_id)
        ]
        own = row.id if row is not None else None
        # Not self.tr(): the QObject is not constructed yet.
        covered = QApplication.translate("AgreementDialog", "covered by {code}")
        self.covered = {
            workstream: covered.format(code=code)
            for workstream, (agreement, code) in register_labels.covered_workstreams(
                db, programme_id
            ).items()
            if agreement != own
        }
        super().__init__(agreement_ops(db, programme_id), row, undo_stack=undo_stack, parent=parent)
        if row is None:
            self.setWindowTitle(self.tr("Add a cost-share agreement"))
        else:
            self.setWindowTitle(
                self.tr("Agreement {code} — {title}").format(code=row.code, title=row.title)
            )
        self.resize(760, 680)
        self._rule_changed()
        self.revalidate()

    def check(self, draft: Any) -> Checker:
        return agreement_checks.check_agreement(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "code": "",
            "title": "",
            "fx_rule": FxRule.SPOT.value,
            "signed_on": date.today(),
            # One row per partner nation, shares to be typed.
            "shares": tuple(ShareDraft(code, None, None) for code, _n in self.context.nations),  # type: ignore[arg-type]
            "workstream_ids": (),
            "fixed_rates": (),
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Agreement"))
        self.add_field(
            form, TextField("code", tr("&Code"), max_len=CODE_MAX, placeholder=tr("e.g. CSA-DEV"))
        )
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(form, DateField("signed_on", tr("Si&gned on")))
        rule = self.add_field(form, ChoiceField("fx_rule", tr("&FX rule"), FxRule))
        rule.edited.connect(self._rule_changed)
        self.rule_note = QLabel()
        self.rule_note.setObjectName("fx_rule_note")
        self.rule_note.setWordWrap(True)
        self.rule_note.setProperty("role", "muted")
        form.addRow("", self.rule_note)
        self.add_field(form, ProtectionField(self.context.scale, self.context.nations))
        self.shares = SharesField("shares", tr("&Shares"), self.partners)
        self.add_field(form, self.shares)

        form = self.form(tr("&Workstreams covered"))
        note = QLabel(
            tr(
                "Expenditure on these workstreams is the eligible cost this agreement shares. "
                "A workstream is covered by one agreement at most."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.add_field(
            form,
            ChecklistField(
                "workstream_ids", tr("W&orkstreams"), self.workstreams, unavailable=self.covered
            ),
        )

        form = self.form(tr("Fixed &rates"))
        self.rates_note = QLabel()
        self.rates_note.setWordWrap(True)
        form.addRow(self.rates_note)
        self.rates = FixedRatesField("fixed_rates", tr("&Rates"))
        self.add_field(form, self.rates)

    # The FX rule decides whether the fixed rates count ---------------------------

    def fixed(self) -> bool:
        return bool(self.field("fx_rule").value() == FxRule.FIXED)

    def _rule_changed(self) -> None:
        fixed = self.fixed()
        self.rates.setEnabled(fixed)
        if fixed:
            self.rule_note.setText(
                self.tr("Fixed: every conversion uses the rates on the Fixed rates tab.")
            )
            self.rates_note.setText(
                self.tr("The rates agreed at signature: 1 unit of one currency in the other.")
            )
        else:
            self.rule_note.setText(
                self.tr(
                    "Spot: each transaction converts at the latest exchange rate on or before "
                    "its date."
                )
            )
            self.rates_note.setText(
                self.tr(
                    "A spot agreement uses the exchange-rate table; rates here apply only when "
                    "the FX rule is fixed."
                )
            )

    def draft(self) -> Any:
        draft = super().draft()
        # A spot agreement has no fixed rates; rows typed stay in the form if it turns back.
        return draft if self.fixed() else replace(draft, fixed_rates=())

    def _sentence(self, name: str, reason: str) -> str:
        if name in _LISTS:
            return f"{self.field(name).label_for(name)}: {reason}"
        return super()._sentence(name, reason)

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int):
            return self.context.marking_name(value)
        if name == "shares":
            return share_summary(value)
        if name == "workstream_ids":
            names = dict(self.workstreams)
            return ", ".join(names.get(i, str(i)).split(" — ")[0] for i in value or ())
        if name == "fixed_rates":
            return "; ".join(
                f"1 {_get(r, 'from_currency')} = {decimal_text(_get(r, 'rate'))} "
                f"{_get(r, 'to_currency')}"
                for r in value or ()
            )
        return super().display_value(name, value)


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name)


def share_summary(shares: Any) -> str:
    """ "IND 50 % · RUS 50 %" (organisations by id when only the draft is at hand)."""
    parts = []
    for share in shares or ():
        partner = (
            getattr(share, "partner", None)
            or _get(share, "nation")
            or f"#{_get(share, 'organisation_id')}"
        )
        parts.append(f"{partner} {decimal_text(_get(share, 'share_pct'))} %")
    return " · ".join(parts)
