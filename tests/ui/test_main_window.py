"""The main window shell: programme selector, navigation, status bar, geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.database import Database
from tests.conftest import Fixture
from ui.main_window import MainWindow

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
def window(qtbot: QtBot, db: Database, programme: Fixture, settings: QSettings) -> MainWindow:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_selector_shows_the_programme(window: MainWindow, programme: Fixture) -> None:
    selector = window.programme_selector
    assert selector.count() == 1
    assert selector.currentText() == "JP-TEST — Test programme"
    assert window.current_programme_id() == programme.programme_id
    assert selector.isEnabled()


def test_navigation_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    navigation = window.navigation
    assert [navigation.item(row).text() for row in range(navigation.count())] == PAGES
    assert window.pages.count() == len(PAGES)
    for row in reversed(range(navigation.count())):
        item = navigation.item(row)
        rect = navigation.visualItemRect(item)
        qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[no-untyped-call]
        assert window.pages.currentIndex() == row
        page = window.pages.currentWidget()
        assert isinstance(page, QLabel)
        assert page.text().startswith(PAGES[row])


def test_status_bar_and_title(window: MainWindow, db: Database) -> None:
    assert db.label in window.database_label.text()
    assert db.user in window.user_label.text()
    assert window.read_only_label.isHidden()
    assert window.windowTitle() == "Setu — setu.db"


def test_screenshot(window: MainWindow, tmp_path: Path) -> None:
    shot = tmp_path / "main_window.png"
    assert window.grab().save(str(shot))
    assert shot.exists()
    assert shot.stat().st_size > 0


def test_geometry_is_saved_and_restored(
    qtbot: QtBot, window: MainWindow, db: Database, settings: QSettings
) -> None:
    window.resize(640, 480)  # the offscreen screen is 800 x 600
    window.close()
    again = MainWindow(db, settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (640, 480)


def test_quit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_empty_database_has_no_programme(qtbot: QtBot, db: Database, settings: QSettings) -> None:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert window.programme_selector.count() == 0
    assert window.current_programme_id() == -1
    assert not window.programme_selector.isEnabled()
