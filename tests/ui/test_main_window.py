"""The main window: menus and shortcuts, navigation, status bar, databases, welcome screen."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QUndoCommand
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.config import resolve
from app.daily_backup import copies
from app.daily_backup import folder_for as copies_folder
from app.database import Database, Mode, open_database
from app.services import risks
from tests.conftest import Fixture, risk_draft
from ui import application, daily_backup, workers
from ui.dialogs.brief_dialog import BriefDialog
from ui.main_window import RISKS_ROW, MainWindow
from ui.pages.dashboard_page import DashboardPage
from ui.pages.register_page import RegisterPage
from ui.pages.risks_page import RisksPage
from ui.preferences import indian_grouping
from ui.recent_databases import RECENT_KEY, RECENT_MAX
from ui.welcome import DEMO_FILE, WelcomeDialog

PAGES = [
    "Dashboard",
    "Workstreams",
    "Milestones",
    "Contracts",
    "Cost sharing",
    "Risks",
    "Decisions & actions",
    "Audit log",
]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Window settings in a file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: QtBot, db: Database, programme: Fixture, settings: QSettings
) -> Iterator[MainWindow]:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    # Background work reads the database: let it finish before the fixture closes it.
    workers.cancel_all()
    workers.wait_all()


def new_database(path: Path) -> Path:
    open_database(resolve(str(path)), Mode.CREATE).close()
    return path


def error_boxes(widget: QWidget) -> list[QMessageBox]:
    return [box for box in widget.findChildren(QMessageBox) if box.objectName() == "error_box"]


def shortcut(action: object) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)  # type: ignore[attr-defined]


def test_selector_shows_the_programme(window: MainWindow, programme: Fixture) -> None:
    selector = window.programme_selector
    assert selector.count() == 1
    assert selector.currentText() == "JP-TEST — Test programme"
    assert window.current_programme_id() == programme.programme_id
    assert selector.isEnabled()


def test_menus_and_shortcuts(window: MainWindow) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Help"]
    assert shortcut(window.menus.new_action) == "Ctrl+N"
    assert shortcut(window.menus.open_action) == "Ctrl+O"
    assert shortcut(window.menus.brief_action) == "Ctrl+B"
    assert shortcut(window.menus.quit_action) == "Ctrl+Q"
    assert shortcut(window.menus.undo_action) == "Ctrl+Z"
    assert window.menus.redo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)
    assert shortcut(window.menus.redo_action) in ("Ctrl+Shift+Z", "Ctrl+Y")
    assert shortcut(window.menus.find_action) == "Ctrl+F"
    file_items = [a.text() for a in window.menus.file_menu.actions() if not a.isSeparator()]
    assert file_items == [
        "&New programme database…",
        "&Open database…",
        "&Recent databases",
        "Open the &demo programme",
        "Save &copy / Backup…",
        "&Import…",
        "&Export…",
        "&Brief…",
        "&Preferences…",
        "&Quit",
    ]
    edit_items = [a.text() for a in window.menus.edit_menu.actions() if not a.isSeparator()]
    assert edit_items[0].startswith("&Undo") and edit_items[1].startswith("&Redo")
    assert edit_items[2] == "&Find…"
    assert [a.text() for a in window.menus.help_menu.actions()] == ["&About Setu"]
    assert shortcut(window.menus.import_action) == "Ctrl+I"
    assert shortcut(window.menus.export_action) == "Ctrl+E"
    for action in (window.menus.import_action, window.menus.export_action):
        assert action.isEnabled()
    toolbar = [a.text() for a in window.toolbar.actions() if a.text()]
    assert any(t.startswith("&Undo") for t in toolbar) and "&Brief…" in toolbar


def test_shortcut_opens_the_brief_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.files.brief_dialog, BriefDialog))
    assert window.files.brief_dialog is not None and window.files.brief_dialog.isVisible()
    assert window.files.brief_dialog.programme.code == "JP-TEST"
    window.files.brief_dialog.reject()


def test_undo_and_redo_share_one_stack(qtbot: QtBot, window: MainWindow) -> None:
    done: list[str] = []

    class Step(QUndoCommand):
        def redo(self) -> None:
            done.append("redo")

        def undo(self) -> None:
            done.append("undo")

    assert not window.menus.undo_action.isEnabled()
    window.undo_stack.push(Step("Change a risk"))
    assert window.menus.undo_action.isEnabled()
    assert window.menus.undo_action.text() == "&Undo Change a risk"
    window.menus.undo_action.trigger()
    window.menus.redo_action.trigger()
    assert done == ["redo", "undo", "redo"]
    risks_page = window.page(PAGES.index("Risks"))
    assert isinstance(risks_page, RisksPage) and risks_page.undo_stack is window.undo_stack


def test_navigation_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    navigation = window.navigation
    assert [navigation.item(row).text() for row in range(navigation.count())] == PAGES
    assert window.pages.count() == len(PAGES)
    for row in reversed(range(navigation.count())):
        item = navigation.item(row)
        assert not item.icon().isNull()
        rect = navigation.visualItemRect(item)
        qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[no-untyped-call]
        assert window.pages.currentIndex() == row
        page = window.pages.currentWidget()
        if PAGES[row] == "Dashboard":
            assert isinstance(page, DashboardPage)
        elif PAGES[row] == "Risks":
            assert isinstance(page, RisksPage)
        else:
            # Every register has its page now: no placeholder is left.
            assert not isinstance(page, QLabel)
            assert callable(getattr(page, "set_programme", None))
            assert callable(getattr(page, "reload", None))
            if isinstance(page, RegisterPage):
                assert page.model.rowCount() >= 0


def high_risks(window: MainWindow) -> str:
    figures = window.dashboard.figures
    assert figures is not None
    return figures.tiles["high_risks"].value.text()


def test_a_change_makes_other_pages_reload_when_shown(
    qtbot: QtBot, window: MainWindow, db: Database, programme: Fixture
) -> None:
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=20_000)
    assert high_risks(window) == "0"
    window.navigation.setCurrentRow(PAGES.index("Risks"))
    risks.raise_risk(db, programme.programme_id, risk_draft())  # likelihood 4, impact 4: HIGH
    window.risks_page.changed.emit()
    assert window.dashboard in window.pages.stale
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.navigation.setCurrentRow(0)
    assert high_risks(window) == "1"


def test_find_focuses_the_page_filter(qtbot: QtBot, window: MainWindow) -> None:
    window.navigation.setCurrentRow(PAGES.index("Risks"))
    assert window.find_in_page()
    qtbot.waitUntil(lambda: window.risks_page.filter_edit.hasFocus())
    window.navigation.setCurrentRow(PAGES.index("Workstreams"))
    assert window.find_in_page()
    blank = QWidget()
    window.pages.addWidget(blank)
    window.pages.setCurrentWidget(blank)
    assert not window.find_in_page()  # a page without a filter has nothing to search
    assert "nothing to search" in window.statusBar().currentMessage()
    page = QWidget()
    box = QLineEdit()
    box.setObjectName("filter_edit")
    QVBoxLayout(page).addWidget(box)
    window.pages.addWidget(page)
    window.pages.setCurrentWidget(page)
    window.menus.find_action.trigger()
    qtbot.waitUntil(box.hasFocus)


def test_status_bar_and_title(window: MainWindow, db: Database) -> None:
    assert db.label in window.database_label.text()
    assert db.user in window.user_label.text()
    assert window.read_only_label.isHidden()
    assert window.windowTitle() == "Setu — setu.db"


def test_status_bar_shows_the_highest_marking(
    qtbot: QtBot, window: MainWindow, db: Database, programme: Fixture
) -> None:
    label = window.marking_label
    qtbot.waitUntil(lambda: label.text() == "Highest marking: UNCLASSIFIED")
    assert label.font().bold()
    # A record released to India only still counts: the officer sees every record.
    risks.raise_risk(db, programme.programme_id, risk_draft(marking=3, releasable_to="IND"))
    window.refresh_marking()
    qtbot.waitUntil(lambda: label.text() == "Highest marking: SECRET")


def test_read_only_database_says_so(
    qtbot: QtBot, db_path: Path, programme: Fixture, settings: QSettings
) -> None:
    with open_database(resolve(str(db_path)), read_only=True) as read_only:
        window = MainWindow(read_only, settings)
        qtbot.addWidget(window)
        window.show()
        assert window.read_only_label.isVisible()
        assert window.read_only_label.text() == "read-only"
        workers.wait_all()
        window.close()


def test_recent_databases(
    qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path, settings: QSettings
) -> None:
    first = str(db.target.path)
    assert window.recent.paths() == [first]
    other = new_database(tmp_path / "other.db")
    assert window.files.open_path(other)
    assert window.db.target.path == other
    assert window.windowTitle() == "Setu — other.db"
    assert window.recent.paths() == [str(other), first]
    # The list keeps at most RECENT_MAX and greys out files that are gone.
    missing = [str(tmp_path / f"gone-{n}.db") for n in range(RECENT_MAX + 2)]
    settings.setValue(RECENT_KEY, [str(other), *missing])
    window.recent.menu.aboutToShow.emit()
    entries = [a for a in window.recent.menu.actions() if a.data()]
    assert len(entries) == RECENT_MAX
    assert entries[0].isEnabled() and entries[0].data() == str(other)
    assert not entries[1].isEnabled()
    window.recent.forget_missing()
    assert window.recent.paths() == [str(other)]
    window.files.open_path(Path(first))
    assert window.recent.paths() == [first, str(other)]
    window.db.close()  # the window's database now; the fixture closes `db` itself


def test_a_refused_database_leaves_the_open_one(
    qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("<b>not</b> a database\n" * 100)
    assert not window.files.open_path(junk)
    assert window.db is db
    boxes = error_boxes(window)
    assert boxes and "cannot open" in boxes[-1].text()
    assert boxes[-1].textFormat() == Qt.TextFormat.PlainText
    assert window.programme_selector.count() == 1  # still the old database's programme


def test_backup_copies_the_database(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db: Database
) -> None:
    out = tmp_path / "copy.db"
    op = window.files.backup_to(out)
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert out.exists() and (tmp_path / "copy.db.head").exists()
    box = window.findChild(QMessageBox, "backup_box")
    assert box is not None and "UNCLASSIFIED" in box.text()
    op = window.files.backup_to(out)  # never overwrites
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert "already exists" in error_boxes(window)[-1].text()


def test_about_box_says_it_works_offline(window: MainWindow, db: Database) -> None:
    box = window.about()
    text = box.text()
    assert "works offline" in text and "never connects to a network" in text
    assert db.label in text
    assert "Setu 0." in text or "Setu development" in text
    box.close()


def test_preferences_are_saved(qtbot: QtBot, window: MainWindow, settings: QSettings) -> None:
    dialog = window.preferences()
    checkbox = dialog.findChild(QWidget, "indian_grouping")
    assert checkbox is not None
    checkbox.setChecked(True)  # type: ignore[attr-defined]
    dialog.accept()
    assert indian_grouping(settings)


def test_the_window_takes_the_days_backup_after_it_paints(
    qtbot: QtBot, db: Database, programme: Fixture, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "backup.ini"), QSettings.Format.IniFormat)
    settings.setValue(daily_backup.FOLDER_KEY, str(tmp_path / "backups"))
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert db.target.path is not None
    folder = copies_folder(tmp_path / "backups", db.target.path)
    assert copies(folder) == []  # nothing before the first paint
    window.show()
    qtbot.waitUntil(lambda: len(copies(folder)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Daily backup saved"))
    workers.wait_all()
    # Preferences: how many copies, and where; 0 turns them off.
    dialog = window.preferences()
    keep = dialog.findChild(QWidget, "daily_backup_keep")
    assert keep is not None and keep.value() == 7  # type: ignore[attr-defined]
    keep.setValue(0)  # type: ignore[attr-defined]
    dialog.accept()
    assert window.backups.run() is None


def test_screenshot(window: MainWindow, tmp_path: Path) -> None:
    shot = tmp_path / "main_window.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 0


def test_geometry_is_saved_and_restored(
    qtbot: QtBot, window: MainWindow, db: Database, settings: QSettings
) -> None:
    window.resize(720, 500)  # the offscreen screen is 800 x 600
    window.close()
    again = MainWindow(db, settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 500)
    workers.wait_all()


def test_quit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.menus.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_empty_database_has_no_programme(qtbot: QtBot, db: Database, settings: QSettings) -> None:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert window.programme_selector.count() == 0
    assert window.current_programme_id() == -1
    assert not window.programme_selector.isEnabled()
    assert not window.menus.brief_action.isEnabled()
    assert "No programme yet" in window.dashboard.message.text()
    workers.wait_all()


# Opening quickly --------------------------------------------------------------------------


def test_only_the_dashboard_is_built_at_start(
    qtbot: QtBot, window: MainWindow, programme: Fixture
) -> None:
    assert isinstance(window.pages.built(0), DashboardPage)
    assert [window.pages.built(row) for row in range(1, len(PAGES))] == [None] * (len(PAGES) - 1)
    window.navigation.setCurrentRow(RISKS_ROW)
    page = window.pages.built(RISKS_ROW)
    assert isinstance(page, RisksPage) and window.pages.currentWidget() is page
    assert page.programme_id == programme.programme_id  # told the programme when built
    assert window.pages.count() == len(PAGES)
    # Only built pages can be stale; the others read everything when they are built.
    page.changed.emit()
    assert window.pages.stale == {window.dashboard}


def test_background_work_waits_for_the_first_paint(
    qtbot: QtBot, db: Database, programme: Fixture, settings: QSettings
) -> None:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    qtbot.wait(50)
    assert workers.running() == 0  # neither the figures nor the marking yet
    assert window.dashboard.message.text() == "Loading…"
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.show()
    qtbot.waitUntil(lambda: window.marking_label.text().startswith("Highest marking"))


def test_another_database_rebuilds_the_page_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.navigation.setCurrentRow(RISKS_ROW)
    old_page = window.risks_page
    assert window.files.open_path(new_database(tmp_path / "other.db"))
    assert window.pages.built(0) is None  # built again when shown
    page = window.pages.currentWidget()
    assert isinstance(page, RisksPage) and page is not old_page and page.db is window.db
    assert page.programme_id == -1  # the new database holds no programme
    window.db.close()


START = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.config import resolve
from app.database import open_database
from ui.main_window import MainWindow
db = open_database(resolve(sys.argv[1]))
window = MainWindow(db, QSettings(sys.argv[2], QSettings.Format.IniFormat))
heavy = ["reportlab", "openpyxl", "PySide6.QtPdf", "app.services.analytics",
         "app.interchange", "ui.dialogs.brief_dialog", "ui.pages.risks_page"]
print(" ".join(name for name in heavy if name in sys.modules))
db.close()
"""


