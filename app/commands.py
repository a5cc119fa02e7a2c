"""What each `setu` sub-command does, once `app.cli` has parsed its arguments: open the
database the way the command needs, call the services, print the result. Errors are
raised as `SetuError`s and turned into one line and an exit code by `app.cli`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from app import encryption
from app.config import Target, resolve
from app.database import Database, Mode, migrate_sqlite, open_database
from app.errors import UsageError
from app.server import migrate_server


def _target(args: argparse.Namespace) -> Target:
    return resolve(getattr(args, "db", None))


def _open(args: argparse.Namespace, mode: Mode = Mode.WRITE) -> Database:
    return _warned(open_database(_target(args), mode))


def _warned(db: Database) -> Database:
    for warning in db.warnings:
        print(f"setu: warning: {warning}", file=sys.stderr)
    return db


def _create(args: argparse.Namespace) -> Database:
    """A new database for init and demo; under --encrypt, encrypted with a new key."""
    target = _target(args)
    if args.encrypt:
        if target.path is None:
            raise UsageError(
                "--encrypt is for a database file; a server's storage is encrypted by its "
                "administrator",
                "--encrypt",
            )
        target = replace(target, key=encryption.new_key(target.path))
    return _warned(open_database(target, Mode.CREATE))


def _say_encrypted(args: argparse.Namespace) -> None:
    if args.encrypt:
        _out("encrypted: without its key nobody can open it, Setu included; keep the key safe")


def _out(line: str = "") -> None:
    print(line, flush=True)


def run_gui(args: argparse.Namespace) -> int:
    # Imported by name: app/ must never import Qt, so the GUI is loaded only when asked for.
    application = importlib.import_module("ui.application")
    return int(application.main(getattr(args, "db", None), getattr(args, "read_only", False)))


def run_init(args: argparse.Namespace) -> int:
    with _create(args) as db:
        _out(f"created {db.label}")
    _say_encrypted(args)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from app.demo import build

    with _create(args) as db:
        code = build(db, scale=args.scale, seed=args.seed, progress=_progress(args))
        _out(f"created demo programme {code} in {db.label}")
    _say_encrypted(args)
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    target = _target(args)
    if target.path is None:
        before, after = migrate_server(target)
        if before == after:
            _out(f"{target.label} is already at the newest schema revision")
        else:
            _out(f"upgraded {target.label} from schema {before} to {after}")
            _out(
                "no file backup is made of a database server: back it up with its own "
                "tools (pg_dump), the administrator's job"
            )
        return 0
    saved = migrate_sqlite(target.path)
    if saved is None:
        _out(f"{target.label} is already at the newest schema revision")
    else:
        _out(f"upgraded {target.label}; the previous version is saved as {saved}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from app.services import health

    with _open(args, Mode.READ) as db:
        problems = health.check(db)
    for line in problems:
        print(f"setu: error: {line}", file=sys.stderr)
    if not problems:
        _out(f"{db.label}: no problems found")
    return 1 if problems else 0


def run_summary(args: argparse.Namespace) -> int:
    from app.services import programmes, summary
    from app.services.audience import Audience

    audience = Audience.parse(args.audience)
    with _open(args, Mode.READ) as db:
        programme = programmes.choose(db, args.programme)
        figures = summary.summary(db, programme, audience, args.as_of or date.today())
    if args.json:
        _out(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    head = figures["programme"]
    _out(f"{head['code']}  {head['name']}")
    _out(f"status date {head['status_date']}, audience {head['audience']}")
    for key, value in figures["counts"].items():
        _out(f"  {key.replace('_', ' '):<20} {value:>8,}")
    return 0


def run_brief(args: argparse.Namespace) -> int:
    from app.reporting.collect import BriefRequest
    from app.reporting.pack import build_pack

    request = BriefRequest(
        programme=args.programme,
        as_of=args.as_of,
        audience=args.audience,
        marking=args.marking,
        since=args.since,
    )
    with _open(args) as db:
        result = build_pack(
            db,
            request,
            Path(args.out).absolute(),
            keep_snapshot=not args.no_snapshot,
            progress=_progress(args),
        )
    _out(f"{result.path}")
    snapshot = f", snapshot {result.snapshot_id}" if result.snapshot_id is not None else ""
    _out(f"{result.pages} pages, marked {result.marking}{snapshot}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.interchange import ImportRejected, import_file
    from app.interchange.columns import parse_mapping
    from app.interchange.mspdi import ScheduleRejected, import_schedule
    from app.services import programmes

    path = Path(args.file).absolute()
    if not path.is_file():
        raise UsageError("cannot read the input file", str(path))
    with _open(args) as db:
        programme = programmes.choose(db, args.programme)
        try:
            if args.kind == "schedule":
                report = import_schedule(db, path, programme.id, dry_run=args.dry_run)
                lines, problems = report.lines(), [str(p) for p in report.problems]
            else:
                mapping = parse_mapping(args.map or [])
                sheet = import_file(
                    db, args.kind, path, programme.id, dry_run=args.dry_run, mapping=mapping
                )
                lines, problems = [sheet.summary()], [str(p) for p in sheet.problems]
        except (ImportRejected, ScheduleRejected) as rejected:
            for bad in rejected.report.problems:
                print(f"setu: error: {bad}", file=sys.stderr)
            print(f"setu: error: nothing imported ({path.name})", file=sys.stderr)
            return 1
    for problem in problems:
        print(f"setu: error: {problem}", file=sys.stderr)
    for line in lines:
        _out(line)
    return 1 if problems else 0


def run_export(args: argparse.Namespace) -> int:
    from app.interchange import export
    from app.interchange.mspdi import export_schedule
    from app.services import programmes
    from app.services.audience import Audience

    out = Path(args.out).absolute()
    if not out.parent.is_dir():
        raise UsageError("the folder for the export does not exist", str(out))
    audience = Audience.parse(args.audience)
    with _open(args, Mode.READ) as db:
        programme = programmes.choose(db, args.programme)
        if args.kind == "schedule":
            written = export_schedule(db, programme.id, out, audience)
        else:
            written = export(db, args.kind, out, programme.id, audience)
    _out(str(written))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from app import backup as backups

    result = backups.backup(_target(args), Path(args.out).absolute())
    _out(f"backed up to {result.path}")
    _out(f"audit chain head {result.head} (saved in {result.head_file.name})")
    _out(f"highest marking in the backup: {result.marking}; protect the file accordingly")
    if result.encrypted:
        _out("the backup is encrypted with the database's key")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from app import backup as backups

    kept = backups.restore(_target(args), Path(args.source).absolute())
    if kept is not None:
        _out(f"the replaced database is kept as {kept}")
    _out(f"restored {_target(args).label} from {args.source}")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from app.services import audit

    expected = audit.ChainHead.parse(args.expect_head) if args.expect_head else None
    if expected is not None and not args.verify:
        raise UsageError("--expect-head only makes sense with --verify", "--expect-head")
    with _open(args, Mode.READ) as db:
        if args.verify:
            problems = audit.verify(db, expected)
            for line in problems:
                print(f"setu: error: {line}", file=sys.stderr)
            if not problems:
                _out(f"audit log verified: head {audit.head(db)}")
            return 1 if problems else 0
        for entry in audit.entries(db, entity=args.entity, since=args.since):
            changed = ", ".join(sorted((entry.old_values or {}).keys()))
            detail = f" ({changed})" if changed and entry.action == "updated" else ""
            _out(
                f"{entry.at}  {entry.user:<12} {entry.action:<8} "
                f"{entry.entity} {entry.entity_id}{detail}"
            )
    return 0


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    """A progress bar on a terminal; silence when the output goes to a file or a pipe."""
    if not sys.stdout.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
