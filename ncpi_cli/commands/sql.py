"""`ncpi sql "SELECT ..."`: a read-only query against the warehouse, printed as a table."""
from __future__ import annotations

import re
from pathlib import Path

from ncpi_cli.main import CliError
from ncpi.paths import WAREHOUSE_DIR

# Read-only and confinement to the warehouse are enforced by DuckDB (access mode, and
# warehouse.sandbox); these are refused before they run, with a clearer message.
REFUSED = re.compile(r"^\s*(?:insert|update|delete|create|drop|alter|attach|detach|install|load|copy|export|import|pragma|set|call|checkpoint|vacuum)\b"
                     r"|\b(?:read_csv\w*|read_json\w*|read_text|read_blob|read_parquet|parquet_scan|glob|sniff_csv)\s*\(", re.I)


def register(sub):
    p = sub.add_parser("sql", help="run a read-only SQL query against the warehouse views")
    p.add_argument("query")
    p.add_argument("--warehouse", type=Path, default=WAREHOUSE_DIR)
    p.add_argument("--max-rows", type=int, default=200)
    p.set_defaults(handler=run)


def run(args) -> int:
    import duckdb

    from ncpi import warehouse

    if REFUSED.search(args.query):
        raise CliError("only read-only queries over the warehouse views are allowed (no writes, ATTACH, INSTALL or file reads)", 2)
    db = args.warehouse / warehouse.DB_NAME
    if not db.exists():
        if (args.warehouse / "tables").is_dir():
            warehouse.refresh_views(args.warehouse)
        else:
            raise CliError(f"no warehouse at {args.warehouse}; run `ncpi run` first", 1)
    con = warehouse.sandbox(warehouse.connect(args.warehouse, read_only=True), args.warehouse)
    try:
        rel = con.execute(args.query)
        if rel is None or rel.description is None:
            raise CliError("only queries that return rows are allowed (SELECT, WITH, DESCRIBE, SHOW)", 2)
        cols = [d[0] for d in rel.description]
        rows = rel.fetchmany(args.max_rows)
    except (duckdb.PermissionException, duckdb.InvalidInputException) as exc:
        # DuckDB's own guard: the database is read-only and confined to the warehouse.
        raise CliError(f"refused: {str(exc).splitlines()[0]}", 2)
    except duckdb.Error as exc:
        raise CliError(f"query failed: {str(exc).splitlines()[0]}", 1)
    finally:
        con.close()
    from rich.console import Console
    from rich.table import Table

    table = Table(*cols, show_lines=False)
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    Console(width=200).print(table)
    return 0
