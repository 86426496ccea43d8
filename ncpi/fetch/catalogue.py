"""Keep the catalogue current: walk the inspectorate's publication listing (page after page)
for NCPI report pages and propose the ones the catalogue lacks.

Proposals go to raw/reference/ncpi_reports.proposed.csv (same columns as the curated
ncpi_reports.csv, every row `confirmed=false`), never into the curated file: a maintainer
checks each on its report page and moves it across. Listing pages are only followed on
the listing's own host, for at most `max_pages` pages, and a page seen twice ends the walk.

    from ncpi.fetch.catalogue import discover_reports
    result = discover_reports(load_registry(Path("raw/sources.toml")), Path("raw"))
    print(result.summary())
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from ncpi.fetch import http
from ncpi.fetch.discover import Item, matcher_for, parse_listing
from ncpi.fetch.registry import Registry

PROPOSED = Path("reference") / "ncpi_reports.proposed.csv"
CATALOGUE = Path("reference") / "ncpi_reports.csv"
LISTING_TYPES = {"text/html", "application/xhtml+xml"}

NCPI_TITLE = re.compile(r"national\s+child\s+protection", re.I)
# Titles that name the programme but are not a force's report.
NOT_A_REPORT = re.compile(r"\bquarter\s*\d|\bupdate\b|\bthematic\b|\bmethodology\b|\baims\b|\bjoint\b|\bprogramme\b", re.I)
HYPHEN = r"[\s\u2010-\u2015-]*"
KIND_BY_TITLE = [
    (re.compile(rf"\bre{HYPHEN}inspection\b", re.I), "re_inspection"),
    (re.compile(r"\bassessment\s+of\s+progress\b", re.I), "assessment_of_progress"),
    (re.compile(rf"\bpost{HYPHEN}inspection\s+review\b", re.I), "post_inspection_review"),
    (re.compile(r"\binspection\b", re.I), "inspection"),
]
MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], start=1)}
DATE_IN_TEXT = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
NEXT_TEXT = re.compile(r"^\s*(?:next(?:\s+page)?|older(?:\s+(?:posts|entries|publications))?)\s*[›»→>]*\s*$|^\s*[›»→]\s*$", re.I)


@dataclass
class ListingWalk:
    url: str
    pages: list[str] = field(default_factory=list)
    items: int = 0
    stopped: str = ""                 # why the walk ended
    error: str | None = None


@dataclass
class ReportDiscovery:
    walks: list[ListingWalk] = field(default_factory=list)
    proposed: list[dict] = field(default_factory=list)     # new this run
    known: int = 0                                         # report links the catalogue already has
    path: Path | None = None

    @property
    def failed(self) -> list[ListingWalk]:
        return [w for w in self.walks if w.error]

    def summary(self) -> str:
        pages = sum(len(w.pages) for w in self.walks)
        text = (f"{len(self.walks)} publication listing(s), {pages} page(s): {self.known} report(s) already catalogued, "
                f"{len(self.proposed)} new proposal(s)")
        if self.proposed and self.path is not None:
            text += f" written to {self.path} for review"
        if self.failed:
            text += f"; {len(self.failed)} listing(s) failed: " + "; ".join(f"{w.url}: {w.error}" for w in self.failed)
        return text


# --- reading a listing page ----------------------------------------------------------------
def next_page(html: str, page_url: str) -> str | None:
    """The listing's next (older) page: <link/a rel=next>, else a link reading 'Next'/'Older'."""
    tree = LexborHTMLParser(html)
    for node in tree.css('link[rel~="next"], a[rel~="next"]'):
        href = (node.attributes.get("href") or "").strip()
        if href:
            return urljoin(page_url, href).split("#", 1)[0]
    for a in tree.css("a[href]"):
        if NEXT_TEXT.match(a.text(separator=" ") or ""):
            return urljoin(page_url, a.attributes.get("href") or "").split("#", 1)[0]
    return None


def report_kind(title: str) -> str | None:
    """The kind a report title names, or None when it is not a force's NCPI report."""
    if not NCPI_TITLE.search(title) or NOT_A_REPORT.search(title):
        return None
    for rule, kind in KIND_BY_TITLE:
        if rule.search(title):
            return kind
    return None


def listed_date(item: Item) -> dt.date | None:
    """The publication day a listing shows for an item (<time datetime>, or '21 October 2022')."""
    if item.published:
        try:
            return dt.date.fromisoformat(item.published[:10])
        except ValueError:
            pass
    m = DATE_IN_TEXT.search(item.summary or "")
    if m:
        try:
            return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    return None


