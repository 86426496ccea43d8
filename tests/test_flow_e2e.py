"""The build as a real Prefect flow run, then queried through real DuckDB and the CLI."""
import hashlib
from pathlib import Path

import duckdb

from ncpi import warehouse
from ncpi.build import build

ROOT = Path(__file__).resolve().parents[1]


def test_build_flow_matches_plain_build_and_is_queryable(prefect_harness, tmp_path, monkeypatch, capsys):
    from flows.build import build_flow
    from ncpi_cli.main import main

    report = build_flow(str(ROOT / "raw"), str(tmp_path / "tables"), batch_size=2)
    assert report.documents == 5 and report.quarantined == 0
    build(ROOT / "raw", tmp_path / "plain")
    for p in (tmp_path / "plain").glob("*.parquet"):
        assert hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256((tmp_path / "tables" / p.name).read_bytes()).digest()
    warehouse.refresh_views(tmp_path)
    monkeypatch.chdir("/")  # views must work from any working directory
    con = warehouse.connect(tmp_path)
    n = con.execute("SELECT count(*) FROM findings WHERE force_id = ?", ["northumbria"]).fetchone()[0]
    assert n >= 9
    assert con.execute("SELECT count(*) FROM forces").fetchone()[0] == 43
    con.close()
    assert main(["sql", "--warehouse", str(tmp_path), "SELECT force_id, count(*) FROM findings GROUP BY 1 ORDER BY 1"]) == 0
    assert "northumbria" in capsys.readouterr().out
    assert main(["sql", "--warehouse", str(tmp_path), "DROP VIEW findings"]) == 2
    assert main(["sql", "--warehouse", str(tmp_path), "SELECT * FROM read_csv('/etc/passwd')"]) == 2
