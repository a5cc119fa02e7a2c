"""`setu brief` end to end: markings, audiences, escaping, scripts, and a sound PDF."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.config import resolve
from app.database import Mode, open_database
from app.demo import build
from app.services import programmes, risks
from tests.conftest import risk_draft

TODAY = date(2026, 11, 26)
SECRET_TITLE = "Zanskar valve defect ZQX"  # releasable to India only
TRICKY_TITLE = '<b>R&D</b> <font size=80> <img src="http://example.org/x.png"/>'


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, today=TODAY)
        programme = programmes.choose(db, None).id
        risks.raise_risk(
            db,
            programme,
            risk_draft(
                reference="ZZ-1", title=SECRET_TITLE, releasable_to="IND", likelihood=5, impact=5
            ),
        )
        risks.raise_risk(
            db, programme, risk_draft(reference="ZZ-2", title=TRICKY_TITLE, likelihood=5, impact=5)
        )
    return path


@pytest.fixture
def db_copy(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo, copy)
    return copy


def brief(
    capsys: pytest.CaptureFixture[str], db: Path, out: Path, *extra: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["brief", "--db", str(db), "--out", str(out), "--as-of", TODAY.isoformat(), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def test_joint_pack(db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "joint.pdf"
    code, printed, err = brief(capsys, db_copy, out)
    assert code == 0, err
    pages = page_count(out)
    assert printed.splitlines()[0] == str(out)
    assert f"{pages} pages" in printed
    subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)
    whole = text(out)
    for heading in (
        "Contents",
        "Executive summary",
        "Workstreams",
        "Co-production contracts",
        "Cost sharing",
        "Risks",
        "Changes since the previous pack",
        "Annex",
    ):
        assert heading in whole, heading
    marking = printed.split("marked ")[1].split(",")[0]
    for n in range(1, pages + 1):
        lines = [line.strip() for line in text(out, n).splitlines() if line.strip()]
        assert lines[0] == marking and lines[-1] == marking, n  # top and bottom centre
        assert f"Page {n} of {pages}" in text(out, n)
        assert "JP-KSHITIJ" in text(out, n) and "2026-11-26" in text(out, n)
    # Not releasable to the joint audience: nowhere in the PDF, not even the reference.
    assert SECRET_TITLE not in whole and "ZZ-1" not in whole
    # User text is printed literally, never interpreted as markup.
    assert "<b>R&D</b>" in " ".join(whole.split())
    # Cyrillic round-trips through text extraction.
    assert "Северный луч" in whole


def test_national_pack_shows_what_india_may_see(
    db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "india.pdf"
    assert brief(capsys, db_copy, out, "--audience", "national:IND")[0] == 0
    assert SECRET_TITLE in text(out)


def test_marking_can_be_raised_but_not_lowered(
    db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "low.pdf"
    code, _, err = brief(capsys, db_copy, out, "--marking", "UNCLASSIFIED")
    assert code == 1 and "cannot be lowered" in err
    assert not out.exists()


def test_snapshots_and_changes(
    db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    code, printed, _ = brief(capsys, db_copy, first)
    assert code == 0 and "snapshot 1" in printed
    assert "first pack for this audience" in " ".join(text(first).split())
    conn = sqlite3.connect(db_copy)
    snapshots = conn.execute("SELECT id, audience FROM briefing_snapshot").fetchall()
    conn.close()
    assert snapshots == [(1, "joint")]
    assert brief(capsys, db_copy, tmp_path / "none.pdf", "--no-snapshot")[0] == 0
    code, printed, _ = brief(capsys, db_copy, second)
    assert "snapshot 2" in printed
    assert "for the same audience (snapshot 1)" in " ".join(text(second).split())


def test_a_bad_output_name(
    db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert brief(capsys, db_copy, tmp_path / "pack.txt")[0] == 2
    assert brief(capsys, db_copy, tmp_path / "missing" / "pack.pdf")[0] == 2
