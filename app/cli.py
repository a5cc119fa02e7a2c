"""The `setu` command: argument parsing and exit codes only; the work is in services.

Exit codes (CLI.md): 0 done, 1 the data has problems, 2 usage, 3 the database cannot
be used (and was not modified). Errors are one line each on stderr:
`setu: error: <what> (<where>)`; a traceback only with --debug.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from datetime import date

from app import commands, encryption
from app.errors import SetuError, ValidationError

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

    gui = command("gui", commands.run_gui, "open the desktop application")
    gui.add_argument("--read-only", action="store_true", help="open without allowing changes")
    init = command(
        "init", commands.run_init, "create an empty database at the newest schema revision"
    )
    demo = command(
        "demo", commands.run_demo, "create a database holding the fictional demo programme"
    )
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
    command(
        "migrate", commands.run_migrate, "back up, then upgrade a database to the newest revision"
    )
    command("check", commands.run_check, "check storage, schema, domain rules and the audit log")
    summary = command("summary", commands.run_summary, "the programme's figures")
    programme_options(summary)
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    brief = command("brief", commands.run_brief, "write the briefing pack (PDF)")
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
        "import", commands.run_import, "bring a register in from .xlsx, .csv or MS Project XML"
    )
    importer.add_argument("kind", choices=kinds, metavar="KIND", help=", ".join(kinds))
    importer.add_argument("file", metavar="FILE")
    importer.add_argument("--programme", metavar="CODE", help="programme code")
    importer.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    importer.add_argument(
        "--map", action="append", metavar="COLUMN=FIELD", help="read COLUMN as FIELD"
    )
    exporter = command(
        "export", commands.run_export, "write a register (or all) to .xlsx, .csv or .xml"
    )
    exporter.add_argument("kind", choices=[*kinds, "all"], metavar="KIND", help="a KIND or all")
    exporter.add_argument("--out", required=True, metavar="FILE")
    exporter.add_argument("--programme", metavar="CODE", help="programme code")
    exporter.add_argument("--audience", default="joint", help="joint or national:NATION")
    backup = command("backup", commands.run_backup, "consistent copy of the database")
    backup.add_argument("--out", required=True, metavar="FILE")
    restore = command("restore", commands.run_restore, "replace the database with a backup")
    restore.add_argument("--from", dest="source", required=True, metavar="FILE")
    audit = command(
        "audit", commands.run_audit, "who changed what and when; --verify checks the log"
    )
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
    handler: Handler = getattr(args, "handler", commands.run_gui)
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
