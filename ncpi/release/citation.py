"""CITATION.cff for a release (Citation File Format 1.2.0), in every release and in the repository.

Its year is the release's own `created` date: the year the data was published, which is
what a citation needs (not the year of the newest document in it).
"""
from __future__ import annotations

from ncpi.release.manifest import LICENCE, PACKAGE_DESCRIPTION, PACKAGE_TITLE

AUTHOR = "NCPI open dataset contributors"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_citation(*, version: str, created: str | None) -> str:
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_quote(PACKAGE_TITLE)}",
        f"abstract: {_quote(PACKAGE_DESCRIPTION)}",
        "authors:",
        f"  - name: {_quote(AUTHOR)}",
        f"version: {_quote(version)}",
    ]
    if created:
        lines.append(f"date-released: {_quote(created[:10])}")
    lines += [
        f"license: {_quote(LICENCE['name'])}",
        "keywords:",
        '  - "child protection"',
        '  - "police"',
        '  - "HMICFRS"',
    ]
    return "\n".join(lines) + "\n"
