"""`ncpi release`: cut a release from the current build, or `--check` that the latest one reproduces."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ncpi_cli.main import EXIT_BUSY, EXIT_FAILED, CliError
from ncpi.paths import RAW_DIR, WAREHOUSE_DIR


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "release", help="cut a versioned release from the built tables (only when something changed)",
        description="Compare the built tables with the newest release and, if anything changed, write "
                    "warehouse/releases/<version>/ (SemVer derived from the changes), update CHANGELOG.md "
                    "and warehouse/latest. With --check, rebuild the newest release from raw/ and fail "
                    "on any byte that differs.")
    p.add_argument("--tables", type=Path, default=None, metavar="DIR",
                   help="built tables (default: warehouse/tables; with --check: rebuild from --raw)")
    p.add_argument("--releases", type=Path, default=WAREHOUSE_DIR / "releases", metavar="DIR",
                   help="releases folder (default: warehouse/releases); latest and CHANGELOG.md sit beside it")
    p.add_argument("--check", action="store_true",
                   help="do not release: verify the newest release is reproduced byte for byte")
    p.add_argument("--raw", type=Path, default=RAW_DIR, metavar="DIR",
                   help="raw documents to rebuild from with --check (default: raw/)")
    p.set_defaults(handler=run)


def _lock(releases: Path):
    # The warehouse lock (O_NOFOLLOW: a symlinked .lock is refused, its target never truncated).
    from ncpi.lock import Busy, UnsafeLock, WarehouseLock, command_line
    try:
        return WarehouseLock(releases.parent, command=command_line()).acquire()
    except Busy:
        raise CliError(f"another run holds {releases.parent / '.lock'}; try again when it ends", EXIT_BUSY) from None
    except UnsafeLock as exc:
        raise CliError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from ncpi.release import ReleaseError, check_reproducible, cut_release, latest_release, verify_reproducible

    releases: Path = args.releases
    if args.check:
        latest = latest_release(releases)
        if latest is None:
            print(f"ncpi release --check: no release in {releases} to check")
            return 0
        try:
            if args.tables is not None:
                problems = check_reproducible(args.tables, latest)
            else:
                if not args.raw.is_dir():
                    raise CliError(f"no raw folder at {args.raw}")
                problems = verify_reproducible(args.raw, latest)
        except ReleaseError as exc:
            raise CliError(str(exc)) from None
        if problems:
            for line in problems:
                print(f"  {line}", file=sys.stderr)
            raise CliError(f"release {latest.name} is not reproducible: {problems[0]}"
                           + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""), EXIT_FAILED)
        print(f"release {latest.name} is reproducible: every file rebuilt byte-identical")
        return 0

    tables = args.tables or (WAREHOUSE_DIR / "tables")
    lock = _lock(releases)
    try:
        from ncpi.release.verify import VerificationError, check_latest
        try:    # a damaged latest release must not be the base of the comparison
            check_latest(releases.parent)
        except VerificationError as exc:
            raise CliError(str(exc)) from None
        result = cut_release(tables, releases)
    except ReleaseError as exc:
        raise CliError(str(exc)) from None
    finally:
        lock.release()
    if result is None:
        latest = latest_release(releases)
        print(f"nothing changed since {latest.name}; no release cut" if latest else "nothing to release")
    else:
        print(result.line())
    return 0
