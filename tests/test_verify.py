"""`ncpi verify`: every file against SHA256SUMS and the manifest; one line naming the bad file."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ncpi_cli.main import main as cli_main
from ncpi.release import VerificationError, find_problems, verify_release
from ncpi.release.fsutil import format_sums, parse_sums
from tests.release_fixtures import cut_sample_release


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return cut_sample_release(tmp_path_factory.mktemp("wh"))


@pytest.fixture
def rel(pristine, tmp_path):
    """A private copy of a good release, named like one."""
    dst = tmp_path / "1.0.0"
    shutil.copytree(pristine, dst)
    return dst


def flip_byte(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if offset is None else offset
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def reseal(rel: Path, manifest: dict | None = None) -> None:
    """Rewrite datapackage.json (optionally) and SHA256SUMS so hashes agree: tests the deeper checks."""
    if manifest is not None:
        (rel / "datapackage.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    sums = parse_sums((rel / "SHA256SUMS").read_text())
    for name in list(sums):
        if (rel / name).exists():
            sums[name] = hashlib.sha256((rel / name).read_bytes()).hexdigest()
    (rel / "SHA256SUMS").write_text(format_sums(sums))


def res(dp: dict, name: str) -> dict:
    """The manifest's resource for one table, by name (the resource order is not the point)."""
    return next(r for r in dp["resources"] if r["name"] == name)


def first(rel: Path) -> str:
    problems = find_problems(rel)
    assert problems, "expected a problem"
    return problems[0].line()


def test_good_release_verifies(rel, capsys):
    ok = verify_release(rel)
    # ten tables, CHANGES.parquet, findings_flat.csv, the card, its two charts, CITATION.cff and the manifest
    listed = len((rel / "SHA256SUMS").read_text().splitlines())
    assert ok.version == "1.0.0" and ok.files == listed + 1 and ok.rows["findings"] == 5
    assert verify_release(rel / "datapackage.json").path == rel
    assert cli_main(["verify", str(rel)]) == 0
    assert "ok: release 1.0.0" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["findings.parquet", "README.md", "datapackage.json", "CHANGES.parquet",
                                  "findings_by_force.svg"])
