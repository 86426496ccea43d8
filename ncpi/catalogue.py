"""The inspectorate's own catalogue of NCPI reports: load it, reconcile inspections to it,
and draw what the dataset covers.

The catalogue is curated reference data (raw/reference/ncpi_reports.csv, sources cited in
ncpi_reports.md beside it). Extracted inspections are matched to it here:

- a match gives the inspection the report's `report_id`;
- what the prose left unknown (kind `unknown`, no publication date, no report title) is
  filled from the catalogue, with a quality flag saying so;
- where the prose and the catalogue disagree, the prose value stays and a quality flag
  names the disagreement (the text is evidence; the catalogue never silently overwrites it);
- an inspection that matches no report, or two equally well, is flagged too.

Plain functions, no Prefect; the build calls load_reports() and reconcile() from
ncpi.tables.assemble().
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import html
import re
import unicodedata
from pathlib import Path

from ncpi.paths import RAW_DIR
from schemas.inspections import KINDS

REFERENCE_REPORTS = RAW_DIR / "reference" / "ncpi_reports.csv"
REPORT_KINDS = [k for k in KINDS if k != "unknown"]
PRECISIONS = ("day", "month", "year")
COLUMNS = ["report_id", "force_id", "title", "kind", "published_date", "published_precision",
           "fieldwork_start", "fieldwork_end", "lead_inspector", "url", "source_url", "confirmed", "note"]
# A catalogue of the whole programme is ~150 rows and a few tens of kB; anything far bigger
# is not this file, and reading it whole would only waste memory.
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000

# Quality flags set by reconcile(), one vocabulary, named for what they say.
FLAG_KIND_FILLED = "kind_from_catalogue"
# The kind_rule of a kind the text left unknown and the catalogue filled: the row must not
# keep naming the text's "no cue" verdict for a value it did not decide.
KIND_RULE_FILLED = "kind.catalogue.filled"
FLAG_PUBLISHED_FILLED = "published_date_from_catalogue"
FLAG_TITLE_FILLED = "report_title_from_catalogue"
FLAG_KIND_CONFLICT = "kind_conflicts_with_catalogue"
FLAG_PUBLISHED_CONFLICT = "published_date_conflicts_with_catalogue"
FLAG_TITLE_CONFLICT = "report_title_differs_from_catalogue"
FLAG_NO_MATCH = "no_catalogue_report"
FLAG_AMBIGUOUS = "several_catalogue_reports_match"
FLAG_SHARED = "catalogue_report_shared_with_another_inspection"
FLAG_UNCONFIRMED = "catalogue_report_unconfirmed"
QUALITY_FLAGS = (FLAG_KIND_FILLED, FLAG_PUBLISHED_FILLED, FLAG_TITLE_FILLED, FLAG_KIND_CONFLICT,
                 FLAG_PUBLISHED_CONFLICT, FLAG_TITLE_CONFLICT, FLAG_NO_MATCH, FLAG_AMBIGUOUS,
                 FLAG_SHARED, FLAG_UNCONFIRMED)


class CatalogueError(ValueError):
    """The catalogue file cannot be used; the message names the file, the row and the reason."""


# --- loading ---------------------------------------------------------------------------
def reports_reference(raw_dir: Path | None) -> Path:
    """raw/reference/ncpi_reports.csv of the raw folder, else the project's curated copy."""
    if raw_dir is not None:
        local = Path(raw_dir) / "reference" / "ncpi_reports.csv"
        if local.exists():
            return local
    return REFERENCE_REPORTS


def report_id_stem(force_id: str, kind: str, published: dt.date) -> str:
    """`<force_id>-<kind>-<year of publication>`: the id before any same-year suffix."""
    return f"{force_id}-{kind}-{published.year}"


