"""`ncpi bench` end to end on a small corpus: the table and the JSON have every measure.
(Speed is not asserted here; how to measure 10,000 releases is in docs/performance.md.)"""
import json

from ncpi_cli.main import main
from ncpi_cli.commands.bench import TARGETS


def test_bench_prints_the_table_and_writes_comparable_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--n", "40", "--parse-sample", "20", "--json", str(out), "--keep", str(tmp_path / "work")]) == 0
    table = capsys.readouterr().out
    for label in ("parse only, 1 process", "Prefect start-up", "flow end to end, cold", "orchestration overhead",
                  "no-op rerun", "rerun after adding 1 release", "peak RSS"):
        assert label in table
    r = json.loads(out.read_text())
    assert r["n"] == 40 and r["machine"]["cpus"] >= 1
    m = r["metrics"]
    for key in ("parse_docs_per_s_per_core", "parse_docs_per_cpu_s", "startup_s", "flow_run_s", "plain_run_s",
                "noop_rerun_s", "add_one_rerun_s", "orchestration_overhead_pct", "peak_rss_mib"):
        assert isinstance(m[key], (int, float)) and m[key] >= 0 or key == "orchestration_overhead_pct", key
    assert m["parse_docs"] == 20
    assert m["noop_up_to_date"] is True          # nothing changed: the tables were not rewritten
    assert m["add_one_reparsed"] == 1             # one more release: one parse, the rest from the cache
    assert set(r["targets"]) == set(TARGETS)
    assert all(t["met"] in (True, False) for t in r["targets"].values())
    # The kept work folder is reused cold: a second run measures the same thing again.
    assert (tmp_path / "work" / "raw" / ".synth-manifest.jsonl").exists()


def test_bench_refuses_bad_arguments_in_one_line(tmp_path, capsys):
    assert main(["bench", "--n", "0"]) == 2
    assert main(["bench", "--n", "5", "--json", str(tmp_path / "missing" / "b.json")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("ncpi bench: error:") for line in err)
