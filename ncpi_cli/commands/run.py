"""`ncpi run`: the main job — build raw/ into warehouse/, release if changed, refresh views."""
from __future__ import annotations

import errno
from pathlib import Path

from ncpi_cli.main import EXIT_BUSY, CliError
from ncpi.paths import RAW_DIR, WAREHOUSE_DIR


def register(sub):
    p = sub.add_parser("run", help="the main job: build raw/ into warehouse/, cut a release if the data changed, refresh the DuckDB views")
    p.add_argument("--raw", type=Path, default=RAW_DIR, help=f"raw folder (default {RAW_DIR})")
    p.add_argument("--warehouse", type=Path, default=WAREHOUSE_DIR, help=f"warehouse folder (default {WAREHOUSE_DIR})")
    p.add_argument("--wait", type=float, default=0.0, metavar="S",
                   help="if another run holds warehouse/.lock, wait up to S seconds for it (default 0: exit 3 at once)")
    p.set_defaults(handler=run)


def run(args) -> int:
    if not args.raw.is_dir():
        raise CliError(f"raw folder {args.raw} does not exist; pass --raw DIR with a folder of .txt/.html releases", 2)
    if args.wait < 0:
        raise CliError(f"--wait {args.wait:g} is negative; pass a number of seconds (0 = do not wait)", 2)
    from ncpi_cli.commands.build import _check_forces
    _check_forces(args.raw)
    from ncpi.lock import Busy, UnsafeLock, WarehouseLock, command_line
    try:
        lock = WarehouseLock(args.warehouse, wait=args.wait, command=command_line()).acquire()
    except Busy as exc:
        raise CliError(str(exc), EXIT_BUSY) from None
    except UnsafeLock as exc:
        raise CliError(str(exc), 1) from None
    except OSError as exc:
        raise CliError(f"cannot create the lock file in {args.warehouse}: {exc.strerror}; check the folder's permissions", 1) from None
    try:
        return _run_locked(args)
    except ValueError as exc:
        from ncpi.warehouse import ViewsError
        if isinstance(exc, ViewsError):
            raise CliError(str(exc), 1) from None
        raise
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise CliError(f"the disk is full while writing {exc.filename or args.warehouse}; free some space and "
                           f"run again (the previous tables and releases are kept)", 1) from None
        raise
    finally:
        lock.release()


def _run_locked(args) -> int:
    from ncpi.release.verify import VerificationError, check_latest
    try:   # checked here too, so the refusal is one line and not a flow's traceback
        check_latest(args.warehouse)
    except VerificationError as exc:
        raise CliError(str(exc), 1) from None
    from flows.prefect_env import configure_prefect
    from ncpi.paths import quiet_prefect_for_cli
    quiet_prefect_for_cli()
    configure_prefect()
    from flows.run import run_flow
    out = run_flow(str(args.raw.resolve()), str(args.warehouse.resolve()))
    report, release = out["report"], out["release"]
    print(report.accounting_line())
    for name, n in report.counts.items():
        print(f"  {name:14s} {n:6d} rows")
    if report.quarantined:
        print(f"  {report.quarantined} document(s) quarantined: ncpi sql \"SELECT path, rule, reason FROM quarantine\"")
    if release is None:
        print("release: nothing changed since the latest release")
    else:
        print(f"release: {release.line() if hasattr(release, 'line') else release}")
    print(f"DuckDB: {args.warehouse.resolve() / 'ncpi.duckdb'}")
    return 0
