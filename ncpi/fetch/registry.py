"""The source registry: raw/sources.toml, edited by the maintainers.

    [fetch]                      # optional politeness settings (see FetchSettings)
    contact = "https://..."      # goes into the User-Agent
    per_host_delay = 2.0

    [[release]]                  # a release page to fetch as it is
    url = "https://..."
    note = "why it is here"      # optional

    [[feed]]                     # an RSS/Atom feed to discover releases from
    url = "https://..."

    [[listing]]                  # an HTML listing page to discover releases from
    url = "https://..."
    link_pattern = "/news/"      # optional regex a candidate link must match
    same_host = true             # optional (default true): only links to the listing's host
    page_url = "https://.../page/{n}/"   # optional, with max_pages: pages 2..max_pages too
    max_pages = 200              #   (same host as url; the backfill of old releases)

    [catalogue]                  # optional: every report page of the catalogue is a release
    reports = "reference/ncpi_reports.csv"   # relative to this file

    [[report_listing]]           # the inspectorate's publication listing, walked page by
    url = "https://..."          # page for NCPI reports the catalogue lacks; they are
    link_pattern = "/publications/."   # proposed in reference/ncpi_reports.proposed.csv
    max_pages = 100              #   (ncpi/fetch/catalogue.py)
"""
from __future__ import annotations

import csv
import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ncpi.fetch.http import FetchSettings, check_url


