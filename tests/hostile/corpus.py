"""The hostile-input corpus: committed small files plus cases generated at test time.

`cases.toml` lists every case: where it goes under raw/ (`path`), where its bytes come
from (`file` in files/, or `make`, a generator below) and what it must end as. Big and
binary inputs, symlinks and pipes are generated here rather than committed.
"""
from __future__ import annotations

import codecs
import gzip
import io
import os
import shutil
import tomllib
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEEDS = ROOT / "raw" / "seeds"
FILES = HERE / "files"

MB = 1024 * 1024


def seed_text(n: int = 0) -> str:
    return sorted(SEEDS.glob("*.txt"))[n].read_text(encoding="utf-8")


def seed_bytes(n: int = 0) -> bytes:
    return sorted(SEEDS.glob("*.txt"))[n].read_bytes()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    ihdr = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def _zip() -> bytes:
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("release.txt", seed_text(1))
    return buf.getvalue()


def _pdf() -> bytes:
    body = seed_text(2).encode("latin-1", "replace")
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nstream\n" + body + b"\nendstream\n%%EOF\n")


def _long_paragraph(lines: int = 10_000) -> str:
    sentence = ("Cumbria Constabulary still needs to improve how it supervises child abuse investigations "
                "and how officers record the views of children")
    return "Cumbria Constabulary and child protection\n\n" + "\n".join(f"{sentence} ({i})" for i in range(lines)) + "\n"


def _mojibake() -> bytes:
    # UTF-8 bytes read as Windows-1252 (bytes it leaves undefined read as Latin-1, as
    # browsers and editors do) and saved again as UTF-8: ’ becomes â€™.
    def char(b: int) -> str:
        try:
            return bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(b)
    return "".join(char(b) for b in seed_text(3).encode("utf-8")).encode("utf-8")


def _cp1252_quotes() -> bytes:
    return seed_text(4).encode("cp1252", errors="replace")


# Generators for bytes. Each returns the document's bytes.
BYTES = {
    "empty": lambda: b"",
    "whitespace": lambda: b" \t\n\r\n   \n\f\v  \n" * 20,
    "png": _png,
    "gzip": lambda: gzip.compress(seed_bytes(0), mtime=0),
    "pdf": _pdf,
    "jpeg": lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4,
    "zip": _zip,
    "nul_bytes": lambda: seed_bytes(0)[:500] + b"\x00" * 64 + seed_bytes(0)[500:],
    "random_binary": lambda: bytes((i * 7919 + 13) % 251 + 5 for i in range(20_000)),
    "invalid_utf8_byte": lambda: seed_bytes(1).replace(b"HMIC", b"HM\xffIC", 1),
    "utf8_bom": lambda: codecs.BOM_UTF8 + seed_bytes(2),
    "utf16_le_bom": lambda: seed_text(0).encode("utf-16"),          # Python writes the BOM, little-endian
    "utf16_be_bom": lambda: codecs.BOM_UTF16_BE + seed_text(1).encode("utf-16-be"),
    "utf16_no_bom": lambda: seed_text(2).encode("utf-16-le"),
    "utf16_odd_length": lambda: seed_text(3).encode("utf-16")[:-1],
    "cp1252_quotes": _cp1252_quotes,
    "mojibake": _mojibake,
    "crlf": lambda: seed_text(1).replace("\n", "\r\n").encode("utf-8"),
    "lone_cr": lambda: seed_text(2).replace("\n", "\r").encode("utf-8"),
    "mixed_newlines": lambda: seed_text(3).replace("\n\n", "\r\n\n\r", 3).replace("\n", "\u2028", 2).encode("utf-8"),
    "ten_thousand_lines": lambda: _long_paragraph().encode("utf-8"),
    "one_long_line": lambda: (seed_text(0).replace("\n", " ") * 20).encode("utf-8"),
    "deep_html": lambda: ("<html><body>" + "<div><p><span>" * 5_000 + "Kent Police has improved the way it protects children."
                          + "</span></p></div>" * 5_000 + "</body></html>").encode("utf-8"),
    "at_the_cap": lambda: (seed_text(4) * 2000).encode("utf-8")[: 5 * MB],
    "control_chars": lambda: "".join(ch + ("\x07\x1b[31m" if i % 97 == 0 else "") for i, ch in enumerate(seed_text(0))).encode("utf-8"),
    "bidi_zero_width": lambda: seed_text(1).replace(" ", " \u200b", 40).replace("Police", "\u202ePolice\u202c", 2).encode("utf-8"),
    "seed0": lambda: seed_bytes(0),
    "seed1": lambda: seed_bytes(1),
    "seed2": lambda: seed_bytes(2),
    "seed3": lambda: seed_bytes(3),
    "seed4": lambda: seed_bytes(4),
}


