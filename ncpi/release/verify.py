"""Checking a release folder against its SHA256SUMS and its datapackage.json.

A release passes when: SHA256SUMS is well formed and names only safe paths inside the
folder; every file it lists is present (a regular file, not a link) with that hash; no
other file is present; datapackage.json is listed and parses; every resource path is
safe and listed, and its size (ncpiBytes), hash, row count and Parquet schema (column
names, order, Table Schema and exact Arrow types, nullability) match the manifest.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from ncpi.rawio import BadJSON, read_json_bounded
from ncpi.release.fsutil import (
    MANIFEST_NAME, SUMS_NAME, VERSION_RE, parse_sums, safe_relpath, sha256_file,
)
from ncpi.release.manifest import frictionless_type
from schemas._base import ARROW_TYPES


MAX_SUMS_BYTES = 1 << 20
MAX_MANIFEST_BYTES = 16 << 20
MANIFEST_MAX_DEPTH = 64
# What a release's static chart and Markdown card may never hold: anything a browser or
# a Markdown renderer would run or load.
ACTIVE_CONTENT = re.compile(r"<\s*(script|iframe|object|embed|foreignObject|link|meta|base)\b|\bon[a-z]+\s*=|"
                            r"javascript\s*:|data\s*:\s*text/html|<!ENTITY|xlink:href\s*=\s*[\"']?\s*https?:",
                            re.I)


@dataclass(frozen=True)
class Problem:
    file: str
    problem: str

    def line(self) -> str:
        return f"{self.file}: {self.problem}"


class VerificationError(Exception):
    """A release failed verification; str() is the first problem, one line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0].line()
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


@dataclass(frozen=True)
class VerifiedRelease:
    path: Path
    version: str
    files: int
    rows: dict[str, int]


def _walk(folder: Path) -> tuple[list[str], list[str]]:
    """(regular files, other entries such as links) under folder, as POSIX relative paths."""
    files, odd = [], []
    for root, dirs, names in os.walk(folder, followlinks=False):
        r = Path(root)
        for d in list(dirs):
            if (r / d).is_symlink():
                odd.append((r / d).relative_to(folder).as_posix())
                dirs.remove(d)
        for n in names:
            p = r / n
            rel = p.relative_to(folder).as_posix()
            (odd if p.is_symlink() or not p.is_file() else files).append(rel)
    return sorted(files), sorted(odd)


