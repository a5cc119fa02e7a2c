"""A risk's reviews: the dated record of who looked at it and the likelihood and impact
they found. Recording a review sets the risk's current assessment (`risks.review_risk`),
as one undoable step like any other edit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.database import Database
from app.domain import IMPACT_WORDS, LIKELIHOOD_WORDS
from app.errors import NotFound
from app.services import risks
from app.services.risks import ReviewDraft, ReviewRow
from app.services.validation import NAME_MAX, TEXT_MAX, Checker
from ui.dialogs.fields import DateField, RatingField, TextField
from ui.dialogs.record_dialog import RecordDialog
from ui.undo import RecordOps


def review_draft(review: ReviewRow) -> ReviewDraft:
    return ReviewDraft(
        reviewed_on=review.reviewed_on,
        reviewer=review.reviewer,
        likelihood=review.likelihood,
        impact=review.impact,
        note=review.note,
    )


def review_ops(db: Database, risk_id: int) -> RecordOps[ReviewRow, ReviewDraft]:
    """One risk's reviews. A review sets the risk's current likelihood and impact."""

    def get(review_id: int) -> ReviewRow:
        for review in risks.reviews(db, risk_id):
            if review.id == review_id:
                return review
        raise NotFound(f"no risk review with id {review_id}", "risk review")

    def create(draft: ReviewDraft) -> ReviewRow:
        with db.begin():  # the review and reading back its id: one unit of work
            risk = risks.get_risk(db, risk_id)
            risks.review_risk(db, risk_id, risk.version, draft)
            return max(risks.reviews(db, risk_id), key=lambda r: r.id)

    return RecordOps(
        db=db,
        entity="review",
        create=create,
        update=lambda review_id, version, draft: risks.update_review(db, review_id, version, draft),
        delete=lambda review_id, version: risks.delete_review(db, review_id, version),
        get=get,
        draft_of=review_draft,
        label=lambda row: row.reviewed_on.isoformat(),
    )


class ReviewDialog(RecordDialog):
    """Record a dated review of a risk: who, the likelihood and impact now, and a note."""

    draft_type = ReviewDraft

    def __init__(
        self,
        db: Database,
        risk_id: int,
        *,
        likelihood: int = 3,
        impact: int = 3,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._start = {
            "reviewed_on": date.today(),
            "reviewer": db.user,
            "likelihood": likelihood,
            "impact": impact,
            "note": "",
        }
        super().__init__(review_ops(db, risk_id), None, undo_stack=undo_stack, parent=parent)
        self.setWindowTitle(self.tr("Record a review"))
        self.ok_button.setText(self.tr("Record"))
        self.resize(520, 380)

    def check(self, draft: Any) -> Checker:
        return risks.check_review(draft)

    def defaults(self) -> dict[str, Any]:
        return dict(self._start)

    def build(self) -> None:
        tr = self.tr
        form = self.form(tr("Review"))
        self.add_field(form, DateField("reviewed_on", tr("Reviewed &on")))
        self.add_field(form, TextField("reviewer", tr("Re&viewer"), max_len=NAME_MAX))
        self.add_field(form, RatingField("likelihood", tr("&Likelihood"), LIKELIHOOD_WORDS))
        self.add_field(form, RatingField("impact", tr("&Impact"), IMPACT_WORDS))
        self.add_field(form, TextField("note", tr("&Note"), max_len=TEXT_MAX, multiline=True))