def assign_report_ids(rows: list[dict]) -> list[str]:
    """The report_id each row should have: its stem, and when a force published two reports
    of one kind in one year, `-2`, `-3` ... on the later ones (by date, then url, then title)."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["published_date"], rows[i].get("url") or "",
                                                    rows[i].get("title") or ""))
    seen: dict[str, int] = {}
    ids = [""] * len(rows)
    for i in order:
        r = rows[i]
        stem = report_id_stem(r["force_id"], r["kind"], r["published_date"])
        seen[stem] = seen.get(stem, 0) + 1
        ids[i] = stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"
    return ids


def _date(text: str, where: str, column: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CatalogueError(f"{where}: {column} {text!r} is not a date (YYYY-MM-DD)") from None


def _parse_row(raw: dict, where: str, force_ids: set[str] | None) -> dict:
    def text(col: str) -> str | None:
        v = (raw.get(col) or "").strip()
        return v or None

    row = {c: text(c) for c in COLUMNS}
    for col in ("report_id", "force_id", "kind", "published_date", "published_precision", "source_url", "confirmed"):
        if row[col] is None:
            raise CatalogueError(f"{where}: {col} is empty")
    if force_ids is not None and row["force_id"] not in force_ids:
        raise CatalogueError(f"{where}: force_id {row['force_id']!r} is not in forces.csv")
    if row["kind"] not in REPORT_KINDS:
        raise CatalogueError(f"{where}: kind {row['kind']!r} is not one of {', '.join(REPORT_KINDS)}")
    if row["published_precision"] not in PRECISIONS:
        raise CatalogueError(f"{where}: published_precision {row['published_precision']!r} is not day, month or year")
    if row["confirmed"] not in ("true", "false"):
        raise CatalogueError(f"{where}: confirmed must be true or false, not {row['confirmed']!r}")
    row["confirmed"] = row["confirmed"] == "true"
    for col in ("published_date", "fieldwork_start", "fieldwork_end"):
        row[col] = _date(raw.get(col), where, col)
    if (row["fieldwork_start"] is None) != (row["fieldwork_end"] is None):
        raise CatalogueError(f"{where}: fieldwork_start and fieldwork_end go together")
    if row["fieldwork_start"] and row["fieldwork_start"] > row["fieldwork_end"]:
        raise CatalogueError(f"{where}: fieldwork_start is after fieldwork_end")
    if row["fieldwork_start"] and row["fieldwork_start"] > _span(row["published_date"], row["published_precision"])[1]:
        raise CatalogueError(f"{where}: fieldwork starts after the report was published")
    if row["url"] and not row["url"].startswith(("https://", "http://")):
        raise CatalogueError(f"{where}: url {row['url']!r} is not an http(s) URL")
    # A fact may come from a document already in raw/ (a seed release), named by its path.
    if not row["source_url"].startswith(("https://", "http://", "raw/")):
        raise CatalogueError(f"{where}: source_url {row['source_url']!r} is neither an http(s) URL nor a raw/ path")
    if row["confirmed"] and (row["title"] is None or row["url"] is None or row["published_precision"] != "day"):
        raise CatalogueError(f"{where}: a confirmed row needs its title, url and day of publication")
    return row


def load_reports(raw_dir: Path | None = None, *, path: Path | None = None,
                 force_ids: set[str] | None = None) -> list[dict]:
    """Rows of the catalogue (raw_dir's raw/reference/ncpi_reports.csv, else the project copy),
    checked: every column, known forces and kinds, dates, and report_id as derived from content.
    Raises CatalogueError naming the file and row on bad input."""
    path = Path(path) if path else reports_reference(raw_dir)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if size > MAX_BYTES:
        raise CatalogueError(f"{path}: {size:,} bytes is more than a catalogue can be ({MAX_BYTES:,})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames != COLUMNS:
        raise CatalogueError(f"{path}: the header must be {','.join(COLUMNS)}, not {','.join(reader.fieldnames or [])}")
    rows = []
    for n, raw in enumerate(reader, start=2):
        where = f"{path}: row {n}"
        if n - 1 > MAX_ROWS:
            raise CatalogueError(f"{where}: more than {MAX_ROWS} rows")
        if None in raw or any(v is None for v in raw.values()):
            raise CatalogueError(f"{where}: has {len(raw.get(None) or [])} field(s) too many or too few")
        row = _parse_row(raw, where, force_ids)
        row["_line"] = n
        rows.append(row)
    expected = assign_report_ids(rows)
    seen: dict[str, int] = {}
    for row, want in zip(rows, expected):
        where = f"{path}: row {row['_line']}"
        if row["report_id"] in seen:
            raise CatalogueError(f"{where}: report_id {row['report_id']} repeats row {seen[row['report_id']]}")
        seen[row["report_id"]] = row["_line"]
        if row["report_id"] != want:
            raise CatalogueError(f"{where}: report_id {row['report_id']} should be {want} "
                                 "(force_id-kind-year of publication, -2, -3 for a second, third that year)")
    for row in rows:
        del row["_line"]
    return rows


# --- reconciling -----------------------------------------------------------------------
_DASHES = re.compile(r"[\u2010-\u2015\u2212\-–—:]+")
_TITLE_NOISE = re.compile(r"\b(?:police|constabulary|service|the|and|\d{4})\b")


def normalise_title(title: str | None) -> str:
    """A report title as words only: dashes, colons, case, 'Police'/'Constabulary' and a year
    dropped, 'post inspection' and 'post-inspection' alike."""
    if not title:
        return ""
    t = unicodedata.normalize("NFKC", html.unescape(title)).lower()
    t = t.replace("re-inspection", "reinspection").replace("re\u2011inspection", "reinspection")
    t = _DASHES.sub(" ", t)
    t = t.replace("re inspection", "reinspection")
    t = _TITLE_NOISE.sub(" ", t)
    return " ".join(t.split())


def _span(day: dt.date, precision: str | None) -> tuple[dt.date, dt.date]:
    """The dates a (date, precision) pair stands for."""
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if precision == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date], slack_days: int = 0) -> bool:
    slack = dt.timedelta(days=slack_days)
    return a[0] - slack <= b[1] and b[0] - slack <= a[1]


def _published_precision(insp: dict) -> str | None:
    """date_precision describes the fieldwork when there is any, else published_date."""
    if insp.get("fieldwork_start") is not None:
        return "month" if insp.get("date_precision") == "day" else insp.get("date_precision")
    return insp.get("date_precision")


def _score(insp: dict, report: dict, source_dates: list[dt.date]) -> tuple[int, int] | None:
    """(score, evidence) of an inspection being this report, or None if they cannot be one."""
    score = evidence = 0
    if insp.get("report_title") and report.get("title"):
        if normalise_title(insp["report_title"]) == normalise_title(report["title"]):
            score, evidence = score + 4, evidence + 1
    kind = insp.get("kind") or "unknown"
    if kind != "unknown":
        score += 2 if kind == report["kind"] else -3
    if insp.get("fieldwork_start") and report.get("fieldwork_start"):
        # Text gives a month or a year; the report may state days: compare spans with a little slack.
        if _overlap((insp["fieldwork_start"], insp["fieldwork_end"] or insp["fieldwork_start"]),
                    (report["fieldwork_start"], report["fieldwork_end"]), slack_days=15):
            score, evidence = score + 3, evidence + 1
        elif abs(insp["fieldwork_start"].year - report["fieldwork_start"].year) > 1:
            return None
        else:
            score -= 2
    elif insp.get("fieldwork_start"):
        # Fieldwork comes before publication, usually by 2 to 12 months.
        start = insp["fieldwork_start"]
        pub = report["published_date"]
        if start <= _span(pub, report["published_precision"])[1] and (pub - start).days <= 550:
            score, evidence = score + 1, evidence + 1
        else:
            return None
    if insp.get("published_date"):
        mine = _span(insp["published_date"], _published_precision(insp) or "day")
        theirs = _span(report["published_date"], report["published_precision"])
        if _overlap(mine, theirs, slack_days=31):
            score, evidence = score + 3, evidence + 1
        elif abs(insp["published_date"].year - report["published_date"].year) > 1:
            return None
        else:
            score -= 2
    if insp.get("is_subject") and source_dates:
        # A release reports on a report published the same day or shortly before.
        theirs = _span(report["published_date"], report["published_precision"])
        if any(_overlap((d - dt.timedelta(days=45), d + dt.timedelta(days=3)), theirs) for d in source_dates):
            score, evidence = score + 2, evidence + 1
    return score, evidence


def _best(insp: dict, candidates: list[dict], source_dates: list[dt.date]) -> tuple[dict | None, bool]:
    """The matching report and whether the choice was ambiguous."""
    scored = []
    for report in candidates:
        s = _score(insp, report, source_dates)
        if s is not None:
            scored.append((s[0], s[1], report))
    compatible = [t for t in scored if (insp.get("kind") or "unknown") in ("unknown", t[2]["kind"]) or t[1] > 0]
    if not compatible:
        return None, False
    compatible.sort(key=lambda t: (-t[0], t[2]["report_id"]))
    top = compatible[0]
    if top[1] == 0:
        # No title or date evidence: only the force's one report of a compatible kind will do.
        kind_ok = [t for t in compatible if (insp.get("kind") or "unknown") in ("unknown", t[2]["kind"])]
        return (kind_ok[0][2], False) if len(kind_ok) == 1 else (None, len(kind_ok) > 1)
    if top[0] <= 0:
        return None, False
    if len(compatible) > 1 and compatible[1][0] == top[0]:
        return None, True
    return top[2], False


def _apply(insp: dict, report: dict) -> dict:
    row = dict(insp)
    flags = list(row.get("quality_flags") or [])
    row["report_id"] = report["report_id"]
    if not report["confirmed"]:
        flags.append(FLAG_UNCONFIRMED)
    kind = row.get("kind") or "unknown"
    if kind == "unknown":
        row["kind"] = report["kind"]
        row["kind_rule"] = KIND_RULE_FILLED
        flags.append(FLAG_KIND_FILLED)
    elif kind != report["kind"]:
        flags.append(FLAG_KIND_CONFLICT)
    if row.get("published_date") is None:
        row["published_date"] = report["published_date"]
        if row.get("fieldwork_start") is None:
            row["date_precision"] = report["published_precision"]
        flags.append(FLAG_PUBLISHED_FILLED)
    else:
        mine = _span(row["published_date"], _published_precision(row) or "day")
        if not _overlap(mine, _span(report["published_date"], report["published_precision"])):
            flags.append(FLAG_PUBLISHED_CONFLICT)
    if not row.get("report_title") and report.get("title"):
        row["report_title"] = report["title"]
        flags.append(FLAG_TITLE_FILLED)
    elif row.get("report_title") and report.get("title") and \
            normalise_title(row["report_title"]) != normalise_title(report["title"]):
        flags.append(FLAG_TITLE_CONFLICT)
    row["quality_flags"] = sorted(set(flags))
    return row


def reconcile(inspections: list[dict], reports: list[dict], sources: list[dict] | None = None,
              links: list[dict] | None = None) -> list[dict]:
    """Each inspection with its `report_id` (None when no report matches) and `quality_flags`.

    Matching: the same force; a compatible kind (the same, or `unknown`); compatible dates
    (fieldwork, publication, and for a subject inspection the date of the release reporting
    on it); a report title quoted in the text that is the catalogue's. Inspection ids are
    left as they are: they are derived from the text, and other tables point at them.
    """
    by_force: dict[str, list[dict]] = {}
    for r in reports:
        by_force.setdefault(r["force_id"], []).append(r)
    source_dates = {s["source_id"]: s.get("published_date") for s in sources or []}
    # Which sources report on each inspection: inspection_sources rows (role subject), or
    # the row's own source_ids where a caller still gives them.
    subject_sources: dict[str, list[str]] = {}
    for link in links or []:
        if link.get("role") == "subject":
            subject_sources.setdefault(link["inspection_id"], []).append(link["source_id"])
    out = []
    claimed: dict[str, list[int]] = {}
    for insp in inspections:
        ids = subject_sources.get(insp["inspection_id"]) or insp.get("source_ids") or []
        dates = [source_dates[s] for s in ids if source_dates.get(s)]
        report, ambiguous = _best(insp, by_force.get(insp["force_id"], []), dates)
        if report is None:
            row = dict(insp, report_id=None)
            row["quality_flags"] = sorted(set(list(insp.get("quality_flags") or [])
                                              + [FLAG_AMBIGUOUS if ambiguous else FLAG_NO_MATCH]))
        else:
            row = _apply(insp, report)
            claimed.setdefault(report["report_id"], []).append(len(out))
        out.append(row)
    for idxs in claimed.values():
        if len(idxs) > 1:
            for i in idxs:
                out[i]["quality_flags"] = sorted(set(out[i]["quality_flags"]) | {FLAG_SHARED})
    return out


# --- coverage --------------------------------------------------------------------------
COVERAGE_STATES = ("first_hand", "news_only", "nothing")
COVERAGE_COLOURS = {"first_hand": "#1b7837", "news_only": "#f1a340", "nothing": "#d9d9d9"}
COVERAGE_LABELS = {"first_hand": "inspectorate's release in the dataset",
                   "news_only": "only a news or other copy", "nothing": "no release yet"}


def coverage_svg(rows: list[dict], *, title: str = "NCPI reports covered by the dataset") -> str:
    """A plain SVG chart of coverage: one line per force, one square per report in
    publication order, coloured by what the dataset holds for it.

    rows: dicts with force_id, report_id, published_date (date or ISO string) and status
    (first_hand, news_only or nothing), e.g. the rows of the `coverage` view. The same rows
    always give the same bytes (sorted; no ids, no timestamps)."""
    cell, gap, left, top = 14, 3, 150, 40
    forces: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("status") not in COVERAGE_STATES:
            raise ValueError(f"coverage row {r.get('report_id')!r}: status {r.get('status')!r} is not one of {COVERAGE_STATES}")
        forces.setdefault(r["force_id"], []).append(r)
    names = sorted(forces)
    widest = max((len(v) for v in forces.values()), default=0)
    width = left + max(widest, 1) * (cell + gap) + 20
    legend_y = top + len(names) * (cell + gap) + 16
    height = legend_y + 3 * 18 + 10
    esc = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" font-family="sans-serif" font-size="11">',
        f'<title>{esc(title)}</title>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{esc(title)}</text>',
    ]
    counts = {s: 0 for s in COVERAGE_STATES}
    for i, force in enumerate(names):
        y = top + i * (cell + gap)
        parts.append(f'<text x="{left - 8}" y="{y + cell - 3}" text-anchor="end">{esc(force)}</text>')
        for j, r in enumerate(sorted(forces[force], key=lambda r: (str(r.get("published_date") or ""), r["report_id"]))):
            x = left + j * (cell + gap)
            counts[r["status"]] += 1
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{COVERAGE_COLOURS[r["status"]]}">'
                         f'<title>{esc(r["report_id"])}: {esc(COVERAGE_LABELS[r["status"]])}</title></rect>')
    for k, state in enumerate(COVERAGE_STATES):
        y = legend_y + k * 18
        parts.append(f'<rect x="10" y="{y}" width="{cell}" height="{cell}" fill="{COVERAGE_COLOURS[state]}"/>')
        parts.append(f'<text x="{10 + cell + 6}" y="{y + cell - 3}">{esc(COVERAGE_LABELS[state])}: {counts[state]}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