def _slug(url: str) -> str:
    """The last path segment: the same report under /hmicfrs/publications/ on either host."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].lower()


# --- walking and proposing -------------------------------------------------------------------
def walk_listing(fetch_page: Callable[[str], tuple[str | None, str, str | None]], start_url: str, *,
                 link_pattern: str | None, max_pages: int) -> tuple[ListingWalk, list[Item]]:
    """Follow a paginated listing from start_url. fetch_page(url) -> (html, final_url, error)."""
    walk = ListingWalk(url=start_url)
    host = http.host_of(start_url)
    items: list[Item] = []
    url: str | None = start_url
    while url is not None:
        if len(walk.pages) >= max_pages:
            walk.stopped = f"stopped at max_pages = {max_pages}"
            break
        if url in walk.pages:
            walk.stopped = f"page {url} was already read (a loop)"
            break
        html, final_url, error = fetch_page(url)
        if error:
            walk.error = f"{url}: {error}"
            break
        walk.pages.append(url)
        page_items = parse_listing(html, final_url, link_pattern=link_pattern, same_host=True)
        items += page_items
        nxt = next_page(html, final_url)
        if nxt is not None and http.host_of(nxt) != host:
            walk.stopped = f"the next page {nxt} is on another host: not followed"
            break
        url = nxt
    else:
        walk.stopped = "no next page"
    walk.items = len(items)
    return walk, items


def _read_csv(path: Path) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        return []


def propose(items: list[Item], catalogue: list[dict], already_proposed: list[dict], *, listing_url: str,
            matcher, today: dt.date) -> tuple[list[dict], int]:
    """(new proposal rows, how many report links the catalogue already has)."""
    from ncpi.catalogue import COLUMNS, report_id_stem

    known_slugs = {_slug(r["url"]) for r in catalogue + already_proposed if r.get("url")}
    known = 0
    fresh: list[dict] = []
    for item in items:
        kind = report_kind(item.title)
        if kind is None:
            continue
        if _slug(item.url) in known_slugs:
            known += 1
            continue
        forces = []
        for m in matcher.mentions(item.title):
            if m.force_id not in forces:
                forces.append(m.force_id)
        if len(forces) != 1:
            continue
        day = listed_date(item)
        published = day or today
        fresh.append({
            "force_id": forces[0], "title": item.title.strip(), "kind": kind, "published_date": published,
            "published_precision": "day" if day else "year", "fieldwork_start": "", "fieldwork_end": "",
            "lead_inspector": "", "url": item.url, "source_url": listing_url, "confirmed": "false",
            "note": f"proposed by ncpi fetch on {today.isoformat()} from the publication listing; "
                    + ("check title, date and kind on the report page" if day else
                       "the listing showed no date (year of discovery used): check it on the report page"),
        })
        known_slugs.add(_slug(item.url))
    if not fresh:
        return [], known
    # Ids as in the curated file (force-kind-year, -2 for a second that year), never one
    # the catalogue or an earlier proposal already uses.
    used = {r.get("report_id") for r in catalogue + already_proposed}
    for row in sorted(fresh, key=lambda r: (r["published_date"], r["url"])):
        stem = report_id_stem(row["force_id"], row["kind"], row["published_date"])
        candidate, n = stem, 1
        while candidate in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate)
        row["report_id"] = candidate
        row["published_date"] = row["published_date"].isoformat()
    return [{c: row.get(c, "") for c in COLUMNS} for row in fresh], known


def write_proposals(raw_dir: Path, rows: list[dict]) -> Path:
    """Rewrite raw/reference/ncpi_reports.proposed.csv with `rows` (atomically, sorted)."""
    from ncpi.catalogue import COLUMNS

    path = Path(raw_dir) / PROPOSED
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in sorted(rows, key=lambda r: (r["report_id"], r["url"])):
        w.writerow({c: r.get(c, "") for c in COLUMNS})
    fd, tmp = tempfile.mkstemp(prefix=".ncpi_reports.proposed.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(out.getvalue())
    os.replace(tmp, path)
    return path


def discover_reports(registry: Registry, raw_dir: Path, *, session=None, throttle: http.HostThrottle | None = None,
                     today: dt.date | None = None, log_fn: Callable[[str], None] | None = None) -> ReportDiscovery:
    """Walk every [[report_listing]] of the registry and propose the NCPI reports the catalogue
    (raw/reference/ncpi_reports.csv) does not have yet. Earlier proposals are kept."""
    raw_dir = Path(raw_dir)
    today = today or dt.date.today()
    result = ReportDiscovery()
    if not registry.report_listings:
        return result
    settings = registry.settings
    own_session = session is None
    session = session or http.make_session(settings)
    throttle = throttle or http.HostThrottle(settings.per_host_delay)
    tmp_dir = raw_dir / "fetched"
    tmp_dir.mkdir(parents=True, exist_ok=True)

    def fetch_page(url: str):
        resp = http.get(session, url, settings=settings, tmp_dir=tmp_dir, throttle=throttle,
                        allowed_types=LISTING_TYPES)
        try:
            if resp.error:
                return None, url, resp.error
            return resp.read().decode("utf-8", errors="replace"), resp.final_url, None
        finally:
            resp.discard()

    catalogue_path = raw_dir / CATALOGUE
    if not catalogue_path.exists():
        from ncpi.catalogue import REFERENCE_REPORTS
        catalogue_path = REFERENCE_REPORTS
    catalogue = _read_csv(catalogue_path)
    proposed = _read_csv(raw_dir / PROPOSED)
    matcher = matcher_for(raw_dir)
    try:
        for listing in registry.report_listings:
            walk, items = walk_listing(fetch_page, listing.url, link_pattern=listing.link_pattern,
                                       max_pages=listing.max_pages)
            result.walks.append(walk)
            if walk.error and log_fn:
                log_fn(f"could not read publication listing {walk.error}")
            fresh, known = propose(items, catalogue, proposed, listing_url=listing.url, matcher=matcher, today=today)
            result.known += known
            result.proposed += fresh
            proposed += fresh
    finally:
        if own_session:
            session.close()
    if result.proposed or (raw_dir / PROPOSED).exists():
        result.path = write_proposals(raw_dir, proposed)
    return result
