"""The `setu` command: argument parsing and exit codes only; the work is in services.

Exit codes (CLI.md): 0 done, 1 the data has problems, 2 usage, 3 the database cannot
be used (and was not modified). Errors are one line each on stderr:
`setu: error: <what> (<where>)`; a traceback only with --debug.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from app import encryption
from app.config import Target, resolve
from app.database import Database, Mode, migrate_sqlite, open_database
from app.errors import SetuError, UsageError, ValidationError
from app.server import migrate_server

Handler = Callable[[argparse.Namespace], int]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


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


# Sub-commands ---------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # Imported by name: app/ must never import Qt, so the GUI is loaded only when asked for.
    application = importlib.import_module("ui.application")
    return int(application.main(getattr(args, "db", None), getattr(args, "read_only", False)))


def cmd_init(args: argparse.Namespace) -> int:
    with _create(args) as db:
        _out(f"created {db.label}")
    _say_encrypted(args)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import build

    with _create(args) as db:
        code = build(db, scale=args.scale, seed=args.seed, progress=_progress(args))
        _out(f"created demo programme {code} in {db.label}")
    _say_encrypted(args)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
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


def cmd_check(args: argparse.Namespace) -> int:
    from app.services import health

    with _open(args, Mode.READ) as db:
        problems = health.check(db)
    for line in problems:
        print(f"setu: error: {line}", file=sys.stderr)
    if not problems:
        _out(f"{db.label}: no problems found")
    return 1 if problems else 0


def cmd_summary(args: argparse.Namespace) -> int:
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


def cmd_brief(args: argparse.Namespace) -> int:
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


def cmd_import(args: argparse.Namespace) -> int:
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


def cmd_export(args: argparse.Namespace) -> int:
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


def cmd_backup(args: argparse.Namespace) -> int:
    from app import backup as backups

    result = backups.backup(_target(args), Path(args.out).absolute())
    _out(f"backed up to {result.path}")
    _out(f"audit chain head {result.head} (saved in {result.head_file.name})")
    _out(f"highest marking in the backup: {result.marking}; protect the file accordingly")
    if result.encrypted:
        _out("the backup is encrypted with the database's key")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app import backup as backups

    kept = backups.restore(_target(args), Path(args.source).absolute())
    if kept is not None:
        _out(f"the replaced database is kept as {kept}")
    _out(f"restored {_target(args).label} from {args.source}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
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


# Parsing ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    # --db and --debug are accepted before or after the sub-command; SUPPRESS keeps a
    # sub-command's absent option from overwriting the value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="TARGET",
        help="database file or SQLAlchemy URL; an encrypted file opens with the key in "
        f"{encryption.ENV_KEY}, else the key is asked for",
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    parser = argparse.ArgumentParser(
        prog="setu",
        parents=[common],
        description="Setu: the joint programme office's tool. With no command, opens the GUI.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def programme_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--programme", metavar="CODE", help="programme code")
        p.add_argument("--as-of", type=_date, metavar="DATE", help="status date (default today)")
        p.add_argument("--audience", default="joint", help="joint or national:NATION")

    gui = command("gui", cmd_gui, "open the desktop application")
    gui.add_argument("--read-only", action="store_true", help="open without allowing changes")
    init = command("init", cmd_init, "create an empty database at the newest schema revision")
    demo = command("demo", cmd_demo, "create a database holding the fictional demo programme")
    for creates in (init, demo):
        creates.add_argument(
            "--encrypt",
            action="store_true",
            help=f"encrypt the new file (needs {encryption.EXTRA}); its key comes from "
            f"{encryption.ENV_KEY}, else it is asked for twice",
        )
    demo.add_argument(
        "--scale", type=_positive, default=1, help="make every register N times larger"
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    command("migrate", cmd_migrate, "back up, then upgrade a database to the newest revision")
    command("check", cmd_check, "check storage, schema, domain rules and the audit log")
    summary = command("summary", cmd_summary, "the programme's figures")
    programme_options(summary)
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    brief = command("brief", cmd_brief, "write the briefing pack (PDF)")
    programme_options(brief)
    brief.add_argument("--out", required=True, metavar="FILE.pdf")
    brief.add_argument("--marking", metavar="LEVEL", help="raise the pack's marking")
    brief.add_argument(
        "--since",
        default="latest",
        metavar="latest|none|SNAPSHOT",
        help="compare with this earlier pack (default: the latest for the audience)",
    )
    brief.add_argument("--no-snapshot", action="store_true", help="do not record this pack")
    kinds = (
        "risks actions decisions milestones workstreams contracts deliverables tot-packages "
        "contributions expenditures exchange-rates schedule"
    ).split()
    importer = command(
        "import", cmd_import, "bring a register in from .xlsx, .csv or MS Project XML"
    )
    importer.add_argument("kind", choices=kinds, metavar="KIND", help=", ".join(kinds))
    importer.add_argument("file", metavar="FILE")
    importer.add_argument("--programme", metavar="CODE", help="programme code")
    importer.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    importer.add_argument(
        "--map", action="append", metavar="COLUMN=FIELD", help="read COLUMN as FIELD"
    )
    exporter = command("export", cmd_export, "write a register (or all) to .xlsx, .csv or .xml")
    exporter.add_argument("kind", choices=[*kinds, "all"], metavar="KIND", help="a KIND or all")
    exporter.add_argument("--out", required=True, metavar="FILE")
    exporter.add_argument("--programme", metavar="CODE", help="programme code")
    exporter.add_argument("--audience", default="joint", help="joint or national:NATION")
    backup = command("backup", cmd_backup, "consistent copy of the database")
    backup.add_argument("--out", required=True, metavar="FILE")
    restore = command("restore", cmd_restore, "replace the database with a backup")
    restore.add_argument("--from", dest="source", required=True, metavar="FILE")
    audit = command("audit", cmd_audit, "who changed what and when; --verify checks the log")
    audit.add_argument("--entity", metavar="KIND", help="only this kind of record, e.g. risk")
    audit.add_argument("--since", type=_date, metavar="DATE")
    audit.add_argument("--verify", action="store_true")
    audit.add_argument("--expect-head", metavar="HASH:COUNT")
    return parser


def _report(error: SetuError) -> None:
    if isinstance(error, ValidationError):
        for problem in error.problems:
            print(f"setu: error: {problem.reason} ({problem.field})", file=sys.stderr)
    else:
        print(f"setu: error: {error}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Handler = getattr(args, "handler", cmd_gui)
    try:
        return handler(args)
    except SetuError as error:
        if getattr(args, "debug", False):
            raise
        _report(error)
        return error.exit_code
    except KeyboardInterrupt:
        print("setu: error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `setu audit | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except Exception as error:  # a bug: say so plainly, details with --debug
        if getattr(args, "debug", False):
            raise
        print(f"setu: error: unexpected failure: {error!r} (run with --debug)", file=sys.stderr)
        return 1


def console() -> None:
    """The `setu` executable: run, then exit without a last garbage collection.

    Python's exit walks every object the imports created (SQLAlchemy, ReportLab);
    freezing them first saves a tenth of a second on every command. In-process
    callers (tests, the GUI) use `main`, which leaves the collector alone.
    """
    code = main()
    gc.freeze()
    sys.exit(code)