def test_one_flipped_byte_fails_naming_the_file(rel, name, capsys):
    flip_byte(rel / name)
    assert cli_main(["verify", str(rel)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"ncpi verify: error: {name}: sha256 does not match SHA256SUMS")


def test_missing_file(rel):
    (rel / "statements.parquet").unlink()
    assert first(rel) == "statements.parquet: is listed in SHA256SUMS but missing"


def test_extra_file(rel):
    (rel / "notes.txt").write_text("hello")
    assert first(rel) == "notes.txt: is not listed in SHA256SUMS (extra file)"


def test_extra_file_in_subfolder(rel):
    (rel / "sub").mkdir()
    (rel / "sub" / "x.parquet").write_bytes(b"PAR1")
    assert first(rel) == "sub/x.parquet: is not listed in SHA256SUMS (extra file)"


def test_missing_sums(rel):
    (rel / "SHA256SUMS").unlink()
    assert first(rel) == "SHA256SUMS: is missing"


def test_sums_naming_a_path_outside(rel):
    with open(rel / "SHA256SUMS", "a") as fh:
        fh.write("0" * 64 + "  ../outside.txt\n")
    n = len((rel / "SHA256SUMS").read_text().splitlines())
    assert first(rel) == f"SHA256SUMS: line {n} names an unsafe path '../outside.txt'"


def test_manifest_path_escaping_the_folder(rel):
    dp = json.loads((rel / "datapackage.json").read_text())
    dp["resources"][0]["path"] = "../x"
    reseal(rel, dp)
    assert first(rel).startswith("../x: path named by datapackage.json resource 'sources' escapes the release folder")


@pytest.mark.parametrize("bad", ["/etc/passwd", "a/../../b", "C:\\x.parquet", ".hidden.parquet"])
def test_other_unsafe_manifest_paths(rel, bad):
    dp = json.loads((rel / "datapackage.json").read_text())
    dp["resources"][1]["path"] = bad
    reseal(rel, dp)
    assert "escapes the release folder" in first(rel)


def test_row_count_in_manifest_is_checked(rel):
    dp = json.loads((rel / "datapackage.json").read_text())
    res(dp, "findings")["rows"] = 6
    reseal(rel, dp)
    assert first(rel) == "findings.parquet: has 5 rows, the manifest says 6"


def test_bytes_and_hash_in_manifest_are_checked(rel):
    dp = json.loads((rel / "datapackage.json").read_text())
    res(dp, "forces")["ncpiBytes"] += 1
    res(dp, "inspections")["hash"] = "sha256:" + "0" * 64
    reseal(rel, dp)
    lines = [p.line() for p in find_problems(rel)]
    assert "inspections.parquet: sha256 does not match the hash in datapackage.json" in lines
    assert any(line.startswith("forces.parquet: is ") and "datapackage.json says" in line for line in lines)


def test_schema_in_file_vs_manifest(rel):
    # Replace a table with one whose schema differs, keep every hash consistent: only the schema check can tell.
    t = pq.read_table(rel / "statements.parquet").drop_columns(["speaker_role"])
    pq.write_table(t, rel / "statements.parquet")
    dp = json.loads((rel / "datapackage.json").read_text())
    resource = res(dp, "statements")
    data = (rel / "statements.parquet").read_bytes()
    resource["ncpiBytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    reseal(rel, dp)
    assert first(rel) == "statements.parquet: column 'speaker_role' is in the manifest but not in the file"


def test_column_type_vs_manifest(rel):
    t = pq.read_table(rel / "findings.parquet")
    i = t.schema.get_field_index("span_start")
    t = t.set_column(i, pa.field("span_start", pa.string()), t.column(i).cast(pa.string()))
    pq.write_table(t, rel / "findings.parquet")
    dp = json.loads((rel / "datapackage.json").read_text())
    data = (rel / "findings.parquet").read_bytes()
    res(dp, "findings")["ncpiBytes"], res(dp, "findings")["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    reseal(rel, dp)
    assert first(rel) == "findings.parquet: column 'span_start' is string (string), the manifest says integer"


def test_version_must_match_folder(rel):
    dp = json.loads((rel / "datapackage.json").read_text())
    dp["version"] = "1.0.1"
    reseal(rel, dp)
    assert first(rel) == "datapackage.json: says version 1.0.1 but the folder is 1.0.0"


def test_symlink_is_refused(rel, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (rel / "README.md").unlink()
    os.symlink(outside, rel / "README.md")
    assert first(rel) == "README.md: is a link or special file; a release holds regular files only"


def test_not_a_folder(tmp_path, capsys):
    assert cli_main(["verify", str(tmp_path / "nope")]) == 1
    assert "is not a release folder" in capsys.readouterr().err


def test_verbose_lists_every_problem(rel, capsys):
    flip_byte(rel / "README.md")
    (rel / "forces.parquet").unlink()
    with pytest.raises(VerificationError) as exc:
        verify_release(rel)
    # the card is wrong twice over: against SHA256SUMS and against its hash pinned in the manifest
    assert len(exc.value.problems) == 3 and "(and 2 more)" in str(exc.value)
    assert cli_main(["verify", "-v", str(rel)]) == 1
    err = capsys.readouterr().err
    assert "README.md: sha256 does not match" in err and "forces.parquet: is listed in SHA256SUMS but missing" in err


def test_sha256sum_compatible(rel):
    """SHA256SUMS is in `sha256sum -c` format."""
    if not shutil.which("sha256sum"):
        pytest.skip("no sha256sum")
    import subprocess
    out = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=rel, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# --- issue 15: hostile manifests and files, one line each; a damaged latest release is noticed
def _nested(depth: int):
    value: list = [1]
    for _ in range(depth):
        value = [value]
    return value


def _cli_one_line(rel, capsys) -> str:
    code = cli_main(["verify", str(rel)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1, err
    return err[0]


@pytest.mark.parametrize("mutate, expected", [
    (lambda dp: dp.update(resources=[{"a": _nested(70)}]), "nested more than 64 levels"),
    (lambda dp: res(dp, "findings").update(schema=[]), "not a list of named fields"),
    (lambda dp: res(dp, "findings").update(schema={"fields": "span_start"}), "not a list of named fields"),
    (lambda dp: res(dp, "findings")["schema"]["fields"][0].update(constraints=["required"]), "constraints that are not an object"),
    (lambda dp: res(dp, "findings")["schema"]["fields"].append(dict(res(dp, "findings")["schema"]["fields"][0])), "declared twice"),
    (lambda dp: res(dp, "findings").update(ncpiBytes=True), "datapackage.json says True"),
    (lambda dp: dp.update(ncpiFiles={"README.md": "sha256:" + "0" * 64}), "README.md: sha256 does not match"),
])
def test_hostile_manifest_is_one_line_not_a_traceback(rel, capsys, mutate, expected):
    dp = json.loads((rel / "datapackage.json").read_text())
    mutate(dp)
    reseal(rel, dp)
    assert expected in _cli_one_line(rel, capsys)


def test_manifest_nested_200k_deep_is_one_line(rel, capsys):
    (rel / "datapackage.json").write_text('{"resources": ' + "[" * 200_000 + "]" * 200_000 + "}")
    reseal(rel)
    assert "nested too deeply" in _cli_one_line(rel, capsys)


def test_duplicate_parquet_columns_are_one_line(rel, capsys):
    t = pq.read_table(rel / "findings.parquet")
    t = pa.table(t.columns + [t.column("text")], names=t.column_names + ["text"])
    pq.write_table(t, rel / "findings.parquet")
    dp = json.loads((rel / "datapackage.json").read_text())
    data = (rel / "findings.parquet").read_bytes()
    res(dp, "findings")["ncpiBytes"], res(dp, "findings")["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    reseal(rel, dp)
    assert "column 'text' appears more than once" in _cli_one_line(rel, capsys)


@pytest.mark.parametrize("name, payload", [
    ("findings_by_force.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("findings_by_force.svg", '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>'),
    ("findings_by_force.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>'),
    ("README.md", "# NCPI release\n\n<iframe src=\"https://evil.example\"></iframe>\n"),
])
def test_card_or_chart_with_active_content_fails_even_resealed(rel, capsys, name, payload):
    (rel / name).write_text(payload)
    reseal(rel)
    assert f"{name}: holds active content" in _cli_one_line(rel, capsys)


def test_manifest_that_is_a_fifo_does_not_hang(rel, capsys):
    (rel / "datapackage.json").unlink()
    os.mkfifo(rel / "datapackage.json")
    assert "datapackage.json: is a link or special file" in _cli_one_line(rel, capsys)


def test_a_corrupted_latest_release_stops_run_and_release(pristine, tmp_path):
    import subprocess
    import sys
    wh = tmp_path / "warehouse"
    shutil.copytree(pristine.parent.parent, wh, ignore=shutil.ignore_patterns(".lock"))
    latest = wh / "releases" / "1.0.0"
    shutil.copyfile(latest / "inspections.parquet", latest / "findings.parquet")   # another table's file
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Kent Police has improved the way it protects children, says HMIC today.\n")
    ncpi = str(Path(sys.executable).parent / "ncpi")
    for argv in ([ncpi, "run", "--raw", str(raw), "--warehouse", str(wh)],
                 [ncpi, "release", "--tables", str(wh / "tables"), "--releases", str(wh / "releases")]):
        r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
        assert r.returncode == 1, (argv, r.stdout, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "latest release 1.0.0" in lines[0] and "findings.parquet" in lines[0], lines
    assert not (wh / "releases" / "1.0.1").exists()
