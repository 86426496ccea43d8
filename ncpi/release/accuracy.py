"""How far to trust each column: the measured accuracy published with every release.

docs/accuracy.json is written by tools/realpages.py (see docs/accuracy.md): per column
(force, kind, inspector, not_ncpi, polarity, theme, statements…), the share right on the
hand-written fixtures, on the blind holdout set and on the index of real pages studied.
A release carries the figures that were current when it was cut (`ncpiAccuracy` in its
manifest); re-rendering a committed release reuses its own, so it stays byte-identical.
"""
from __future__ import annotations

import json
from pathlib import Path

from ncpi.paths import PROJECT_ROOT

ACCURACY_FILE = PROJECT_ROOT / "docs" / "accuracy.json"
SETS = ("fixtures", "holdout", "real_page_index")
# The columns a reader asks about, in the card's order, with the table.column they grade.
COLUMNS = {
    "force": "inspections.force_id (the subject force)",
    "kind": "inspections.kind (the subject inspection)",
    "inspector": "inspections.lead_inspector / statements.speaker_name (the HM Inspector)",
    "not_ncpi": "sources.quality_flags has not_ncpi (documents that are not NCPI releases)",
    "wrongly_not_ncpi": "NCPI documents wrongly flagged not_ncpi (lower is better)",
    "findings_recall": "findings found (located, same polarity)",
    "polarity": "findings.polarity",
    "theme": "findings.theme",
    "statements": "statements found (same speaker)",
}


def load_accuracy(path: Path = ACCURACY_FILE) -> dict | None:
    """The measured figures, trimmed to what a release publishes; None when not measured."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    out = {"measuredOn": data.get("measured_on"), "how": data.get("how"), "targets": data.get("targets", {}),
           "definitions": data.get("measures", {}), "sets": {}}
    for name in SETS:
        block = data.get(name)
        if isinstance(block, dict) and isinstance(block.get("columns"), dict):
            out["sets"][name] = {"description": block.get("set"), "documents": block.get("documents"),
                                 "columns": block["columns"]}
    return out


def _cell(column: dict | None) -> str:
    if not column or column.get("n") in (None, 0):
        return "—"
    return f"{column['value']:.2f} ({column['hits']}/{column['n']})"


def accuracy_lines(accuracy: dict | None) -> list[str]:
    """The card's section: one row per column, one cell per measured set."""
    if not accuracy or not accuracy.get("sets"):
        return []
    sets = [s for s in SETS if s in accuracy["sets"]]
    rows = []
    for col, what in COLUMNS.items():
        cells = [_cell(accuracy["sets"][s]["columns"].get(col)) for s in sets]
        if any(c != "—" for c in cells):
            target = accuracy.get("targets", {}).get(col)
            rows.append([f"`{col}`", what, *cells, "—" if target is None else f"{target:g}"])
    header = ["column", "what is graded", *[s.replace("_", " ") for s in sets], "target"]
    out = [
        "## How far to trust each column",
        "",
        f"Measured on {accuracy.get('measuredOn') or 'an unstated day'} by `tools/realpages.py`: each document "
        "parsed on its own and compared with what a person reading it wrote down. `fixtures` are documents "
        "written by hand after real pages; `holdout` were written without reading the parser; `real page index` "
        "is the set of real pages studied (document-level columns only). Cells are share right "
        "(right/graded). See `docs/accuracy.md` in the repository.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out + [""]
