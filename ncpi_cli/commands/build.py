"""`ncpi build --raw DIR --out DIR`: every table from a folder of raw documents."""
from __future__ import annotations

import errno
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


def release_of(out: Path) -> Path | None:
    """The published release OUT is (or lies in), or None. A release is never rewritten:
    its bytes are what SHA256SUMS and every download promise."""
    out = out.resolve()
    for folder in [out, *list(out.parents)[:3]]:
        if (folder / "SHA256SUMS").is_file() or (folder / "datapackage.json").is_file():
            return folder
        parent = folder.parent
        if parent.name == "releases" and (parent == (WAREHOUSE_DIR / "releases").resolve()
                                          or any((parent.parent / m).exists() for m in ("latest", "ncpi.duckdb", ".lock"))):
            return folder
    return None


def warehouse_around(out: Path) -> Path | None:
    """A warehouse OUT lies inside (other than its tables/), whose lock a write must take."""
    out = out.resolve()
    for folder in list(out.parents)[:3]:
        if folder == WAREHOUSE_DIR.resolve() or sum((folder / m).exists() for m in WAREHOUSE_MARKERS) >= 2:
            return folder
    return None


def run(args) -> int:
    if not args.raw.is_dir():
        raise CliError(f"raw folder {args.raw} does not exist; pass a folder of .txt/.html releases", 2)
    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out {args.out} is a file, not a folder; pass a folder to write the tables into", 2)
    _check_forces(args.raw)
    release = release_of(args.out)
    if release is not None:
        raise CliError(f"--out {args.out} is the published release {release}; a release is never overwritten "
                       f"(cut a new one with ncpi run); pass another folder", 2)
    lock = None
    warehouse = warehouse_of(args.out) or warehouse_around(args.out)
    if warehouse is not None:
        from ncpi.lock import Busy, UnsafeLock, WarehouseLock, command_line
        try:
            lock = WarehouseLock(warehouse, wait=args.wait, command=command_line()).acquire()
        except Busy as exc:
            raise CliError(str(exc), EXIT_BUSY) from None
        except UnsafeLock as exc:
            raise CliError(str(exc), 1) from None
    try:
        if warehouse is not None and warehouse_of(args.out) == warehouse:
            report = _build_staged(args, warehouse)
        else:
            report = _build(args)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise CliError(f"the disk is full while writing {exc.filename or args.out}; free some space and "
                           f"run again (the previous tables are kept)", 1) from None
        raise
    finally:
        if lock is not None:
            lock.release()
    print(report.accounting_line())
    for name, n in report.counts.items():
        print(f"  {name:14s} {n:6d} rows")
    return 0


def _check_forces(raw: Path) -> None:
    from ncpi.build import forces_reference
    from ncpi.rawio import BadReference, check_forces_reference
    try:
        check_forces_reference(forces_reference(raw))
    except BadReference as exc:
        raise CliError(str(exc), 1) from None


def _build_staged(args, warehouse: Path):
    """A warehouse's tables/ is built beside it and swapped in whole (never a mix of two builds)."""
    import argparse
    from ncpi import warehouse as wh
    wh.sweep_temporaries(warehouse)
    staging = wh.stage_tables(warehouse)
    report = _build(argparse.Namespace(**{**vars(args), "out": staging}))
    wh.publish_tables(warehouse)
    return report


def _build(args):
    if args.no_prefect:
        from ncpi.build import build
        return build(args.raw, args.out)
    from flows.prefect_env import configure_prefect
    from ncpi.paths import quiet_prefect_for_cli
    quiet_prefect_for_cli()
    configure_prefect()
    from flows.build import build_flow
    return build_flow(str(args.raw.resolve()), str(args.out.resolve()))
