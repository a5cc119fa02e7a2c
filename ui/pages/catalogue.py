"""The main window's pages in navigation order: title, what the page shows, icon, class.

A register page's class is named here rather than imported: importing every register
with its dialogs and widgets took longer than painting the window, so a page's module
is imported when the page is first shown (`register_page_class`), or before that in
the idle moments after the window has opened (`import_in_idle_time`).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.database import Database

DASHBOARD_ROW = 0
RISKS_ROW = 5


class RegisterPageClass(Protocol):
    """What every register page's constructor takes (RegisterPage, RegisterGroup)."""

    def __call__(
        self, db: Database, undo_stack: QUndoStack, *, settings: QSettings | None = None
    ) -> QWidget: ...


@dataclass(frozen=True)
class PageEntry:
    title: str
    description: str  # the navigation item's tooltip
    icon: str
    register: str  # "module:Class" of a register page; "" for the dashboard


def entries() -> list[PageEntry]:
    # Literal translate() calls, so pyside6-lupdate finds every title.
    translate = QCoreApplication.translate
    return [
        PageEntry(
            translate("MainWindow", "Dashboard"),
            translate(
                "MainWindow",
                "The programme at a glance: status, earned value, cost-share balances "
                "and the risks and actions that need attention.",
            ),
            "dashboard",
            "",
        ),
        PageEntry(
            translate("MainWindow", "Workstreams"),
            translate(
                "MainWindow",
                "Joint R&D and co-production workstreams: lead organisation, phase, "
                "TRL and MRL now and target, budget and RAG.",
            ),
            "workstreams",
            "ui.pages.workstreams_page:WorkstreamsPage",
        ),
        PageEntry(
            translate("MainWindow", "Milestones"),
            translate(
                "MainWindow",
                "Milestones of every workstream: baseline, forecast and actual dates, "
                "slip, re-baselining with its approving authority.",
            ),
            "milestones",
            "ui.pages.milestones_page:MilestonesPage",
        ),
        PageEntry(
            translate("MainWindow", "Contracts"),
            translate(
                "MainWindow",
                "Co-production contracts with their deliverables, technology-transfer "
                "packages, indigenous content and offsets.",
            ),
            "contracts",
            "ui.pages.contracts_page:ContractsPage",
        ),
        PageEntry(
            translate("MainWindow", "Cost sharing"),
            translate(
                "MainWindow",
                "Cost-share agreements, partner contributions, expenditure, balances "
                "and settlement.",
            ),
            "costs",
            "ui.pages.costs_page:CostsPage",
        ),
        PageEntry(
            translate("MainWindow", "Risks"),
            translate(
                "MainWindow",
                "The risk register: likelihood, impact, owners, mitigations and reviews.",
            ),
            "risks",
            "ui.pages.risks_page:RisksPage",
        ),
        PageEntry(
            translate("MainWindow", "Decisions & actions"),
            translate(
                "MainWindow", "Decisions required from the forums, and the actions that follow."
            ),
            "decisions",
            "ui.pages.decisions_page:DecisionsPage",
        ),
        PageEntry(
            translate("MainWindow", "Audit log"),
            translate("MainWindow", "Who changed what and when, with the verified audit chain."),
            "audit",
            "ui.pages.audit_page:AuditPage",
        ),
    ]


def register_page_class(entry: PageEntry) -> RegisterPageClass:
    """The entry's page class, its module imported now if it was not yet."""
    module, name = entry.register.split(":")
    page_class: RegisterPageClass = getattr(importlib.import_module(module), name)
    return page_class


def import_in_idle_time(entries: list[PageEntry]) -> None:
    """Import the register pages' modules, one per turn of the event loop, so that the
    first visit to a page does not wait for them and no input waits for more than one."""
    waiting = [
        module
        for module, _name in (entry.register.split(":") for entry in entries if entry.register)
        if module not in sys.modules
    ]

    def import_next() -> None:
        if waiting:
            importlib.import_module(waiting.pop(0))
            QTimer.singleShot(0, import_next)

    QTimer.singleShot(0, import_next)
