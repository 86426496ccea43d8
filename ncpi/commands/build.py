"""`ncpi build --raw DIR --out DIR`: every table from a folder of raw documents."""
from __future__ import annotations

from pathlib import Path

from ncpi.cli import CliError


def register(sub):
    p = sub.add_parser("build", help="build every table from a folder of raw documents into OUT")
    p.add_argument("--raw", required=True, type=Path, help="folder of raw releases (text or HTML)")
    p.add_argument("--out", required=True, type=Path, help="folder to write <table>.parquet into")
    p.add_argument("--no-prefect", action="store_true", help="run the same steps without Prefect (faster start-up)")
    p.set_defaults(handler=run)


def run(args) -> int:
    if not args.raw.is_dir():
        raise CliError(f"raw folder {args.raw} does not exist; pass a folder of .txt/.html releases", 2)
    if args.no_prefect:
        from ncpi.build import build
        report = build(args.raw, args.out)
    else:
        from ncpi.paths import configure_prefect_env
        configure_prefect_env()
        from flows.build import build_flow
        report = build_flow(str(args.raw.resolve()), str(args.out.resolve()))
    print(report.accounting_line())
    for name, n in report.counts.items():
        print(f"  {name:14s} {n:6d} rows")
    return 0
