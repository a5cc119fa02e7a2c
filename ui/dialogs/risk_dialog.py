"""The risk dialog: every field of a risk, its assessment, and its reviews and actions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.domain import (
    IMPACT_WORDS,
    LIKELIHOOD_WORDS,
    RiskCategory,
    RiskResponse,
    RiskStatus,
    rating,
)
from app.errors import NotFound, SetuError
from app.services import actions, programmes, register_labels, risks, settings
from app.services.risks import ReviewRow, RiskDraft, RiskRow
from app.services.validation import NAME_MAX, TEXT_MAX, TITLE_MAX, Checker
from ui.dialogs.fields import (
    ChoiceField,
    DateField,
    PickerField,
    RatingField,
    TextField,
)
from ui.dialogs.money_fields import MoneyField
from ui.dialogs.protection_field import ProtectionField
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.review_dialog import ReviewDialog, review_draft
from ui.dialogs.schedule_fields import fill_table, read_only_table
from ui.undo import RecordOps

REFERENCE_MAX = 40  # as risks.check_risk


# Service operations ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Deleted:
    """What deleting a risk takes with it, so an undo can bring it back."""

    reviews: tuple[ReviewRow, ...]
    action_ids: tuple[int, ...]


def risk_ops(db: Database, programme_id: int) -> RecordOps[RiskRow, RiskDraft]:
    """The risk register's use-cases for dialogs and undo, bound to one programme."""

    def snapshot(row: RiskRow) -> _Deleted:
        linked = actions.list_actions(db, programme_id, risk_id=row.id)
        return _Deleted(tuple(risks.reviews(db, row.id)), tuple(a.id for a in linked))

    def restore(saved: object, new: RiskRow) -> None:
        # delete_risk deleted the reviews and left the actions as programme actions.
        if not isinstance(saved, _Deleted):
            return
        for review in saved.reviews:
            current = risks.get_risk(db, new.id)
            risks.review_risk(db, new.id, current.version, review_draft(review))
        current = risks.get_risk(db, new.id)
        if (current.likelihood, current.impact) != (new.likelihood, new.impact):
            risks.update_risk(
                db,
                new.id,
                current.version,
                replace(current.draft(), likelihood=new.likelihood, impact=new.impact),
            )
        for action_id in saved.action_ids:
            try:
                action = actions.get_action(db, action_id)
            except NotFound:
                continue  # deleted meanwhile
            if action.risk_id is None:
                actions.update_action(
                    db, action.id, action.version, replace(action.draft(), risk_id=new.id)
                )

    return RecordOps(
        db=db,
        entity="risk",
        create=lambda draft: risks.raise_risk(db, programme_id, draft),
        update=lambda risk_id, version, draft: risks.update_risk(db, risk_id, version, draft),
        delete=lambda risk_id, version: risks.delete_risk(db, risk_id, version),
        get=lambda risk_id: risks.get_risk(db, risk_id),
        draft_of=lambda row: row.draft(),
        label=lambda row: row.reference,
        snapshot=snapshot,
        restore=restore,
    )


# Dialogs --------------------------------------------------------------------------------


def _score_text(likelihood: int, impact: int) -> str:
    return f"{likelihood * impact} — {rating(likelihood, impact)}"


