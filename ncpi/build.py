"""Build every table from a folder of raw documents: read → parse → assemble → validate → write.

Plain functions; flows/build.py runs the same steps as Prefect tasks. The build reads
only the raw folder (and the forces reference), so the dataset can always be rebuilt
offline, and the same raw input always gives byte-identical Parquet files.

Speed (see docs/performance.md): documents are parsed in batches on a
process pool, results kept in input order so the output never depends on scheduling;
with a cache folder, parse results are reused by content (ncpi/cache.py) and a build
whose inputs and outputs are unchanged since the last one is not redone at all.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable

from ncpi.catalogue import load_reports, reports_reference
from ncpi.ids import sha256_hex
from ncpi.parse.forcenames import load_reference
# Parsing and its pool live in ncpi.parse_pool (what a worker imports); re-exported here.
from ncpi.parse_pool import (MIN_TEXT_CHARS, batches, default_workers, parse_batch,  # noqa: F401
                             parse_batch_encoded, parse_batch_pooled, parse_many, parse_one,
                             shared_pool, shutdown_pool)
from ncpi.paths import PROJECT_ROOT, REFERENCE_FORCES
from ncpi.rawio import list_documents, read_document
from ncpi.tables import TABLE_ORDER, assemble, write_tables
from ncpi.validate import validate_tables

BATCH_SIZE = 500
STAMP = "build-stamp.json"


@dataclass
class BuildReport:
    documents: int = 0
    parsed: int = 0
    quarantined: int = 0
    counts: dict = field(default_factory=dict)
    out_dir: Path | None = None
    reparsed: int = 0          # documents parsed this time (the rest came from the cache)
    up_to_date: bool = False   # nothing changed: the tables were left as they were

    def accounting_line(self) -> str:
        return f"documents in: {self.documents} = parsed {self.parsed} + quarantined {self.quarantined}"


def forces_reference(raw_dir: Path) -> Path:
    """raw/reference/forces.csv of the raw folder, else the project's curated copy."""
    local = Path(raw_dir) / "reference" / "forces.csv"
    return local if local.exists() else REFERENCE_FORCES


# --- plan: what must be parsed, and is the build already done? ------------------------------
BUILD_SOURCES = ["ncpi/tables.py", "ncpi/validate.py", "ncpi/build.py", "ncpi/catalogue.py", "schemas"]
BUILD_LIBRARIES = ["pyarrow", "pandera", "pandas"]


@lru_cache(maxsize=1)
def _build_fingerprint() -> str:
    h = hashlib.sha256()
    for name in BUILD_SOURCES:
        p = PROJECT_ROOT / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    for lib in BUILD_LIBRARIES:
        h.update(f"{lib}={metadata.version(lib)}\n".encode())
    return h.hexdigest()


@dataclass
class Plan:
    raw_dir: str
    forces_csv: str
    rels: list[str]
    results: list            # cached result per document (still encoded), None where it must be parsed
    keys: list[str | None]   # cache key per document (None: no cache, or unreadable)
    digest: str | None       # hash of every input of the build; None without a cache
    cache_dir: str | None

    @property
    def misses(self) -> list[str]:
        return [rel for rel, r in zip(self.rels, self.results) if r is None]