def _check_parquet(path: Path, res: dict, name: str) -> list[Problem]:
    problems: list[Problem] = []
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
        rows = pf.metadata.num_rows
    except Exception as exc:  # pyarrow raises several types for a damaged file
        return [Problem(name, f"is not a readable Parquet file ({type(exc).__name__})")]
    table_schema = res.get("schema", {})
    fields = table_schema.get("fields") if isinstance(table_schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return [Problem(name, f"the {MANIFEST_NAME} schema of this resource is not a list of named fields")]
    duplicated = sorted({c for c in schema.names if schema.names.count(c) > 1})
    if duplicated:
        return [Problem(name, f"column {duplicated[0]!r} appears more than once in the file")]
    declared = [f.get("name") for f in fields]
    if len(set(declared)) != len(declared):
        return [Problem(name, f"a column is declared twice in {MANIFEST_NAME}")]
    if schema.names != declared:
        missing = [c for c in declared if c not in schema.names]
        extra = [c for c in schema.names if c not in declared]
        if missing:
            problems.append(Problem(name, f"column {missing[0]!r} is in the manifest but not in the file"))
        elif extra:
            problems.append(Problem(name, f"column {extra[0]!r} is in the file but not in the manifest"))
        else:
            problems.append(Problem(name, "columns are in a different order than in the manifest"))
    else:
        for f in fields:
            af = schema.field(f["name"])
            actual = frictionless_type(af.type)
            if actual != f.get("type"):
                problems.append(Problem(name, f"column {f['name']!r} is {af.type} ({actual}), the manifest says {f.get('type')}"))
            elif "ncpiArrowType" in f and ARROW_TYPES.get(f["ncpiArrowType"]) != af.type:
                problems.append(Problem(name, f"column {f['name']!r} is {af.type}, the manifest says {f['ncpiArrowType']}"))
            constraints = f.get("constraints", {})
            if not isinstance(constraints, dict):
                problems.append(Problem(name, f"column {f['name']!r} has constraints that are not an object in {MANIFEST_NAME}"))
                continue
            required = bool(constraints.get("required"))
            if required and af.nullable:
                problems.append(Problem(name, f"column {f['name']!r} is nullable in the file but required in the manifest"))
    if res.get("rows") != rows:
        problems.append(Problem(name, f"has {rows} rows, the manifest says {res.get('rows')}"))
    return problems


def verify_release(path: Path) -> VerifiedRelease:
    """Verify a release folder (or its datapackage.json); raise VerificationError listing every problem."""
    folder = Path(path)
    if folder.is_file() and folder.name == MANIFEST_NAME:
        folder = folder.parent
    if not folder.is_dir():
        raise VerificationError([Problem(str(path), "is not a release folder")])
    problems = find_problems(folder)
    if problems:
        raise VerificationError(problems)
    dp = read_json_bounded(folder / MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES, max_depth=MANIFEST_MAX_DEPTH)
    files, _ = _walk(folder)
    return VerifiedRelease(path=folder, version=str(dp.get("version")), files=len(files),
                           rows={str(r.get("name", r.get("path"))): r.get("rows") for r in dp["resources"]})


def find_problems(folder: Path) -> list[Problem]:
    """Every problem of a release folder, in a stable order; [] when it verifies."""
    folder = Path(folder)
    sums_path = folder / SUMS_NAME
    if not sums_path.is_file() or sums_path.is_symlink():
        return [Problem(SUMS_NAME, "is missing")]
    try:
        if sums_path.stat().st_size > MAX_SUMS_BYTES:
            return [Problem(SUMS_NAME, f"is over {MAX_SUMS_BYTES:,} bytes; a release lists a few files")]
        sums = parse_sums(sums_path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem(SUMS_NAME, str(exc))]
    except OSError as exc:
        return [Problem(SUMS_NAME, f"cannot be read: {exc.strerror or exc}")]
    if SUMS_NAME in sums:
        return [Problem(SUMS_NAME, "lists itself")]

    problems: list[Problem] = []
    files, odd = _walk(folder)
    for rel in odd:
        problems.append(Problem(rel, "is a link or special file; a release holds regular files only"))
    present = set(files)
    for name in sorted(sums):
        if name not in present:
            problems.append(Problem(name, "is listed in SHA256SUMS but missing"))
        elif sha256_file(folder / name) != sums[name]:
            problems.append(Problem(name, "sha256 does not match SHA256SUMS (the file was altered)"))
    for rel in files:
        if rel != SUMS_NAME and rel not in sums:
            problems.append(Problem(rel, "is not listed in SHA256SUMS (extra file)"))

    if MANIFEST_NAME not in sums:
        problems.append(Problem(MANIFEST_NAME, "is not listed in SHA256SUMS"))
    mpath = folder / MANIFEST_NAME
    if not mpath.is_file():
        if MANIFEST_NAME in sums:
            return problems  # already reported as missing
        return problems + [Problem(MANIFEST_NAME, "is missing")]
    try:
        dp = read_json_bounded(mpath, max_bytes=MAX_MANIFEST_BYTES, max_depth=MANIFEST_MAX_DEPTH, what=MANIFEST_NAME)
    except BadJSON as exc:
        return problems + [Problem(MANIFEST_NAME, str(exc).removeprefix(MANIFEST_NAME + " "))]
    if not isinstance(dp, dict) or not isinstance(dp.get("resources"), list) or not dp["resources"]:
        return problems + [Problem(MANIFEST_NAME, "has no resources")]
    version = dp.get("version")
    if not isinstance(version, str) or not VERSION_RE.match(version):
        problems.append(Problem(MANIFEST_NAME, f"version {version!r} is not MAJOR.MINOR.PATCH"))
    elif VERSION_RE.match(folder.name) and folder.name != version:
        problems.append(Problem(MANIFEST_NAME, f"says version {version} but the folder is {folder.name}"))

    seen = set()
    for i, res in enumerate(dp["resources"]):
        if not isinstance(res, dict):
            problems.append(Problem(MANIFEST_NAME, f"resource {i} is not an object"))
            continue
        rpath = res.get("path")
        label = f"{MANIFEST_NAME} resource {res.get('name', i)!r}"
        if not isinstance(rpath, str) or safe_relpath(rpath) is None:
            problems.append(Problem(str(rpath), f"path named by {label} escapes the release folder or is not a plain relative path"))
            continue
        if rpath in seen:
            problems.append(Problem(rpath, f"is named by two resources of {MANIFEST_NAME}"))
            continue
        seen.add(rpath)
        if rpath not in sums:
            problems.append(Problem(rpath, f"is a resource of {MANIFEST_NAME} but not listed in SHA256SUMS"))
        fpath = folder / rpath
        if rpath not in present:
            if rpath in sums:
                continue  # reported above as missing
            problems.append(Problem(rpath, f"is a resource of {MANIFEST_NAME} but missing"))
            continue
        actual_hash = sha256_file(fpath)
        if res.get("hash") != f"sha256:{actual_hash}":
            problems.append(Problem(rpath, f"sha256 does not match the hash in {MANIFEST_NAME}"))
        size = fpath.stat().st_size
        if res.get("ncpiBytes") != size or isinstance(res.get("ncpiBytes"), bool):
            problems.append(Problem(rpath, f"is {size} bytes, {MANIFEST_NAME} says {res.get('ncpiBytes')}"))
        if res.get("format") == "parquet" or rpath.endswith(".parquet"):
            problems += _check_parquet(fpath, res, rpath)
    problems += _check_static_files(folder, present, dp)
    return problems


def _check_static_files(folder: Path, present: set[str], dp: dict) -> list[Problem]:
    """The card and the chart: text with nothing active in it, and the hashes the manifest
    gives them (`ncpiFiles`, when the manifest has it), so replacing them together with
    SHA256SUMS is still caught."""
    problems: list[Problem] = []
    for name in sorted(present):
        if not name.endswith((".svg", ".md")):
            continue
        try:
            text = (folder / name).read_bytes()[:MAX_MANIFEST_BYTES].decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(name, "is not UTF-8 text"))
            continue
        except OSError as exc:
            problems.append(Problem(name, f"cannot be read: {exc.strerror or exc}"))
            continue
        m = ACTIVE_CONTENT.search(text)
        if m:
            problems.append(Problem(name, f"holds active content ({m.group(0)[:30]!r}); a release's "
                                          f"{'chart' if name.endswith('.svg') else 'card'} is static"))
    pinned = dp.get("ncpiFiles")
    if isinstance(pinned, dict):
        for name, digest in sorted(pinned.items()):
            if not isinstance(name, str) or safe_relpath(name) is None or name not in present:
                problems.append(Problem(str(name)[:80], f"is pinned in {MANIFEST_NAME} but missing"))
            elif digest != f"sha256:{sha256_file(folder / name)}":
                problems.append(Problem(name, f"sha256 does not match the hash in {MANIFEST_NAME}"))
    elif pinned is not None:
        problems.append(Problem(MANIFEST_NAME, "ncpiFiles is not an object"))
    return problems


