"""The SQL escape suite: `ncpi sql` cannot create, change or read a file outside the
warehouse, whatever the query or the working directory, and stops a query that runs
too long or needs too much memory with one clear line.

Every attack runs from a folder that is not the warehouse and holds its own tables/,
releases/ and a secret, and the warehouse's files are compared byte for byte afterwards.
"""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ncpi_cli.main import main
from tests.sql_fixtures import make_warehouse

ROOT = Path(__file__).resolve().parents[1]
# The real command in its own process (python -m ncpi_cli.main would load main.py twice).
NCPI = [sys.executable, "-c", "import sys; from ncpi_cli.main import main; sys.exit(main())"]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return make_warehouse(tmp_path_factory.mktemp("wh") / "warehouse")


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A working directory with its own tables/ and releases/ (same names as the
    warehouse's) and a secret: none of it may be read."""
    cwd = tmp_path / "elsewhere"
    (cwd / "tables").mkdir(parents=True)
    (cwd / "releases").mkdir()
    (cwd / "secret.txt").write_text("the secret\n")
    (cwd / "tables" / "secret.txt").write_text("the secret\n")
    duckdb.connect().execute("COPY (SELECT 'FROM THE CWD' AS text) TO ? (FORMAT parquet)",
                             [str(cwd / "tables" / "sources.parquet")])
    monkeypatch.chdir(cwd)
    return cwd


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sql(wh, *args):
    return main(["sql", "--warehouse", str(wh), *args])


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("ncpi sql: error:"), err
    assert "\n" not in err and "Traceback" not in err
    return err


WRITES = [
    # the issue's reproducer: a comment before COPY, the warehouse's own table as target
    "/**/COPY (SELECT * REPLACE ('HACKED' AS text) FROM sources) TO '{wh}/tables/sources.parquet' (FORMAT parquet)",
    "SELECT 1; COPY (SELECT 1) TO '{wh}/tables/extra.csv'",
    "select 1;\n/* two */ copy (select 1) to '{wh}/latest'",
    "COPY sources TO '{wh}/releases/1.0.0/sources.parquet' (FORMAT parquet)",
    "COPY (SELECT 1) TO 'tables/relative.csv'",
    "EXPORT DATABASE '{wh}/exported'",
    "/* x */ EXPORT DATABASE 'exported'",
    "ATTACH '{wh}/other.duckdb' AS o",
    "ATTACH ':memory:' AS m",
    "DETACH ncpi",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET allowed_directories = ['/']",
    "RESET lock_configuration",
    "SET VARIABLE x = 1",
    "USE memory",
    "PRAGMA enable_profiling",
    "CALL pragma_version()",
    "CHECKPOINT",
    "EXPLAIN ANALYZE COPY (SELECT 1) TO '{wh}/tables/explained.csv'",
    "CREATE MACRO m(x) AS x",
    "CREATE TEMP TABLE t AS SELECT 1",
    "CREATE SECRET s (TYPE http)",
    "DROP VIEW findings",
    "INSERT INTO findings SELECT * FROM findings",
    "PIVOT findings ON theme",
    "UPDATE EXTENSIONS",
]

# Relative names are the warehouse's own files (there is no secret.txt there): no rows.
RELATIVE_READS = [
    "SELECT * FROM read_text('secret.txt')",
    "SELECT * FROM read_text('tables/secret.txt')",
    "SELECT * FROM read_text('./tables/secret.txt')",
]

READS = [
    "SELECT * FROM read_text('../elsewhere/secret.txt')",
    "SELECT * FROM read_text('tables/../../elsewhere/secret.txt')",
    "SELECT * FROM read_text('{cwd}/secret.txt')",
    "SELECT * FROM read_text('{wh}/../elsewhere/secret.txt')",
    "SELECT * FROM read_text('{wh}/tables/../../elsewhere/secret.txt')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_blob('/proc/self/environ')",
    "SELECT * FROM read_ndjson_auto('/etc/hosts')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM glob('{cwd}/*')",
    "SELECT * FROM parquet_metadata('{cwd}/tables/sources.parquet')",
    "SELECT * FROM read_parquet('{cwd}/tables/*.parquet')",
]


@pytest.mark.parametrize("query", WRITES)
def test_writes_and_setting_changes_are_refused(wh, elsewhere, capsys, query):
    before = snapshot(wh)
    code = sql(wh, query.format(wh=wh, cwd=elsewhere))
    assert code == 2, capsys.readouterr()
    assert "refused" in one_line_error(capsys)
    assert snapshot(wh) == before
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["releases", "secret.txt", "secret.txt", "sources.parquet", "tables"]


@pytest.mark.parametrize("query", READS)
def test_files_outside_the_warehouse_are_not_read(wh, elsewhere, capsys, query):
    before = snapshot(wh)
    code = sql(wh, "--format", "csv", query.format(wh=wh, cwd=elsewhere))
    out = capsys.readouterr()
    assert code == 2, out
    assert "secret" not in out.out and "root:" not in out.out and "FROM THE CWD" not in out.out
    assert "refused" in out.err and "Traceback" not in out.err
    assert snapshot(wh) == before


@pytest.mark.parametrize("query", RELATIVE_READS)
def test_relative_names_are_read_in_the_warehouse_only(wh, elsewhere, capsys, query):
    assert sql(wh, "--format", "csv", query) == 0
    assert capsys.readouterr().out.splitlines() == ["filename,content,size,last_modified"]


def test_a_query_that_writes_through_a_string_is_not_run(wh, elsewhere, capsys):
    # query() takes SQL text; DuckDB itself accepts only a SELECT there.
    before = snapshot(wh)
    assert sql(wh, f"SELECT * FROM query('COPY (SELECT 1) TO ''{wh}/tables/q.csv''')") != 0
    one_line_error(capsys)
    assert snapshot(wh) == before


def test_the_views_read_the_warehouse_not_the_working_directory(wh, elsewhere, capsys):
    # DuckDB tries the working directory before file_search_path: the cwd's
    # tables/sources.parquet must not stand in for the warehouse's.
    assert sql(wh, "--format", "csv", "SELECT count(*) AS n FROM sources") == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]
    assert sql(wh, "--format", "csv", "SELECT count(*) AS n FROM read_text('tables/sources.parquet')") == 0
    assert "FROM THE CWD" not in capsys.readouterr().out
    assert sql(wh, "--format", "csv", "SELECT count(DISTINCT release) AS n FROM findings_history") == 0
    committed = [p for p in (wh / "releases").iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert capsys.readouterr().out.splitlines() == ["n", str(len(committed))]
    assert os.getcwd() == str(elsewhere)    # the working directory is given back


def test_a_string_that_looks_like_a_statement_is_just_a_string(wh, elsewhere, capsys):
    assert sql(wh, "--format", "csv", "SELECT 'COPY x TO y; ATTACH z' AS s") == 0
    assert capsys.readouterr().out.splitlines() == ["s", "COPY x TO y; ATTACH z"]


def test_read_only_queries_of_every_kind_run(wh, elsewhere, capsys):
    for query in ["DESCRIBE findings", "SHOW TABLES", "SUMMARIZE forces", "FROM forces LIMIT 1",
                  "VALUES (1, 'a')", "WITH t AS (SELECT 1 AS x) SELECT * FROM t",
                  "PIVOT findings ON polarity IN ('positive', 'concern') USING count(*) GROUP BY force_id"]:
        assert sql(wh, query) == 0, (query, capsys.readouterr().err)
        capsys.readouterr()


def test_an_endless_query_stops_at_the_timeout(wh, elsewhere, capsys):
    before = snapshot(wh)
    code = sql(wh, "--timeout", "0.2",
               "SELECT count(*) FROM range(1000000000) a, range(1000000000) b WHERE a.range + b.range = -1")
    assert code == 1
    assert "ran longer than 0.2 s" in one_line_error(capsys)
    assert snapshot(wh) == before


def test_a_query_over_the_memory_limit_stops_without_spilling(wh, elsewhere, capsys):
    before = snapshot(wh)
    code = sql(wh, "--memory-limit", "30MB", "SELECT list(range) FROM range(200000000)")
    assert code == 1
    assert "needs more than 30MB of memory" in one_line_error(capsys)
    assert snapshot(wh) == before     # nothing spilled into the warehouse


def test_bad_options_are_usage_errors(wh, elsewhere, capsys):
    for args in (["--timeout", "0"], ["--timeout", "-1"], ["--max-rows", "-1"], ["--format", "xml"]):
        with pytest.raises(SystemExit) as exc:
            sql(wh, *args, "SELECT 1")
        assert exc.value.code == 2
    capsys.readouterr()


def test_a_syntax_error_is_one_line_exit_1(wh, elsewhere, capsys):
    assert sql(wh, "SELEC 1") == 1
    assert "query failed" in one_line_error(capsys)


def test_rich_markup_in_values_is_printed_as_written(wh, elsewhere, capsys):
    assert sql(wh, "SELECT '[/x]' AS a, '[see note]' AS \"[b]\", '[bold]not bold' AS c") == 0
    out = capsys.readouterr().out
    assert "[/x]" in out and "[see note]" in out and "[b]" in out and "[bold]not bold" in out


def test_terminal_escapes_in_values_do_not_reach_the_terminal(wh, elsewhere, capsys):
    assert sql(wh, "SELECT 'red' || chr(27) || '[31mtext' || chr(7) AS a") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "red\\x1b[31mtext\\x07" in out


def test_the_issue_reproducer_as_a_real_process_from_another_folder(wh, elsewhere):
    before = snapshot(wh)
    query = f"/**/COPY (SELECT * REPLACE ('HACKED' AS text) FROM sources) TO '{wh}/tables/sources.parquet' (FORMAT parquet)"
    proc = subprocess.run([*NCPI, "sql", "--warehouse", str(wh), query],
                          cwd=elsewhere, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("ncpi sql: error: refused") and proc.stderr.count("\n") == 1
    assert snapshot(wh) == before
    proc = subprocess.run([*NCPI, "sql", "--warehouse", str(wh), "--format", "csv",
                           "SELECT count(*) AS hacked FROM sources WHERE text = 'HACKED'"],
                          cwd=elsewhere, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stdout.splitlines() == ["hacked", "0"]


def test_a_symlink_in_the_warehouse_to_outside_is_refused(tmp_path, elsewhere, capsys):
    own = make_warehouse(tmp_path / "own")
    (own / "tables" / "evil.txt").symlink_to(elsewhere / "secret.txt")
    assert sql(own, "--format", "csv", "SELECT content FROM read_text('tables/evil.txt')") == 2
    out = capsys.readouterr()
    assert "secret" not in out.out and "symbolic link to outside the warehouse" in out.err
    # a link that stays inside is fine
    (own / "tables" / "evil.txt").unlink()
    (own / "tables" / "same.parquet").symlink_to(own / "tables" / "forces.parquet")
    assert sql(own, "--format", "csv", "SELECT count(*) AS n FROM read_parquet('tables/same.parquet')") == 0
    assert capsys.readouterr().out.splitlines() == ["n", "43"]


def test_a_missing_database_is_made_from_the_warehouse_not_the_cwd(tmp_path, elsewhere, capsys):
    own = make_warehouse(tmp_path / "own")
    (own / "ncpi.duckdb").unlink()
    assert sql(own, "--format", "csv", "SELECT count(*) AS n FROM sources") == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]
