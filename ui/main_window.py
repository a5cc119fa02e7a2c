"""The main window: navigation, programme selector, menus, shortcuts and status bar.

`navigation` row N always shows `pages` index N. A page may offer, and the window uses
when it is there:
  - `set_programme(programme_id)`: called when the selected programme changes;
  - `reload()`: called when the page is shown after data changed elsewhere;
  - `changed` (signal): the page changed data, so other pages are stale;
  - `filter_edit` (a QLineEdit, as RegisterPage has), or a child QLineEdit named
    "filter_edit": Edit > Find focuses it.
Register pages share the window's one `undo_stack`.
"""

from __future__ import annotations

from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import backup
from app.database import Database
from app.services import markings, programmes
from app.services.programmes import ProgrammeRow
from ui import style, welcome, workers
from ui.dialogs.brief_dialog import BriefDialog, documents_folder
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_dialog import ImportDialog
from ui.pages.audit_page import AuditPage
from ui.pages.contracts_page import ContractsPage
from ui.pages.costs_page import CostsPage
from ui.pages.dashboard_page import DashboardPage
from ui.pages.decisions_page import DecisionsPage
from ui.pages.milestones_page import MilestonesPage
from ui.pages.risks_page import RisksPage
from ui.pages.workstreams_page import WorkstreamsPage

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
SPLITTER_KEY = "main_window/splitter"
RECENT_KEY = "recent_databases"
GROUPING_KEY = "display/indian_grouping"
RECENT_MAX = 8
PAGE_ICONS = (
    "dashboard",
    "workstreams",
    "milestones",
    "contracts",
    "costs",
    "risks",
    "decisions",
    "audit",
)
RISKS_ROW = 5
# The register pages by navigation row (Dashboard and Risks are built specially).
REGISTER_PAGES: dict[int, Any] = {
    1: WorkstreamsPage,
    2: MilestonesPage,
    3: ContractsPage,
    4: CostsPage,
    6: DecisionsPage,
    7: AuditPage,
}


def version() -> str:
    try:
        return metadata.version("setu")
    except metadata.PackageNotFoundError:
        return "development"


