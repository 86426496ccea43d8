"""The raw/ confinement layer (ncpi/rawio.py) on real files: what is listed, what is read,
what is refused and why. The whole-build view of the same cases is tests/test_hostile.py."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from ncpi.rawio import (BadJSON, list_documents, read_document, read_json_bounded, safe_name,
                        sane_date)

RELEASE = ("Kent Police has improved the way it protects children, according to a report "
           "published today by HM Inspectorate of Constabulary.\n").encode()
TODAY = dt.date(2026, 12, 2)
request_cleanup: list[Path] = []


@pytest.fixture(autouse=True, scope="module")
def _cleanup():
    yield
    for path in request_cleanup:
        shutil.rmtree(path, ignore_errors=True)


def test_safe_names_escape_what_a_terminal_would_obey():
    assert safe_name("plain name – é 🚓.txt") == "plain name – é 🚓.txt"
    assert safe_name("\x1b[31mred") == "\\x1b[31mred"
    assert safe_name("a\u202etxt") == "a\\u202etxt"
    assert safe_name(os.fsdecode(b"caf\xe9")) == "caf\\xe9"


def test_unsafe_name_is_listed_escaped_and_quarantined(tmp_path):
    with open(os.fsencode(str(tmp_path)) + b"/\x1b]0;title\x07.txt", "wb") as fh:
        fh.write(RELEASE)
    assert list_documents(tmp_path) == ["\\x1b]0;title\\x07.txt"]
    doc = read_document(tmp_path, "\\x1b]0;title\\x07.txt")
    assert doc.error[0] == "bad_file_name"
    assert "\x1b" not in doc.error[1] and "\x07" not in doc.error[1]


def test_a_folder_that_cannot_be_listed_is_a_quarantine_row_not_a_silent_drop():
    # Root reads every folder, so the listing runs as `nobody` in a child process, in a
    # folder nobody can reach (pytest's tmp_path lies under a root-only folder).
    tmp_path = Path(tempfile.mkdtemp(prefix="ncpi-rawio-"))
    request_cleanup.append(tmp_path)
    (tmp_path / "raw" / "locked").mkdir(parents=True)
    (tmp_path / "raw" / "locked" / "release.txt").write_bytes(RELEASE)
    (tmp_path / "raw" / "open.txt").write_bytes(RELEASE)
    os.chmod(tmp_path / "raw" / "locked", 0o000)
    os.chmod(tmp_path, 0o755)
    (tmp_path / "raw").chmod(0o755)
    try:
        rows = dict(_as_nobody(lambda: [(r, read_document(tmp_path / "raw", r).error)
                                        for r in list_documents(tmp_path / "raw")]))
    finally:
        os.chmod(tmp_path / "raw" / "locked", 0o755)
    assert set(rows) == {"locked", "open.txt"}
    assert rows["open.txt"] is None
    assert rows["locked"][0] == "unreadable_folder" and "locked" in rows["locked"][1]


def _as_nobody(fn):
    """fn() in a forked child that dropped root (root reads any folder), its result as JSON."""
    if os.geteuid() != 0:
        return json.loads(json.dumps(fn()))
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            os.write(w, json.dumps(fn()).encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def test_hard_link_is_refused_even_inside_raw(tmp_path):
    outside = tmp_path / "passwd"
    outside.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" + RELEASE)
    (tmp_path / "raw").mkdir()
    os.link(outside, tmp_path / "raw" / "release.txt")
    doc = read_document(tmp_path / "raw", "release.txt")
    assert doc.data is None and doc.error[0] == "hard_link"


def test_folder_swapped_for_a_link_after_listing_is_not_followed(tmp_path):
    raw, secret = tmp_path / "raw", tmp_path / "secret"
    (raw / "sub").mkdir(parents=True)
    (raw / "sub" / "release.txt").write_bytes(RELEASE)
    secret.mkdir()
    (secret / "release.txt").write_bytes(b"secret " + RELEASE)
    assert list_documents(raw) == ["sub/release.txt"]
    (raw / "sub" / "release.txt").unlink()
    (raw / "sub").rmdir()
    os.symlink(secret, raw / "sub")          # between listing and reading
    doc = read_document(raw, "sub/release.txt")
    assert doc.data is None and doc.error[0] == "symlink_outside_raw"


def test_fifo_sidecar_and_fifo_document_never_block(tmp_path):
    (tmp_path / "a.txt").write_bytes(RELEASE)
    os.mkfifo(tmp_path / "a.txt.meta.json")
    os.mkfifo(tmp_path / "b.txt")
    doc = read_document(tmp_path, "a.txt")
    assert doc.data == RELEASE and doc.flags == ["sidecar_ignored"]
    assert read_document(tmp_path, "b.txt").error[0] == "not_a_file"


def test_sidecar_fields_are_typed_and_dates_sane(tmp_path):
    (tmp_path / "a.txt").write_bytes(RELEASE)
    (tmp_path / "a.txt.meta.json").write_text(json.dumps(
        {"url": {"x": 1}, "final_url": "https://www.justiceinspectorates.gov.uk/hmicfrs/a", "published": "2017-02-30",
         "extra": [1, 2], "source_type": "news"}))
    meta = read_document(tmp_path, "a.txt", today=TODAY).meta
    assert meta == {"final_url": "https://www.justiceinspectorates.gov.uk/hmicfrs/a", "source_type": "news",
                    "quality_flags": ["invalid_date", "sidecar_field_rejected"]}
    (tmp_path / "a.txt.meta.json").write_text(json.dumps({"source_type": "\x1b[2Jnews"}))
    assert read_document(tmp_path, "a.txt", today=TODAY).meta == {"quality_flags": ["sidecar_field_rejected"]}


def test_sane_date_window_uses_the_injected_today():
    assert sane_date("2026-12-03", today=TODAY) == dt.date(2026, 12, 3)      # tomorrow: time zones
    assert sane_date("2026-12-04", today=TODAY) is None
    assert sane_date("1989-12-31", today=TODAY) is None
    assert sane_date("2019-03-14T09:00:00Z", today=TODAY) == dt.date(2019, 3, 14)
    for bad in ("0001-01-01", "9999-12-31", "2017-02-30", 20170101, None, ["2019-01-01"], "14 March 2019"):
        assert sane_date(bad, today=TODAY) is None, bad


@pytest.mark.parametrize("body, why", [
    (b"[" * 200_000, "bytes"),                 # over the size cap
    (b"[" * 30_000, "nested too deeply"),       # under it, but json would recurse
    (b"[" * 40 + b"]" * 40, "more than 32"),
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not valid JSON"),
])
def test_bounded_json_reader_gives_one_line(tmp_path, body, why):
    (tmp_path / "m.json").write_bytes(body)
    with pytest.raises(BadJSON) as err:
        read_json_bounded(tmp_path / "m.json", max_bytes=64 * 1024)
    assert why in str(err.value) and "\n" not in str(err.value)


def test_bounded_json_reader_refuses_links_and_pipes(tmp_path):
    (tmp_path / "real.json").write_text("{}")
    os.symlink(tmp_path / "real.json", tmp_path / "link.json")
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(BadJSON, match="symbolic link"):
        read_json_bounded(tmp_path / "link.json", max_bytes=1024)
    with pytest.raises(BadJSON, match="not a regular file"):
        read_json_bounded(tmp_path / "pipe.json", max_bytes=1024)
    assert read_json_bounded(tmp_path / "real.json", max_bytes=1024) == {}
