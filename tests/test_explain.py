"""`ncpi explain`: the rules and spans behind a row, from real built tables of the seeds.

Expectations read from the seed text: in "... found Cleveland Police's poor record-keeping
and supervision have undermined its safeguarding measures." the concern word is "poor"
and the subject is record-keeping."""
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ncpi.build import build
from ncpi.explain import ExplainError, explain

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    (raw / "variants").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "variants" / "217_surrey_peel_not_ncpi.txt", raw / "variants")
    out = tmp_path_factory.mktemp("tables")
    build(raw, out, workers=1)
    return raw, out


def _finding(out, words):
    rows = pq.read_table(out / "findings.parquet").to_pylist()
    return next(r for r in rows if words in r["text"])


def test_finding_names_block_sentence_and_each_rule_with_its_cue(built):
    raw, out = built
    row = _finding(out, "poor record-keeping")
    assert row["polarity_rule"] == "polarity.negative.lack"
    assert row["theme_rule"] == "theme.supervision_and_records.supervision"
    text = "\n".join(explain(row["finding_id"], out, raw))
    assert "sentence [" in text and "published on Thursday" in text
    assert "polarity.negative.lack (cue 'poor' in the text)" in text
    assert "theme.supervision_and_records.supervision (cue 'record-keeping' in the text)" in text


def test_list_item_polarity_points_at_the_lead_in(built):
    """'The report sets out that the force has made improvements in:' gives its bullets their polarity."""
    raw, out = built
    row = _finding(out, "recording and completion of protection documentation")
    text = "\n".join(explain(row["finding_id"], out, raw))
    assert "polarity.lead_in.positive (cue 'made improvements' in the lead-in before it" in text


def test_inspection_shows_first_mention_and_date_cue(built):
    raw, out = built
    text = "\n".join(explain("greater-manchester-inspection-2014", out, raw))
    assert "first mention" in text and "Greater Manchester Police – published December 2014" in text
    assert "kind.mentioned.report_list" in text
    assert "history.published ('published')" in text


def test_statement_names_the_role_rule(built):
    raw, out = built
    rows = pq.read_table(out / "statements.parquet").to_pylist()
    row = next(r for r in rows if r["speaker_name"] == "Zoë Billingham")
    text = "\n".join(explain(row["statement_id"], out, raw))
    assert "HM Inspector of Constabulary  by role.hm_inspector" in text


def test_withheld_text_is_read_again_from_raw(built, tmp_path):
    """A table without the text (not openly licensed) still explains, from raw/."""
    raw, out = built
    tables = tmp_path / "tables"
    shutil.copytree(out, tables)
    sources = pq.read_table(tables / "sources.parquet")
    idx = sources.schema.get_field_index("text")
    import pyarrow as pa
    pq.write_table(sources.set_column(idx, sources.schema.field(idx), pa.nulls(sources.num_rows, pa.string())),
                   tables / "sources.parquet")
    row = _finding(out, "poor record-keeping")
    assert "cue 'poor'" in "\n".join(explain(row["finding_id"], tables, raw))


def test_source_explains_its_scope(built):
    """A PEEL release naming child protection: the NCPI cue is outweighed by 'PEEL' in its head."""
    raw, out = built
    rows = pq.read_table(out / "sources.parquet", columns=["source_id", "path"]).to_pylist()
    peel = next(r["source_id"] for r in rows if "217_surrey" in r["path"])
    text = "\n".join(explain(peel, out, raw))
    assert "not-ncpi cue scope.not_ncpi.peel" in text and "verdict      not NCPI" in text
    seed = next(r["source_id"] for r in rows if r["path"].startswith("seeds/000_"))
    assert "verdict      NCPI" in "\n".join(explain(seed, out, raw))


def test_unknown_id_is_a_clear_error_and_cli_exit_2(built):
    raw, out = built
    with pytest.raises(ExplainError, match="not a finding_id"):
        explain("0000000000000000", out, raw)
    ncpi = Path(sys.executable).parent / "ncpi"
    proc = subprocess.run([str(ncpi), "explain", "0000000000000000", "--tables", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "not a finding_id" in proc.stderr


def test_finding_chain_runs_block_split_polarity_theme_and_names_findable_records(built):
    """The chain for a seed finding, in order, each step with its span or rule; every rule
    named is a record a newcomer finds by its id in the file the output names."""
    raw, out = built
    row = _finding(out, "poor record-keeping")
    lines = explain(row["finding_id"], out, raw)
    steps = [next(k for k, line in enumerate(lines) if line.lstrip().startswith(step))
             for step in ("block", "sentence", "split", "polarity", "theme")]
    assert steps == sorted(steps)
    assert f"[{row['span_start']},{row['span_end']})" in lines[steps[2]]
    records = [line.split("record:")[1].strip() for line in lines if "record:" in line]
    assert records == ["ncpi/rules/polarity.py", "ncpi/rules/themes.py"]
    for rule_id, path in zip((row["polarity_rule"], row["theme_rule"]), records):
        assert f'"{rule_id}"' in (ROOT / path).read_text(encoding="utf-8")
