"""One timed GUI start, as a whole process: `gui_start.py bare` or `gui_start.py setu DB`.

Exits as soon as the window has painted once and prints the peak memory (RSS, MB); with
`--risks` it first shows the Risks page with its first rows. Runs offscreen, so the
benchmark needs no display; run by bench/run.py, never by the tests.
"""

from __future__ import annotations

import resource
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FirstPaint(QObject):
    """Quits the application after the watched window's first paint."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    if sys.argv[1] == "bare":
        window = QWidget()
        window.resize(1280, 800)
    else:
        from app.config import resolve
        from app.database import Mode, open_database
        from ui import style
        from ui.main_window import MainWindow

        style.apply(app)
        db = open_database(resolve(sys.argv[2]), Mode.READ)
        window = MainWindow(db)
        window.resize(1280, 800)
        if "--risks" in sys.argv:
            window.navigation.setCurrentRow(5)
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
