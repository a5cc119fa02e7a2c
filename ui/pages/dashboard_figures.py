"""What the dashboard shows once its figures are in: the programme's RAG and why, the
key figures, the milestone timeline, cost shares, the risk heat map, and the overdue
actions and pending decisions.

It is built when the first figures arrive, not with the page, so its widgets (and
their modules) cost nothing before the main window has painted. It computes nothing:
every figure comes from `app.services.analytics` through `DashboardData`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import money
from app.domain import Rating
from ui import style
from ui.pages.dashboard_parts import (
    Tile,
    compact_money,
    figure_list,
    reasons_text,
    section,
)
from ui.widgets.charts import (
    CostShareChart,
    MilestoneTimeline,
    ShareBar,
    ShareGroup,
    TimelineRow,
)
from ui.widgets.heat_map import HeatMap

if TYPE_CHECKING:
    from app.services.analytics import ProgrammeFigures
    from app.services.analytics_costshare import Transfer
    from ui.pages.dashboard_page import DashboardData

DECISIONS_SHOWN = 12


def _ratio(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f} %"


class DashboardFigures(QWidget):
    """Programme RAG and reasons, key figures, timeline, cost shares, heat map, lists."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard_content")
        self._indian_grouping = False
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(self.fontMetrics().height())
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_status())
        layout.addLayout(self._build_tiles())
        self.timeline = MilestoneTimeline()
        layout.addWidget(
            section(
                self.tr("Next milestone of each workstream"),
                self.timeline,
                self.tr(
                    "Baseline (hollow) and forecast (filled): a line between them is the slip."
                ),
            )
        )
        charts = QHBoxLayout()
        self.cost_share = CostShareChart()
        self.heat_map = HeatMap()
        self.heat_map.hint.setText(
            self.tr("Click a cell to list its risks on the Risks page. H, M, L: the rating.")
        )
        charts.addWidget(
            section(
                self.tr("Cost sharing: owed and contributed per partner"),
                self.cost_share,
            ),
            3,
        )
        charts.addWidget(self.heat_map, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(charts)
        lists = QHBoxLayout()
        self.overdue_actions = figure_list(
            [self.tr("Action"), self.tr("Owner"), self.tr("Due"), self.tr("Days late")],
            "overdue_actions",
        )
        self.decisions_due = figure_list(
            [self.tr("Decision"), self.tr("Forum"), self.tr("Needed by")], "decisions_due"
        )
        lists.addWidget(section(self.tr("Overdue actions"), self.overdue_actions))
        lists.addWidget(section(self.tr("Decisions due (pending)"), self.decisions_due))
        layout.addLayout(lists)
        layout.addStretch(1)

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("dashboard_title")
        self.title.setProperty("role", "page_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.view_note = QLabel()
        self.view_note.setObjectName("view_note")
        self.view_note.setProperty("role", "muted")
        self.view_note.setWordWrap(True)
        self.view_note.setTextFormat(Qt.TextFormat.PlainText)
        titles.addWidget(self.title)
        titles.addWidget(self.view_note)
        header.addLayout(titles, 1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.setToolTip(self.tr("Compute the figures again (F5)"))
        self.refresh_button.setShortcut(Qt.Key.Key_F5)
        header.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        return header

    def _build_status(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.rag_panel = QFrame()
        self.rag_panel.setObjectName("rag_panel")
        panel = QVBoxLayout(self.rag_panel)
        caption = QLabel(self.tr("Programme status"))
        self.rag_word = QLabel("—")
        self.rag_word.setObjectName("rag_word")
        self.rag_word.setProperty("role", "rag_word")
        self.rag_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        legend = QLabel(self.tr("RED: off track, act now\nAMBER: at risk, watch\nGREEN: on track"))
        legend.setObjectName("rag_legend")
        for label in (caption, self.rag_word, legend):
            label.setTextFormat(Qt.TextFormat.PlainText)
            panel.addWidget(label)
        width = self.fontMetrics().horizontalAdvance("M") * 15
        self.rag_panel.setMinimumWidth(width)
        self.rag_panel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        row.addWidget(self.rag_panel)
        self.reasons = QLabel()
        self.reasons.setObjectName("rag_reasons")
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setWordWrap(True)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(section(self.tr("Why"), self.reasons), 1)
        return row

    def _build_tiles(self) -> QGridLayout:
        grid = QGridLayout()
        self.tiles = {
            "spi": Tile("tile_spi", self.tr("Schedule performance (SPI)")),
            "cpi": Tile("tile_cpi", self.tr("Cost performance (CPI)")),
            "eac": Tile("tile_eac", self.tr("Estimate at completion (EAC)")),
            "ic": Tile("tile_ic", self.tr("Indigenous content achieved")),
            "high_risks": Tile("tile_high_risks", self.tr("Open HIGH risks")),
            "overdue": Tile("tile_overdue", self.tr("Overdue actions")),
        }
        for index, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, index // 3, index % 3)
        return grid

    def exact(self, minor: int, currency: str) -> str:
        return money.display(minor, currency, indian_grouping=self._indian_grouping)

    def show_data(self, data: DashboardData, indian_grouping: bool) -> None:
        """Show `data`; exact rupee amounts (in tooltips) in lakh and crore groups if asked."""
        self._indian_grouping = indian_grouping
        figures, programme = data.figures, data.programme
        as_of = QDate(data.as_of.year, data.as_of.month, data.as_of.day)
        day = QLocale().toString(as_of, QLocale.FormatType.LongFormat)
        self.title.setText(
            self.tr("{name} ({code})").format(name=programme.name, code=programme.code)
        )
        note = self.tr(
            "Status on {day}. Joint view: only records releasable to every partner "
            "nation ({nations}) are counted."
        ).format(day=day, nations=", ".join(figures.scope.partners))
        if data.excluded_records:
            note += " " + self.tr(
                "{count} records releasable to fewer nations are not counted here; "
                "they are on the register pages (Cost sharing, Risks, …)."
            ).format(count=data.excluded_records)
        self.view_note.setText(note)
        self.rag_word.setText(figures.rag.status)
        style.set_rag(self.rag_panel, figures.rag.status)
        self.reasons.setText(reasons_text(figures.rag.reasons))
        self._fill_tiles(figures)
        self.timeline.set_rows(
            [
                TimelineRow(
                    ws.code,
                    figures.workstream_rags[ws.workstream_id].status,
                    ws.next_milestone_title,
                    ws.next_baseline,
                    ws.next_forecast,
                )
                for ws in figures.schedule.workstreams
            ],
            data.as_of,
        )
        currency = programme.base_currency
        self.cost_share.set_groups(
            [
                ShareGroup(
                    f"{a.agreement} — {a.title}",
                    tuple(ShareBar(p.partner, p.owed, p.contributed) for p in a.partners),
                    self._settlement(a.settlement, currency),
                )
                for a in figures.cost_share
            ],
            lambda minor: compact_money(minor, currency),
        )
        self.heat_map.set_matrices(figures.risks.matrix_inherent, figures.risks.matrix_residual)
        self._fill_lists(data)

    def _settlement(self, transfers: Sequence[Transfer], currency: str) -> str:
        if not transfers:
            return self.tr("Settled: no transfer is due.")
        return self.tr("To settle: {transfers}").format(
            transfers="; ".join(
                self.tr("{payer} pays {payee} {amount}").format(
                    payer=t.from_, payee=t.to, amount=compact_money(t.amount, currency)
                )
                for t in transfers
            )
        )

    def _fill_tiles(self, figures: ProgrammeFigures) -> None:
        ev = figures.earned_value.programme
        ccy = figures.scope.base_currency
        self.tiles["spi"].show_value(
            _ratio(ev.spi), self.tr("earned value ÷ planned value; 1 is on plan")
        )
        self.tiles["cpi"].show_value(
            _ratio(ev.cpi), self.tr("earned value ÷ actual cost; 1 is on budget")
        )
        bac = compact_money(ev.bac, ccy)
        if ev.eac is None:
            self.tiles["eac"].show_value(
                "—",
                self.tr("budget (BAC) {bac}; no estimate until value is earned").format(bac=bac),
            )
        else:
            self.tiles["eac"].show_value(
                compact_money(ev.eac, ccy),
                self.tr("vs budget (BAC) {bac}").format(bac=bac),
                self.tr("EAC {eac}\nBAC {bac}").format(
                    eac=self.exact(ev.eac, ccy), bac=self.exact(ev.bac, ccy)
                ),
            )
        industry = figures.industry
        self.tiles["ic"].show_value(
            _percent(industry.ic_achieved_pct),
            self.tr("target {target} (weighted by contract value)").format(
                target=_percent(industry.ic_target_pct)
            ),
        )
        risks = figures.risks
        self.tiles["high_risks"].show_value(
            str(risks.by_rating[Rating.HIGH]),
            self.tr("of {count} open risks").format(count=risks.by_status.get("open", 0)),
        )
        self.tiles["overdue"].show_value(
            str(len(risks.overdue_actions)), self.tr("not done and due before today")
        )

    def _fill_lists(self, data: DashboardData) -> None:
        actions = data.figures.risks.overdue_actions
        self.overdue_actions.clear()
        for action in actions:
            title = action.title
            if action.risk_reference:
                title = f"{title} ({action.risk_reference})"
            item = QTreeWidgetItem(
                [
                    title,
                    action.owner,
                    action.due_on.isoformat(),
                    str(action.days_overdue),
                ]
            )
            item.setToolTip(0, title)
            self.overdue_actions.addTopLevelItem(item)
        if not actions:
            self.overdue_actions.addTopLevelItem(QTreeWidgetItem([self.tr("No overdue actions.")]))
        self.decisions_due.clear()
        for decision in data.decisions_due[:DECISIONS_SHOWN]:
            item = QTreeWidgetItem(
                [
                    decision.title,
                    decision.forum,
                    decision.needed_by.isoformat(),
                ]
            )
            item.setToolTip(0, decision.title)
            self.decisions_due.addTopLevelItem(item)
        if len(data.decisions_due) > DECISIONS_SHOWN:
            more = len(data.decisions_due) - DECISIONS_SHOWN
            self.decisions_due.addTopLevelItem(
                QTreeWidgetItem(
                    [self.tr("… and {count} more on the Decisions page").format(count=more)]
                )
            )
        if not data.decisions_due:
            self.decisions_due.addTopLevelItem(QTreeWidgetItem([self.tr("No decisions pending.")]))
        for tree in (self.overdue_actions, self.decisions_due):
            rows = max(tree.topLevelItemCount(), 1)
            height = tree.sizeHintForRow(0) * min(rows, 8) + tree.header().sizeHint().height()
            tree.setMinimumHeight(height + 2 * tree.frameWidth() + 2)
