"""The measured accuracy travels with every release: manifest (ncpiAccuracy) and card."""
import json

from ncpi.release.accuracy import accuracy_lines, load_accuracy
from tests.release_fixtures import cut_sample_release


def _accuracy_file(tmp_path):
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps({
        "measured_on": "2026-11-30", "how": "by hand", "targets": {"kind": 0.95},
        "measures": {"kind": "subject inspection's kind right"},
        "fixtures": {"set": "hand-written", "documents": 10,
                     "columns": {"kind": {"value": 0.9, "hits": 9, "n": 10}}},
    }), encoding="utf-8")
    return path


def test_card_lists_each_column_with_its_set_and_target(tmp_path):
    lines = accuracy_lines(load_accuracy(_accuracy_file(tmp_path)))
    assert lines[0] == "## How far to trust each column"
    row = next(line for line in lines if line.startswith("| `kind`"))
    assert "0.90 (9/10)" in row and row.endswith("| 0.95 |")
    assert not any(line.startswith("| `theme`") for line in lines)   # not measured: not claimed


def test_release_carries_the_figures_and_reproduces_with_them(tmp_path, monkeypatch):
    from ncpi.release import cut as cut_mod
    from ncpi.release import check_reproducible
    measured = load_accuracy(_accuracy_file(tmp_path))
    monkeypatch.setattr(cut_mod, "load_accuracy", lambda: measured)
    rel = cut_sample_release(tmp_path / "warehouse")
    dp = json.loads((rel / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["ncpiAccuracy"]["sets"]["fixtures"]["columns"]["kind"]["hits"] == 9
    assert "## How far to trust each column" in (rel / "README.md").read_text(encoding="utf-8")
    # a later measurement does not change a committed release: it re-renders with its own figures
    monkeypatch.setattr(cut_mod, "load_accuracy", lambda: None)
    assert check_reproducible(tmp_path / "warehouse" / "tables", rel) == []
