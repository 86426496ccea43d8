"""The raw/ confinement layer: which files under a raw root are documents, and reading
them (and their `.meta.json` sidecars) within limits, without ever leaving the root.

Promises (each a test in tests/test_rawio.py and the hostile corpus):
- nothing under raw/ is dropped without a word: a name, folder or link the build will
  not read is still listed, and `read_document` turns it into a quarantine row;
- no read leaves raw/: folders are opened one component at a time with O_NOFOLLOW
  relative to the one above, a symlink is read only when its target is a regular file
  inside raw/, and a hard link (a second name for a file that may live anywhere on the
  disk, e.g. /etc/passwd) is refused;
- nothing blocks or blows the stack: files are opened O_NONBLOCK and checked with
  fstat to be regular before reading (a FIFO never hangs the build); the walk is
  iterative with a depth cap; JSON is size- and depth-capped;
- names are safe to print and to store: a name that is not UTF-8, or holds control or
  bidi characters (terminal escapes, U+202E), is quarantined under an escaped form.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from ncpi.vocab import SOURCE_TYPES

MAX_BYTES = 5 * 1024 * 1024          # a release is a few KB; 5 MB is already absurd
MAX_DEPTH = 32                       # folders below raw/ the walk descends; deeper ones are quarantined
SIDECAR_MAX_BYTES = 64 * 1024        # a sidecar is a few hundred bytes
JSON_MAX_DEPTH = 32                  # nesting a sidecar or manifest may have
URL_MAX_CHARS = 2048
EARLIEST_DATE = dt.date(1990, 1, 1)  # NCPI began in 2014; anything before 1990 is a typo or an attack
CONTROL_TOP = {"README.md", "sources.toml", "corrections.csv"}
SIDECAR_SUFFIX = ".meta.json"

# C0/C1 controls and DEL reach a terminal as escapes; bidi controls reorder what is shown.
UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass
class RawDoc:
    path: str            # relative to the raw root, POSIX, safe to print
    data: bytes | None
    meta: dict
    error: tuple[str, str] | None = None   # (rule, reason) when it could not be read

    @property
    def flags(self) -> list[str]:
        """Quality flags the sidecar earned (ignored, or a field of it rejected)."""
        return list(self.meta.get("quality_flags", ()))


class BadJSON(ValueError):
    """A JSON file that is not read: the message says which and why, in one line."""


# --- names -------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """A file name as it may be printed and stored: bytes that are not UTF-8 as \\xNN,
    control and bidi characters as \\xNN / \\uNNNN. Equal to `name` for any normal name."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="backslashreplace")
    return UNSAFE_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def _join(rel_dir: str, name: str) -> str:
    return f"{rel_dir}/{name}" if rel_dir else name


# --- listing -----------------------------------------------------------------------------
def list_documents(raw_dir: Path) -> list[str]:
    """Relative POSIX paths (safe names) of every document under raw_dir, sorted.

    Also listed, so that read_document quarantines them instead of their files vanishing:
    links to folders (never followed), folders that cannot be listed, folders deeper than
    MAX_DEPTH, and names that are not safe to print. Skipped by convention, as the fetch
    store and the README describe: dot-files (the store's state, lock and partial writes),
    sidecars, raw/reference/ and the raw root's own README.md, sources.toml, corrections.csv."""
    root = os.fspath(raw_dir)
    out: list[str] = []
    stack: list[tuple[str, str, int]] = [("", "", 0)]     # (real rel, safe rel, depth)
    while stack:
        real_dir, shown_dir, depth = stack.pop()
        try:
            with os.scandir(os.path.join(root, real_dir) if real_dir else root) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            if real_dir:
                out.append(shown_dir)      # read_document reports it as an unreadable folder
            continue
        for e in entries:
            name = e.name
            shown = _join(shown_dir, safe_name(name))
            if name.startswith("."):
                continue
            if not real_dir and (name in CONTROL_TOP or name == "reference"):
                continue
            if name.endswith(SIDECAR_SUFFIX):
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir and depth + 1 <= MAX_DEPTH and shown == _join(shown_dir, name):
                stack.append((_join(real_dir, name), shown, depth + 1))
            else:
                out.append(shown)
    return sorted(out)


