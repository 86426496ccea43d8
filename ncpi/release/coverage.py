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