def latest_problems(warehouse_dir: Path) -> tuple[str | None, list[Problem]]:
    """(version named by warehouse/latest, its problems). ([], None) when there is no
    release yet. Run before comparing new tables with the latest release: a damaged
    latest release would otherwise read as "nothing changed" and keep being served."""
    wh = Path(warehouse_dir)
    latest = wh / "latest"
    try:
        if latest.is_symlink() or (latest.exists() and not latest.is_file()):
            return None, [Problem("latest", "is not a plain file")]
        if not latest.exists():
            return None, []
        version = latest.read_bytes()[:64].decode("utf-8", "replace").strip()
    except OSError as exc:
        return None, [Problem("latest", f"cannot be read: {exc.strerror or exc}")]
    if not VERSION_RE.match(version):
        return None, [Problem("latest", f"names {version[:20]!r}, not a MAJOR.MINOR.PATCH version")]
    folder = wh / "releases" / version
    if not folder.is_dir() or folder.is_symlink():
        return version, [Problem(f"releases/{version}", "is named by latest but is not a release folder")]
    return version, find_problems(folder)


def check_latest(warehouse_dir: Path) -> None:
    """Raise VerificationError (one line, naming the release) when the latest release is damaged."""
    version, problems = latest_problems(warehouse_dir)
    if problems:
        where = f"release {version}" if version else "warehouse/latest"
        raise VerificationError([Problem(f"the latest {where}", f"is damaged: {problems[0].line()}; restore it "
                                         f"(ncpi download, or from a backup) before the next run")]
                                + problems[1:])