def test_opening_imports_only_what_the_first_paint_needs(db_path: Path, tmp_path: Path) -> None:
    """ReportLab, openpyxl, QtPdf, the analytics and the other pages wait until used."""
    done = subprocess.run(
        [sys.executable, "-c", START, str(db_path), str(tmp_path / "s.ini")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


# Welcome screen ---------------------------------------------------------------------------


def test_welcome_opens_the_demo(qtbot: QtBot, tmp_path: Path) -> None:
    welcome = WelcomeDialog(tmp_path)
    qtbot.addWidget(welcome)
    assert {b.objectName() for b in (welcome.new_button, welcome.open_button)} == {
        "new_database",
        "open_database",
    }
    with qtbot.waitSignal(welcome.accepted, timeout=30_000):
        welcome.demo_button.click()
    assert welcome.database is not None
    assert welcome.database.target.path == tmp_path / DEMO_FILE
    welcome.database.close()
    again = WelcomeDialog(tmp_path)  # now it is there: opened, not built again
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.accepted, timeout=5_000):
        again.open_demo()
    assert again.database is not None
    again.database.close()


def test_welcome_creates_and_refuses(qtbot: QtBot, tmp_path: Path) -> None:
    welcome = WelcomeDialog(tmp_path)
    qtbot.addWidget(welcome)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 4096)
    welcome.create_at(junk)  # not empty: refused, nothing opened
    assert welcome.database is None and error_boxes(welcome)
    welcome.open_path(junk)
    assert welcome.database is None
    welcome.create_at(tmp_path / "new.db")
    assert welcome.database is not None and welcome.result() == welcome.DialogCode.Accepted
    welcome.database.close()


def test_first_start_shows_the_welcome_screen(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No --db, no SETU_DATABASE_URL, no per-user file: the welcome screen, not a file."""
    monkeypatch.delenv("SETU_DATABASE_URL", raising=False)
    monkeypatch.setattr("app.config.default_path", lambda: tmp_path / "data" / "setu.db")
    shown: list[WelcomeDialog] = []

    def declined(self: WelcomeDialog) -> int:
        shown.append(self)
        return 0

    monkeypatch.setattr(WelcomeDialog, "exec", declined)
    assert application.main(None) == 0
    assert len(shown) == 1 and shown[0].folder == tmp_path / "data"
    assert not (tmp_path / "data" / "setu.db").exists()
