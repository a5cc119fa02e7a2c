"""The main window: register navigation, programme selector, menus and status bar.

The pages are placeholders until each register's page is written; the window only
knows their order, so `navigation` row N always shows `pages` index N.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.database import Database
from app.services import programmes

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
SPLITTER_KEY = "main_window/splitter"


class MainWindow(QMainWindow):
    """One open database; pages for each register of the selected programme."""

    programme_selected = Signal(int)  # programme id; -1 when the database holds none

    def __init__(
        self, db: Database, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._settings = settings if settings is not None else QSettings()
        self.setObjectName("main_window")
        name = db.target.path.name if db.target.path is not None else db.label
        self.setWindowTitle(self.tr("Setu — {name}").format(name=name))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        for title, description in self._page_texts():
            self.navigation.addItem(title)
            self.pages.addWidget(self._placeholder(title, description))
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.setCurrentRow(0)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 0)  # extra width goes to the page
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        navigation_width = self.navigation.sizeHintForColumn(0) + 4 * self.navigation.frameWidth()
        self.splitter.setSizes([navigation_width + 24, 1000])
        self.setCentralWidget(self.splitter)

        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.reload_programmes()
        self._restore_geometry()

    def _page_texts(self) -> list[tuple[str, str]]:
        # Literal tr() calls, so pyside6-lupdate finds every title.
        return [
            (
                self.tr("Dashboard"),
                self.tr(
                    "The programme at a glance: status, earned value, cost-share balances "
                    "and the risks and actions that need attention."
                ),
            ),
            (
                self.tr("Workstreams"),
                self.tr("Joint R&D and co-production workstreams, their leads and budgets."),
            ),
            (
                self.tr("Milestones"),
                self.tr("Milestones of every workstream: baseline, forecast and slip."),
            ),
            (
                self.tr("Contracts"),
                self.tr(
                    "Co-production contracts, deliverables and transfer-of-technology packages."
                ),
            ),
            (
                self.tr("Cost sharing"),
                self.tr(
                    "Cost-share agreements, partner contributions, expenditure and settlement."
                ),
            ),
            (
                self.tr("Risks"),
                self.tr("The risk register: likelihood, impact, owners, mitigations and reviews."),
            ),
            (
                self.tr("Decisions & actions"),
                self.tr("Decisions taken and pending, and the actions that follow from them."),
            ),
            (
                self.tr("Audit log"),
                self.tr("Who changed what and when, with the verified audit chain."),
            ),
        ]

    def _placeholder(self, title: str, description: str) -> QLabel:
        label = QLabel(f"{title}\n\n{description}")
        label.setObjectName("placeholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setMargin(24)
        return label

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Programme"))
        toolbar.setObjectName("programme_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(self.tr("Programme:")))
        self.programme_selector = QComboBox()
        self.programme_selector.setObjectName("programme_selector")
        self.programme_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.programme_selector.setPlaceholderText(self.tr("No programme yet"))
        self.programme_selector.currentIndexChanged.connect(self._on_programme_changed)
        toolbar.addWidget(self.programme_selector)
        self.addToolBar(toolbar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.database_label = QLabel(self.tr("Database: {label}").format(label=self.db.label))
        self.database_label.setObjectName("database_label")
        self.user_label = QLabel(self.tr("User: {user}").format(user=self.db.user))
        self.user_label.setObjectName("user_label")
        status.addWidget(self.database_label, 1)
        status.addPermanentWidget(self.user_label)
        self.read_only_label = QLabel(self.tr("read-only"))
        self.read_only_label.setObjectName("read_only_label")
        self.read_only_label.setContentsMargins(12, 0, 4, 0)
        self.read_only_label.setStyleSheet("font-weight: bold")
        self.read_only_label.setVisible(self.db.read_only)
        status.addPermanentWidget(self.read_only_label)

    def reload_programmes(self) -> None:
        """Refill the selector, keeping the selected programme when it still exists."""
        previous = self.current_programme_id()
        selector = self.programme_selector
        selector.blockSignals(True)
        try:
            selector.clear()
            for row in programmes.list_programmes(self.db):
                text = self.tr("{code} — {name}").format(code=row.code, name=row.name)
                selector.addItem(text, row.id)
            index = selector.findData(previous) if previous != -1 else -1
            selector.setCurrentIndex(index if index != -1 else min(0, selector.count() - 1))
        finally:
            selector.blockSignals(False)
        selector.setEnabled(selector.count() > 0)
        if self.current_programme_id() != previous:
            self.programme_selected.emit(self.current_programme_id())

    def current_programme_id(self) -> int:
        """The selected programme's id, or -1 when there is none."""
        data = self.programme_selector.currentData()
        return data if isinstance(data, int) else -1

    def _on_programme_changed(self, _index: int) -> None:
        self.programme_selected.emit(self.current_programme_id())

    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            state = self._settings.value(STATE_KEY)
            if isinstance(state, QByteArray):
                self.restoreState(state)
            splitter = self._settings.value(SPLITTER_KEY)
            if isinstance(splitter, QByteArray):
                self.splitter.restoreState(splitter)
        else:
            self.resize(1100, 700)

    def save_geometry(self) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        super().closeEvent(event)
