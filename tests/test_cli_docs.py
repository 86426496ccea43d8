"""The CLI documents itself: every command and option has help text and appears in
docs/cli.md, which must equal what `python -m ncpi_cli.docgen` writes (regenerate with
`python -m ncpi_cli.docgen > docs/cli.md` after changing a command)."""
from __future__ import annotations

import argparse
import subprocess
import sys
from importlib.metadata import version

import pytest

from ncpi.paths import PROJECT_ROOT
from ncpi_cli import docgen

CLI_MD = PROJECT_ROOT / "docs" / "cli.md"
COMMANDS = list(docgen.subcommands(docgen.build_parser()))


def test_cli_reference_is_up_to_date():
    expected = docgen.relative_to_checkout(docgen.render())
    assert CLI_MD.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date: run `python -m ncpi_cli.docgen > docs/cli.md`")


@pytest.mark.parametrize("name,parser,summary", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_and_option_is_documented(name, parser, summary):
    doc = CLI_MD.read_text(encoding="utf-8")
    assert summary, f"`{name}` has no help line"
    assert f"## {name}\n" in doc
    section = doc.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
    for action in docgen.options(parser):
        if action.help == argparse.SUPPRESS:
            continue   # deliberately hidden plumbing (e.g. bench's child-process options)
        label = "/".join(action.option_strings) or action.dest
        assert action.help, f"`{name}` {label} has no help text"
        for flag in action.option_strings:
            assert flag in section, f"`{name}` {flag} is not in docs/cli.md"
        if not action.option_strings:
            assert (action.metavar or action.dest) in section, f"`{name}` {label} is not in docs/cli.md"


def test_version_comes_from_the_package_metadata():
    out = subprocess.run([sys.executable, "-m", "ncpi_cli.main", "--version"],
                         capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert out.stdout.strip() == f"ncpi {version('ncpi')}"
