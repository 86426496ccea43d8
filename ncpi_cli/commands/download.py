"""`ncpi download URL`: fetch a published release folder over HTTP(S), verified before it is placed."""
from __future__ import annotations

import argparse
from pathlib import Path

from ncpi_cli.main import EXIT_FAILED, CliError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "download", help="download a published release and verify it before placing it",
        description="Read datapackage.json and SHA256SUMS at URL (a release folder), download every "
                    "listed file into a temporary folder, verify hashes, sizes, schema and row counts, "
                    "then move it to --dest. A tampered or incomplete release is refused.")
    p.add_argument("url", metavar="URL", help="http(s) URL of a release folder, e.g. .../releases/1.0.0/")
    p.add_argument("--dest", type=Path, default=None, metavar="DIR",
                   help="folder to create for the release (default: ./ncpi-<version>); must not exist")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="give up when the server sends nothing for this long (default 60)")
    p.add_argument("--deadline", type=float, default=1800.0, metavar="SECONDS",
                   help="give up on any one file that takes longer than this in all, however slowly "
                        "it trickles (default 1800)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ncpi.release import DownloadError, download_release

    try:
        ok = download_release(args.url, args.dest, timeout=(min(10.0, args.timeout), args.timeout),
                              max_seconds=args.deadline)
    except DownloadError as exc:
        raise CliError(str(exc), EXIT_FAILED) from None
    print(f"downloaded release {ok.version} to {ok.path}: {ok.files} files verified "
          f"({sum(ok.rows.values())} rows)")
    return 0
