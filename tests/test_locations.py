"""Raw and warehouse locations as paths or URLs (ncpi/locations.py)."""
import pytest

from ncpi.locations import LocationError, resolve, staged


def test_paths_and_file_urls_are_used_in_place(tmp_path):
    (tmp_path / "raw").mkdir()
    for value in (tmp_path / "raw", str(tmp_path / "raw"), f"file://{tmp_path}/raw", f"file://localhost{tmp_path}/raw"):
        loc = resolve(value)
        assert loc.is_local and loc.path == str(tmp_path / "raw")
        with staged(loc, write_back=True) as local:
            assert local == tmp_path / "raw"


def test_remote_urls_are_recognised_and_bad_ones_refused_in_one_line():
    loc = resolve("s3://ncpi-data/raw?region=eu-west-2")
    assert not loc.is_local and loc.scheme == "s3" and loc.path == "ncpi-data/raw"
    assert loc.filesystem().type_name == "s3"    # constructed, not contacted: no network here
    for bad in ("ftp://example.org/raw", "file://otherhost/raw"):
        with pytest.raises(LocationError) as exc:
            resolve(bad)
        assert "\n" not in str(exc.value)