# --- reading -----------------------------------------------------------------------------
def _locate(raw_fd: int, rel: str) -> tuple[int, str, list[str]]:
    """Open the folders of `rel` one by one (never through a link); returns (fd of the
    last folder, the real final name, the real components). A safe name standing for an
    unsafe one is looked up by its escaped form. Raises OSError."""
    parts = rel.split("/")
    fd = os.dup(raw_fd)
    real: list[str] = []
    try:
        for i, part in enumerate(parts):
            name = part
            try:
                os.lstat(part, dir_fd=fd)
            except FileNotFoundError:
                name = next((n for n in os.listdir(fd) if safe_name(n) == part and n != part), None)
                if name is None:
                    raise
            real.append(name)
            if i == len(parts) - 1:
                return fd, name, real
            nfd = os.open(name, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    raise FileNotFoundError(errno.ENOENT, "empty path", rel)


def _open_regular(dir_fd: int | None, name: str, what: str, max_bytes: int) -> tuple[bytes | None, tuple[str, str] | None]:
    """Read a regular, single-link file of at most max_bytes: (bytes, None) or (None, (rule, why))."""
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, ("symlink", f"{what} is a symbolic link")
        if exc.errno == errno.ENXIO:    # a FIFO or socket with nobody at the other end
            return None, ("not_a_file", f"{what} is not a regular file (a pipe, socket or device); remove it from the raw folder")
        raise
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return None, ("not_a_file", f"{what} is a folder")
        if not stat.S_ISREG(st.st_mode):
            # Reading a FIFO would block the build forever; sockets and devices are not documents.
            return None, ("not_a_file", f"{what} is not a regular file (a pipe, socket or device); remove it from the raw folder")
        if st.st_nlink > 1:
            return None, ("hard_link", f"{what} is a hard link ({st.st_nlink} names for one file, possibly outside the raw "
                                       f"folder); copy the file in instead")
        if st.st_size > max_bytes:
            return None, ("too_large", f"{what} is {st.st_size:,} bytes, over the {max_bytes:,}-byte cap; split or trim it")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= max_bytes:     # the file may grow after fstat(): never read more than the cap
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            return None, ("too_large", f"{what} grew past the {max_bytes:,}-byte cap while being read; split or trim it")
        return data, None
    finally:
        os.close(fd)


def _within(raw_real: str, target: str) -> bool:
    return target == raw_real or target.startswith(raw_real.rstrip("/") + "/")


def read_document(raw_dir: Path, rel: str, max_bytes: int = MAX_BYTES, *, today: dt.date | None = None) -> RawDoc:
    """The bytes and cleaned sidecar metadata of one listed document, or the reason it is
    quarantined. Never raises for anything found under raw/."""
    try:
        raw_fd = os.open(os.fspath(raw_dir), _DIR_FLAGS & ~os.O_NOFOLLOW)
    except OSError as exc:
        return RawDoc(rel, None, {}, ("unreadable", f"{rel} could not be read: the raw folder cannot be opened ({exc.strerror})"))
    try:
        return _read(raw_dir, raw_fd, rel, max_bytes, today or dt.date.today())
    except OSError as exc:
        return RawDoc(rel, None, {}, ("unreadable", f"{rel} could not be read: {exc.strerror or exc}"))
    finally:
        os.close(raw_fd)


def _read(raw_dir: Path, raw_fd: int, rel: str, max_bytes: int, today: dt.date) -> RawDoc:
    depth = rel.count("/")
    try:
        dir_fd, name, real = _locate(raw_fd, rel)
    except OSError as exc:
        if exc.errno == errno.ELOOP or exc.errno == errno.ENOTDIR:
            return RawDoc(rel, None, {}, ("symlink_outside_raw", f"{rel} lies in a folder that was replaced by a link while "
                                                                 f"the build read raw/; the build does not follow it"))
        raise
    try:
        if safe_name(name) != name:
            return RawDoc(rel, None, {}, ("bad_file_name", f"{rel} has a name that is not plain UTF-8 text or holds control "
                                                           f"or bidi characters (shown escaped); rename the file"))
        st = os.lstat(name, dir_fd=dir_fd)
        if stat.S_ISLNK(st.st_mode):
            return _read_link(raw_dir, dir_fd, rel, real, max_bytes, today)
        if stat.S_ISDIR(st.st_mode):
            return _folder_problem(dir_fd, name, rel, depth)
        data, problem = _open_regular(dir_fd, name, rel, max_bytes)
        if problem:
            return RawDoc(rel, None, {}, problem)
        return RawDoc(rel, data, read_sidecar(dir_fd, name, rel, today=today))
    finally:
        os.close(dir_fd)


def _folder_problem(dir_fd: int, name: str, rel: str, depth: int) -> RawDoc:
    if depth + 1 > MAX_DEPTH:
        return RawDoc(rel, None, {}, ("too_deep", f"{rel} is a folder {depth + 1} levels below the raw folder, deeper than "
                                                  f"the {MAX_DEPTH} the build reads; its files are not read, move them up"))
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
        try:
            os.listdir(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return RawDoc(rel, None, {}, ("unreadable_folder", f"{rel} is a folder that cannot be listed ({exc.strerror}); "
                                                           f"its files are not in the build"))
    return RawDoc(rel, None, {}, ("unreadable_folder", f"{rel} is a folder that could not be listed when the build "
                                                       f"listed raw/; its files are not in the build"))


def _read_link(raw_dir: Path, dir_fd: int, rel: str, real: list[str], max_bytes: int, today: dt.date) -> RawDoc:
    full = os.path.join(os.fspath(raw_dir), *real)
    raw_real = os.path.realpath(os.fspath(raw_dir))
    target = os.path.realpath(full)       # never raises on a loop, unlike Path.resolve
    if not _within(raw_real, target):
        return RawDoc(rel, None, {}, ("symlink_outside_raw", f"{rel} is a symlink to {safe_name(target)}, outside the raw "
                                                             f"folder; copy the file in instead"))
    try:
        os.stat(full)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return RawDoc(rel, None, {}, ("symlink_loop", f"{rel} is a symlink that loops back on itself; remove it"))
        return RawDoc(rel, None, {}, ("dangling_symlink", f"{rel} is a symlink to {safe_name(target)}, which does not exist"))
    target_rel = os.path.relpath(target, raw_real)
    if os.path.isdir(target):
        return RawDoc(rel, None, {}, ("not_a_file", f"{rel} is a link to a folder, which the build does not follow; "
                                                    f"copy the files in instead"))
    raw_fd = os.open(raw_real, _DIR_FLAGS)
    try:
        tdir, tname, _ = _locate(raw_fd, target_rel)
    finally:
        os.close(raw_fd)
    try:
        data, problem = _open_regular(tdir, tname, rel, max_bytes)
    finally:
        os.close(tdir)
    if problem:
        return RawDoc(rel, None, {}, problem)
    return RawDoc(rel, data, read_sidecar(dir_fd, real[-1], rel, today=today))


# --- sidecars and other small JSON files -------------------------------------------------
def json_depth(value) -> int:
    """Nesting depth of a parsed JSON value, iteratively (no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def parse_json_bounded(data: bytes, what: str, *, max_depth: int = JSON_MAX_DEPTH):
    try:
        value = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise BadJSON(f"{what} is nested too deeply to be read") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadJSON(f"{what} is not valid JSON ({str(exc)[:80]})") from None
    if json_depth(value) > max_depth:
        raise BadJSON(f"{what} is nested more than {max_depth} levels deep")
    return value


def read_json_bounded(path: Path, *, max_bytes: int, max_depth: int = JSON_MAX_DEPTH, what: str | None = None):
    """The one reader for small JSON files the project did not write itself (sidecars,
    release manifests): a regular file (never a link, FIFO or device), at most max_bytes,
    nested at most max_depth. Raises BadJSON with a one-line reason; FileNotFoundError
    when it does not exist."""
    what = what or safe_name(os.fspath(path))
    try:
        data, problem = _open_regular(None, os.fspath(path), what, max_bytes)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise BadJSON(f"{what} could not be read: {exc.strerror or exc}") from None
    if problem:
        raise BadJSON(problem[1])
    return parse_json_bounded(data, what, max_depth=max_depth)


def read_sidecar(dir_fd: int, name: str, rel: str, *, today: dt.date) -> dict:
    """The sidecar of document `name` in folder dir_fd, cleaned: only the fields the build
    uses, each of the right type. A sidecar that cannot be read is ignored with the flag
    `sidecar_ignored`; a field that is wrong is dropped with `sidecar_field_rejected`
    (`invalid_date` for a date). The flags travel in the dict's `quality_flags`, so a
    document's cache key changes with them."""
    side = name + SIDECAR_SUFFIX
    if len(os.fsencode(side)) > 255:       # a name of 246+ bytes cannot have a sidecar
        return {}
    try:
        data, problem = _open_regular(dir_fd, side, f"{rel}{SIDECAR_SUFFIX}", SIDECAR_MAX_BYTES)
    except FileNotFoundError:
        return {}
    except OSError:
        return {"quality_flags": ["sidecar_ignored"]}
    if problem:
        return {"quality_flags": ["sidecar_ignored"]}
    try:
        value = parse_json_bounded(data, f"{rel}{SIDECAR_SUFFIX}")
    except BadJSON:
        return {"quality_flags": ["sidecar_ignored"]}
    if not isinstance(value, dict):
        return {"quality_flags": ["sidecar_ignored"]}
    return clean_meta(value, today=today)


def clean_meta(value: dict, *, today: dt.date) -> dict:
    meta: dict = {}
    flags: list[str] = []
    for key in ("url", "final_url"):
        if key in value:
            url = value[key]
            if is_web_url(url):
                meta[key] = url
            elif url is not None:
                flags.append("sidecar_field_rejected")
    if value.get("published") is not None:
        day = sane_date(value["published"], today=today)
        if day is None:
            flags.append("invalid_date")
        else:
            meta["published"] = day.isoformat()
    if isinstance(value.get("fetched_at"), str) and len(value["fetched_at"]) <= 40:
        meta["fetched_at"] = value["fetched_at"]
    if value.get("source_type") is not None:      # checked against the vocabulary by the parser
        kind = value["source_type"]
        if isinstance(kind, str) and re.fullmatch(r"[a-z_]{1,40}", kind):
            meta["source_type"] = kind
        else:
            flags.append("sidecar_field_rejected")
    if "source_type" in value:          # a curator's word on who published it (ncpi/provenance.py)
        if value["source_type"] in SOURCE_TYPES:
            meta["source_type"] = value["source_type"]
        elif value["source_type"] is not None:
            flags.append("sidecar_field_rejected")
    if flags:
        meta["quality_flags"] = sorted(set(flags))
    return meta


def is_web_url(value) -> bool:
    return (isinstance(value, str) and len(value) <= URL_MAX_CHARS and not UNSAFE_CHARS.search(value)
            and " " not in value and re.match(r"https?://[^/\s]+", value, re.I) is not None)


def sane_date(value, *, today: dt.date) -> dt.date | None:
    """A metadata date (2019-03-14 or an ISO timestamp) that exists and lies between 1990
    and tomorrow; None otherwise (2017-02-30, 0001-01-01, 9999-12-31, a number...)."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*", value)
    if not m:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= today + dt.timedelta(days=1) else None


# --- the forces reference ----------------------------------------------------------------
class BadReference(ValueError):
    """raw/reference/forces.csv cannot be used; the message names the file and why, in one line."""


FORCE_COLUMNS = ("force_id", "name", "short_name", "country", "region", "ons_code")


def check_forces_reference(path: Path) -> None:
    """Raise BadReference unless `path` is a readable forces table the build can load:
    UTF-8 CSV, every column of FORCE_COLUMNS, a force_id and name on every row, no
    force_id twice. Checked once up front so a bad file is one line, not a traceback in
    every parse worker."""
    import csv

    shown = safe_name(os.fspath(path))
    try:
        data, problem = _open_regular(None, os.fspath(path), shown, 4 * 1024 * 1024)
    except OSError as exc:
        raise BadReference(f"{shown} cannot be read: {exc.strerror or exc}") from None
    if problem:
        raise BadReference(problem[1])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadReference(f"{shown} is not UTF-8 (byte {exc.start:,}); save it as UTF-8 CSV") from None
    if not text.strip():
        raise BadReference(f"{shown} is empty; it holds no forces")
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as exc:
        raise BadReference(f"{shown} is not valid CSV: {exc}") from None
    header = list(rows[0].keys()) if rows else next(csv.reader(text.splitlines()), [])
    missing = [c for c in FORCE_COLUMNS if c not in header]
    if missing:
        raise BadReference(f"{shown} lacks the column(s) {', '.join(missing)}; its header must name "
                           f"{', '.join(FORCE_COLUMNS)}")
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise BadReference(f"{shown} line {n} has a different number of fields than the header")
        if not (row["force_id"] or "").strip() or not (row["name"] or "").strip():
            raise BadReference(f"{shown} line {n} has no force_id or no name")
        if row["force_id"] in seen:
            raise BadReference(f"{shown} line {n} repeats force_id {safe_name(row['force_id'])}")
        seen.add(row["force_id"])
    if not rows:
        raise BadReference(f"{shown} holds no forces")