def plan(raw_dir: Path, cache_dir: Path | None = None) -> Plan:
    """List the documents and look each up in the parse cache (read and hashed here)."""
    rels = list_documents(Path(raw_dir))
    forces_csv = str(forces_reference(Path(raw_dir)))
    if cache_dir is None:
        return Plan(str(raw_dir), forces_csv, rels, [None] * len(rels), [None] * len(rels), None, None)
    from ncpi.cache import ParseCache
    cache = ParseCache(Path(cache_dir), Path(forces_csv))
    results, keys = [], []
    # The catalogue is an input of the build too: a changed ncpi_reports.csv rebuilds.
    catalogue_sha = _file_sha(reports_reference(Path(raw_dir)))
    h = hashlib.sha256(f"{cache.fingerprint}\n{_build_fingerprint()}\n{catalogue_sha}\n".encode())
    for rel in rels:
        doc = read_document(Path(raw_dir), rel)
        if doc.error:   # cheap to redo, and the error may be transient: never cached
            keys.append(None)
            results.append(None)
            h.update(f"error\0{rel}\0{doc.error}\n".encode())
            continue
        key = cache.key(rel, sha256_hex(doc.data), doc.meta)
        keys.append(key)
        results.append(cache.lookup(key))
        h.update(f"{key}\n".encode())
    return Plan(str(raw_dir), forces_csv, rels, results, keys, h.hexdigest(), str(cache_dir))


def _file_sha(path: Path) -> str | None:
    try:
        return sha256_hex(path.read_bytes())
    except OSError:
        return None


