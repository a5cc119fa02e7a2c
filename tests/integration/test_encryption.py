"""Encryption at rest: an encrypted file opens only with its key, and stays encrypted.

The key comes from SETU_DB_KEY here (a prompt where a person types it); a wrong or
missing key is one line and exit 3 with the file untouched, and no copy Setu makes of
an encrypted database (a backup, the copy before an upgrade) is ever in the clear.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app import backup, encryption, migrations
from app.cli import main
from app.config import resolve
from app.database import Mode, open_database
from app.encryption import ENV_KEY, Key
from app.preflight import SQLITE_MAGIC
from app.services import programmes, risks
from app.services.risks import RiskDraft

KEY = "Kshitij 'radar' \"key\" 2026"  # quotes, to prove the key is quoted, not pasted


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def companions(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name + "-")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert KEY not in out + err
    return code, out, err


def setu(*argv: str, key: str | None) -> subprocess.CompletedProcess[str]:
    """`setu` in a process of its own, without a terminal to ask on: stderr as a user sees it."""
    env = {name: value for name, value in os.environ.items() if name != ENV_KEY}
    if key is not None:
        env[ENV_KEY] = key
    return subprocess.run(
        [sys.executable, "-m", "app", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY, KEY)


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo programme in an encrypted file, built once through the command line."""
    path = tmp_path_factory.mktemp("encrypted") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_KEY, KEY)
        assert main(["demo", "--db", str(path), "--encrypt"]) == 0
    return path


