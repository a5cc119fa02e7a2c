"""The main window's pages, each built the first time it is shown.

Building a register page imports its module (its dialogs, its widgets) and reads its
first rows; done for every page as the window opened, that was most of the time to
the first paint. So the stack starts with an empty stand-in per page and puts the real
page in its place when the page is first asked for (`page(row)`), and it remembers
which built pages are stale, so that each reloads when it is next shown.

A page may offer, and the stack uses when it is there:
  - `set_programme(programme_id)`: called when built and when the programme changes;
  - `reload()`: called when the page is shown after data changed elsewhere;
  - `changed` (signal): the page changed data, so the other pages are stale.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget


class PageStack(QStackedWidget):
    """`count` pages that `build(row)` makes on first use; rows past them are plain widgets."""

    page_changed_data = Signal(object)  # the page that changed data

    def __init__(
        self, count: int, build: Callable[[int], QWidget], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pages")
        self._count = count
        self._build = build
        self._built: dict[int, QWidget] = {}
        self.stale: set[QWidget] = set()
        self.programme_id = -1
        for _ in range(count):
            self.addWidget(QWidget())

    def built(self, row: int) -> QWidget | None:
        """The page at `row` if it has been built, without building it."""
        return self._built.get(row)

    def page(self, row: int) -> QWidget | None:
        """The page at `row`, built now if it was not yet."""
        if row in self._built:
            return self._built[row]
        stand_in = self.widget(row)
        if row >= self._count or stand_in is None:
            return stand_in  # a widget added past the pages, or no row at all
        page = self._build(row)
        self._built[row] = page
        changed = getattr(page, "changed", None)
        if changed is not None:
            changed.connect(lambda *_: self.page_changed_data.emit(page))
        self.insertWidget(row, page)
        if self.currentWidget() is stand_in:
            self.setCurrentWidget(page)
        self.removeWidget(stand_in)
        stand_in.deleteLater()
        self._set_programme(page)
        return page

    def show_page(self, row: int) -> None:
        """Show the page at `row` (building it first), reloading it if it is stale."""
        page = self.page(row)
        if page is None:
            return
        self.setCurrentWidget(page)
        if page in self.stale:
            self.stale.discard(page)
            reload = getattr(page, "reload", None)
            if reload is not None:
                reload()

    def set_programme(self, programme_id: int) -> None:
        self.programme_id = programme_id
        for page in self._built.values():
            self._set_programme(page)

    def _set_programme(self, page: QWidget) -> None:
        set_programme = getattr(page, "set_programme", None)
        if set_programme is not None:
            set_programme(self.programme_id)

    def mark_stale(self, source: object) -> None:
        """Data changed (by `source`, a page, or None): every other built page is stale."""
        for page in self._built.values():
            if page is not source and hasattr(page, "reload"):
                self.stale.add(page)

    def reset(self) -> None:
        """Forget every built page (another database is open): stand-ins again."""
        for row, page in sorted(self._built.items()):
            stand_in = QWidget()
            self.insertWidget(row, stand_in)
            if self.currentWidget() is page:
                self.setCurrentWidget(stand_in)
            self.removeWidget(page)
            page.deleteLater()
        self._built.clear()
        self.stale.clear()
