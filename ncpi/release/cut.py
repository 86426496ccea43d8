"""Cutting a release: compare with the previous one, choose the version, write it atomically.

A release folder is a pure function of (the build's tables, the previous release, the
version): `render_release` writes it, `cut_release` decides whether and as what to
write it and moves it into place, and `check_reproducible` renders a committed release
again to prove the bytes are the same.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ncpi.faults import crash_point
from ncpi.release import card as card_mod
from ncpi.release import manifest as mf
from ncpi.release.accuracy import load_accuracy
from ncpi.release.citation import render_citation
from ncpi.catalogue import coverage_svg
from ncpi.release.coverage import COVERAGE_CHART, coverage_of, release_date, report_coverage
from ncpi.release.flat import FLAT_NAME, flat_resource, render_flat_csv
from ncpi.release.changes_schema import Changes
from ncpi.release.diff import MAJOR, MINOR, PATCH, ReleaseDiff, diff_releases, next_version
from ncpi.release.fsutil import (
    CARD_NAME, CHANGES_NAME, CHART_NAME, MANIFEST_NAME, SUMS_NAME, TMP_PREFIX, ReleaseError,
    atomic_write_text, format_sums, format_version, fsync_dir, fsync_file, list_releases,
    parse_version, sha256_file, write_durable,
)
from schemas._base import arrow_schema

# Every Parquet file this module writes itself (CHANGES.parquet) uses these options, so
# the bytes depend only on the rows and the pinned pyarrow version.
PARQUET_OPTIONS = dict(compression="zstd", compression_level=3, use_dictionary=True,
                       write_statistics=True, version="2.6", data_page_version="1.0")


def default_models() -> dict:
    import schemas
    return dict(schemas.TABLES)


@dataclass
class ReleaseResult:
    version: str
    previous: str | None
    bump: str                      # "initial", "major", "minor" or "patch"
    reason: str
    path: Path
    summaries: dict[str, dict] = field(default_factory=dict)
    changes: int = 0               # rows of CHANGES.parquet
    churn: int = 0
    regenerated: list[str] = field(default_factory=list)   # files that differ when no record changed

    def line(self) -> str:
        if self.previous is None:
            return f"released {self.version} (first release) at {self.path}"
        extra = f" [{', '.join(self.regenerated)}]" if self.regenerated else ""
        return f"released {self.version} ({self.bump.upper()}: {self.reason}{extra}) at {self.path}"


# --------------------------------------------------------------------------- render

def _check_tables(tables_dir: Path, models: dict) -> dict[str, Path]:
    if not tables_dir.is_dir():
        raise ReleaseError(f"no tables folder at {tables_dir}: build the tables first")
    out = {}
    for name, model in models.items():
        path = tables_dir / f"{name}.parquet"
        if not path.is_file():
            raise ReleaseError(f"{path} is missing: the build must write every table")
        try:
            actual = pq.read_schema(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise ReleaseError(f"{path} is not a readable Parquet file: {exc}") from None
        expected = arrow_schema(model)
        for f in expected:
            if f.name not in actual.names:
                raise ReleaseError(f"{path} lacks column {f.name!r} declared in the {name} schema")
            a = actual.field(f.name)
            if a.type != f.type:
                raise ReleaseError(f"{path}: column {f.name!r} is {a.type}, the {name} schema says {f.type}")
            if a.nullable and not f.nullable:
                raise ReleaseError(f"{path}: column {f.name!r} is nullable, the {name} schema says required")
        extra = [n for n in actual.names if n not in expected.names]
        if extra:
            raise ReleaseError(f"{path} has column {extra[0]!r} that the {name} schema does not declare")
        if actual.names != expected.names:
            raise ReleaseError(f"{path}: columns are not in the {name} schema's order")
        out[name] = path
    return out


def _read_column_rows(path: Path, columns: list[str]) -> list[dict]:
    t = pq.read_table(path)
    cols = [c for c in columns if c in t.column_names]
    return t.select(cols).to_pylist()


CITATION_NAME = "CITATION.cff"


def _coverage(tables: dict[str, Path]):
    sources = _read_column_rows(tables["sources"], ["published_date", "source_type", "licence", "text_withheld"]) \
        if "sources" in tables else []
    inspections = _read_column_rows(tables["inspections"], ["fieldwork_start", "fieldwork_end"]) \
        if "inspections" in tables else []
    return coverage_of(sources, inspections)


REGENERATED_REASON = "no record or schema changed; the release files were regenerated (dataset card, manifest or Parquet encoding)"


def render_release(tables_dir: Path, out_dir: Path, *, version: str, base_dir: Path | None,
                   models: dict | None = None, diff: ReleaseDiff | None = None,
                   created: str | None = None, accuracy: dict | None = None) -> ReleaseDiff:
    """Write every file of release `version` into the existing empty folder out_dir.

    base_dir is the previous release folder (None for the first release). created is the
    release's date (default: today, see coverage.release_date); re-rendering a committed
    release passes its own. Deterministic: the same tables, base, version and date always
    give byte-identical files.
    """
    created = created or release_date()
    accuracy = accuracy if accuracy is not None else load_accuracy()
    models = models or default_models()
    tables = _check_tables(Path(tables_dir), models)
    previous = json.loads((base_dir / MANIFEST_NAME).read_text("utf-8"))["version"] if base_dir else None

    # 1. The tables, byte for byte, and their manifest resources.
    resources = []
    by_name = {}
    for name, src in tables.items():
        dst = out_dir / f"{name}.parquet"
        shutil.copyfile(src, dst)
        fsync_file(dst)
        rows = pq.ParquetFile(dst).metadata.num_rows
        res = mf.resource_descriptor(models[name], path=dst.name, bytes_=dst.stat().st_size,
                                     sha256=sha256_file(dst), rows=rows)
        resources.append(res)
        by_name[name] = res
    crash_point("release")   # fault tests: die with half the release's files in the temp folder

    # 1b. The flat findings sheet for spreadsheet users.
    sheet = render_flat_csv(tables) if all(n in tables for n in ("findings", "forces", "inspections", "sources")) else None
    if sheet is not None:
        flat = out_dir / FLAT_NAME
        write_durable(flat, sheet)
        resources.append(flat_resource(bytes_=flat.stat().st_size, sha256=sha256_file(flat),
                                       rows=pq.ParquetFile(out_dir / "findings.parquet").metadata.num_rows))

    # 2. What changed since the base.
    if diff is None:
        diff = diff_releases(base_dir, tables, models, by_name)
    if base_dir is None:
        bump, reason = "initial", "first release"
    elif diff.level is None:
        # Only cut when the files would differ (see cut_release); the reason must not depend on
        # the previous generator, so that this release can itself be re-rendered identically.
        bump, reason = "patch", REGENERATED_REASON
    else:
        bump, reason = diff.bump, diff.reason

    # 3. CHANGES.parquet.
    change_rows = diff.changes_rows(list(models) + sorted(n for n in diff.tables if n not in models))
    changes_table = pa.Table.from_pylist(change_rows, schema=arrow_schema(Changes))
    changes_path = out_dir / CHANGES_NAME
    pq.write_table(changes_table, changes_path, **PARQUET_OPTIONS)
    fsync_file(changes_path)
    resources.append(mf.resource_descriptor(Changes, path=CHANGES_NAME, bytes_=changes_path.stat().st_size,
                                            sha256=sha256_file(changes_path), rows=len(change_rows)))

    # 4. The facts the card and the manifest share.
    publishers = []
    if "sources" in tables:
        publishers = [r.get("publisher") for r in _read_column_rows(tables["sources"], ["publisher"])]
    coverage = _coverage(tables)
    summaries = {name: d.summary() for name, d in diff.tables.items()}
    churn_total = sum(len(d.churn) for d in diff.tables.values())
    release_info = {
        "previousVersion": previous,
        "bump": bump,
        "reason": reason,
        "reasons": [{"level": {MAJOR: "major", MINOR: "minor", PATCH: "patch"}[lvl], "text": text}
                    for lvl, text in diff.reasons],
        "tables": summaries,
        "schemaChanges": list(diff.schema_changes),
        "idChurn": churn_total,
    }

    # 5. The charts, the card and the citation: written before the manifest, which pins their
    # hashes (ncpiFiles), so a replaced card is caught even with a recomputed SHA256SUMS.
    findings = _read_column_rows(tables["findings"], ["force_id", "polarity"]) if "findings" in tables else []
    forces = _read_column_rows(tables["forces"], ["force_id", "short_name"]) if "forces" in tables else []
    static = {CHART_NAME: card_mod.render_svg(card_mod.findings_by_force(findings, forces), version=version)}
    covered = report_coverage(tables)
    if covered is not None:
        static[COVERAGE_CHART] = coverage_svg(covered)
    static[CARD_NAME] = card_mod.render_card(
        version=version, created=created, previous=previous, bump=bump, reason=reason,
        resources=resources, summaries=summaries, schema_reasons=diff.schema_changes,
        churn_total=churn_total, sources=mf.package_sources(publishers), chart_name=CHART_NAME,
        coverage=coverage, report_coverage=covered,
        coverage_chart=COVERAGE_CHART if covered is not None else None, accuracy=accuracy)
    static[CITATION_NAME] = render_citation(version=version, created=created)
    for name, text in static.items():
        write_durable(out_dir / name, text.encode("utf-8"))

    # 5b. datapackage.json.
    package = mf.build_package(version=version, created=created, resources=resources,
                               publishers=publishers, release_info=release_info,
                               coverage=coverage.as_dict(), accuracy=accuracy,
                               files={name: f"sha256:{sha256_file(out_dir / name)}" for name in sorted(static)})
    write_durable(out_dir / MANIFEST_NAME, mf.dumps(package).encode("utf-8"))

    # 6. SHA256SUMS over every other file.
    digests = {p.name: sha256_file(p) for p in out_dir.iterdir() if p.is_file() and p.name != SUMS_NAME}
    write_durable(out_dir / SUMS_NAME, format_sums(digests).encode("ascii"))
    fsync_dir(out_dir)
    return diff


# --------------------------------------------------------------------------- changelog

def render_changelog(releases_dir: Path) -> str:
    """The cumulative changelog: one section per release, newest first, from the manifests."""
    out = [
        "# Changelog",
        "",
        "Every release of the NCPI open dataset, newest first. Each release folder in",
        "`releases/` is immutable; its `CHANGES.parquet` lists every changed record and its",
        "`README.md` is the full dataset card. This file is regenerated from the releases' own",
        "`datapackage.json` each time a release is cut: do not edit it by hand.",
        "",
    ]
    for _, folder in reversed(list_releases(releases_dir)):
        dp = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
        info = dp.get("ncpiRelease", {})
        date = (dp.get("created") or "")[:10]
        head = f"## {dp['version']}"
        if date:
            head += f" — data up to {date}"
        out += [head, ""]
        if info.get("previousVersion") is None:
            out.append("First release.")
        else:
            out.append(f"**{str(info.get('bump', '')).upper()}** after {info['previousVersion']}: {info.get('reason', '')}.")
        out.append("")
        rows = []
        order = [r.get("name") for r in dp.get("resources", [])]
        tables = info.get("tables", {})
        for name in [n for n in order if n in tables] + sorted(n for n in tables if n not in order):
            s = tables[name]
            rows.append([name, card_mod._num(s.get("rowsAfter")), s.get("added", 0), s.get("removed", 0),
                         s.get("modified", 0), s.get("idChurn", 0)])
        out += card_mod._table(["table", "rows", "added", "removed", "modified", "ID churn"], rows)
        out.append("")
        if info.get("schemaChanges"):
            out += ["Schema changes:", ""] + [f"- {s}" for s in info["schemaChanges"]] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- cut

def _latest_version(releases_dir: Path):
    rel = list_releases(releases_dir)
    return rel[-1] if rel else (None, None)


def _base_of(release_dir: Path) -> Path | None:
    dp = json.loads((release_dir / MANIFEST_NAME).read_text("utf-8"))
    prev = dp.get("ncpiRelease", {}).get("previousVersion")
    if prev is None:
        return None
    base = release_dir.parent / prev
    if not (base / MANIFEST_NAME).is_file():
        raise ReleaseError(f"release {dp['version']} was cut after {prev}, which is missing from {release_dir.parent}")
    return base


def _file_digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def check_reproducible(tables_dir: Path, release_dir: Path, *, models: dict | None = None) -> list[str]:
    """Render release_dir again from tables_dir (same version, same base) and compare every file.

    Returns one line per difference; [] means byte-identical.
    """
    release_dir = Path(release_dir)
    dp = json.loads((release_dir / MANIFEST_NAME).read_text("utf-8"))
    base = _base_of(release_dir)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=release_dir.parent) as td:
        out = Path(td)
        render_release(Path(tables_dir), out, version=dp["version"], base_dir=base, models=models,
                       created=dp.get("created"), accuracy=dp.get("ncpiAccuracy", {}))
        return _compare_folders(release_dir, out)


def _compare_folders(committed: Path, rebuilt: Path) -> list[str]:
    a, b = _file_digests(committed), _file_digests(rebuilt)
    problems = []
    for name in sorted(set(a) | set(b)):
        if name not in b:
            problems.append(f"{name}: in the committed release but not rebuilt")
        elif name not in a:
            problems.append(f"{name}: rebuilt but missing from the committed release")
        elif a[name] != b[name]:
            problems.append(f"{name}: rebuilt sha256 {b[name][:12]}… differs from committed {a[name][:12]}…")
    return problems


def verify_reproducible(raw_dir: Path, release_dir: Path, *, build=None, models: dict | None = None) -> list[str]:
    """Build raw_dir into a temporary folder and check release_dir renders byte-identically from it.

    build(raw_dir, out_dir) defaults to ncpi.build.build. Returns the differences ([] = reproducible).
    """
    if build is None:
        from ncpi.build import build  # the lead's builder; imported late so this module stands alone
    with tempfile.TemporaryDirectory(prefix="ncpi-reproduce-") as td:
        tables = Path(td) / "tables"
        tables.mkdir()
        build(Path(raw_dir), tables)
        return check_reproducible(tables, Path(release_dir), models=models)


def _clean_stale_temp(releases_dir: Path) -> None:
    for child in releases_dir.iterdir():
        if child.name.startswith(TMP_PREFIX) and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def _read_latest(latest_file: Path) -> str | None:
    try:
        return latest_file.read_text("utf-8").strip() or None
    except FileNotFoundError:
        return None


def cut_release(tables_dir: Path, releases_dir: Path, *, latest_file: Path | None = None,
                changelog: Path | None = None, models: dict | None = None) -> ReleaseResult | None:
    """Cut a new release from tables_dir if anything changed since the newest release.

    Returns None when nothing changed (and repairs `latest` if an interrupted cut left it
    behind). Writes into a temporary folder beside the releases, renames it into place,
    then rewrites CHANGELOG.md and, last, `latest`. The caller holds the warehouse lock.
    """
    tables_dir, releases_dir = Path(tables_dir), Path(releases_dir)
    latest_file = Path(latest_file) if latest_file else releases_dir.parent / "latest"
    changelog = Path(changelog) if changelog else releases_dir.parent / "CHANGELOG.md"
    models = models or default_models()
    releases_dir.mkdir(parents=True, exist_ok=True)
    _clean_stale_temp(releases_dir)

    prev_v, prev_dir = _latest_version(releases_dir)
    tables = _check_tables(tables_dir, models)

    regenerated: list[str] = []
    if prev_dir is None:
        version = (1, 0, 0)
        diff = None
    else:
        new_resources = {
            name: mf.resource_descriptor(models[name], path=f"{name}.parquet", bytes_=0, sha256="", rows=0)
            for name in models
        }
        diff = diff_releases(prev_dir, tables, models, new_resources)
        level = diff.level
        if level is None:
            # No record or schema changed. Still a release if the files would not be the
            # same (the build's bytes, the card or the manifest generator changed).
            try:
                problems = check_reproducible(tables_dir, prev_dir, models=models)
            except ReleaseError:
                problems = []   # its base is gone: it cannot be re-rendered, and no record changed
            if not problems:
                _sync_pointers(releases_dir, latest_file, changelog, format_version(prev_v))
                return None
            regenerated = sorted({p.split(":", 1)[0] for p in problems} - {SUMS_NAME})
            level = PATCH
        version = next_version(prev_v, level)

    vstr = format_version(version)
    target = releases_dir / vstr
    if target.exists():
        raise ReleaseError(f"release folder {target} already exists; releases are never overwritten")
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{vstr}-", dir=releases_dir))
    try:
        diff = render_release(tables_dir, tmp, version=vstr, base_dir=prev_dir, models=models, diff=diff)
        os.chmod(tmp, 0o755)
        fsync_dir(tmp)
        if target.exists():
            raise ReleaseError(f"release folder {target} appeared while cutting; another run is releasing")
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(releases_dir)
    _sync_pointers(releases_dir, latest_file, changelog, vstr)

    info = json.loads((target / MANIFEST_NAME).read_text("utf-8"))["ncpiRelease"]
    return ReleaseResult(
        version=vstr,
        previous=info["previousVersion"],
        bump=info["bump"],
        reason=info["reason"],
        path=target,
        summaries=info["tables"],
        changes=sum(s["added"] + s["removed"] + s["modified"] for s in info["tables"].values()),
        churn=info["idChurn"],
        regenerated=regenerated,
    )


def _sync_pointers(releases_dir: Path, latest_file: Path, changelog: Path, version: str) -> None:
    """Rewrite CHANGELOG.md if stale, then `latest` — always last."""
    text = render_changelog(releases_dir)
    if not changelog.exists() or changelog.read_text("utf-8") != text:
        atomic_write_text(changelog, text)
    if _read_latest(latest_file) != version:
        atomic_write_text(latest_file, version + "\n")


def latest_release(releases_dir: Path) -> Path | None:
    """The newest complete release folder (what `latest` names once a cut has finished), or None."""
    return _latest_version(Path(releases_dir))[1]
