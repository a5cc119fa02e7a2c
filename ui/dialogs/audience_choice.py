"""Who a pack or an export is for, as the brief and export dialogs both ask it: jointly
(what every partner may see) or one partner nation (everything it may see).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox


class Partner(Protocol):
    @property
    def nation(self) -> str: ...

    @property
    def name(self) -> str: ...


def audience_choice(partners: Sequence[Partner]) -> QComboBox:
    """A combo box whose data is the audience as `Audience.parse` takes it."""
    tr = QCoreApplication.translate
    combo = QComboBox()
    combo.setObjectName("audience")
    combo.addItem(
        tr("AudienceChoice", "Joint: records releasable to every partner ({nations})").format(
            nations=", ".join(p.nation for p in partners)
        ),
        "joint",
    )
    for partner in partners:
        combo.addItem(
            tr("AudienceChoice", "{name} ({nation}) only: everything {nation} may see").format(
                name=partner.name, nation=partner.nation
            ),
            f"national:{partner.nation}",
        )
    return combo
