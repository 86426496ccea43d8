"""Fetch NCPI releases from the web into raw/: plain functions, no Prefect.

    from ncpi.fetch import load_registry, fetch_sources
    report = fetch_sources(load_registry(Path("raw/sources.toml")), Path("raw"))
    print(report.summary())

See docs/fetching.md for the registry format, the raw/fetched layout and the outcomes.
"""
from ncpi.fetch.core import FetchBusy, FetchReport, UrlOutcome, DiscoveryOutcome, fetch_sources
from ncpi.fetch.discover import Item, Verdict, classify, parse_feed, parse_listing
from ncpi.fetch.http import FetchSettings, make_session
from ncpi.fetch.registry import Registry, RegistryError, load_registry, parse_registry

__all__ = [
    "FetchBusy", "FetchReport", "UrlOutcome", "DiscoveryOutcome", "fetch_sources",
    "Item", "Verdict", "classify", "parse_feed", "parse_listing",
    "FetchSettings", "make_session",
    "Registry", "RegistryError", "load_registry", "parse_registry",
]
