"""`ncpi sql --format table|csv|json|markdown`: complete exports, cuts that say so, NULL
apart from the empty string, and a CSV that pandas reads back unchanged."""
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ncpi_cli.main import main
from tests.sql_fixtures import make_warehouse

ROOT = Path(__file__).resolve().parents[1]
NCPI = [sys.executable, "-c", "import sys; from ncpi_cli.main import main; sys.exit(main())"]

# Awkward values, each written out by hand below.
TRICKY = """
SELECT * FROM (VALUES
  (1, 'plain',                       DATE '2015-07-01', 1.5,  TRUE),
  (2, 'comma, inside',               DATE '2019-02-28', NULL, FALSE),
  (3, 'a "quoted" word',             NULL,              -2.25, NULL),
  (4, E'two\\nlines',                DATE '2024-12-31', 0.0,  TRUE),
  (5, NULL,                          DATE '2000-01-01', 3.0,  FALSE),
  (6, ' padded ',                    DATE '2001-09-11', 4.0,  TRUE)
) AS t(n, text, published, score, flag) ORDER BY n
"""


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return make_warehouse(tmp_path_factory.mktemp("wh") / "warehouse")


def sql(wh, *args):
    return main(["sql", "--warehouse", str(wh), *args])


def test_csv_piped_to_a_file_reads_back_in_pandas_unchanged(wh, tmp_path):
    out = tmp_path / "f.csv"
    with open(out, "w", newline="") as fh:
        proc = subprocess.run([*NCPI, "sql", "--warehouse", str(wh), "--format", "csv", TRICKY],
                              stdout=fh, stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stderr == ""
    got = pd.read_csv(out, parse_dates=["published"], keep_default_na=False, na_values=[""])
    expected = pd.DataFrame({
        "n": [1, 2, 3, 4, 5, 6],
        "text": ["plain", "comma, inside", 'a "quoted" word', "two\nlines", None, " padded "],
        "published": pd.to_datetime(["2015-07-01", "2019-02-28", None, "2024-12-31", "2000-01-01", "2001-09-11"]),
        "score": [1.5, None, -2.25, 0.0, 3.0, 4.0],
        "flag": pd.array([True, False, None, True, False, True], dtype="boolean"),
    })
    got["flag"] = got["flag"].astype("boolean")     # a bool column with a gap reads as object
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_csv_of_a_real_table_matches_what_duckdb_returns(wh, tmp_path, capsys):
    import duckdb
    query = "SELECT finding_id, force_id, theme, polarity, text FROM findings ORDER BY finding_id"
    assert sql(wh, "--format", "csv", query) == 0
    out = tmp_path / "findings.csv"
    out.write_text(capsys.readouterr().out, newline="")
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    con = duckdb.connect()
    want = con.execute("SELECT finding_id, force_id, theme, polarity, text FROM read_parquet(?) ORDER BY finding_id",
                       [str(wh / "tables" / "findings.parquet")]).df()
    assert len(got) == len(want) >= 50        # the seeds' findings: a real table, not a toy
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_csv_keeps_null_and_empty_string_apart(wh, capsys):
    assert sql(wh, "--format", "csv", "SELECT NULL AS a, '' AS b, 'x' AS c") == 0
    assert capsys.readouterr().out == 'a,b,c\r\n,"",x\r\n'


def test_json_is_one_array_with_null_and_iso_dates(wh, capsys):
    assert sql(wh, "--format", "json", TRICKY) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"n": 1, "text": "plain", "published": "2015-07-01", "score": 1.5, "flag": True}
    assert rows[2]["published"] is None and rows[4]["text"] is None
    assert rows[3]["text"] == "two\nlines" and len(rows) == 6


def test_json_of_no_rows_is_an_empty_array(wh, capsys):
    assert sql(wh, "--format", "json", "SELECT 1 AS x WHERE false") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_table_and_markdown_show_null_apart_from_empty(wh, capsys):
    assert sql(wh, "--format", "markdown", "SELECT NULL AS a, '' AS b, 'x|y' AS c, 'line' || chr(10) || 'two' AS d") == 0
    assert capsys.readouterr().out.splitlines() == [
        "| a | b | c | d |",
        "|---|---|---|---|",
        "| *NULL* |  | x\\|y | line<br>two |",
    ]
    assert sql(wh, "SELECT NULL AS a, '' AS b") == 0
    lines = capsys.readouterr().out.splitlines()
    body = [ln for ln in lines if "│" in ln and "a" not in ln]
    assert body and "NULL" in body[0]
    cells = [c.strip() for c in body[0].split("│")[1:-1]]
    assert cells == ["NULL", ""]


def test_table_cut_at_200_by_default_and_says_so(wh, capsys):
    assert sql(wh, "SELECT range AS n FROM range(250)") == 0
    out = capsys.readouterr().out
    assert "showing 200 of 250 rows" in out
    assert "│ 199 │" in out.replace("  ", " ") and "│ 200 │" not in out.replace("  ", " ")


def test_table_says_nothing_when_nothing_is_cut(wh, capsys):
    assert sql(wh, "--max-rows", "10", "SELECT range AS n FROM range(10)") == 0
    assert "showing" not in capsys.readouterr().out


def test_csv_and_json_are_complete_by_default(wh, capsys):
    assert sql(wh, "--format", "csv", "SELECT range AS n FROM range(5000)") == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[1:] == [str(i) for i in range(5000)] and out.err == ""
    assert sql(wh, "--format", "json", "SELECT range AS n FROM range(5000)") == 0
    out = capsys.readouterr()
    assert [r["n"] for r in json.loads(out.out)] == list(range(5000)) and out.err == ""


def test_a_cut_csv_or_json_says_so_on_stderr(wh, capsys):
    assert sql(wh, "--format", "csv", "--max-rows", "3", "SELECT range AS n FROM range(76)") == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["n", "0", "1", "2"]
    assert out.err.strip() == "showing 3 of 76 rows (raise --max-rows to see more)"
    assert sql(wh, "--format", "json", "--max-rows", "2", "SELECT range AS n FROM range(76)") == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == [{"n": 0}, {"n": 1}]
    assert "showing 2 of 76 rows" in out.err
    assert sql(wh, "--format", "markdown", "--max-rows", "1", "SELECT range AS n FROM range(76)") == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["| n |", "|---|", "| 0 |"] and "showing 1 of 76 rows" in out.err


def test_lists_and_structs_are_json_text_in_csv(wh, capsys):
    assert sql(wh, "--format", "csv", "SELECT ['a', 'b'] AS l, {'k': 1} AS s") == 0
    assert capsys.readouterr().out.splitlines() == ["l,s", '"[""a"", ""b""]","{""k"": 1}"']


@pytest.mark.parametrize("command", ["sql", "publish"])
def test_every_option_has_help_text(command):
    from ncpi_cli.main import parser

    sub = next(a for a in parser()._actions if a.dest == "command")
    p = sub.choices[command]
    assert p.description
    for action in p._actions:
        if action.dest != "help":
            assert action.help and action.help.strip(), (command, action.dest)


def test_a_reader_that_stops_early_is_not_an_error(wh):
    proc = subprocess.run(
        shlex.join([*NCPI, "sql", "--warehouse", str(wh), "--format", "csv", "SELECT range AS n FROM range(3000000)"])
        + " | head -2",
        shell=True, capture_output=True, text=True, timeout=120, executable="/bin/bash",
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.splitlines() == ["n", "0"]
    assert proc.stderr == ""
