"""The dashboard on the demo programme: every figure as analytics computes it.

Screenshots go to the test's tmp dir; with SETU_SCREENSHOT_DIR set they are also
copied there (docs/main-window.png and docs/dashboard.png come from this).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import resolve
from app.database import Database, Mode, open_database
from app.demo import build
from app.domain import Rating
from app.services import analytics, programmes, summary
from app.services.audience import Audience
from ui import daily_backup, style, workers
from ui.main_window import RISKS_ROW, MainWindow
from ui.pages.dashboard_figures import DashboardFigures
from ui.pages.dashboard_page import DashboardPage
from ui.pages.dashboard_parts import REASONS_SHOWN, compact_money, reasons_text

SHOT_DIR = "SETU_SCREENSHOT_DIR"


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db)
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Database]:
    db = open_database(resolve(str(demo_path)))
    yield db
    workers.cancel_all()
    workers.wait_all()
    db.close()


@pytest.fixture
def styled(qapp: QApplication) -> QApplication:
    style.apply(qapp)
    return qapp


@pytest.fixture
def page(qtbot: QtBot, demo: Database) -> DashboardPage:
    page = DashboardPage(demo)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    return page


def shown(page: DashboardPage) -> DashboardFigures:
    """The figures the page shows (built with the first figures that arrive)."""
    assert page.figures is not None
    return page.figures


def programme_id(db: Database) -> int:
    return programmes.list_programmes(db)[0].id


def save(widget: QApplication | object, path: Path, name: str) -> Path:
    shot = path / name
    assert widget.grab().save(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000
    if os.environ.get(SHOT_DIR):
        shutil.copyfile(shot, Path(os.environ[SHOT_DIR]) / name)
    return shot


def test_paints_loading_first_then_the_figures(
    qtbot: QtBot, page: DashboardPage, demo: Database
) -> None:
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_programme(programme_id(demo))
        assert page.stack.currentWidget() is page.message
        assert page.message.text() == "Loading…"
    assert page.stack.currentWidget() is page.scroll_area


def test_rag_and_reasons_come_from_analytics(
    qtbot: QtBot, page: DashboardPage, demo: Database
) -> None:
    pid = programme_id(demo)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_programme(pid)
    assert page.data is not None
    figures = analytics.programme_figures(demo, pid, page.data.as_of, Audience.parse("joint"))
    view = shown(page)
    assert view.rag_word.text() == figures.rag.status
    assert view.rag_panel.property("rag") == figures.rag.status
    assert view.reasons.text().splitlines() == [f"• {r}" for r in figures.rag.reasons]
    ev = figures.earned_value.programme
    assert view.tiles["spi"].value.text() == f"{ev.spi:.4f}".rstrip("0").rstrip(".")
    assert view.tiles["cpi"].value.text() == f"{ev.cpi:.4f}".rstrip("0").rstrip(".")
    assert ev.eac is not None
    assert view.tiles["eac"].value.text() == compact_money(ev.eac, "INR")
    assert view.tiles["high_risks"].value.text() == str(figures.risks.by_rating[Rating.HIGH])
    assert view.tiles["overdue"].value.text() == str(len(figures.risks.overdue_actions))
    assert view.tiles["ic"].value.text() == f"{figures.industry.ic_achieved_pct:.2f} %"
    assert view.overdue_actions.topLevelItemCount() == len(figures.risks.overdue_actions)
    assert len(view.timeline.rows) == len(figures.schedule.workstreams)
    assert [g.title.split(" — ")[0] for g in view.cost_share.groups] == [
        a.agreement for a in figures.cost_share
    ]
    assert view.heat_map.matrix() == [list(row) for row in figures.risks.matrix_inherent]


def test_says_what_the_joint_view_leaves_out(
    qtbot: QtBot, page: DashboardPage, demo: Database
) -> None:
    pid = programme_id(demo)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_programme(pid)
    row = programmes.list_programmes(demo)[0]
    counts = summary.summary(demo, row, Audience.parse("joint"), date.today())["counts"]
    assert counts["excluded_records"] > 0  # the demo releases some records to one nation
    note = shown(page).view_note.text()
    assert "Joint view" in note and f"{counts['excluded_records']} records" in note
    # Pending decisions shown are those every partner may see.
    assert page.data is not None
    assert all(d.releasable_to == "IND RUS" for d in page.data.decisions_due)


def test_a_long_list_of_reasons_is_cut_short() -> None:
    reasons = [f"WS-{n:02}: CPI below 0.85" for n in range(REASONS_SHOWN + 5)]
    lines = reasons_text(reasons).splitlines()
    assert lines[:-1] == [f"• {reason}" for reason in reasons[:REASONS_SHOWN]]
    assert lines[-1] == "… and 5 more: see the Workstreams and Risks pages"
    assert reasons_text(reasons[:3]).splitlines() == [f"• {reason}" for reason in reasons[:3]]


def test_no_programme_says_what_to_do(qtbot: QtBot, page: DashboardPage) -> None:
    page.set_programme(-1)
    assert page.stack.currentWidget() is page.message
    assert "No programme yet" in page.message.text()


def test_heat_map_click_opens_the_risks_page(qtbot: QtBot, demo: Database, tmp_path: Path) -> None:
    window = MainWindow(demo, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        pass
    shown(window.dashboard).heat_map.click(5, 5)
    assert window.navigation.currentRow() == RISKS_ROW
    assert window.risks_page.heat_map.selected == (5, 5)
    assert shown(window.dashboard).heat_map.selected is None


def test_screenshots(qtbot: QtBot, styled: QApplication, demo: Database, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(daily_backup.KEEP_KEY, 0)  # the status bar shows the database, not a backup
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: window.marking_label.text().startswith("Highest marking"))
    assert (window.width(), window.height()) == (1280, 800)
    save(window, tmp_path, "main-window.png")
    content = window.dashboard.scroll_area.widget()
    save(content, tmp_path, "dashboard.png")


SCALED = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.config import resolve
from app.database import open_database
from ui import style, workers
from ui.main_window import MainWindow
style.apply(app)
db = open_database(resolve(sys.argv[1]))
window = MainWindow(db, QSettings(sys.argv[2] + ".ini", QSettings.Format.IniFormat))
window.resize(1280, 800)
window.show()
window.dashboard.loaded.connect(app.quit)
app.exec()
app.processEvents()
ok = window.grab().save(sys.argv[2])
workers.wait_all()
db.close()
sys.exit(0 if ok else 1)
"""


def test_screenshot_at_150_percent(demo_path: Path, tmp_path: Path) -> None:
    """QT_SCALE_FACTOR applies when Qt starts, so this one runs in a process of its own."""
    shot = tmp_path / "main-window-150.png"
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCALED, str(demo_path), str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
    if os.environ.get(SHOT_DIR):
        shutil.copyfile(shot, Path(os.environ[SHOT_DIR]) / shot.name)
