"""`ncpi browse`: serve a release as a browsable site (Datasette) on 127.0.0.1."""
from __future__ import annotations

import argparse
from pathlib import Path

from ncpi.paths import PROJECT_ROOT, WAREHOUSE_DIR
from ncpi_cli.main import EXIT_USAGE, CliError

CACHE_DIR = PROJECT_ROOT / ".cache" / "browse"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "browse", help="serve a release as a browsable site on 127.0.0.1 (Datasette)",
        description="Load a release's Parquet tables into a cached SQLite file and serve it with "
                    "Datasette: facets, full-text search, JSON and CSV for every table and query, "
                    "a page per force and an evidence page per finding and statement. Needs the "
                    "`browse` extra (pip install -e '.[browse]', or `make browse`).")
    p.add_argument("--release", type=Path, metavar="DIR",
                   help="a release folder to serve (default: the one warehouse/latest names)")
    p.add_argument("--warehouse", type=Path, default=WAREHOUSE_DIR, metavar="DIR",
                   help="the warehouse whose latest release is served (default: warehouse/)")
    p.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 to listen on (default: 8001)")
    p.add_argument("--cache-dir", type=Path, default=CACHE_DIR, metavar="DIR",
                   help="where the SQLite copy of the release is kept (default: .cache/browse/)")
    p.add_argument("--build-only", action="store_true",
                   help="build the SQLite file, print its path and exit without serving")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ncpi.browse import build_database, release_dir
    from ncpi.browse.database import BrowseError

    if not 0 <= args.port <= 65535:
        raise CliError(f"--port {args.port} is not a port number (0-65535)", EXIT_USAGE)
    try:
        folder = release_dir(args.warehouse, args.release)
        db = build_database(folder, args.cache_dir)
    except BrowseError as exc:
        raise CliError(str(exc)) from None
    if args.build_only:
        print(db)
        return 0
    try:
        from ncpi.browse.app import serve
        import datasette  # noqa: F401  (the browse extra)
    except ImportError:
        raise CliError("Datasette is not installed: pip install -e '.[browse]' (or `make browse`)") from None
    if not _port_free(args.port):
        raise CliError(f"port {args.port} on 127.0.0.1 is in use (another `ncpi browse`?); pass --port with a free one")
    print(f"serving release {folder.name} at http://127.0.0.1:{args.port}/ (Ctrl-C stops)", flush=True)
    serve(db, folder, port=args.port)
    return 0


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn binds
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