def unique_seed(case: dict) -> bytes:
    """A seed release made unique to its case (else it would be a duplicate of another)."""
    return (seed_text(case.get("seed", 0)) + f"\n\nFile reference: {case['name']}.\n").encode("utf-8")


def _real_dest(raw: Path, case: dict) -> bytes:
    """Where a case lives on disk, as bytes: `real_name` (Python escapes, e.g. caf\\xe9.txt)
    replaces the last component of `path`, which holds the name as the build shows it."""
    parent = os.fsencode(str(raw / case["path"])).rsplit(b"/", 1)[0]
    name = codecs.escape_decode(case["real_name"].encode("utf-8"))[0] if "real_name" in case else os.fsencode(Path(case["path"]).name)
    return parent + b"/" + name


def _sidecar(dest: bytes, case: dict, outside: Path) -> None:
    side = dest + b".meta.json"
    kind = case["sidecar"]
    if kind == "json":
        with open(side, "wb") as fh:
            fh.write(case["sidecar_json"].encode("utf-8"))
    elif kind == "brackets":
        with open(side, "wb") as fh:
            fh.write(b"[" * int(case.get("count", 200_000)))
    elif kind == "big":
        with open(side, "wb") as fh:
            fh.write(b'{"url": "https://www.justiceinspectorates.gov.uk/hmicfrs/", "pad": "' + b"x" * 100_000 + b'"}')
    elif kind == "latin1":
        with open(side, "wb") as fh:
            fh.write(b'{"url": "https://example.org/caf\xe9"}')
    elif kind == "fifo":
        os.mkfifo(side)
    elif kind == "folder":
        os.mkdir(side)
    elif kind == "symlink_outside":
        target = outside / f"meta-{abs(hash(case['name']))}.json"
        target.write_text('{"url": "https://attacker.example/steered", "published": "2015-05-05"}', encoding="utf-8")
        os.symlink(target, side)
    elif kind == "hardlink_outside":
        target = outside / f"hmeta-{abs(hash(case['name']))}.json"
        target.write_text('{"url": "https://attacker.example/hard", "published": "2015-05-05"}', encoding="utf-8")
        os.link(target, side)
    else:
        raise AssertionError(f"case {case['name']}: unknown sidecar {kind!r}")


