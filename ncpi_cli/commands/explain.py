"""`ncpi explain ID`: why a finding, statement or inspection says what it says."""
from __future__ import annotations

from pathlib import Path

from ncpi.paths import RAW_DIR, WAREHOUSE_DIR
from ncpi_cli.main import CliError

DEFAULT_TABLES = WAREHOUSE_DIR / "tables"


def register(sub) -> None:
    p = sub.add_parser(
        "explain", help="print the rules and text spans behind a finding, statement, inspection or source",
        description="Print the chain behind one row: the block and sentence it stands in, how it was split, "
                    "and each deciding rule id (polarity_rule, theme_rule, role_rule, kind_rule) with the words "
                    "it matched and the rule's reason. Rule records are listed in docs/extraction-rules.md.")
    p.add_argument("id", metavar="ID", help="a finding_id, statement_id, inspection_id or source_id")
    p.add_argument("--tables", type=Path, default=DEFAULT_TABLES,
                   help=f"folder of built <table>.parquet files (default {DEFAULT_TABLES})")
    p.add_argument("--raw", type=Path, default=RAW_DIR,
                   help=f"raw folder, to re-read a source whose text the tables withhold (default {RAW_DIR})")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ncpi.explain import ExplainError, explain

    try:
        lines = explain(args.id, args.tables, args.raw)
    except ExplainError as exc:
        raise CliError(str(exc), 2 if "is not a" in str(exc) else 1) from None
    print("\n".join(lines))
    return 0
