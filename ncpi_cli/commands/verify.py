"""`ncpi verify PATH`: check a release folder against its SHA256SUMS and datapackage.json."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ncpi_cli.main import EXIT_FAILED, CliError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "verify", help="check a release folder: hashes, sizes, schema and row counts",
        description="Check every file of a release folder against SHA256SUMS and datapackage.json "
                    "(hashes, bytes, Parquet schema vs manifest fields, row counts, missing or extra "
                    "files, paths that escape the folder). Exit 1 naming the first bad file.")
    p.add_argument("path", type=Path, metavar="PATH", help="a release folder, or its datapackage.json")
    p.add_argument("-v", "--verbose", action="store_true", help="list every problem, not just the first")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ncpi.release import VerificationError, verify_release

    try:
        ok = verify_release(args.path)
    except VerificationError as exc:
        if args.verbose:
            for p in exc.problems:
                print(f"  {p.line()}", file=sys.stderr)
        raise CliError(str(exc), EXIT_FAILED) from None
    total = sum(ok.rows.values())
    print(f"ok: release {ok.version} at {ok.path}: {ok.files} files match SHA256SUMS and "
          f"datapackage.json ({len(ok.rows)} tables, {total} rows)")
    return 0