def _read_stamp(cache_dir: Path) -> dict:
    try:
        return json.loads((Path(cache_dir) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(p: Plan, out_dir: Path) -> BuildReport | None:
    """The report of the last build when neither its inputs nor its output files changed."""
    if p.digest is None or any(r is None and k is not None for r, k in zip(p.results, p.keys)):
        return None
    entry = _read_stamp(Path(p.cache_dir)).get(str(Path(out_dir).resolve()))
    if not entry or entry.get("digest") != p.digest:
        return None
    if any(_file_sha(Path(out_dir) / name) != sha for name, sha in entry["files"].items()):
        return None
    report = BuildReport(**dict(entry["report"], out_dir=Path(out_dir)))
    report.counts = {name: report.counts[name] for name in TABLE_ORDER if name in report.counts}
    report.reparsed, report.up_to_date = 0, True
    return report


def _write_stamp(p: Plan, out_dir: Path, report: BuildReport) -> None:
    stamp = _read_stamp(Path(p.cache_dir))
    files = {f"{name}.parquet": _file_sha(Path(out_dir) / f"{name}.parquet") for name in TABLE_ORDER}
    fields = {k: v for k, v in asdict(report).items() if k not in ("out_dir", "reparsed", "up_to_date")}
    stamp[str(Path(out_dir).resolve())] = {"digest": p.digest, "files": files, "report": fields}
    path = Path(p.cache_dir) / STAMP
    tmp = path.with_name(f".{STAMP}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


# --- finish: assemble, validate, write -------------------------------------------------------
def finish(results, raw_dir: Path, out_dir: Path) -> BuildReport:
    """Assemble parsed documents into tables, validate them, write Parquet.

    results may be any iterable (a generator decoding cache entries one at a time), so
    only the rows are ever held, never every ParsedDocument as well."""
    counted = [0]

    def counting():
        for r in results:
            counted[0] += 1
            yield r

    forces = load_reference(forces_reference(raw_dir))
    reports = load_reports(raw_dir, force_ids={f.force_id for f in forces})   # CatalogueError names file and row
    tables, quarantine = assemble(counting(), forces, reports)
    tables, more = validate_tables(tables)
    quarantine += more
    tables["quarantine"] = quarantine
    counts = {name: len(tables.get(name, [])) for name in TABLE_ORDER}
    write_tables(tables, Path(out_dir))
    report = BuildReport(out_dir=Path(out_dir))
    report.documents = counted[0]
    # A document is out when it stopped at read/parse, or its sources row failed validation.
    report.quarantined = len({q["path"] for q in quarantine
                              if q["stage"] != "validate" or q["rule"].startswith("sources.")})
    report.parsed = report.documents - report.quarantined
    report.counts = counts
    return report


def _decoded(value: str, p: Plan, rel: str):
    from ncpi.cache import decode_result
    try:
        return decode_result(value)
    except (ValueError, TypeError, KeyError):   # a damaged cache entry: parse again, never guess
        return parse_batch(p.raw_dir, [rel], p.forces_csv)[0]


def finish_plan(p: Plan, parsed: list[tuple[str | None, str]], out_dir: Path) -> BuildReport:
    """Fill the plan's misses with freshly parsed results ((cache key, encoded entry) pairs
    in order; the list is emptied), cache them, finish. Entries are decoded one at a time
    as the tables are assembled.

    Each fresh entry is cached under the key its worker computed from the bytes it parsed,
    not the plan's key: a file that changed between plan and parse is stored as what was
    parsed, and the next plan (hashing the new bytes) finds it; the old bytes' key stays empty."""
    fresh_keys = [k for k, _ in parsed]
    fresh = iter(e for _, e in parsed)
    encoded = [r if r is not None else next(fresh) for r in p.results]
    reparsed = len(parsed)
    # Consumed: each entry is dropped once decoded, so the encoded corpus and its rows are
    # not both held at 10,000 releases (~140 MiB). The caller's list is emptied too.
    parsed.clear()
    if p.cache_dir is not None:
        from ncpi.cache import ParseCache
        cache = ParseCache(Path(p.cache_dir), Path(p.forces_csv))
        misses = [e for e, old in zip(encoded, p.results) if old is None]
        new = [(k, e) for k, e in zip(fresh_keys, misses) if k is not None]
        cache.put_many_encoded(new, keep={k for k in p.keys + fresh_keys if k})
        del cache, new, misses
    def decoded():
        for i, rel in enumerate(p.rels):
            entry, encoded[i] = encoded[i], None
            yield _decoded(entry, p, rel)

    report = finish(decoded(), Path(p.raw_dir), Path(out_dir))
    report.reparsed = reparsed
    if p.cache_dir is not None:
        _write_stamp(p, Path(out_dir), report)
    return report


def tables_match_latest_release(warehouse_dir: Path) -> bool:
    """Whether every table in warehouse/tables has the bytes of the newest release's copy.

    Then cutting a release can only answer "nothing changed", and comparing the tables
    row by row (seconds at 10,000 releases) is skipped."""
    wh = Path(warehouse_dir)
    try:
        version = (wh / "latest").read_text(encoding="utf-8").strip()
        sums = (wh / "releases" / version / "SHA256SUMS").read_text(encoding="utf-8")
    except OSError:
        return False
    released = {}
    for line in sums.splitlines():
        digest, _, name = line.partition("  ")
        released[name.lstrip("*")] = digest
    return all(released.get(f"{name}.parquet") == _file_sha(wh / "tables" / f"{name}.parquet") is not None
               for name in TABLE_ORDER)


@dataclass(frozen=True)
class Steps:
    """How each step of the build sequence runs: plain calls here; flows/build.py passes
    Prefect tasks. parse_batches(plan) returns every miss parsed, (cache key, entry) pairs
    in the plan's order."""
    plan: Callable[[Path, Path | None], Plan]
    parse_batches: Callable[[Plan], list]
    finish: Callable[[Plan, list, Path], BuildReport]


def build_sequence(raw_dir: Path, out_dir: Path, cache_dir: Path | None, steps: Steps) -> BuildReport:
    """THE build sequence, written once: plan (list, read, hash, look up the cache); stop
    if nothing changed; parse the misses in batches; assemble, validate and write."""
    p = steps.plan(raw_dir, cache_dir)
    done = up_to_date(p, Path(out_dir))
    if done is not None:
        return done
    return steps.finish(p, steps.parse_batches(p), out_dir)


def build(raw_dir: Path, out_dir: Path, *, batch_size: int = BATCH_SIZE, workers: int | None = None,
          cache_dir: Path | None = None) -> BuildReport:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    workers = default_workers() if workers is None else workers

    def parse_batches(p: Plan) -> list:
        return parse_many(p.raw_dir, p.misses, p.forces_csv, workers=workers, batch_size=batch_size)

    return build_sequence(raw_dir, out_dir, cache_dir, Steps(plan, parse_batches, finish_plan))
