"""Inspections a document reports on (its subject) and earlier ones it mentions.

Kinds follow the inspectorate's own words: the report title first, then the narrative.
A "re-inspection" said only by a force or an outlet is not taken on trust.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ncpi.parse.dates import DateSpan, find_dates

KIND_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("assessment_of_progress", re.compile(r"assessment of progress|progress assessment|quarterly (?:update|review|assessment)|assess(?:ing|ed)? (?:the )?progress", re.I)),
    ("post_inspection_review", re.compile(r"post[- ]?inspection review|follow[- ]up (?:inspection|review)|review of progress|went back to|revisit", re.I)),
    ("re_inspection", re.compile(r"\bre-?inspect(?:ion|ed)\b|third inspection", re.I)),
    ("inspection", re.compile(r"national child protection inspection|child protection inspection|initial inspection|first inspection|initially inspected|first inspected", re.I)),
]
# "We first inspected X in 2018", "our initial 2016 inspection", "HMICFRS assessed X in 2018".
EARLIER = re.compile(
    r"(?P<cue>previously inspected|initially inspected|first inspected|first reported|initial (?:\d{4} )?(?:inspection|report)|"
    r"inspected [^.]{0,80}? in|assessed [^.]{0,60}? in|original inspection|earlier inspection|last inspection|previous inspection|"
    r"post[- ]inspection review|conducted a post|follow[- ]up (?:inspection|review))",
    re.I,
)
CURRENT = re.compile(r"today['’]?s report|this report|latest inspection|this (?:follow[- ]up|review)\b|the (?:follow[- ]up|review) (?:found|took)|which took place|carried out a (?:third|second|further) inspection|report is based on|inspectors visited|fieldwork", re.I)
FIRST_CUE = re.compile(r"previously|initially|first|initial|original|earlier|last inspection|previous", re.I)


@dataclass
class InspectionRow:
    force_id: str
    kind: str
    is_subject: bool
    report_title: str | None = None
    fieldwork: DateSpan | None = None
    published: DateSpan | None = None
    inspectorate: str | None = None
    lead_inspector: str | None = None
    previous_inspection_id: str | None = None
    mention_pos: int = 0
    flags: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        for span in (self.fieldwork, self.published):
            if span is not None and span.start is not None:
                return span.start.year
        return None

    @property
    def inspection_id(self) -> str:
        y = self.year
        return f"{self.force_id}-{self.kind}" + (f"-{y}" if y else "")

    @property
    def date_precision(self) -> str | None:
        if self.fieldwork is not None and self.fieldwork.start is not None:
            return self.fieldwork.precision
        if self.published is not None and self.published.start is not None:
            return self.published.precision
        return None


def kind_from(text: str) -> str | None:
    for kind, pat in KIND_PATTERNS:
        if pat.search(text):
            return kind
    return None


def inspectorate_for(date: dt.date | None) -> str | None:
    if date is None:
        return None
    return "HMICFRS" if date >= dt.date(2017, 7, 19) else "HMIC"


def best_date(text: str, default_year: int | None = None) -> DateSpan | None:
    spans = [s for s in find_dates(text, default_year) if s.start is not None]
    if not spans:
        return None
    # Prefer the most precise, then the first.
    order = {"day": 0, "month": 1, "year": 2}
    return sorted(spans, key=lambda s: (order.get(s.precision or "year", 3), s.pos[0]))[0]


# Notes lists: "South Yorkshire Police – published September 2014, post-inspection review published in July 2015."
LIST_ITEM = re.compile(r"published (?:in )?(?P<d>[A-Z][a-z]+ \d{4}|\d{4})", re.I)


def from_report_list_item(text: str) -> list[tuple[str, DateSpan]]:
    """(kind, published) pairs in one Notes list item; the kind defaults to inspection."""
    out = []
    for m in LIST_ITEM.finditer(text):
        lead = text[max(0, m.start() - 60):m.start()]
        kind = "inspection"
        k = kind_from(lead.split(",")[-1]) if "," in lead else kind_from(lead[-40:])
        if k in ("post_inspection_review", "assessment_of_progress", "re_inspection"):
            kind = k
        span = best_date(m.group("d"))
        if span:
            out.append((kind, span))
    return out
