"""`ncpi sql "SELECT ..."`: one read-only query against the warehouse views or a published release."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ncpi_cli.main import EXIT_FAILED, EXIT_USAGE, CliError
from ncpi.paths import WAREHOUSE_DIR

TABLE_MAX_ROWS = 200     # the default cut for table and markdown; csv and json are complete


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _row_count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def register(sub):
    from ncpi.sql.output import FORMATS
    from ncpi.sql.sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT

    p = sub.add_parser(
        "sql", help="run one read-only SQL query against the warehouse views (or a published release)",
        description="Run one read-only query (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE) "
                    "against the warehouse's views: findings, sources, inspections, forces, statements, "
                    "contact_notes, quarantine, and <table>_history, <table>_latest, changes, releases. "
                    "Anything that writes, attaches, installs, changes a setting or reads a file outside "
                    "the warehouse is refused (exit 2).")
    p.add_argument("query", metavar="QUERY", help="the SQL query, one statement")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--warehouse", type=Path, default=WAREHOUSE_DIR, metavar="DIR",
                       help="warehouse folder to query (default: the project's warehouse/)")
    where.add_argument("--release", metavar="URL",
                       help="query the release published at this http(s) URL (a release folder, e.g. "
                            ".../latest/) without downloading it; its tables are views named as in the warehouse")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="output: table (default, for reading), csv or json (complete, for files and "
                        "programs), markdown (a pipe table)")
    p.add_argument("--max-rows", type=_row_count, default=None, metavar="N",
                   help=f"show at most N rows (default: {TABLE_MAX_ROWS} for table and markdown, all rows "
                        "for csv and json); a cut is reported as 'showing N of M rows'")
    p.add_argument("--timeout", type=_positive, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop the query after this many seconds (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT, metavar="SIZE",
                   help=f"most memory the query may use, e.g. 500MB, 2GB (default {DEFAULT_MEMORY_LIMIT})")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ncpi.sql import output
    from ncpi.sql.sandbox import Limits, QueryFailed, QueryRefused, single_select

    limits = Limits(timeout=args.timeout, memory_limit=args.memory_limit)
    max_rows = args.max_rows
    if max_rows is None and args.format in ("table", "markdown"):
        max_rows = TABLE_MAX_ROWS
    try:
        statement = single_select(args.query)
        with _connection(args, limits) as con:
            if args.format == "table":
                outcome = output.run(con, statement, limits, max_rows=max_rows)
            else:
                writer = output.WRITERS[args.format](sys.stdout)
                outcome = output.run(con, statement, limits, max_rows=max_rows,
                                     on_columns=writer.columns, on_rows=writer.rows)
                writer.close()
    except BrokenPipeError:
        # The reader stopped early (`ncpi sql ... | head`): not an error. Point stdout at
        # devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except QueryRefused as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    except QueryFailed as exc:
        raise CliError(str(exc), EXIT_FAILED) from None
    if args.format == "table":
        _print_table(outcome)
    elif outcome.cut:
        print(outcome.summary(), file=sys.stderr)
    sys.stdout.flush()
    return 0


def _connection(args, limits):
    if args.release:
        from ncpi.sql.remote import open_release
        return open_release(args.release, limits)
    from ncpi.sql.sandbox import open_warehouse

    _ensure_database(args.warehouse)
    return open_warehouse(args.warehouse, limits)


def _ensure_database(warehouse_dir: Path) -> None:
    from ncpi import warehouse

    if (warehouse_dir / warehouse.DB_NAME).exists():
        return
    if (warehouse_dir / "tables").is_dir():
        from ncpi.sql.sandbox import working_directory

        # From inside the warehouse: DuckDB would read the caller's own tables/ first.
        with working_directory(warehouse_dir):
            try:
                warehouse.refresh_views(warehouse_dir)
            except warehouse.ViewsError as exc:     # a damaged table: one line, exit 1
                raise CliError(str(exc), EXIT_FAILED) from None
    else:
        raise CliError(f"no warehouse at {warehouse_dir}; run `ncpi run` first", EXIT_FAILED)


def _print_table(outcome) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ncpi.sql.output import display_text

    # Values are Text, never markup: '[/x]' or '[see note]' print as written.
    table = Table(show_lines=False)
    for name in outcome.columns:
        table.add_column(Text(display_text(name)))
    for row in outcome.kept:
        table.add_row(*[Text("NULL", style="dim italic") if v is None else Text(display_text(v)) for v in row])
    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    console.print(table)
    if outcome.cut:
        console.print(Text(outcome.summary()))
