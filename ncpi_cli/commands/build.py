"""`ncpi build --raw DIR --out DIR`: every table from a folder of raw documents."""
from __future__ import annotations

from pathlib import Path

from ncpi_cli.main import EXIT_BUSY, CliError
from ncpi.paths import WAREHOUSE_DIR

# Files that only a warehouse has beside its tables/ folder.
WAREHOUSE_MARKERS = ("ncpi.duckdb", "latest", "releases", ".lock")


def register(sub):
    p = sub.add_parser("build", help="build every table from a folder of raw documents into OUT")
    p.add_argument("--raw", required=True, type=Path, help="folder of raw releases (text or HTML)")
    p.add_argument("--out", required=True, type=Path, help="folder to write <table>.parquet into")
    p.add_argument("--no-prefect", action="store_true", help="run the same steps without Prefect (faster start-up)")
    p.add_argument("--wait", type=float, default=0.0, metavar="S",
                   help="when OUT is a warehouse's tables/ and another run holds its lock, wait up to S seconds")
    p.set_defaults(handler=run)


def warehouse_of(out: Path) -> Path | None:
    """The warehouse whose tables OUT is, or None for a plain output folder."""
    out = out.resolve()
    if out.name != "tables":
        return None
    parent = out.parent
    if parent == WAREHOUSE_DIR.resolve() or any((parent / m).exists() for m in WAREHOUSE_MARKERS):
        return parent
    return None


def run(args) -> int:
    if not args.raw.is_dir():
        raise CliError(f"raw folder {args.raw} does not exist; pass a folder of .txt/.html releases", 2)
    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out {args.out} is a file, not a folder; pass a folder to write the tables into", 2)
    lock = None
    warehouse = warehouse_of(args.out)
    if warehouse is not None:
        from ncpi.lock import Busy, WarehouseLock, command_line
        try:
            lock = WarehouseLock(warehouse, wait=args.wait, command=command_line()).acquire()
        except Busy as exc:
            raise CliError(str(exc), EXIT_BUSY) from None
    try:
        report = _build(args)
    finally:
        if lock is not None:
            lock.release()
    print(report.accounting_line())
    for name, n in report.counts.items():
        print(f"  {name:14s} {n:6d} rows")
    return 0


def _build(args):
    if args.no_prefect:
        from ncpi.build import build
        return build(args.raw, args.out)
    from ncpi.paths import configure_prefect_env
    configure_prefect_env()
    from flows.build import build_flow
    return build_flow(str(args.raw.resolve()), str(args.out.resolve()))
