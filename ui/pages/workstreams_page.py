"""The workstream register: one row per strand of joint work, tinted by its status.

The status is written in its own column as well as tinting the row (never colour
alone). A workstream's RAG needs the analytics (earned value, risks, milestones) and is
the dashboard's job; this register shows what the office edits: phase, readiness,
dates, status and budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from PySide6.QtGui import QColor

from app import money
from app.domain import WorkStatus
from app.errors import SetuError
from app.services import programmes, register_labels
from app.services.listing_schedule import WORKSTREAMS
from app.services.workstreams import WorkstreamRow
from ui.dialogs.workstream_dialog import WorkstreamDialog, workstream_ops
from ui.models.register_model import CENTRE, RIGHT, Column, Tint
from ui.pages.register_page import RegisterPage
from ui.preferences import indian_grouping
from ui.undo import RecordOps

# Row colours per status: light backgrounds with dark text (WCAG AA), the word beside.
STATUS_TINTS: dict[str, tuple[str, str]] = {
    WorkStatus.ACTIVE.value: ("#e6f3e3", "#173f12"),
    WorkStatus.ON_HOLD.value: ("#fdf1cf", "#4a3500"),
    WorkStatus.COMPLETE.value: ("#e3ecf7", "#0d2b4d"),
    WorkStatus.CANCELLED.value: ("#eceff1", "#3d4349"),
}


def capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else ""


class WorkstreamsPage(RegisterPage):
    """Workstreams of the selected programme: `WorkstreamsPage(db, undo_stack)`, then
    `set_programme(id)`."""

    spec = WORKSTREAMS
    settings_key = "workstreams"
    entities = ("workstream",)
    dialog_class = WorkstreamDialog
    default_sort = ("code", False)
    # Until the user chooses, the title gets the room these would take; the column
    # chooser (right-click a heading) shows them when wanted.
    default_hidden = ("baseline_start", "actual_finish")

    # Read once per reload, not per row: organisation names and the base currency.
    organisations: Mapping[int, tuple[str, str]] = MappingProxyType({})
    currency = ""
    indian_grouping = False

    # RegisterPage hooks ---------------------------------------------------------------

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("code", tr("Code"), 84),
            Column(
                "title",
                tr("Title"),
                220,
                stretch=True,
                tooltip=lambda r: f"{r.code} — {r.title}",
            ),
            Column("kind", tr("Kind"), 160, formatter=lambda r: tr(capitalised(r.kind))),
            Column("phase", tr("Phase"), 92, formatter=lambda r: tr(capitalised(r.phase))),
            Column("lead", tr("Lead"), 104, formatter=self._lead, tooltip=self._lead_tooltip),
            Column(
                "trl_now",
                tr("TRL"),
                56,
                CENTRE,
                formatter=lambda r: f"{r.trl_now} → {r.trl_target}",
                tooltip=lambda r: tr(
                    "Technology Readiness Level {now} now, target {target}"
                ).format(now=r.trl_now, target=r.trl_target),
            ),
            Column(
                "mrl_now",
                tr("MRL"),
                56,
                CENTRE,
                formatter=lambda r: f"{r.mrl_now} → {r.mrl_target}",
                tooltip=lambda r: tr(
                    "Manufacturing Readiness Level {now} now, target {target}"
                ).format(now=r.mrl_now, target=r.mrl_target),
            ),
            Column("baseline_start", tr("Start"), 88),
            Column("baseline_finish", tr("Baseline finish"), 104),
            Column(
                "forecast_finish",
                tr("Forecast finish"),
                104,
                formatter=lambda r: _date(r.forecast_finish),
            ),
            Column(
                "actual_finish", tr("Actual finish"), 96, formatter=lambda r: _date(r.actual_finish)
            ),
            Column("status", tr("Status"), 88, formatter=lambda r: tr(capitalised(r.status))),
            Column("budget_minor", tr("Budget"), 136, RIGHT, formatter=self._budget),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        return workstream_ops(self.db, self.programme_id)

    def dialog_options(self) -> dict[str, Any]:
        # The grouping read at reload, so the dialog writes the budget as the table shows it.
        return {"indian_grouping": self.indian_grouping}

    def row_tint(self, row: Any) -> Tint | None:
        colours = STATUS_TINTS.get(row.status)
        if colours is None:
            return None  # not started: the view's own colours
        return QColor(colours[0]), QColor(colours[1])

    def noun(self, n: int) -> str:
        return self.tr("workstream") if n == 1 else self.tr("workstreams")

    def empty_text(self) -> str:
        return self.tr(
            "No workstreams yet. Press Insert or click Add to add the first strand of joint work."
        )

    def filter_placeholder(self) -> str:
        return self.tr("Filter workstreams by code, title, kind, phase, status or lead…")

    # Loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.reload_names()
        super().reload()

    def reload_names(self) -> None:
        self.indian_grouping = indian_grouping(self.settings)
        if self.programme_id == -1:
            self.organisations, self.currency = {}, ""
            return
        try:
            self.organisations = {
                o.id: (o.short_name, o.name)
                for o in register_labels.organisation_titles(self.db, self.programme_id)
            }
            self.currency = next(
                (p.base_currency for p in programmes.list_programmes(self.db)
                 if p.id == self.programme_id),
                "",
            )  # fmt: skip
        except SetuError as exc:
            self.count_label.setText(str(exc))

    # Cells ------------------------------------------------------------------------------

    def _lead(self, row: WorkstreamRow) -> str:
        if row.lead_organisation_id is None:
            return ""
        return self.organisations.get(row.lead_organisation_id, ("", ""))[0]

    def _lead_tooltip(self, row: WorkstreamRow) -> str:
        if row.lead_organisation_id is None:
            return self.tr("No lead organisation")
        short, name = self.organisations.get(row.lead_organisation_id, ("", ""))
        return f"{short} — {name}"

    def _budget(self, row: WorkstreamRow) -> str:
        if not self.currency:
            return str(row.budget_minor)
        return money.display(row.budget_minor, self.currency, indian_grouping=self.indian_grouping)
