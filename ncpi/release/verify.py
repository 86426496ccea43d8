"""Checking a release folder against its SHA256SUMS and its datapackage.json.

A release passes when: SHA256SUMS is well formed and names only safe paths inside the
folder; every file it lists is present (a regular file, not a link) with that hash; no
other file is present; datapackage.json is listed and parses; every resource path is
safe and listed, and its size (ncpiBytes), hash, row count and Parquet schema (column
names, order, Table Schema and exact Arrow types, nullability) match the manifest.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from ncpi.release.fsutil import (
    MANIFEST_NAME, SUMS_NAME, VERSION_RE, parse_sums, safe_relpath, sha256_file,
)
from ncpi.release.manifest import frictionless_type
from schemas._base import ARROW_TYPES


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
    fields = res.get("schema", {}).get("fields", [])
    declared = [f.get("name") for f in fields]
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
            required = bool(f.get("constraints", {}).get("required"))
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
    dp = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
    files, _ = _walk(folder)
    return VerifiedRelease(path=folder, version=str(dp.get("version")), files=len(files),
                           rows={r["name"]: r["rows"] for r in dp["resources"]})


def find_problems(folder: Path) -> list[Problem]:
    """Every problem of a release folder, in a stable order; [] when it verifies."""
    folder = Path(folder)
    sums_path = folder / SUMS_NAME
    if not sums_path.is_file() or sums_path.is_symlink():
        return [Problem(SUMS_NAME, "is missing")]
    try:
        sums = parse_sums(sums_path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem(SUMS_NAME, str(exc))]
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
        dp = json.loads(mpath.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return problems + [Problem(MANIFEST_NAME, f"is not valid JSON ({exc})")]
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
        if res.get("ncpiBytes") != size:
            problems.append(Problem(rpath, f"is {size} bytes, {MANIFEST_NAME} says {res.get('ncpiBytes')}"))
        if res.get("format") == "parquet" or rpath.endswith(".parquet"):
            problems += _check_parquet(fpath, res, rpath)
    return problems
