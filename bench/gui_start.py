"""One timed GUI start, as a whole process: `gui_start.py bare` or `gui_start.py setu DB`.

Prints the peak memory (RSS, MB) as soon as the window has painted once, and ends the
process there (`os._exit`), so the time a caller measures runs to the first paint, not
through the interpreter's teardown or the background work the window starts once it
has painted. With `--risks` it measures the GUI opened on DB instead: it waits for the
dashboard's figures, shows the Risks page with its first rows, and prints the peak
memory after that page has painted. Runs offscreen, so the benchmark needs no display;
run by bench/run.py, never by the tests.
"""

from __future__ import annotations

import os
import resource
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class OnPaint(QObject):
    """Calls `then()` (once) after the watched widget's next paint."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    quit_on_paint = OnPaint(app.quit)
    if sys.argv[1] == "bare":
        window = QWidget()
        window.resize(1280, 800)
        window.installEventFilter(quit_on_paint)
    else:
        from app.config import resolve
        from app.database import Mode, open_database
        from ui import style
        from ui.main_window import MainWindow
        from ui.pages.catalogue import RISKS_ROW

        style.apply(app)
        db = open_database(resolve(sys.argv[2]), Mode.READ)
        window = main_window = MainWindow(db)
        window.resize(1280, 800)

        def show_risks() -> None:
            main_window.navigation.setCurrentRow(RISKS_ROW)  # builds it, reads its rows
            main_window.risks_page.installEventFilter(quit_on_paint)

        if "--risks" in sys.argv and main_window.current_programme_id() != -1:
            main_window.dashboard.loaded.connect(show_risks)
        else:
            window.installEventFilter(quit_on_paint)
    window.show()
    app.exec()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