@pytest.fixture
def encrypted(encrypted_demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "encrypted.db"
    shutil.copyfile(encrypted_demo, path)
    return path


def a_risk() -> RiskDraft:
    return RiskDraft("R-900", "Key custody", "security", date(2025, 1, 1), 3, 3, 2, 2)


def test_init_encrypts_the_new_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    code, out, _ = run(capsys, "init", "--db", str(path), "--encrypt")
    assert code == 0 and "encrypted" in out
    assert not path.read_bytes().startswith(SQLITE_MAGIC)
    assert companions(path) == []
    assert run(capsys, "check", "--db", str(path))[0] == 0


def test_plain_sqlite_cannot_read_it(encrypted: Path) -> None:
    assert encrypted.read_bytes()[:16] != SQLITE_MAGIC
    conn = sqlite3.connect(encrypted)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_the_right_key_opens_it_for_every_command(
    capsys: pytest.CaptureFixture[str], encrypted: Path, tmp_path: Path
) -> None:
    db = str(encrypted)
    code, out, err = run(capsys, "summary", "--db", db, "--json")
    assert code == 0, err
    assert json.loads(out)["programme"]["code"] == "JP-KSHITIJ"
    assert run(capsys, "check", "--db", db)[0] == 0
    assert run(capsys, "audit", "--db", db, "--verify")[0] == 0
    code, out, err = run(capsys, "export", "risks", "--db", db, "--out", str(tmp_path / "r.csv"))
    assert code == 0, err
    assert "R-" in (tmp_path / "r.csv").read_text("utf-8")
    pack = tmp_path / "pack.pdf"
    assert run(capsys, "brief", "--db", db, "--out", str(pack), "--no-snapshot")[0] == 0
    assert pack.read_bytes().startswith(b"%PDF")
    assert not encrypted.read_bytes().startswith(SQLITE_MAGIC)
    assert companions(encrypted) == []


def test_writes_go_through_the_units_of_work(encrypted: Path) -> None:
    with open_database(resolve(str(encrypted))) as db, db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    with open_database(resolve(str(encrypted))) as db:
        programme = programmes.choose(db, None)
        risks.raise_risk(db, programme.id, a_risk())
    with open_database(resolve(str(encrypted)), Mode.READ) as db:
        references = [r.reference for r in risks.list_risks(db, programme.id)]
    assert "R-900" in references
    assert not encrypted.read_bytes().startswith(SQLITE_MAGIC)


def test_a_wrong_key_is_refused_and_the_file_untouched(encrypted: Path) -> None:
    before = digest(encrypted)
    done = setu("summary", "--db", str(encrypted), key="not the key")
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("setu: error: "), done.stderr
    assert "key does not open" in lines[0]
    assert "not the key" not in done.stdout + done.stderr
    assert digest(encrypted) == before
    assert companions(encrypted) == []


def test_no_key_and_no_terminal_is_refused(encrypted: Path) -> None:
    before = digest(encrypted)
    done = setu("check", "--db", str(encrypted), key=None)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and ENV_KEY in lines[0], done.stderr
    assert digest(encrypted) == before
    assert companions(encrypted) == []


def test_without_the_driver_setu_says_what_to_install(
    capsys: pytest.CaptureFixture[str], encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "_CIPHER", None)
    before = digest(encrypted)
    code, _, err = run(capsys, "check", "--db", str(encrypted))
    assert code == 3 and encryption.EXTRA in err
    assert len(err.strip().splitlines()) == 1
    assert digest(encrypted) == before


def test_backup_stays_encrypted_and_restores(
    capsys: pytest.CaptureFixture[str], encrypted: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    code, out, err = run(capsys, "backup", "--db", str(encrypted), "--out", str(copy))
    assert code == 0, err
    assert "encrypted" in out
    assert copy.read_bytes()[:16] != SQLITE_MAGIC
    assert companions(copy) == []
    head = (tmp_path / "copy.db.head").read_text("utf-8").splitlines()[0]
    with open_database(replace(resolve(str(copy)), key=Key(KEY)), Mode.READ) as copied:
        programme = programmes.choose(copied, None)
        counted = len(risks.list_risks(copied, programme.id))
    with open_database(resolve(str(encrypted))) as db:
        risks.raise_risk(db, programme.id, a_risk())

    assert run(capsys, "restore", "--db", str(encrypted), "--from", str(copy))[0] == 0
    kept = list(tmp_path.glob("encrypted.replaced-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes()[:16] != SQLITE_MAGIC
    assert encrypted.read_bytes()[:16] != SQLITE_MAGIC
    with open_database(resolve(str(encrypted)), Mode.READ) as restored:
        assert len(risks.list_risks(restored, programme.id)) == counted
    assert run(capsys, "check", "--db", str(encrypted))[0] == 0
    assert run(capsys, "audit", "--db", str(encrypted), "--verify", "--expect-head", head)[0] == 0

    fresh = tmp_path / "fresh.db"
    assert run(capsys, "restore", "--db", str(fresh), "--from", str(copy))[0] == 0
    assert fresh.read_bytes()[:16] != SQLITE_MAGIC
    assert run(capsys, "check", "--db", str(fresh))[0] == 0


def test_an_open_database_is_backed_up_without_asking_again(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI backs up in a background job, where nobody can be asked for the key."""
    with open_database(resolve(str(encrypted)), Mode.READ) as db:
        monkeypatch.delenv(ENV_KEY)
        monkeypatch.setattr(encryption, "_ask", lambda _path, _again: pytest.fail("asked"))
        result = backup.backup(db.target, tmp_path / "copy.db")
    assert result.encrypted and result.path.read_bytes()[:16] != SQLITE_MAGIC
    assert KEY not in repr(db.target)


def test_restore_never_mixes_plain_and_encrypted(
    capsys: pytest.CaptureFixture[str], encrypted: Path, db_path: Path, tmp_path: Path
) -> None:
    for source, target in ((encrypted, db_path), (db_path, encrypted)):
        copy = tmp_path / f"copy-of-{source.name}"
        assert run(capsys, "backup", "--db", str(source), "--out", str(copy))[0] == 0
        before = digest(target)
        code, _, err = run(capsys, "restore", "--db", str(target), "--from", str(copy))
        assert code == 3 and "restore it to a new file" in err
        assert digest(target) == before
    assert list(tmp_path.glob("*.replaced-*")) == []


def test_an_old_encrypted_file_is_upgraded_with_an_encrypted_backup(
    capsys: pytest.CaptureFixture[str], encrypted: Path
) -> None:
    with open_database(resolve(str(encrypted))) as db, db.engine.connect() as conn:
        migrations.downgrade(conn, "0001")
        conn.commit()
    code, out, err = run(capsys, "migrate", "--db", str(encrypted))
    assert code == 0, err
    saved = list(encrypted.parent.glob("encrypted.before-upgrade-*.db"))
    assert len(saved) == 1 and str(saved[0]) in out
    assert saved[0].read_bytes()[:16] != SQLITE_MAGIC
    assert encrypted.read_bytes()[:16] != SQLITE_MAGIC
    assert run(capsys, "check", "--db", str(encrypted))[0] == 0


def test_a_typed_key_is_asked_twice_on_creation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY)
    asked: list[bool] = []

    def typed(answers: Iterator[str]) -> encryption.Ask:
        def ask(_path: Path, again: bool) -> str | None:
            asked.append(again)
            return next(answers)

        return ask

    monkeypatch.setattr(encryption, "_ask", typed(iter([KEY, "a slip of the finger"])))
    mistyped = tmp_path / "mistyped.db"
    code, _, err = run(capsys, "init", "--db", str(mistyped), "--encrypt")
    assert code == 2 and "differ" in err
    assert not mistyped.exists()

    monkeypatch.setattr(encryption, "_ask", typed(iter([KEY, KEY, KEY])))
    path = tmp_path / "typed.db"
    asked.clear()
    assert run(capsys, "init", "--db", str(path), "--encrypt")[0] == 0
    assert asked == [False, True]
    assert run(capsys, "check", "--db", str(path))[0] == 0
    assert asked == [False, True, False]


def test_encrypt_is_for_files_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", "--db", "postgresql+psycopg://u@h/setu", "--encrypt")
    assert code == 2 and "--encrypt" in err


def test_a_key_never_shows() -> None:
    key = Key(KEY)
    assert KEY not in repr(key) and KEY not in str(key) and KEY not in f"{[key]}"
