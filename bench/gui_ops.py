"""The risk register's GUI operations, timed in one process beside raw sqlite3 floors.

`gui_ops.py DB [OPERATION ...]` opens DB read-only in a main window on Qt's offscreen
platform and prints one JSON object: for each operation asked for (default: all of
`OPERATIONS`), `[median_s, floor_s]`, the floor null where there is none. Run as a
whole process by bench/gui_cases.py, so the runner never owns a QApplication.

- open: from the dashboard (painted, its figures in) to the Risks page with its first
  rows in the model, in a new window each time, as an officer first opens the page;
  floor: the same first rows in the same order (score, highest first) by raw sqlite3.
- sort: re-sort the open register by title, A-Z and Z-A in turn; floor: ORDER BY title
  ... LIMIT the same page.
- filter: the filter box's text applied (two words in turn; typing waits a moment
  before it applies, which is not timed); floor: the same LIKE over the same columns,
  in the same order, LIMIT the same page.
- dialog: open the first risk's edit dialog until it has painted; no floor.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget
from timing import REPEATS, paired_median_times

from app.config import resolve
from app.database import Database, Mode, open_database
from ui import style, workers
from ui.main_window import RISKS_ROW, MainWindow
from ui.pages.risks_page import RisksPage

OPERATIONS = ("open", "sort", "filter", "dialog")
WORDS = ("supplier", "licence")  # words the demo's risk titles hold, at every scale
PAGE = 200  # RegisterPage's page size: the rows a floor reads
SEARCHED = ("reference", "title", "owner", "category", "cause", "effect")  # listing.RISKS
SCORE_ORDER = "likelihood * impact DESC, id DESC"  # RisksPage's default order
WAIT_MS = 60_000


class _Painted(QObject):
    """Quits `loop` once the watched widget has painted."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self._loop = loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._loop.quit)
        return False


def wait_for(signal: SignalInstance) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(WAIT_MS, loop.quit)
    loop.exec()


def wait_painted(do: Callable[[], object], which: Callable[[], QWidget | None]) -> None:
    """Call `do()`, then wait until the widget `which()` names (shown by it) has painted.

    Qt paints a widget shown on a later turn of the event loop, never within show(),
    so watching that one widget from then on is enough (and cheaper than watching
    every event of the application).
    """
    do()
    widget = which()
    assert widget is not None
    loop = QEventLoop()
    watcher = _Painted(loop)
    widget.installEventFilter(watcher)
    QTimer.singleShot(WAIT_MS, loop.quit)
    loop.exec()
    widget.removeEventFilter(watcher)


class Register:
    """Main windows on the database, and the raw sqlite3 floors for the same rows."""

    def __init__(self, db: Database, folder: Path) -> None:
        self.db = db
        assert db.target.path is not None
        self.raw = sqlite3.connect(f"file:{db.target.path}?mode=ro", uri=True)
        self.settings = QSettings(str(folder / "gui-ops.ini"), QSettings.Format.IniFormat)
        self.programme_id = -1
        self.turn = 0

    @contextmanager
    def window_open(self) -> Iterator[MainWindow]:
        """A new main window, painted, with its dashboard filled in (untimed)."""
        window = MainWindow(self.db, self.settings)
        window.resize(1280, 800)
        self.programme_id = window.current_programme_id()
        assert self.programme_id != -1, "the database holds no programme"
        wait_painted(window.show, lambda: window)
        if window.dashboard.data is None:
            wait_for(window.dashboard.loaded)
        try:
            yield window
        finally:
            window.close()
            workers.wait_all()
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def floor(self, where: str, order: str, *parameters: object) -> object:
        return self.raw.execute(
            f"SELECT * FROM risk WHERE programme_id = ? {where} ORDER BY {order} LIMIT {PAGE}",
            (self.programme_id, *parameters),
        ).fetchall()

    def time_open(self) -> tuple[float, float]:
        times: list[float] = []

        def once() -> None:
            with self.window_open() as window:
                start = time.perf_counter()
                window.navigation.setCurrentRow(RISKS_ROW)
                assert window.risks_page.model.rowCount() > 0
                times.append(time.perf_counter() - start)

        once()  # untimed: imports the page's modules, as the first use in a session does
        times.clear()
        _, floor_s = paired_median_times(once, lambda: self.floor("", SCORE_ORDER))
        return statistics.median(times), floor_s

    def time_sort(self, page: RisksPage) -> tuple[float, float]:
        header = page.table.horizontalHeader()
        orders = (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)

        def sort() -> None:
            self.turn += 1
            header.setSortIndicator(page.model.column_of("title"), orders[self.turn % 2])
            assert page.model.rowCount() > 0

        def floor() -> object:
            direction = ("ASC", "DESC")[self.turn % 2]
            return self.floor("", f"title {direction}, id {direction}")

        timed = paired_median_times(sort, floor)
        header.setSortIndicator(page.model.column_of("score"), Qt.SortOrder.DescendingOrder)
        return timed

    def time_filter(self, page: RisksPage) -> tuple[float, float]:
        matches = " OR ".join(f"{column} LIKE ?" for column in SEARCHED)

        def apply_word() -> None:
            self.turn += 1
            page.filter_edit.setText(WORDS[self.turn % 2])
            page.apply_filter()
            assert page.model.rowCount() > 0

        def floor() -> object:
            pattern = f"%{WORDS[self.turn % 2]}%"
            return self.floor(f"AND ({matches})", SCORE_ORDER, *[pattern] * len(SEARCHED))

        timed = paired_median_times(apply_word, floor)
        page.filter_edit.clear()
        page.apply_filter()
        return timed

    def time_dialog(self, page: RisksPage) -> float:
        times: list[float] = []
        page.table.select_row(0)
        for _ in range(REPEATS + 1):
            start = time.perf_counter()
            wait_painted(page.edit, lambda: page.dialog)
            times.append(time.perf_counter() - start)
            dialog = page.dialog
            assert dialog is not None and dialog.isVisible()
            dialog.close()
            dialog.deleteLater()
            page.dialog = None
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return statistics.median(times[1:])  # the first is a first use: see time_open


def main() -> None:
    path, asked = sys.argv[1], sys.argv[2:] or list(OPERATIONS)
    app = QApplication(sys.argv[:1])
    style.apply(app)
    results: dict[str, tuple[float, float | None]] = {}
    with tempfile.TemporaryDirectory() as folder, open_database(resolve(path), Mode.READ) as db:
        register = Register(db, Path(folder))
        if "open" in asked:
            results["open"] = register.time_open()
        with register.window_open() as window:
            window.navigation.setCurrentRow(RISKS_ROW)
            page = window.risks_page
            if "sort" in asked:
                results["sort"] = register.time_sort(page)
            if "filter" in asked:
                results["filter"] = register.time_filter(page)
            if "dialog" in asked:
                results["dialog"] = (register.time_dialog(page), None)
        register.raw.close()
    print(json.dumps(results), flush=True)
    # Not Python's exit: PySide6 may abort while tearing Qt down after the last window.
    os._exit(0)


if __name__ == "__main__":
    main()
