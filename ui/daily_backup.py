"""The GUI's rolling daily backup (`app.daily_backup`): taken off the GUI thread once the
database is open, and again when a new day begins while Setu stays open; how many
copies to keep, and where, are the officer's preferences.

A backup that fails is said plainly (it is what would have saved the day), once per
attempt; one that works shows a line in the status bar and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app import daily_backup
from app.config import Target
from ui import workers

KEEP_KEY = "backup/daily_keep"
FOLDER_KEY = "backup/folder"
KEEP_MAX = 365
CHECK_EVERY_MS = 15 * 60 * 1000  # how soon after midnight a new day's copy is taken


def keep(settings: QSettings) -> int:
    try:
        return max(0, min(KEEP_MAX, int(str(settings.value(KEEP_KEY, daily_backup.DEFAULT_KEEP)))))
    except ValueError:
        return daily_backup.DEFAULT_KEEP


def root(settings: QSettings) -> Path:
    chosen = str(settings.value(FOLDER_KEY, "") or "")
    return Path(chosen) if chosen else daily_backup.default_root()


class DailyBackups(QObject):
    """Takes the day's copy of whatever database `target()` names when it is asked to,
    and on a timer; never two at once."""

    made = Signal(str)  # a line for the status bar
    failed = Signal(object)  # the error, for the window to show

    def __init__(
        self, parent: QObject, settings: QSettings, target: Callable[[], Target | None]
    ) -> None:
        super().__init__(parent)
        self._settings, self._target = settings, target
        self._op: workers.Op | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.run)
        self.timer.start()

    def run(self) -> workers.Op | None:
        """Start the day's backup in the background, when one is due; the Op, or None."""
        target, count = self._target(), keep(self._settings)
        if target is None or target.path is None or count < 1:
            return None
        if self._op is not None and self._op.running:
            return None
        folder = root(self._settings)
        self._op = workers.run(
            self,
            lambda: daily_backup.take(target, folder, count, date.today()),
            self._done,
            self.failed.emit,
        )
        return self._op

    def _done(self, result: object) -> None:
        if isinstance(result, daily_backup.DailyBackup) and result.made is not None:
            self.made.emit(self.tr("Daily backup saved: {path}").format(path=result.made))


def _tr(text: str) -> str:
    return QCoreApplication.translate("DailyBackups", text)


def add_preferences(form: QFormLayout, settings: QSettings) -> Callable[[], None]:
    """Rows for the Preferences dialog; returns what saves them when it is accepted."""
    count = QSpinBox()
    count.setObjectName("daily_backup_keep")
    count.setRange(0, KEEP_MAX)
    count.setValue(keep(settings))
    count.setSpecialValueText(_tr("off"))
    count.setSuffix(_tr(" copies"))
    folder = QLineEdit(str(root(settings)))
    folder.setObjectName("daily_backup_folder")
    folder.setMinimumWidth(folder.fontMetrics().averageCharWidth() * 44)  # a whole path
    choose = QPushButton(_tr("Choose…"))

    def pick() -> None:
        chosen = QFileDialog.getExistingDirectory(
            form.parentWidget(), _tr("Backup folder"), folder.text()
        )
        if chosen:
            folder.setText(chosen)

    choose.clicked.connect(pick)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(folder, 1)
    line.addWidget(choose)
    form.addRow(_tr("Daily &backups to keep"), count)
    form.addRow(_tr("Backup &folder"), row)

    def save() -> None:
        settings.setValue(KEEP_KEY, count.value())
        chosen = folder.text().strip()
        default = str(daily_backup.default_root())
        settings.setValue(FOLDER_KEY, "" if chosen in ("", default) else chosen)

    return save
