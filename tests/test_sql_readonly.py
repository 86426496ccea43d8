"""`ncpi sql` is read-only and confined to the warehouse, whatever the query says."""
from pathlib import Path

import pytest

from ncpi_cli.main import main
from tests.sql_fixtures import make_warehouse

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    # The committed release, with its views: no build needed.
    return make_warehouse(tmp_path_factory.mktemp("wh"))


def test_reads_views_and_history(wh, capsys):
    assert main(["sql", "--warehouse", str(wh), "SELECT count(*) AS n FROM findings"]) == 0
    assert main(["sql", "--warehouse", str(wh), "SELECT count(DISTINCT release) AS n FROM findings_history"]) == 0


@pytest.mark.parametrize("query", [
    "DROP VIEW findings",
    "CREATE TABLE x AS SELECT 1",
    "ATTACH '/tmp/other.duckdb' AS o",
    "INSTALL httpfs",
    "SET enable_external_access = true",
    "COPY (SELECT * FROM findings) TO '/tmp/leak.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('tables/../../../etc/hostname')",
    "SELECT * FROM read_ndjson_auto('/etc/hosts')",
    "SELECT 1; DROP VIEW findings",
    "select * from findings; attach '/tmp/x.db'",
])
def test_refused_with_one_line_and_exit_2(wh, query, capsys):
    assert main(["sql", "--warehouse", str(wh), query]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ncpi sql: error:") and "\n" not in err and "Traceback" not in err
    # nothing was written or changed
    assert main(["sql", "--warehouse", str(wh), "SELECT count(*) FROM findings"]) == 0


def test_a_quoted_path_is_not_read_as_a_file(wh, capsys):
    # DuckDB's replacement scan would read '/etc/passwd' as a CSV; confined, it is just an unknown table.
    assert main(["sql", "--warehouse", str(wh), "SELECT * FROM '/etc/passwd'"]) != 0
    assert "root" not in capsys.readouterr().out
