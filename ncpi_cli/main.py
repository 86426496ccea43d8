"""The `ncpi` command: one subcommand module per feature in ncpi_cli/commands/.

Each module defines `register(subparsers)`; the handler it sets returns an exit code.
User mistakes raise CliError and print one line, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# Order is the order of `ncpi --help`.
COMMANDS = ["run", "build", "sql", "release", "verify", "download", "publish", "fetch", "serve", "synth", "bench", "browse", "explain"]

EXIT_OK = 0
EXIT_FAILED = 1       # the job ran and found a problem (verification failed, a build could not run)
EXIT_USAGE = 2        # the command line was wrong
EXIT_BUSY = 3         # another run holds the lock


class CliError(Exception):
    """A failure the user can act on: printed as one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


def version() -> str:
    """The installed package's version (from its metadata, so it matches `pip show ncpi`)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("ncpi")
    except PackageNotFoundError:
        return "unknown (not installed: pip install -e .)"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ncpi", description="Build, release, fetch and query the NCPI open dataset.")
    p.add_argument("--version", action="version", version=f"ncpi {version()}",
                   help="print the installed version of ncpi and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"ncpi_cli.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ncpi_cli.commands.{name}":
                continue
            raise
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "handler", None):
        p.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"ncpi {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(f"ncpi {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    # Run as `python -m ncpi_cli.main`, this file is __main__, a second copy of the module:
    # the commands raise ncpi_cli.main.CliError, so call that module's main to catch them.
    from ncpi_cli.main import main as cli_main

    sys.exit(cli_main())
