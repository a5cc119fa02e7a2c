"""Background operations: long work off the GUI thread, with progress and Cancel.

STYLE.md's "Background op" (after Anki's aqt/operations and calibre's ThreadedJob):
`app/` stays Qt-free and takes `progress(done, total)` and a `threading.Event` to
cancel; an `Op` runs such a function on the global QThreadPool and reports back
through queued signals, so slots always run on the GUI thread.

    op = Op(self, lambda progress, cancel: build_pack(db, req, out,
                                                      progress=progress, cancel=cancel))
    op.progressed.connect(progress_dialog.update)
    op.succeeded.connect(self.show_result)
    op.failed.connect(self.show_error)     # not called after Cancel: see `cancelled`
    op.start()

Each Op runs once. `wait_all()` lets a window (or a test) wait until no Op is running
before it closes the database. `AfterPaint` holds an Op's start back until its window
has painted, so that work a window starts as it opens never delays its first paint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from threading import Event
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import SetuError

Progress = Callable[[int, int], None]
Work = Callable[[Progress, Event], object]

log = logging.getLogger(__name__)

# Ops started and not yet finished; they hold themselves here so that neither Python
# nor Qt deletes one whose worker is still running.
_running: set[Op] = set()


class Op(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()  # the work ended (by result or error) after Cancel was asked
    finished = Signal()  # always last, whatever the outcome
    _done = Signal(bool, object)  # (ok, result or exception), from the worker

    def __init__(self, parent: QObject, work: Work) -> None:
        super().__init__(parent)
        self._work, self.cancel = work, Event()
        self.running = False

    def start(self) -> None:
        if self.running:
            raise RuntimeError("this Op is already running")
        self.running = True
        _running.add(self)
        # Emitted by the worker, delivered here on the GUI thread (queued connections).
        self._done.connect(self._on_done)
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:  # worker thread: no widgets
        try:
            result = self._work(self.progressed.emit, self.cancel)
        except Exception as exc:
            if not isinstance(exc, Cancelled) and not self.cancel.is_set():
                log.debug("background operation failed", exc_info=exc)
            self._report(False, exc)
        else:
            self._report(True, result)

    def _report(self, ok: bool, value: object) -> None:
        try:
            self._done.emit(ok, value)
        except RuntimeError:  # the window that started it has gone: nobody to tell
            _running.discard(self)

    def _on_done(self, ok: bool, value: object) -> None:
        self.running = False
        _running.discard(self)
        try:
            if self.cancel.is_set() or isinstance(value, Cancelled):
                self.cancelled.emit()
            elif ok:
                self.succeeded.emit(value)
            else:
                self.failed.emit(value)
        finally:
            self.finished.emit()


class Cancelled(Exception):
    """Raised by work that noticed `cancel` was set; the GUI shows no message for it."""


def check(cancel: Event) -> None:
    """Stop the work here when the user asked to cancel."""
    if cancel.is_set():
        raise Cancelled()


def running() -> int:
    return len(_running)


def cancel_all() -> None:
    for op in list(_running):
        op.cancel.set()


def wait_all(msecs: int = -1) -> bool:
    """Wait until every background worker has finished; False on timeout."""
    return bool(QThreadPool.globalInstance().waitForDone(msecs))


def run(
    parent: QObject,
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None] | None = None,
) -> Op:
    """Start `work()` (no progress, no cancel) and hand its result to `on_success`."""
    op = Op(parent, lambda _progress, _cancel: work())
    op.succeeded.connect(on_success)
    if on_failure is not None:
        op.failed.connect(on_failure)
    op.start()
    return op


class AfterPaint(QObject):
    """Runs work once `widget` has painted for the first time, at once after that.

    A worker holds Python's interpreter lock while it computes, so one started while
    the window is still being laid out slows the first paint down as much as it
    takes. `later(key, work)`: a newer call with the same key replaces a waiting one;
    work still waiting when the widget goes never runs.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.painted = False
        self._waiting: dict[str, Callable[[], object]] = {}
        widget.installEventFilter(self)

    def later(self, key: str, work: Callable[[], object]) -> None:
        if self.painted and not self._waiting:
            work()
        else:
            self._waiting[key] = work

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            watched.removeEventFilter(self)
            # After the paint has been flushed to the screen, not within it.
            QTimer.singleShot(0, self, self._run_waiting)
        return False

    def _run_waiting(self) -> None:
        waiting, self._waiting = self._waiting, {}
        for work in waiting.values():
            work()


def describe(error: object) -> str:
    """What to tell the user about a failed operation, in plain words."""
    if isinstance(error, SetuError):
        return str(error)
    return QCoreApplication.translate(
        "workers",
        "Setu met an unexpected problem and did not finish:\n{kind}: {error}",
    ).format(kind=type(error).__name__, error=error)


def show_error(parent: QWidget, error: object, title: str = "") -> QMessageBox:
    """A plain-text (never HTML) error message, window-modal and not blocking."""
    if not isinstance(error, str | SetuError):
        log.error("unexpected error", exc_info=error if isinstance(error, BaseException) else None)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title or QCoreApplication.translate("workers", "Setu"),
        error if isinstance(error, str) else describe(error),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("error_box")
    # A file name or a driver's message must never be read as markup.
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
