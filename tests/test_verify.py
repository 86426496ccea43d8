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


def first(rel: Path) -> str:
    problems = find_problems(rel)
    assert problems, "expected a problem"
    return problems[0].line()


def test_good_release_verifies(rel, capsys):
    ok = verify_release(rel)
    assert ok.version == "1.0.0" and ok.files == 12 and ok.rows["findings"] == 5
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
    assert first(rel) == "SHA256SUMS: line 12 names an unsafe path '../outside.txt'"


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
    dp["resources"][3]["rows"] = 6
    reseal(rel, dp)
    assert first(rel) == "findings.parquet: has 5 rows, the manifest says 6"


def test_bytes_and_hash_in_manifest_are_checked(rel):
    dp = json.loads((rel / "datapackage.json").read_text())
    dp["resources"][1]["ncpiBytes"] += 1
    dp["resources"][2]["hash"] = "sha256:" + "0" * 64
    reseal(rel, dp)
    lines = [p.line() for p in find_problems(rel)]
    assert "inspections.parquet: sha256 does not match the hash in datapackage.json" in lines
    assert any(line.startswith("forces.parquet: is ") and "datapackage.json says" in line for line in lines)


def test_schema_in_file_vs_manifest(rel):
    # Replace a table with one whose schema differs, keep every hash consistent: only the schema check can tell.
    t = pq.read_table(rel / "statements.parquet").drop_columns(["speaker_role"])
    pq.write_table(t, rel / "statements.parquet")
    dp = json.loads((rel / "datapackage.json").read_text())
    res = dp["resources"][4]
    data = (rel / "statements.parquet").read_bytes()
    res["ncpiBytes"], res["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    reseal(rel, dp)
    assert first(rel) == "statements.parquet: column 'speaker_role' is in the manifest but not in the file"


def test_column_type_vs_manifest(rel):
    t = pq.read_table(rel / "findings.parquet")
    i = t.schema.get_field_index("span_start")
    t = t.set_column(i, pa.field("span_start", pa.string()), t.column(i).cast(pa.string()))
    pq.write_table(t, rel / "findings.parquet")
    dp = json.loads((rel / "datapackage.json").read_text())
    data = (rel / "findings.parquet").read_bytes()
    dp["resources"][3]["ncpiBytes"], dp["resources"][3]["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
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
    assert len(exc.value.problems) == 2 and "(and 1 more)" in str(exc.value)
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
