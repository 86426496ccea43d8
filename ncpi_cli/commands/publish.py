"""`ncpi publish DIR`: lay out the warehouse's releases for a static web host."""
from __future__ import annotations

import argparse
from pathlib import Path

from ncpi_cli.main import EXIT_FAILED, CliError
from ncpi.paths import WAREHOUSE_DIR


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "publish", help="lay out every release for static hosting, with latest/ and an index",
        description="Copy every verified release of the warehouse to DIR/<version>/, the newest also "
                    "to DIR/latest/ (a copy, so any static host serves it), and write DIR/index.html and "
                    "DIR/index.json listing the versions. Releases already in DIR are left as they are. "
                    "Serve DIR as it is; then `ncpi download URL/latest/` and "
                    "`ncpi sql --release URL/latest/ ...` work against it.")
    p.add_argument("out_dir", type=Path, metavar="DIR", help="folder to publish into (created if missing)")
    p.add_argument("--warehouse", type=Path, default=WAREHOUSE_DIR, metavar="DIR",
                   help="warehouse whose releases/ to publish (default: the project's warehouse/)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ncpi.release.publish import PublishError, publish

    try:
        done = publish(args.warehouse, args.out_dir)
    except (PublishError, OSError) as exc:
        raise CliError(str(exc), EXIT_FAILED) from None
    print(f"published {len(done.versions)} release(s) to {done.out_dir} "
          f"({len(done.copied)} copied, latest/ = {done.latest}); index.html and index.json list them")
    return 0
