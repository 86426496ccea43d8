"""Write the CLI reference, docs/cli.md, from the parser itself:

    python -m ncpi_cli.docgen > docs/cli.md

tests/test_cli_docs.py fails when docs/cli.md differs from this output, so a new command
or option cannot go undocumented (the way sqlite-utils keeps its CLI reference with cog).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator

# argparse wraps help to the terminal's width; a fixed width keeps the file stable.
WIDTH = "100"

HEADER = """# Command-line reference

Every command of `ncpi` with its options, as `ncpi COMMAND --help` prints them.
This page is generated: `python -m ncpi_cli.docgen > docs/cli.md` (a test fails when it
is out of date). `ncpi --version` prints the installed version.
"""


def build_parser() -> argparse.ArgumentParser:
    os.environ["COLUMNS"] = WIDTH
    from ncpi_cli.main import parser

    return parser()


def subcommands(p: argparse.ArgumentParser, prefix: str = "ncpi") -> Iterator[tuple[str, argparse.ArgumentParser, str]]:
    """(full command name, its parser, its one-line help) for every command, nested ones too."""
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c.help or "" for c in action._choices_actions}
            for name, sp in action.choices.items():
                full = f"{prefix} {name}"
                yield full, sp, helps.get(name, "")
                yield from subcommands(sp, full)


def options(p: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments and options a user can give (not --help, not nested command names)."""
    return [a for a in p._actions
            if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]


def _relative_help(p: argparse.ArgumentParser) -> None:
    """Help texts name checkout folders by absolute path; make them relative BEFORE argparse
    wraps the text, or the line breaks would depend on where the repository is cloned."""
    from pathlib import Path

    for parser in [p] + [sp for _, sp, _ in subcommands(p)]:
        for action in parser._actions:
            if isinstance(action.help, str):
                action.help = relative_to_checkout(action.help)
            if isinstance(action.default, Path):         # shown by %(default)s
                action.default = Path(relative_to_checkout(str(action.default)))


def render() -> str:
    top = build_parser()
    _relative_help(top)
    out = [HEADER]
    commands = list(subcommands(top))
    out.append("| command | what it does |\n|---|---|")
    out.extend(f"| [`{name}`](#{name.replace(' ', '-')}) | {summary} |" for name, _, summary in commands)
    out.append("")
    out.append("## ncpi\n\n```text\n" + top.format_help().rstrip() + "\n```\n")
    for name, sp, _ in commands:
        out.append(f"## {name}\n\n```text\n" + sp.format_help().rstrip() + "\n```\n")
    return "\n".join(out)


def relative_to_checkout(text: str) -> str:
    """Defaults that are folders of the checkout (raw/, warehouse/) print as absolute paths;
    the reference names them relative to the repository root, the same on every machine."""
    from ncpi.paths import PROJECT_ROOT

    return text.replace(str(PROJECT_ROOT) + os.sep, "")


def main() -> int:
    sys.stdout.write(relative_to_checkout(render()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
