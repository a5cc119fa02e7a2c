"""The risk register: the heat map beside the table; a cell click filters the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.database import Database
from app.domain import IMPACT_WORDS, LIKELIHOOD_WORDS, RiskStatus
from app.errors import SetuError
from app.services import listing
from app.services.risks import RiskRow
from ui.dialogs.risk_dialog import RiskDialog, risk_ops
from ui.models.register_model import CENTRE, RIGHT, Column, Tint
from ui.pages.register_page import RegisterPage
from ui.undo import RecordOps
from ui.widgets.heat_grid import TIMES
from ui.widgets.heat_map import INHERENT, HeatMap, rating_colours


def _proximity(row: RiskRow) -> str:
    return row.proximity.isoformat() if row.proximity else ""


class RisksPage(RegisterPage):
    """Risks of the selected programme: `RisksPage(db, undo_stack)`, then `set_programme(id)`."""

    spec = listing.RISKS
    settings_key = "risks"
    entities = ("risk", "review")
    dialog_class = RiskDialog
    default_sort = ("score", True)

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        self.heat_map = HeatMap()
        super().__init__(db, undo_stack, parent, settings=settings, page_size=page_size)
        self.heat_map.cell_clicked.connect(self._cell_clicked)
        self.heat_map.cleared.connect(self._cell_cleared)
        self.heat_map.mode_changed.connect(self._mode_changed)
        if self.splitter is not None:
            self.splitter.setSizes([370, 910])

    # RegisterPage hooks ---------------------------------------------------------------

    def columns(self) -> list[Column]:
        tr = self.tr
        return [
            Column("reference", tr("Ref."), 80),
            Column(
                "title",
                tr("Title"),
                240,
                tooltip=lambda r: f"{r.title}\n\n{r.cause}".strip(),
                stretch=True,
            ),
            Column("category", tr("Category"), 104),
            Column("owner", tr("Owner"), 104),
            Column(
                "likelihood",
                tr("L"),
                30,
                CENTRE,
                tooltip=lambda r: tr("Likelihood {n}: {word}").format(
                    n=r.likelihood, word=tr(LIKELIHOOD_WORDS[r.likelihood])
                ),
            ),
            Column(
                "impact",
                tr("I"),
                30,
                CENTRE,
                tooltip=lambda r: tr("Impact {n}: {word}").format(
                    n=r.impact, word=tr(IMPACT_WORDS[r.impact])
                ),
            ),
            Column("score", tr("Score"), 50, RIGHT),
            Column("rating", tr("Rating"), 70, formatter=lambda r: str(r.rating)),
            Column(
                "residual_score",
                tr("Resid."),
                50,
                RIGHT,
                tooltip=lambda r: tr("Residual likelihood {l} {times} impact {i}").format(
                    l=r.residual_likelihood, i=r.residual_impact, times=TIMES
                ),
            ),
            Column("proximity", tr("Proximity"), 84, formatter=_proximity),
            Column("status", tr("Status"), 60),
        ]

    def ops(self) -> RecordOps[Any, Any]:
        return risk_ops(self.db, self.programme_id)

    def row_tint(self, row: Any) -> Tint | None:
        # Closed and realised risks are history: they keep the view's own colours.
        if row.status != RiskStatus.OPEN:
            return None
        return rating_colours(str(row.rating))

    def noun(self, n: int) -> str:
        return self.tr("risk") if n == 1 else self.tr("risks")

    def empty_text(self) -> str:
        return self.tr("No risks yet. Press Insert or click Add to raise the first risk.")

    def filter_placeholder(self) -> str:
        return self.tr("Filter risks by reference, title, owner, category, cause or effect…")

    def side_panel(self) -> QWidget | None:
        return self.heat_map

    def filter_cleared(self) -> None:
        self.heat_map.clear_selection()

    # Heat map -------------------------------------------------------------------------

    def reload(self) -> None:
        self.reload_matrices()
        super().reload()

    def reload_matrices(self) -> None:
        if self.programme_id == -1:
            empty = [[0] * 5 for _ in range(5)]
            self.heat_map.set_matrices(empty, empty)
            return
        try:
            inherent, residual = listing.risk_matrices(self.db, self.programme_id)
        except SetuError as exc:
            self.count_label.setText(str(exc))
            return
        self.heat_map.set_matrices(inherent, residual)

    def set_programme(self, programme_id: int) -> None:
        self.heat_map.grid.selected = None
        self.chip.show_text(None)
        self.model.where = {}
        super().set_programme(programme_id)

    def _cell_where(self, likelihood: int, impact: int) -> tuple[dict[str, object], str]:
        if self.heat_map.mode == INHERENT:
            where: dict[str, object] = {"likelihood": likelihood, "impact": impact}
            text = self.tr("Filtered: open risks at L{l} {times} I{i}")
        else:
            where = {"residual_likelihood": likelihood, "residual_impact": impact}
            text = self.tr("Filtered: open risks at residual L{l} {times} I{i}")
        # The map counts open risks, so the table lists what the cell counted.
        where["status"] = RiskStatus.OPEN.value
        return where, text.format(l=likelihood, i=impact, times=TIMES)

    def _cell_clicked(self, likelihood: int, impact: int) -> None:
        where, text = self._cell_where(likelihood, impact)
        self.set_where(where, text)

    def _cell_cleared(self) -> None:
        self.set_where(None, None)

    def _mode_changed(self, _mode: str) -> None:
        selected = self.heat_map.selected
        if selected is not None:
            self._cell_clicked(*selected)