class MainWindow(QMainWindow):
    """One open database; pages for each register of the selected programme."""

    programme_selected = Signal(int)  # programme id; -1 when the database holds none
    database_changed = Signal()  # another database was opened in this window
    changed = Signal()  # data changed (an edit, an undo): pages reload when shown

    def __init__(
        self, db: Database, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._settings = settings if settings is not None else QSettings()
        self._programmes: dict[int, ProgrammeRow] = {}
        self._stale: set[QWidget] = set()
        self._marking_op: workers.Op | None = None
        self._switching = False  # between two databases
        self.about_box: QMessageBox | None = None
        self.brief_dialog: BriefDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.setObjectName("main_window")
        self.setWindowIcon(style.icon("setu"))

        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._undone_or_redone)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        for (title, _description), icon in zip(self._page_texts(), PAGE_ICONS, strict=True):
            QListWidgetItem(style.icon(icon), title, self.navigation)
        self.navigation.currentRowChanged.connect(self._show_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 0)  # extra width goes to the page
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        navigation_width = self.navigation.sizeHintForColumn(0) + 4 * self.navigation.frameWidth()
        self.splitter.setSizes([navigation_width + self.fontMetrics().height() * 2, 1000])
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self._build_pages()
        self.navigation.setCurrentRow(0)
        self._show_database()
        self.reload_programmes()
        self._restore_geometry()

    # Pages ------------------------------------------------------------------------------

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
                self.tr(
                    "Joint R&D and co-production workstreams: lead organisation, phase, "
                    "TRL and MRL now and target, budget and RAG."
                ),
            ),
            (
                self.tr("Milestones"),
                self.tr(
                    "Milestones of every workstream: baseline, forecast and actual dates, "
                    "slip, re-baselining with its approving authority."
                ),
            ),
            (
                self.tr("Contracts"),
                self.tr(
                    "Co-production contracts with their deliverables, technology-transfer "
                    "packages, indigenous content and offsets."
                ),
            ),
            (
                self.tr("Cost sharing"),
                self.tr(
                    "Cost-share agreements, partner contributions, expenditure, balances "
                    "and settlement."
                ),
            ),
            (
                self.tr("Risks"),
                self.tr("The risk register: likelihood, impact, owners, mitigations and reviews."),
            ),
            (
                self.tr("Decisions & actions"),
                self.tr("Decisions required from the forums, and the actions that follow."),
            ),
            (
                self.tr("Audit log"),
                self.tr("Who changed what and when, with the verified audit chain."),
            ),
        ]

    def _placeholder(self, title: str, description: str) -> QLabel:
        label = QLabel(
            self.tr("{title}\n\n{description}\n\nThis page is being written.").format(
                title=title, description=description
            )
        )
        label.setObjectName("placeholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setMargin(self.fontMetrics().height() * 2)
        return label

    def _make_page(self, row: int, title: str, description: str) -> QWidget:
        if row == 0:
            self.dashboard = DashboardPage(self.db)
            self.dashboard.set_indian_grouping(self.indian_grouping())
            self.dashboard.risk_cell_clicked.connect(self.show_risks_at)
            return self.dashboard
        if row == RISKS_ROW:
            self.risks_page = RisksPage(self.db, self.undo_stack, settings=self._settings)
            return self.risks_page
        register = REGISTER_PAGES.get(row)
        if register is not None:
            return register(self.db, self.undo_stack, settings=self._settings)
        return self._placeholder(title, description)

    def _build_pages(self) -> None:
        """(Re)create every page for the open database."""
        while self.pages.count():
            old = self.pages.widget(0)
            assert old is not None
            self.pages.removeWidget(old)
            old.deleteLater()
        self._stale.clear()
        for row, (title, description) in enumerate(self._page_texts()):
            page = self._make_page(row, title, description)
            changed = getattr(page, "changed", None)
            if changed is not None:
                changed.connect(self._page_changed)
            self.pages.addWidget(page)
        self.pages.setCurrentIndex(max(self.navigation.currentRow(), 0))

    def page(self, row: int) -> QWidget | None:
        return self.pages.widget(row)

    def show_risks_at(self, likelihood: int, impact: int) -> None:
        """The Risks page, filtered to one cell of the heat map (from the dashboard)."""
        self.navigation.setCurrentRow(RISKS_ROW)
        heat_map = self.risks_page.heat_map
        heat_map.set_mode(self.dashboard.heat_map.mode)
        if heat_map.selected != (likelihood, impact):
            heat_map.click(likelihood, impact)

    def _show_page(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            reload = getattr(page, "reload", None)
            if reload is not None:
                reload()

    def _page_changed(self) -> None:
        self._data_changed(self.sender())

    def _undone_or_redone(self, _index: int) -> None:
        # The page that made the edit reloads itself; the others are now stale.
        if not self._switching:
            self._data_changed(self.pages.currentWidget())

    def _data_changed(self, source: object) -> None:
        for row in range(self.pages.count()):
            page = self.pages.widget(row)
            if page is not None and page is not source and hasattr(page, "reload"):
                self._stale.add(page)
        self.refresh_marking()
        self.changed.emit()

    # Actions, menus, toolbar ------------------------------------------------------------

    def _action(
        self, text: str, slot: Any, shortcut: QKeySequence | None = None, icon: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(style.icon(icon))
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(
            self.tr("&New programme database…"), self.new_database, QKeySequence(keys.New), "new"
        )
        self.open_action = self._action(
            self.tr("&Open database…"), self.open_database, QKeySequence(keys.Open), "open"
        )
        self.demo_action = self._action(self.tr("Open the &demo programme"), self.open_demo)
        self.backup_action = self._action(
            self.tr("Save &copy / Backup…"), self.backup_database, icon="backup"
        )
        self.import_action = self._action(
            self.tr("&Import…"), self.import_file, QKeySequence("Ctrl+I")
        )
        self.import_action.setToolTip(
            self.tr("Import a register (.xlsx, .csv) or an MS Project schedule (Ctrl+I)")
        )
        self.export_action = self._action(
            self.tr("&Export…"), self.export_file, QKeySequence("Ctrl+E")
        )
        self.export_action.setToolTip(
            self.tr("Export registers (.xlsx, .csv) or the schedule (MS Project XML) (Ctrl+E)")
        )
        self.brief_action = self._action(
            self.tr("&Brief…"), self.brief, QKeySequence("Ctrl+B"), "brief"
        )
        self.brief_action.setToolTip(self.tr("Build the briefing pack (PDF) (Ctrl+B)"))
        self.preferences_action = self._action(
            self.tr("&Preferences…"), self.preferences, QKeySequence(keys.Preferences)
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.undo_action.setIcon(style.icon("undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcut(QKeySequence(keys.Redo))
        self.redo_action.setIcon(style.icon("redo"))
        self.find_action = self._action(
            self.tr("&Find…"), self.find_in_page, QKeySequence(keys.Find)
        )
        self.about_action = self._action(self.tr("&About Setu"), self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Programme"))
        toolbar.setObjectName("programme_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(QLabel(self.tr("Programme:")))
        self.programme_selector = QComboBox()
        self.programme_selector.setObjectName("programme_selector")
        self.programme_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.programme_selector.setPlaceholderText(self.tr("No programme yet"))
        self.programme_selector.currentIndexChanged.connect(self._on_programme_changed)
        toolbar.addWidget(self.programme_selector)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        toolbar.addSeparator()
        toolbar.addAction(self.brief_action)
        self.toolbar = toolbar
        self.addToolBar(toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.file_menu.setObjectName("file_menu")
        self.file_menu.setToolTipsVisible(True)
        self.file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = self.file_menu.addMenu(self.tr("&Recent databases"))
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        self.file_menu.addAction(self.demo_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addActions([self.import_action, self.export_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.brief_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.preferences_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.edit_menu.setObjectName("edit_menu")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)

        self.help_menu = bar.addMenu(self.tr("&Help"))
        self.help_menu.setObjectName("help_menu")
        self.help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.database_label = QLabel()
        self.database_label.setObjectName("database_label")
        self.database_label.setTextFormat(Qt.TextFormat.PlainText)
        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        status.addWidget(self.database_label, 1)
        self.marking_label = QLabel()
        self.marking_label.setObjectName("highest_marking")
        bold = self.marking_label.font()
        bold.setBold(True)
        self.marking_label.setFont(bold)
        self.marking_label.setToolTip(
            self.tr("The highest protective marking of any record of this programme")
        )
        status.addPermanentWidget(self.marking_label)
        status.addPermanentWidget(self.user_label)
        self.read_only_label = QLabel(self.tr("read-only"))
        self.read_only_label.setObjectName("read_only_label")
        self.read_only_label.setFont(bold)
        status.addPermanentWidget(self.read_only_label)

    def _show_database(self) -> None:
        db = self.db
        name = db.target.path.name if db.target.path is not None else db.label
        self.setWindowTitle(self.tr("Setu — {name}").format(name=name))
        self.database_label.setText(self.tr("Database: {label}").format(label=db.label))
        self.user_label.setText(self.tr("User: {user}").format(user=db.user))
        self.read_only_label.setVisible(db.read_only)
        self.remember(db)

    # Programmes -------------------------------------------------------------------------

    def reload_programmes(self) -> None:
        """Refill the selector, keeping the selected programme when it still exists."""
        previous = self.current_programme_id()
        selector = self.programme_selector
        selector.blockSignals(True)
        try:
            selector.clear()
            self._programmes = {row.id: row for row in programmes.list_programmes(self.db)}
            for row in self._programmes.values():
                text = self.tr("{code} — {name}").format(code=row.code, name=row.name)
                selector.addItem(text, row.id)
            index = selector.findData(previous) if previous != -1 else -1
            selector.setCurrentIndex(index if index != -1 else min(0, selector.count() - 1))
        finally:
            selector.blockSignals(False)
        selector.setEnabled(selector.count() > 0)
        self._programme_changed()

    def current_programme_id(self) -> int:
        """The selected programme's id, or -1 when there is none."""
        data = self.programme_selector.currentData()
        return data if isinstance(data, int) else -1

    def current_programme(self) -> ProgrammeRow | None:
        return self._programmes.get(self.current_programme_id())

    def _on_programme_changed(self, _index: int) -> None:
        self._programme_changed()

    def _programme_changed(self) -> None:
        programme_id = self.current_programme_id()
        for action in (self.brief_action, self.import_action, self.export_action):
            action.setEnabled(programme_id != -1)
        for row in range(self.pages.count()):
            set_programme = getattr(self.pages.widget(row), "set_programme", None)
            if set_programme is not None:
                set_programme(programme_id)
        self.refresh_marking()
        self.programme_selected.emit(programme_id)

    def refresh_marking(self) -> None:
        """Highest marking of the programme's records, looked up in the background."""
        programme_id = self.current_programme_id()
        if programme_id == -1:
            self.marking_label.setText("")
            return
        if self._marking_op is not None:
            self._marking_op.cancel.set()
        db = self.db
        op = workers.Op(self, lambda _p, _c: markings.highest_in_programme(db, programme_id))
        op.succeeded.connect(lambda name: self._show_marking(op, str(name)))
        self._marking_op = op
        op.start()

    def _show_marking(self, op: workers.Op, name: str) -> None:
        if op is self._marking_op:
            self.marking_label.setText(self.tr("Highest marking: {marking}").format(marking=name))

    # File menu --------------------------------------------------------------------------

    def recent_databases(self) -> list[str]:
        value: Any = self._settings.value(RECENT_KEY, [])
        # An INI file gives back one path as a string, several as a list.
        paths = [value] if isinstance(value, str) else list(value or [])
        return [str(p) for p in paths if p][:RECENT_MAX]

    def remember(self, db: Database) -> None:
        """Put the database first in File > Recent databases (at most RECENT_MAX)."""
        if db.target.path is None:
            return
        path = str(db.target.path)
        paths = [path, *(p for p in self.recent_databases() if p != path)][:RECENT_MAX]
        self._settings.setValue(RECENT_KEY, paths)
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent_databases()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number} {path}")
            action.setData(path)
            if Path(path).exists():
                action.triggered.connect(lambda _c=False, p=path: self.open_path(Path(p)))
            else:
                action.setEnabled(False)
                action.setToolTip(self.tr("The file is no longer there"))
        if not paths:
            empty = menu.addAction(self.tr("No recent databases"))
            empty.setEnabled(False)
            return
        menu.addSeparator()
        forget = menu.addAction(self.tr("Remove missing files"))
        forget.setObjectName("remove_missing")
        forget.triggered.connect(self.forget_missing)
        menu.addAction(self.tr("Clear the list")).triggered.connect(self.clear_recent)

    def forget_missing(self) -> None:
        self._settings.setValue(
            RECENT_KEY, [p for p in self.recent_databases() if Path(p).exists()]
        )
        self._fill_recent_menu()

    def clear_recent(self) -> None:
        self._settings.setValue(RECENT_KEY, [])
        self._fill_recent_menu()

    def _folder(self) -> Path:
        path = self.db.target.path
        return path.parent if path is not None else Path.home()

    def new_database(self) -> None:
        path = welcome.ask_new_path(self, self._folder())
        if path is not None:
            db = welcome.create_file(self, path)
            if db is not None:
                self.set_database(db)

    def open_database(self) -> None:
        path = welcome.ask_open_path(self, self._folder())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open another database here; on refusal the current one stays open."""
        current = self.db.target.path
        if current is not None and path.absolute() == current:
            self.statusBar().showMessage(self.tr("This database is already open."), 5000)
            return True
        db = welcome.open_file(self, path)
        if db is None:
            return False
        self.set_database(db)
        return True

    def open_demo(self) -> None:
        welcome.open_demo(self, welcome.data_folder(), self.set_database)

    def set_database(self, db: Database) -> None:
        """Switch to `db`, closing the one open until now."""
        workers.cancel_all()
        workers.wait_all()
        old, self.db = self.db, db
        self._switching = True
        try:
            self.undo_stack.clear()  # its commands would change the old database
        finally:
            self._switching = False
        self._marking_op = None
        self._build_pages()
        self._show_database()
        self.reload_programmes()
        old.close()
        self.database_changed.emit()

    def backup_database(self) -> None:
        if self.db.target.path is None:
            return
        stem = self.db.target.path.stem
        suggested = documents_folder() / f"{stem}-backup-{date.today().isoformat()}.db"
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save a copy of the database"),
            str(suggested),
            self.tr("Setu databases (*.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.backup_to(Path(chosen))

    def backup_to(self, out: Path) -> workers.Op:
        """Copy the database to `out` in the background; say where and how it is marked."""
        target = self.db.target
        op = workers.Op(self, lambda _p, _c: backup.backup(target, out))
        op.succeeded.connect(self._backed_up)
        op.failed.connect(lambda error: workers.show_error(self, error, self.tr("Backup")))
        self.statusBar().showMessage(self.tr("Copying the database…"))
        op.start()
        return op

    def _backed_up(self, result: backup.BackupResult) -> None:
        self.statusBar().showMessage(self.tr("Backup written: {path}").format(path=result.path))
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Backup"),
            self.tr(
                "The copy is written:\n{path}\n\nIts highest marking is {marking}: store "
                "and handle it as such.\nAudit chain head (also in {head}):\n{chain}"
            ).format(
                path=result.path,
                marking=result.marking,
                head=result.head_file.name,
                chain=result.head,
            ),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("backup_box")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def brief(self) -> BriefDialog | None:
        programme = self.current_programme()
        if programme is None:
            return None
        dialog = BriefDialog(self.db, programme, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.brief_dialog = dialog
        dialog.open()
        return dialog

    def import_file(self) -> ImportDialog | None:
        programme_id = self.current_programme_id()
        if programme_id == -1:
            return None
        dialog = ImportDialog(self.db, programme_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._imported)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _imported(self) -> None:
        """Every page may hold imported records: the shown one reloads now, others when shown."""
        self._data_changed(None)
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            reload = getattr(page, "reload", None)
            if reload is not None:
                reload()

    def export_file(self) -> ExportDialog | None:
        programme_id = self.current_programme_id()
        if programme_id == -1:
            return None
        partners = programmes.partners(self.db, programme_id)
        dialog = ExportDialog(self.db, programme_id, partners, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def indian_grouping(self) -> bool:
        return str(self._settings.value(GROUPING_KEY, "false")).lower() == "true"

    def preferences(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setObjectName("preferences")
        dialog.setWindowTitle(self.tr("Preferences"))
        layout = QVBoxLayout(dialog)
        grouping = QCheckBox(self.tr("Group rupee amounts in lakh and crore (₹12,50,000.00)"))
        grouping.setObjectName("indian_grouping")
        grouping.setChecked(self.indian_grouping())
        layout.addWidget(grouping)
        note = QLabel(
            self.tr(
                "The office's settings (marking scale, RAG thresholds, offsets and "
                "procurement minimums) are kept in the database and apply to everyone."
            )
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)

        def save() -> None:
            self._settings.setValue(GROUPING_KEY, "true" if grouping.isChecked() else "false")
            self.dashboard.set_indian_grouping(grouping.isChecked())

        dialog.accepted.connect(save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # Edit and Help ----------------------------------------------------------------------

    def find_in_page(self) -> bool:
        """Focus the current page's filter box, when it has one."""
        page = self.pages.currentWidget()
        if page is None:
            return False
        box = getattr(page, "filter_edit", None) or getattr(page, "filter_box", None)
        if not isinstance(box, QLineEdit):
            box = page.findChild(QLineEdit, "filter_edit") or page.findChild(QLineEdit, "filter")
        if box is None:
            self.statusBar().showMessage(self.tr("This page has nothing to search."), 4000)
            return False
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()
        return True

    def about(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            self.tr("About Setu"),
            self.tr(
                "Setu {version}\n"
                "The programme office's tool for joint R&D and co-production programmes.\n\n"
                "Database: {database}\nUser: {user}\n\n"
                "Setu works offline; it never connects to a network: no update checks, "
                "no telemetry, no web fonts. Everything stays in the database file."
            ).format(version=version(), database=self.db.label, user=self.db.user),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("about_box")
        box.setIconPixmap(style.icon("setu").pixmap(self.fontMetrics().height() * 4))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box = box
        box.open()
        return box

    # Geometry ---------------------------------------------------------------------------

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
            line = self.fontMetrics().height()
            self.resize(line * 60, line * 38)

    def save_geometry(self) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        super().closeEvent(event)
