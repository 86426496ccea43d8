"""`ncpi fetch`: discover and download new NCPI releases into raw/fetched/."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from ncpi_cli.main import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError
from ncpi.paths import RAW_DIR


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "fetch",
        help="discover and download new releases into raw/",
        description=(
            "Read the source registry, discover NCPI releases from its feeds and listing pages, "
            "and download every release that is new or changed into raw/fetched/<host>/ with a "
            ".meta.json sidecar. Unchanged pages are not downloaded again (ETag/Last-Modified). "
            "Exit status: 0 if nothing failed, 1 if some URL failed (the rest are still stored), "
            "3 if another fetch is running."
        ),
    )
    p.add_argument("--registry", type=Path, default=None, metavar="TOML",
                   help="the source registry (default: RAW/sources.toml)")
    p.add_argument("--raw", type=Path, default=RAW_DIR, metavar="DIR", help="the raw root (default: %(default)s)")
    p.add_argument("--only", metavar="URL",
                   help="fetch just this URL: a feed or listing of the registry is read for its items, "
                        "anything else is fetched as a release")
    p.add_argument("-v", "--verbose", action="store_true", help="list unchanged URLs and skipped feed items too")
    p.add_argument("--json", action="store_true", help="print the full report as JSON instead of a summary")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: only on a terminal)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ncpi.fetch import FetchBusy, RegistryError, fetch_sources, load_registry
    from ncpi.fetch.progress import make_progress

    raw = Path(args.raw)
    registry_path = Path(args.registry) if args.registry else raw / "sources.toml"
    try:
        registry = load_registry(registry_path)
    except RegistryError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    if args.verbose:
        logging.getLogger("ncpi.fetch").setLevel(logging.DEBUG)
    progress = make_progress(args.progress if not args.json else False)
    messages: list[str] = []
    try:
        report = fetch_sources(registry, raw, only=args.only, progress=progress, log_fn=messages.append)
    except FetchBusy as exc:
        raise CliError(str(exc), EXIT_BUSY) from None
    except ValueError as exc:           # a bad --only URL
        raise CliError(str(exc), EXIT_USAGE) from None
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"ncpi fetch: {report.summary()}")
        for line in report.lines(verbose=args.verbose):
            print(line)
        if report.new:
            print(f"run `ncpi run` to rebuild the dataset with the {len(report.new)} new document(s)")
    # The inspectorate's publication listing: NCPI reports the catalogue lacks are proposed
    # for review in RAW/reference/ncpi_reports.proposed.csv (ncpi/fetch/catalogue.py).
    discovery = None
    if args.only is None and registry.report_listings:
        from ncpi.fetch.catalogue import discover_reports
        discovery = discover_reports(registry, raw, log_fn=messages.append)
        if not args.json:
            print(f"ncpi fetch: {discovery.summary()}")
    failed = bool(report.failed or report.failed_discoveries or (discovery and discovery.failed))
    return EXIT_FAILED if failed else EXIT_OK
