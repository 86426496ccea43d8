"""What a release covers and under which licences: read from its own tables, never guessed.

The card, the manifest and CITATION.cff all say when the documents were published, when the
inspections' fieldwork took place, and who owns which text. Those facts come from the data
(sources.published_date, inspections.fieldwork_*, sources.source_type/licence), so a release
that adds 2020 fieldwork says so.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field

from ncpi.vocab import SOURCE_TYPES


@dataclass(frozen=True)
class Span:
    first: dt.date | None
    last: dt.date | None

    def as_dict(self) -> dict:
        return {"from": self.first.isoformat() if self.first else None,
                "to": self.last.isoformat() if self.last else None}

    def text(self) -> str:
        if not self.first:
            return "not stated"
        return self.first.isoformat() if self.first == self.last else f"{self.first.isoformat()} to {self.last.isoformat()}"


def _span(dates) -> Span:
    ds = sorted(d for d in dates if d is not None)
    return Span(ds[0], ds[-1]) if ds else Span(None, None)


@dataclass(frozen=True)
class Coverage:
    published: Span                  # sources.published_date
    fieldwork: Span                  # inspections.fieldwork_start .. fieldwork_end
    licences: list[dict] = field(default_factory=list)   # one row per (source_type, licence)

    def as_dict(self) -> dict:
        return {"sourcesPublished": self.published.as_dict(), "fieldwork": self.fieldwork.as_dict(),
                "licences": self.licences}


def coverage_of(sources: list[dict], inspections: list[dict]) -> Coverage:
    """Dates and licences of a release, from its sources and inspections rows."""
    published = _span(s.get("published_date") for s in sources)
    fieldwork = _span([i.get("fieldwork_start") for i in inspections] + [i.get("fieldwork_end") for i in inspections])
    counts = Counter((s.get("source_type") or "other", s.get("licence") or "unknown",
                      bool(s.get("text_withheld"))) for s in sources)
    order = {t: n for n, t in enumerate(SOURCE_TYPES)}
    licences = [{"sourceType": t, "licence": lic, "sources": n, "textWithheld": withheld}
                for (t, lic, withheld), n in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1]))]
    return Coverage(published, fieldwork, licences)


def release_date(environ=None, today=None) -> str:
    """The day a release is cut, as `created`: SOURCE_DATE_EPOCH when set (reproducible builds),
    else today's UTC date. Re-rendering a committed release reuses its own `created`."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        day = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    else:
        day = today or dt.datetime.now(dt.timezone.utc).date()
    return f"{day.isoformat()}T00:00:00Z"


COVERAGE_TABLES = ("forces", "reports", "inspections", "inspection_sources", "sources")
COVERAGE_CHART = "coverage.svg"


def report_coverage(tables: dict) -> list[dict] | None:
    """Rows of the `coverage` view (forces x catalogued reports) over a release's own Parquet
    files: the same declarative SQL as the warehouse view, on an in-memory connection whose
    views are the release's tables. None when a table it needs is missing."""
    if not all(name in tables for name in COVERAGE_TABLES):
        return None
    import duckdb

    from ncpi.warehouse import view_statements

    con = duckdb.connect()
    try:
        for name in COVERAGE_TABLES:
            con.read_parquet(str(tables[name])).create_view(name)
        con.execute(next(s for s in view_statements() if s.startswith("CREATE OR REPLACE VIEW coverage ")))
        cur = con.execute("SELECT force_id, report_id, published_date, status FROM coverage "
                          "WHERE report_id IS NOT NULL ORDER BY force_id, published_date, report_id")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]
    except duckdb.Error:
        return None   # a release of another schema: no chart rather than a wrong one
    finally:
        con.close()