def _deep_tree(raw: Path, case: dict) -> None:
    # Built one level at a time relative to the folder above (a 1,500-deep absolute path
    # would pass PATH_MAX); the release at the bottom must be quarantined with its folder.
    fd = os.open(raw, os.O_RDONLY)
    try:
        for part in [case["path"].split("/")[0]] + ["d"] * int(case["levels"]):
            os.mkdir(part, dir_fd=fd)
            nfd = os.open(part, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
        wfd = os.open("release.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(wfd, unique_seed(case))
        os.close(wfd)
    finally:
        os.close(fd)


def small_disk(path: Path, size_kb: int = 1024, leave_kb: int = 16):
    """Mount a tmpfs of size_kb at path, filled up to leave_kb free (a full disk for one
    test); a context manager yielding path. Skips the test where mounting is not allowed."""
    import contextlib
    import subprocess

    import pytest

    @contextlib.contextmanager
    def mounted():
        path.mkdir(parents=True, exist_ok=True)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {r.stderr.strip()}")
        try:
            free = os.statvfs(path).f_bavail * os.statvfs(path).f_frsize
            with open(path / "filler", "wb") as fh:
                fh.write(b"\0" * max(0, free - leave_kb * 1024))
            yield path
        finally:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)
    return mounted()


def remove_tree(path: Path) -> None:
    """rm -rf that copes with folders deeper than Python's recursion limit."""
    import subprocess
    subprocess.run(["rm", "-rf", "--", str(path)], check=False)


def _special(raw: Path, outside: Path, case: dict, kind: str) -> bool:
    """The generators added for issue 15 (raw/ confinement). True when `kind` is one."""
    dest = _real_dest(raw, case)
    if kind == "unique":
        with open(dest, "wb") as fh:
            fh.write(unique_seed(case))
    elif kind == "nul_late":
        data = unique_seed(case)
        with open(dest, "wb") as fh:
            fh.write(data[:5000] + b"\x00" + data[5000:] if case.get("at") != "end" else data + b"\x00")
    elif kind == "hardlink_outside":
        target = outside / "passwd"
        if not target.exists():
            target.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" * 40 + seed_bytes(0))
        os.link(target, dest)
    elif kind == "hardlink_to":
        os.link(raw / case["target"], dest)
    elif kind == "symlink_to":
        os.symlink(case["target"], dest)
    elif kind == "symlink_abs":
        os.symlink(case["target"], dest)
    elif kind == "symlink_raw_root":
        os.symlink(raw, dest)
    elif kind == "deep_tree":
        _deep_tree(raw, case)
        return True
    elif kind == "doctype_subset":
        body = unique_seed(case).decode("utf-8").replace("\n\n", "</p><p>")
        html = ('<!DOCTYPE html [<!ENTITY secret "leaked entity text"> <!ELEMENT x ANY>]>\n'
                f"<html><body><p>{body}</p></body></html>")
        with open(dest, "wb") as fh:
            fh.write(html.encode("utf-8"))
    elif kind == "bidi_title":
        lines = unique_seed(case).decode("utf-8").split("\n")
        lines[0] = "\u202eKent\u202c " + lines[0]
        with open(dest, "wb") as fh:
            fh.write("\n".join(lines).encode("utf-8"))
    elif kind == "html_meta_date":
        body = unique_seed(case).decode("utf-8").replace("\n\n", "</p><p>")
        html = (f'<html><head><meta property="article:published_time" content="{case["date"]}"></head>'
                f"<body><p>{body}</p></body></html>")
        with open(dest, "wb") as fh:
            fh.write(html.encode("utf-8"))
    elif kind == "bad_folder":
        os.mkdir(dest)
        with open(dest + b"/release.txt", "wb") as fh:
            fh.write(unique_seed(case))
    elif kind == "deep_ok":
        dest_path = raw / case["path"]
        dest_path.parent.mkdir(parents=True, exist_ok=True)
        dest_path.write_bytes(unique_seed(case))
    elif kind == "socket":
        import socket
        here = os.getcwd()
        os.chdir(os.fsdecode(dest).rsplit("/", 1)[0])       # sun_path is short: bind by a relative name
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.bind(Path(case["path"]).name)
            sock.close()
        finally:
            os.chdir(here)
    else:
        return False
    if "sidecar" in case:
        _sidecar(dest, case, outside)
    return True


def load_cases() -> list[dict]:
    cases = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))["case"]
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases


def _write_sparse(path: Path, size: int) -> None:
    # A text file over the cap, written without holding 50 MB in memory.
    block = (seed_text(0) + "\n").encode("utf-8")
    with open(path, "wb") as fh:
        while fh.tell() < size:
            fh.write(block * 64)


def materialise(cases: list[dict], raw: Path, outside: Path) -> None:
    """Write every case into raw/ (and link targets into `outside`, a folder beside it)."""
    raw.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    for case in cases:
        dest = raw / case["path"]
        kind = case.get("make", "")
        if kind != "deep_tree":
            os.makedirs(os.fsencode(str(dest)).rsplit(b"/", 1)[0], exist_ok=True)
        if _special(raw, outside, case, kind):
            continue
        if "file" in case:
            shutil.copyfile(FILES / case["file"], dest)
        elif kind in BYTES:
            dest.write_bytes(BYTES[kind]())
        elif kind == "over_cap":
            _write_sparse(dest, int(case["size_mb"] * MB) + 1)
        elif kind == "symlink_outside_file":
            target = outside / "secret.txt"
            target.write_bytes(seed_bytes(0))
            os.symlink(target, dest)
        elif kind == "symlink_outside_dir":
            folder = outside / "folder"
            folder.mkdir(exist_ok=True)
            (folder / "release.txt").write_bytes(seed_bytes(1))
            os.symlink(folder, dest)
        elif kind == "symlink_dotdot":
            # A relative link whose `..` segments climb out of raw/.
            target = outside / "climb.txt"
            target.write_bytes(seed_bytes(2))
            depth = len(Path(case["path"]).parts) - 1
            os.symlink(Path(*([".."] * (depth + 1))) / outside.name / "climb.txt", dest)
        elif kind == "symlink_inside":
            os.symlink(raw / case["target"], dest)
        elif kind == "dangling_symlink":
            os.symlink(outside / "does-not-exist.txt", dest)
        elif kind == "fifo":
            os.mkfifo(dest)
        elif kind == "bad_sidecar":
            dest.write_bytes(seed_bytes(3) + b"\n")     # not the same bytes as the plain seed case
            dest.with_name(dest.name + ".meta.json").write_text("{ this is not json", encoding="utf-8")
        else:
            raise AssertionError(f"case {case['name']}: no file and unknown generator {kind!r}")
