"""Opening databases from the GUI, and the welcome screen of a first start.

The welcome screen appears when Setu starts with no database at all (no `--db`, no
SETU_DATABASE_URL, and no per-user file yet). It offers a new programme database, an
existing file, or the demo programme (built once in the per-user data folder).

`open_file`, `create_file` and `open_demo` are also what the main window's File menu
uses: a refusal (not a Setu database, a newer schema, a damaged file…) is shown as a
plain-text message and nothing is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import default_path, resolve
from app.database import Database, Mode, open_database
from app.errors import SetuError
from ui import style, workers

DEMO_FILE = "demo.db"


def _tr(text: str) -> str:
    return QCoreApplication.translate("welcome", text)


def file_filter() -> str:
    return _tr("Setu databases (*.db *.sqlite *.setu);;All files (*)")


def data_folder() -> Path:
    """The per-user data folder (where the default database and the demo live)."""
    return default_path().parent


def show_warnings(parent: QWidget, db: Database) -> None:
    for warning in db.warnings:
        workers.show_error(parent, warning, _tr("Setu: warning"))


def open_file(parent: QWidget, path: Path, mode: Mode = Mode.WRITE) -> Database | None:
    """Open `path`; on refusal say why (plain text) and return None."""
    try:
        db = open_database(resolve(str(path)), mode)
    except SetuError as exc:
        workers.show_error(
            parent,
            _tr("Setu cannot open this database.\n\n{error}").format(error=exc),
            _tr("Open database"),
        )
        return None
    show_warnings(parent, db)
    return db


def create_file(parent: QWidget, path: Path) -> Database | None:
    """A new, empty programme database at `path` (which must be new or empty)."""
    return open_file(parent, path, Mode.CREATE)


def ask_new_path(parent: QWidget, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        _tr("New programme database"),
        str(folder / "programme.db"),
        file_filter(),
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(".db")


def ask_open_path(parent: QWidget, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, _tr("Open programme database"), str(folder), file_filter()
    )
    return Path(chosen) if chosen else None


def _build_demo(path: Path) -> None:
    """Worker: create the demo database at `path`; nothing is left behind on failure."""
    from app.demo import build

    try:
        with open_database(resolve(str(path)), Mode.CREATE) as db:
            build(db)
    except BaseException:
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        raise


def open_demo(
    parent: QWidget, folder: Path, on_opened: Callable[[Database], None]
) -> workers.Op | None:
    """Open the demo programme in `folder`, building it first (in the background) if it
    is not there yet; `on_opened(db)` receives it. Returns the Op while building."""
    path = folder / DEMO_FILE
    if path.exists():
        db = open_file(parent, path)
        if db is not None:
            on_opened(db)
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        workers.show_error(
            parent, _tr("The data folder cannot be created:\n{error}").format(error=exc)
        )
        return None
    progress = QProgressDialog(_tr("Building the demo programme…"), "", 0, 0, parent)
    progress.setObjectName("demo_progress")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    op = workers.Op(parent, lambda _progress, _cancel: _build_demo(path))

    def built(_result: object) -> None:
        db = open_file(parent, path)
        if db is not None:
            on_opened(db)

    op.succeeded.connect(built)
    op.failed.connect(lambda error: workers.show_error(parent, error))
    op.finished.connect(progress.close)
    op.finished.connect(progress.deleteLater)
    progress.show()
    op.start()
    return op


class WelcomeDialog(QDialog):
    """First start: choose a database. `database` holds the one opened (on accept)."""

    def __init__(self, folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle(self.tr("Welcome to Setu"))
        self.setWindowIcon(style.icon("setu"))
        self.folder = folder if folder is not None else data_folder()
        self.database: Database | None = None
        self.op: workers.Op | None = None

        layout = self._layout = QVBoxLayout(self)
        line = self.fontMetrics().height()
        layout.setContentsMargins(line * 2, line * 2, line * 2, line * 2)
        layout.setSpacing(line)
        title = QLabel(self.tr("Welcome to Setu"))
        title.setProperty("role", "page_title")
        text = QLabel(
            self.tr(
                "Setu keeps a joint programme's workstreams, contracts, cost sharing and "
                "risks in one database file on this computer. It works offline and never "
                "connects to a network."
            )
        )
        text.setWordWrap(True)
        text.setMinimumWidth(line * 28)
        # A top-level window ignores height-for-width: reserve the wrapped height.
        text.setMinimumHeight(text.heightForWidth(line * 28))
        choose = QLabel(self.tr("There is no database yet. Choose one:"))
        for label in (title, text, choose):
            label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(label)
        self.new_button = self._button(
            "new_database",
            "new",
            self.tr("New programme database…"),
            self.tr("An empty database file, wherever you choose."),
            self.new_database,
        )
        self.open_button = self._button(
            "open_database",
            "open",
            self.tr("Open…"),
            self.tr("A database file you already have (for instance on a shared drive)."),
            self.open_database,
        )
        self.demo_button = self._button(
            "open_demo",
            "dashboard",
            self.tr("Open the demo programme"),
            self.tr("A fictional programme to look around in, made in your data folder."),
            self.open_demo,
        )
        quit_button = QPushButton(self.tr("Quit"))
        quit_button.setObjectName("quit")
        quit_button.clicked.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.adjustSize()

    def _button(
        self, name: str, icon: str, text: str, hint: str, slot: Callable[[], object]
    ) -> QPushButton:
        button = QPushButton(style.icon(icon), text)
        button.setObjectName(name)
        button.setMinimumHeight(int(self.fontMetrics().height() * 2.2))
        button.setToolTip(hint)
        button.clicked.connect(lambda _checked=False: slot())
        self._layout.addWidget(button)
        label = QLabel(hint)
        label.setProperty("role", "muted")
        label.setWordWrap(True)
        self._layout.addWidget(label)
        self._layout.addSpacing(self.fontMetrics().height() // 2)
        return button

    def _opened(self, db: Database) -> None:
        self.database = db
        self.accept()

    def new_database(self) -> None:
        path = ask_new_path(self, Path.home())
        if path is not None:
            self.create_at(path)

    def create_at(self, path: Path) -> None:
        db = create_file(self, path)
        if db is not None:
            self._opened(db)

    def open_database(self) -> None:
        path = ask_open_path(self, Path.home())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        db = open_file(self, path)
        if db is not None:
            self._opened(db)

    def open_demo(self) -> None:
        self.op = open_demo(self, self.folder, self._opened)

    def reject(self) -> None:
        if self.op is not None and self.op.running:
            return  # the demo is being built; it cannot be interrupted half-way
        super().reject()