class RegistryError(ValueError):
    """The registry cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Release:
    url: str
    note: str | None = None


@dataclass(frozen=True)
class DiscoverySource:
    url: str
    kind: str                       # "feed" or "listing"
    link_pattern: str | None = None
    same_host: bool = True
    note: str | None = None


@dataclass(frozen=True)
class ReportListing:
    """The inspectorate's publication listing, walked page by page for NCPI report pages
    that the catalogue lacks (ncpi/fetch/catalogue.py proposes them for review)."""
    url: str
    link_pattern: str | None = "/publications/"
    max_pages: int = 50
    note: str | None = None


@dataclass
class Registry:
    path: Path | None = None
    settings: FetchSettings = field(default_factory=FetchSettings)
    releases: list[Release] = field(default_factory=list)
    sources: list[DiscoverySource] = field(default_factory=list)
    report_listings: list[ReportListing] = field(default_factory=list)

    def find_source(self, url: str) -> DiscoverySource | None:
        return next((s for s in self.sources if s.url == url), None)


_SETTINGS = {f.name: f.type for f in dataclasses.fields(FetchSettings)}
_RELEASE_KEYS = {"url", "note"}
_SOURCE_KEYS = {"url", "note", "link_pattern", "same_host"}
# A listing may be paginated: page_url with {n} and max_pages expand it to pages 2..max_pages,
# on the listing's own host only (the walk back to 2014 of the inspectorate's news listing).
_LISTING_KEYS = _SOURCE_KEYS | {"page_url", "max_pages"}
_REPORT_LISTING_KEYS = {"url", "note", "link_pattern", "max_pages"}
_CATALOGUE_KEYS = {"reports"}


def _check_keys(where: str, table: dict, allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def parse_registry(data: dict, path: Path | None = None) -> Registry:
    name = str(path) if path else "sources.toml"
    _check_keys(name, data, {"fetch", "release", "feed", "listing", "catalogue", "report_listing"})
    fetch = data.get("fetch") or {}
    if not isinstance(fetch, dict):
        raise RegistryError(f"{name}: [fetch] must be a table")
    _check_keys(f"{name} [fetch]", fetch, set(_SETTINGS))
    kwargs = {}
    for key, value in fetch.items():
        default = getattr(FetchSettings, key)
        if isinstance(default, str):
            if not isinstance(value, str):
                raise RegistryError(f"{name} [fetch] {key}: expected a string, got {value!r}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise RegistryError(f"{name} [fetch] {key}: expected a non-negative number, got {value!r}")
        kwargs[key] = type(default)(value)
    reg = Registry(path=path, settings=FetchSettings(**kwargs))
    seen: set[str] = set()

    def url_of(where: str, entry) -> str:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise RegistryError(f"{where}: each entry needs url = \"https://...\"")
        url = entry["url"].strip()
        problem = check_url(url)
        if problem:
            raise RegistryError(f"{where}: {url}: {problem}")
        if url in seen:
            raise RegistryError(f"{where}: {url} is listed twice")
        seen.add(url)
        return url

    for i, entry in enumerate(data.get("release") or []):
        where = f"{name} [[release]] #{i + 1}"
        url = url_of(where, entry)
        _check_keys(where, entry, _RELEASE_KEYS)
        reg.releases.append(Release(url=url, note=entry.get("note")))
    for kind in ("feed", "listing"):
        for i, entry in enumerate(data.get(kind) or []):
            where = f"{name} [[{kind}]] #{i + 1}"
            url = url_of(where, entry)
            _check_keys(where, entry, _LISTING_KEYS if kind == "listing" else _SOURCE_KEYS)
            pattern = entry.get("link_pattern")
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise RegistryError(f"{where}: link_pattern is not a valid regular expression: {exc}") from None
            same_host = entry.get("same_host", True)
            if not isinstance(same_host, bool):
                raise RegistryError(f"{where}: same_host must be true or false")
            reg.sources.append(DiscoverySource(url=url, kind=kind, link_pattern=pattern,
                                               same_host=same_host, note=entry.get("note")))
            for page in _listing_pages(where, entry, url):
                reg.sources.append(DiscoverySource(url=url_of(where, {"url": page}), kind=kind, link_pattern=pattern,
                                                   same_host=same_host, note=entry.get("note")))
    for i, entry in enumerate(data.get("report_listing") or []):
        where = f"{name} [[report_listing]] #{i + 1}"
        url = url_of(where, entry)
        _check_keys(where, entry, _REPORT_LISTING_KEYS)
        pattern = entry.get("link_pattern", "/publications/")
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise RegistryError(f"{where}: link_pattern is not a valid regular expression: {exc}") from None
        reg.report_listings.append(ReportListing(url=url, link_pattern=pattern,
                                                 max_pages=_max_pages(where, entry, 50), note=entry.get("note")))
    _add_catalogue_pages(reg, data.get("catalogue"), path, name, url_of)
    return reg


def _max_pages(where: str, entry: dict, default: int) -> int:
    value = entry.get("max_pages", default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise RegistryError(f"{where}: max_pages must be a whole number from 1 to 1000, not {value!r}")
    return value


def _listing_pages(where: str, entry: dict, url: str) -> list[str]:
    """Pages 2..max_pages of a paginated listing (page 1 is its url)."""
    template = entry.get("page_url")
    if template is None:
        if "max_pages" in entry:
            raise RegistryError(f"{where}: max_pages needs page_url (e.g. \"{url.rstrip('/')}/page/{{n}}/\")")
        return []
    if not isinstance(template, str) or "{n}" not in template:
        raise RegistryError(f"{where}: page_url must be a URL with {{n}} where the page number goes")
    pages = [template.replace("{n}", str(n)) for n in range(2, _max_pages(where, entry, 2) + 1)]
    for page in pages[:1]:
        if urlsplit(page).hostname != urlsplit(url).hostname or urlsplit(page).port != urlsplit(url).port:
            raise RegistryError(f"{where}: page_url {template} is not on the listing's host")
    return pages


def _add_catalogue_pages(reg: Registry, table, path: Path | None, name: str, url_of) -> None:
    """[catalogue] reports = "reference/ncpi_reports.csv": every report page the catalogue
    names is fetched like a [[release]] (a report page the registry lists already is skipped)."""
    if table is None:
        return
    if not isinstance(table, dict):
        raise RegistryError(f"{name}: [catalogue] must be a table")
    _check_keys(f"{name} [catalogue]", table, _CATALOGUE_KEYS)
    rel = table.get("reports")
    if not isinstance(rel, str) or not rel:
        raise RegistryError(f"{name} [catalogue]: reports = \"reference/ncpi_reports.csv\" (relative to the registry)")
    csv_path = (Path(path).parent if path else Path(".")) / rel
    try:
        with open(csv_path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RegistryError(f"{name} [catalogue]: {csv_path}: cannot be read ({exc})") from None
    listed = {r.url for r in reg.releases}
    for n, row in enumerate(rows, start=2):
        url = (row.get("url") or "").strip()
        if not url or url in listed:
            continue
        listed.add(url)
        url = url_of(f"{csv_path}: row {n}", {"url": url})
        reg.releases.append(Release(url=url, note=f"catalogue report page {row.get('report_id')}"))


def load_registry(path: Path) -> Registry:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such file (create it, or pass --registry)") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    return parse_registry(data, path)
