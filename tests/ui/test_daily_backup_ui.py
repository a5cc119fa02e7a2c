"""The GUI's daily backup: taken in the background, set in Preferences."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QDialog, QFormLayout
from pytestqt.qtbot import QtBot

from app import daily_backup
from app.cli import main
from app.config import resolve
from app.database import Database
from tests.conftest import Fixture
from tests.integration.test_audit_tampering import three_risks
from ui import workers
from ui.daily_backup import FOLDER_KEY, KEEP_KEY, DailyBackups, add_preferences


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    settings = QSettings(str(tmp_path / "setu.ini"), QSettings.Format.IniFormat)
    settings.setValue(FOLDER_KEY, str(tmp_path / "backups"))
    return settings


@pytest.fixture
def filled(db: Database, programme: Fixture, db_path: Path) -> Path:
    three_risks(db, programme)
    return db_path


def test_the_days_copy_is_made_in_the_background_once(
    qtbot: QtBot, filled: Path, settings: QSettings, tmp_path: Path
) -> None:
    owner = QObject()
    backups = DailyBackups(owner, settings, lambda: resolve(str(filled)))
    with qtbot.waitSignal(backups.made, timeout=10_000) as said:
        assert backups.run() is not None
    folder = daily_backup.folder_for(tmp_path / "backups", filled)
    [copy] = daily_backup.copies(folder)
    assert said.args == [f"Daily backup saved: {copy}"]
    assert main(["check", "--db", str(copy)]) == 0
    # A second run the same day copies nothing and says nothing.
    with qtbot.assertNotEmitted(backups.made, wait=300):
        op = backups.run()
        assert op is not None
        qtbot.waitUntil(lambda: not op.running)
    assert daily_backup.copies(folder) == [copy]


def test_a_failed_backup_is_reported(qtbot: QtBot, tmp_path: Path, settings: QSettings) -> None:
    stranger = tmp_path / "notes.db"
    stranger.write_bytes(b"not a database at all" * 100)
    owner = QObject()
    backups = DailyBackups(owner, settings, lambda: resolve(str(stranger)))
    with qtbot.waitSignal(backups.failed, timeout=10_000) as said:
        backups.run()
    assert workers.describe(said.args[0]).startswith("not a Setu database (not an SQLite file)")
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").rglob("*.db"))


def test_turned_off_there_is_nothing_to_do(filled: Path, settings: QSettings) -> None:
    settings.setValue(KEEP_KEY, 0)
    owner = QObject()
    backups = DailyBackups(owner, settings, lambda: resolve(str(filled)))
    assert backups.run() is None


def test_preferences_rows_save_count_and_folder(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    save = add_preferences(form, settings)
    keep = dialog.findChild(QObject, "daily_backup_keep")
    folder = dialog.findChild(QObject, "daily_backup_folder")
    assert keep.value() == daily_backup.DEFAULT_KEEP  # type: ignore[attr-defined]
    assert folder.text() == str(tmp_path / "backups")  # type: ignore[attr-defined]
    keep.setValue(0)  # type: ignore[attr-defined]
    assert keep.text() == "off"  # type: ignore[attr-defined]
    folder.setText(str(tmp_path / "elsewhere"))  # type: ignore[attr-defined]
    save()
    assert int(settings.value(KEEP_KEY)) == 0
    assert settings.value(FOLDER_KEY) == str(tmp_path / "elsewhere")