class RiskDialog(RecordDialog):
    """Raise or edit a risk; an existing risk also shows its reviews and actions."""

    draft_type = RiskDraft

    def __init__(
        self,
        db: Database,
        programme_id: int,
        row: RiskRow | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.db = db
        self.programme_id = programme_id
        self.review_dialog: ReviewDialog | None = None
        self.history_page: QWidget | None = None  # an existing risk's History tab
        # Its tables, built when the tab is first shown: most edits never look at it.
        self.reviews_table: QTableWidget | None = None
        self.actions_table: QTableWidget | None = None
        # Everything the pickers offer, read once when the dialog opens.
        programme = next(p for p in programmes.list_programmes(db) if p.id == programme_id)
        self.currency = programme.base_currency
        self.scale = list(settings.get(db, "marking_scale").value)
        self.nations = [(p.nation, p.name) for p in programmes.partners(db, programme_id)]
        self.workstreams = [
            (w.id, w.label) for w in register_labels.workstream_titles(db, programme_id)
        ]
        self.contracts = [
            (c.id, c.label) for c in register_labels.contract_titles(db, programme_id)
        ]
        super().__init__(risk_ops(db, programme_id), row, undo_stack=undo_stack, parent=parent)
        if row is None:
            self.setWindowTitle(self.tr("Raise a risk"))
        else:
            self.setWindowTitle(
                self.tr("Risk {reference} — {title}").format(
                    reference=row.reference, title=row.title
                )
            )
        self.resize(760, 660)
        self.on_edited()

    def check(self, draft: Any) -> Checker:
        return risks.check_risk(draft)

    def defaults(self) -> dict[str, Any]:
        return {
            "reference": "",
            "title": "",
            "category": RiskCategory.TECHNICAL.value,
            "raised_on": date.today(),
            "likelihood": 3,
            "impact": 3,
            "residual_likelihood": 2,
            "residual_impact": 2,
            "owner": "",
            "cause": "",
            "effect": "",
            "response": RiskResponse.MITIGATE.value,
            "mitigation": "",
            "proximity": None,
            "cost_impact_minor": 0,
            "status": RiskStatus.OPEN.value,
            "workstream_id": None,
            "contract_id": None,
            "marking": 0,
            "releasable_to": None,
        }

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("&Risk"))
        self.add_field(
            form,
            TextField(
                "reference", tr("Re&ference"), max_len=REFERENCE_MAX, placeholder=tr("e.g. R-001")
            ),
        )
        self.add_field(form, TextField("title", tr("&Title"), max_len=TITLE_MAX))
        self.add_field(form, ChoiceField("category", tr("Cate&gory"), RiskCategory))
        self.add_field(form, TextField("owner", tr("&Owner"), max_len=NAME_MAX))
        self.add_field(form, DateField("raised_on", tr("Raised o&n")))
        self.add_field(form, ChoiceField("status", tr("&Status"), RiskStatus))
        self.add_field(form, PickerField("workstream_id", tr("&Workstream"), self.workstreams))
        self.add_field(form, PickerField("contract_id", tr("Co&ntract"), self.contracts))
        self.add_field(form, TextField("cause", tr("&Cause"), max_len=TEXT_MAX, multiline=True))
        self.add_field(form, TextField("effect", tr("&Effect"), max_len=TEXT_MAX, multiline=True))
        self.add_field(form, ProtectionField(self.scale, self.nations))

        form = self.form(tr("&Assessment"))
        self.add_field(form, RatingField("likelihood", tr("&Likelihood"), LIKELIHOOD_WORDS))
        self.add_field(form, RatingField("impact", tr("&Impact"), IMPACT_WORDS))
        self.score = QLabel()
        self.score.setObjectName("score")
        form.addRow(tr("Score"), self.score)
        self.add_field(
            form,
            RatingField("residual_likelihood", tr("Residual li&kelihood"), LIKELIHOOD_WORDS),
        )
        self.add_field(form, RatingField("residual_impact", tr("Residual i&mpact"), IMPACT_WORDS))
        self.residual_score = QLabel()
        self.residual_score.setObjectName("residual_score")
        form.addRow(tr("Residual score"), self.residual_score)
        self.add_field(form, ChoiceField("response", tr("Res&ponse"), RiskResponse))
        self.add_field(
            form, TextField("mitigation", tr("Miti&gation plan"), max_len=TEXT_MAX, multiline=True)
        )
        self.add_field(form, DateField("proximity", tr("Pro&ximity"), nullable=True))
        self.add_field(form, MoneyField("cost_impact_minor", tr("Cost impa&ct"), self.currency))
        if self.row is not None:
            self.history_page = QWidget()
            self.tabs.addTab(self.history_page, tr("&History"))
            self.tabs.currentChanged.connect(self._tab_shown)

    def _tab_shown(self, _index: int) -> None:
        page = self.tabs.currentWidget()
        if page is not None and page is self.history_page and self.reviews_table is None:
            self._build_history(page)

    def _build_history(self, page: QWidget) -> None:
        tr = self.tr
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        heading = QLabel(tr("Reviews"))
        heading.setProperty("role", "heading")
        top.addWidget(heading)
        top.addStretch(1)
        self.review_button = QPushButton(tr("Record &review…"))
        self.review_button.setObjectName("review_button")
        self.review_button.clicked.connect(self.record_review)
        top.addWidget(self.review_button)
        layout.addLayout(top)
        self.reviews_table = read_only_table(
            [tr("Date"), tr("Reviewer"), tr("L"), tr("I"), tr("Score"), tr("Note")], "reviews", 5
        )
        layout.addWidget(self.reviews_table, 1)
        layout.addWidget(QLabel(tr("Actions")))
        self.actions_table = read_only_table(
            [tr("Title"), tr("Owner"), tr("Due"), tr("Status"), tr("Done")], "actions", 0
        )
        layout.addWidget(self.actions_table, 1)
        self.load_history()

    def load_history(self) -> None:
        if self.row is None or self.reviews_table is None or self.actions_table is None:
            return
        try:
            reviews = risks.reviews(self.db, self.row.id)
            linked = actions.list_actions(self.db, self.programme_id, risk_id=self.row.id)
        except SetuError as exc:
            self.show_error(str(exc))
            return
        fill_table(
            self.reviews_table,
            [
                [
                    r.reviewed_on.isoformat(),
                    r.reviewer,
                    str(r.likelihood),
                    str(r.impact),
                    _score_text(r.likelihood, r.impact),
                    r.note,
                ]
                for r in reversed(reviews)  # newest first
            ],
        )
        fill_table(
            self.actions_table,
            [
                [
                    a.title,
                    a.owner,
                    a.due_on.isoformat(),
                    a.status,
                    a.done_on.isoformat() if a.done_on else "",
                ]
                for a in linked
            ],
        )

    def on_edited(self) -> None:
        values = self.form_values()
        self.score.setText(_score_text(values["likelihood"], values["impact"]))
        self.residual_score.setText(
            _score_text(values["residual_likelihood"], values["residual_impact"])
        )

    def display_value(self, name: str, value: Any) -> str:
        if name == "marking" and isinstance(value, int) and 0 <= value < len(self.scale):
            return str(self.scale[value])
        if name == "workstream_id":
            return dict(self.workstreams).get(value, "") if value is not None else ""
        if name == "contract_id":
            return dict(self.contracts).get(value, "") if value is not None else ""
        return super().display_value(name, value)

    # Reviews ----------------------------------------------------------------------

    def record_review(self) -> None:
        if self.row is None:
            return
        values = self.form_values()
        dialog = ReviewDialog(
            self.db,
            self.row.id,
            likelihood=values["likelihood"],
            impact=values["impact"],
            undo_stack=self.undo_stack,
            parent=self,
        )
        dialog.saved.connect(self._reviewed)
        self.review_dialog = dialog
        dialog.open()

    def _reviewed(self, _review: object) -> None:
        """A review may set the risk's current values: take them (and the new version)."""
        if self.row is None:
            return
        try:
            current = risks.get_risk(self.db, self.row.id)
        except SetuError as exc:
            self.show_error(str(exc))
            return
        self.row = current
        assessed = {"likelihood": current.likelihood, "impact": current.impact}
        self._base = {**self._base, **assessed}
        for name, value in assessed.items():
            field = self.field(name)
            field.blockSignals(True)
            field.set_value(value)
            field.blockSignals(False)
            self._initial[name] = value
        self.revalidate()
        self.on_edited()
        self.load_history()
