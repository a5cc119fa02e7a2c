"""`setu import` and `setu export` as a script uses them: exit codes, reports, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import audit_count


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path)]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_then_reimport_changes_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind, name in (("all", "all.xlsx"), ("risks", "risks.csv"), ("schedule", "plan.xml")):
        code, out, err = run(
            capsys, "export", kind, "--db", str(demo), "--out", str(tmp_path / name)
        )
        assert code == 0, err
        assert out.strip() == str(tmp_path / name)
    code, out, _ = run(capsys, "import", "risks", str(tmp_path / "risks.csv"), "--db", str(demo))
    assert code == 0 and "0 created, 0 updated" in out
    code, out, _ = run(capsys, "import", "schedule", str(tmp_path / "plan.xml"), "--db", str(demo))
    assert code == 0 and "0 created, 0 updated" in out


def test_a_bad_row_is_named_and_nothing_is_imported(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text(
        "Ref;Title;Likelihood;Impact;Owner\nX-1;Good risk;High;Major;Me\nX-2;Bad risk;Low;7;You\n",
        encoding="utf-8-sig",
    )
    before = audit_count_of(demo)
    code, out, err = run(capsys, "import", "risks", str(sheet), "--db", str(demo), "--dry-run")
    assert code == 1 and "would be 1 created" in out
    assert "register.csv row 3, Impact:" in err
    code, _, err = run(capsys, "import", "risks", str(sheet), "--db", str(demo))
    assert code == 1 and "nothing imported" in err
    assert audit_count_of(demo) == before


def test_unreadable_input(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 100)
    code, _, err = run(capsys, "import", "risks", str(junk), "--db", str(demo))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert run(capsys, "import", "risks", str(tmp_path / "none.csv"), "--db", str(demo))[0] == 2


def audit_count_of(path: Path) -> int:
    from app.config import resolve
    from app.database import Mode, open_database

    with open_database(resolve(str(path)), Mode.READ) as db:
        return audit_count(db)
