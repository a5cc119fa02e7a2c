"""A page of several registers (cost sharing's four, decisions and actions) that the main
window treats as one page: `set_programme`, `reload`, `changed`, `loaded`, `filter_edit`.

Each register is a full `RegisterPage` (its own filter, sorting, column chooser, Insert,
Delete and undo); this only lays them out and passes the page's calls on.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app import money
from app.database import Database
from app.errors import SetuError
from ui import style
from ui.dialogs.context import programme_context
from ui.models.register_model import Column, Tint
from ui.pages.register_page import RegisterPage
from ui.preferences import indian_grouping

_RED = style.RAG_COLOURS["RED"]
_AMBER = style.RAG_COLOURS["AMBER"]
OVERDUE_TINT: Tint = (QColor(_RED[0]), QColor(_RED[2]))
WARNING_TINT: Tint = (QColor(_AMBER[0]), QColor(_AMBER[2]))

R = TypeVar("R", bound=RegisterPage)


def amount_text(minor: int, currency: str, *, grouping: bool) -> str:
    """An amount with its currency's symbol and grouping ("₹12,50,000.00")."""
    if not money.is_known(currency):
        return f"{minor} {currency}"
    return money.display(minor, currency, indian_grouping=grouping and currency == "INR")


def is_overdue(due: date, finished: bool, today: date | None = None) -> bool:
    """Not finished and due before today (one due today is not late yet)."""
    return not finished and due < (today or date.today())


def titled(title: str, register: RegisterPage) -> QWidget:
    """A register under a heading, for pages that show two at once."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    heading = QLabel(title)
    heading.setProperty("role", "section_title")
    heading.setContentsMargins(12, 8, 12, 0)
    layout.addWidget(heading)
    layout.addWidget(register, 1)
    return box


class MarkedRegister(RegisterPage):
    """A register that shows each record's marking by name (the scale is read at reload)."""

    scale: tuple[str, ...] = ()
    grouping = False  # lakh/crore grouping of INR amounts (the office's preference)

    def reload(self) -> None:
        self.grouping = indian_grouping(self.settings)
        if self.programme_id != -1:
            try:
                self.scale = programme_context(self.db, self.programme_id).scale
                self.read_lookups()
            except SetuError as exc:
                self.count_label.setText(str(exc))
        super().reload()

    def read_lookups(self) -> None:
        """Read the names this register shows beside its rows (codes, partners, risks).

        Called before every reload with one query per look-up, never one per row;
        a register that shows only its own columns has nothing to read.
        """

    def marking_column(self) -> Column:
        return Column(
            "marking",
            self.tr("Marking"),
            110,
            formatter=lambda r: self.scale[r.marking] if r.marking < len(self.scale) else "",
        )


class RegisterGroup(QWidget):
    """Base of a page holding several registers; subclasses fill `registers` and lay them out."""

    changed = Signal()  # a record of one of the registers was added, edited, deleted
    loaded = Signal()  # one of the registers was (re)loaded

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.settings = settings if settings is not None else QSettings()
        self.page_size = page_size
        self.programme_id = -1
        self.registers: list[RegisterPage] = []

    def adopt(self, kind: type[R]) -> R:
        """Build a register sharing the page's database, undo and settings, and pass on
        its signals as the page's own."""
        register = kind(self.db, self.undo_stack, settings=self.settings, page_size=self.page_size)
        register.changed.connect(self.changed)
        register.loaded.connect(self.loaded)
        self.registers.append(register)
        return register

    def set_programme(self, programme_id: int) -> None:
        self.programme_id = programme_id
        for register in self.registers:
            register.set_programme(programme_id)

    def reload(self) -> None:
        for register in self.registers:
            register.reload()

    def current_register(self) -> RegisterPage:
        """The register the user is working in (holding the focus), else the first."""
        focus = self.focusWidget()
        for register in self.registers:
            if focus is not None and register.isAncestorOf(focus):
                return register
        return self.registers[0]

    @property
    def filter_edit(self) -> QLineEdit:
        """The current register's filter box (Edit > Find focuses it)."""
        return self.current_register().filter_edit
