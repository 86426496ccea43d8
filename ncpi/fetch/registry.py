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
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Registry:
    path: Path | None = None
    settings: FetchSettings = field(default_factory=FetchSettings)
    releases: list[Release] = field(default_factory=list)
    sources: list[DiscoverySource] = field(default_factory=list)

    def find_source(self, url: str) -> DiscoverySource | None:
        return next((s for s in self.sources if s.url == url), None)


_SETTINGS = {f.name: f.type for f in dataclasses.fields(FetchSettings)}
_RELEASE_KEYS = {"url", "note"}
_SOURCE_KEYS = {"url", "note", "link_pattern", "same_host"}


def _check_keys(where: str, table: dict, allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def parse_registry(data: dict, path: Path | None = None) -> Registry:
    name = str(path) if path else "sources.toml"
    _check_keys(name, data, {"fetch", "release", "feed", "listing"})
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
            _check_keys(where, entry, _SOURCE_KEYS)
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
    return reg


def load_registry(path: Path) -> Registry:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such file (create it, or pass --registry)") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    return parse_registry(data, path)
