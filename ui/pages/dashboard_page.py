"""The dashboard: the programme at a glance, every figure from app.services.analytics.

The page computes nothing itself. `load()` runs off the GUI thread (an `Op`) and
gathers `programme_figures` for the joint audience, the pending decisions and how many
records the joint view leaves out; the page paints "Loading…" first and fills in when
the figures arrive. The load starts only once the page has painted, and the figures'
widgets (ui/pages/dashboard_figures.py) are built when the first figures arrive, so
the main window appears at once.

Why the joint audience: it is the view every partner shares, the one a joint briefing
shows, so the officer sees the numbers the partners will see. Records releasable to
fewer than all partners are left out of every figure, and the page says how many.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from app.database import Database
from app.domain import DecisionStatus
from app.errors import NotFound
from app.services import decisions, programmes
from app.services.audience import Audience
from app.services.decisions import DecisionRow
from app.services.programmes import ProgrammeRow
from ui import workers

if TYPE_CHECKING:
    from app.services.analytics import ProgrammeFigures
    from ui.pages.dashboard_figures import DashboardFigures

JOINT = "joint"


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, gathered in the worker."""

    programme: ProgrammeRow
    as_of: date
    figures: ProgrammeFigures
    excluded_records: int  # not releasable to every partner: outside the joint view
    decisions_due: tuple[DecisionRow, ...]  # pending, releasable to every partner


def load(db: Database, programme_id: int, as_of: date) -> DashboardData:
    """The dashboard's data for the joint audience (runs in a worker thread)."""
    # Imported here, in the worker: the analytics take longer to import than the
    # window takes to paint, and only this load needs them.
    from app.services import analytics, summary

    audience = Audience.parse(JOINT)
    programme = {p.id: p for p in programmes.list_programmes(db)}.get(programme_id)
    if programme is None:
        raise NotFound("the programme is no longer in the database")
    figures = analytics.programme_figures(db, programme_id, as_of, audience)
    counts = summary.summary(db, programme, audience, as_of)["counts"]
    partners = figures.scope.partners
    pending = decisions.list_decisions(db, programme_id, DecisionStatus.PENDING.value)
    shown = tuple(d for d in pending if audience.sees(d.releasable_to, partners))
    return DashboardData(programme, as_of, figures, int(counts["excluded_records"]), shown)


class DashboardPage(QWidget):
    """Says "Loading…" (or why there is nothing to show), then shows the `figures`."""

    loaded = Signal()  # the figures are on screen
    risk_cell_clicked = Signal(int, int)  # likelihood, impact: show those risks
    failed = Signal(str)  # they could not be computed; the message is on screen too

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard_page")
        self.db = db
        self.programme_id = -1
        self.data: DashboardData | None = None
        self.figures: DashboardFigures | None = None  # built with the first figures
        self._generation = 0
        self._op: workers.Op | None = None
        self._indian_grouping = False
        self._after_paint = workers.AfterPaint(self)

        self.stack = QStackedWidget()
        self.message = QLabel(self.tr("Loading…"))
        self.message.setObjectName("dashboard_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setProperty("role", "section_title")
        self.stack.addWidget(self.message)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.stack.addWidget(self.scroll_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def set_indian_grouping(self, on: bool) -> None:
        """Exact rupee amounts (in tooltips) in lakh and crore groups."""
        self._indian_grouping = on
        if self.data is not None and self.figures is not None:
            self.figures.show_data(self.data, on)

    # Loading ----------------------------------------------------------------------------

    def set_programme(self, programme_id: int) -> None:
        self.programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        """Compute the figures again in the background; "Loading…" until they arrive."""
        self._generation += 1
        if self._op is not None:
            self._op.cancel.set()
        if self.programme_id == -1:
            self.data = None
            self._show_message(
                self.tr(
                    "No programme yet.\n\nCreate one with the command line (setu init, "
                    "setu demo) or open the demo programme from File > Open database…"
                )
            )
            return
        self._show_message(self.tr("Loading…"))
        generation, db, programme_id = self._generation, self.db, self.programme_id
        as_of = date.today()
        op = workers.Op(self, lambda _progress, _cancel: load(db, programme_id, as_of))
        op.succeeded.connect(lambda data: self._loaded(generation, data))
        op.failed.connect(lambda error: self._failed(generation, error))
        self._op = op
        self._after_paint.later("load", op.start)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _failed(self, generation: int, error: object) -> None:
        if generation != self._generation:
            return
        text = self.tr("The figures could not be computed:\n\n{error}").format(error=error)
        self._show_message(text)
        self.failed.emit(str(error))

    def _loaded(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        self.data = data
        self._build_figures().show_data(data, self._indian_grouping)
        self.stack.setCurrentWidget(self.scroll_area)
        self.loaded.emit()

    def _build_figures(self) -> DashboardFigures:
        if self.figures is None:
            # Imported with the first figures, not at start: see the module docstring.
            from ui.pages.dashboard_figures import DashboardFigures

            self.figures = DashboardFigures()
            self.figures.refresh_button.clicked.connect(self.reload)
            self.figures.heat_map.cell_clicked.connect(self._heat_map_clicked)
            self.scroll_area.setWidget(self.figures)
        return self.figures

    def _heat_map_clicked(self, likelihood: int, impact: int) -> None:
        if self.figures is not None:
            self.figures.heat_map.clear_selection()  # the dashboard only points the way
        self.risk_cell_clicked.emit(likelihood, impact)
