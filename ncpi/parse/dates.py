"""Dates as releases print them, kept with their precision.

Returns DateSpan(start, end, precision, flags): "January 2019" is 2019-01-01..2019-01-31
at month precision; "8–19 October 2018" is a day range; a bare "2018" is a year.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
MONTH_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR_RE = r"(?:19[89]\d|20[0-4]\d)"
DASH = r"\s*(?:-|–|—|to|until)\s*"


@dataclass
class DateSpan:
    start: dt.date | None
    end: dt.date | None
    precision: str | None
    flags: list[str] = field(default_factory=list)
    pos: tuple[int, int] = (0, 0)


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _safe(y: int, m: int, d: int, flags: list[str]) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        flags.append("invalid_date")
        return None


def month_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


PATTERNS: list[tuple[str, re.Pattern]] = [
    # 8–19 October 2018 / between 14 and 25 May 2018
    ("day_range", re.compile(rf"\b(?:between\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:{DASH}|\s+and\s+)(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b", re.I)),
    # 28 November to 2 December 2020
    ("day_month_range", re.compile(rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH_RE}){DASH}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b", re.I)),
    # between November and December 2020
    ("month_range", re.compile(rf"\b(?:between\s+)?(?P<m1>{MONTH_RE})(?:\s+(?P<y1>{YEAR_RE}))?\s*(?:and|-|–|to)\s*(?P<m2>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b", re.I)),
    # 21 September 2017 / Thursday 21 September 2017
    ("dmy", re.compile(rf"\b(?:(?P<wd>{WEEKDAY_RE}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_RE}),?\s+(?P<y>{YEAR_RE})\b", re.I)),
    # Sep 21, 2017 / Thursday, September 21, 2017
    ("mdy", re.compile(rf"\b(?:(?P<wd>{WEEKDAY_RE}),?\s+)?(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR_RE})\b", re.I)),
    # 2019-03-14
    ("iso", re.compile(rf"\b(?P<y>{YEAR_RE})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})\b")),
    # 14/03/2019 (British order)
    ("dmy_slash", re.compile(rf"\b(?P<d>\d{{1,2}})/(?P<mo>\d{{1,2}})/(?P<y>{YEAR_RE})\b")),
    # Thursday (September 21) — no year
    ("weekday_paren", re.compile(rf"\b(?P<wd>{WEEKDAY_RE})\s*\(\s*(?:(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_RE}))\s*\)", re.I)),
    # (early|mid|late) July 2015 / July 2015
    ("month_year", re.compile(rf"\b(?:(?:early|mid|late|the end of|the start of|the beginning of)[\s-]+)?(?P<m>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b", re.I)),
    ("year", re.compile(rf"\b(?P<y>{YEAR_RE})\b")),
]


def _check_weekday(wd: str | None, d: dt.date | None, flags: list[str]) -> None:
    if wd and d and WEEKDAYS[d.weekday()] != wd.lower():
        flags.append("weekday_date_mismatch")


# Cheap tests that rule patterns out before they scan the text: every pattern needs a
# digit, and all but weekday_paren a year. Most sentences have neither.
ANY_DIGIT = re.compile(r"\d")
ANY_YEAR = re.compile(YEAR_RE)
NO_YEAR_PATTERNS = [(kind, pat) for kind, pat in PATTERNS if kind == "weekday_paren"]
# month_year and year come last, so they never hide another pattern's date, and their
# dates carry no flags: the flags of a text do not need them.
FLAG_KINDS = {"day_range", "day_month_range", "month_range", "dmy", "mdy", "iso", "dmy_slash", "weekday_paren"}
FLAG_PATTERNS = [(kind, pat) for kind, pat in PATTERNS if kind in FLAG_KINDS]
assert PATTERNS[:len(FLAG_PATTERNS)] == FLAG_PATTERNS


def flags_of_dates(text: str, default_year: int | None = None) -> list[str]:
    """The flags of every date in text, in order (what find_dates' spans would carry)."""
    return [f for span in _find(text, default_year, FLAG_PATTERNS) for f in span.flags]


MONTH_ONLY = re.compile(
    rf"\b(?:in|during|throughout|since|until|by)\s+(?:(?:early|mid|late)[\s-]+)?(?P<m>{MONTH_RE})(?![\w-])(?!\s*,?\s*\d)(?!\s+(?:of\s+)?(?:that|the same|the following|the next|the previous|this|last|next) year)")


def month_only_dates(text: str, reference: dt.date | None) -> list[DateSpan]:
    """"Inspectors returned in November" in a document dated March 2017: the last November
    before the document (2016-11), month precision, flagged date_without_year."""
    if reference is None:
        return []
    out = []
    for m in MONTH_ONLY.finditer(text):
        name = m.group("m")
        if name[0].islower() or name.rstrip(".").lower() == "may" and not re.match(r"\s*(?:[,.;]|$|to|and|when|for)", text[m.end():]):
            continue   # "May" is also a verb: only as a month at a clause's end
        mo = _month(name)
        y = reference.year if mo <= reference.month else reference.year - 1
        a, b = month_span(y, mo)
        out.append(DateSpan(a, b, "month", ["date_without_year"], pos=(m.start("m"), m.end("m"))))
    return out


def find_dates(text: str, default_year: int | None = None) -> list[DateSpan]:
    """Every date expression in text, longest interpretation first, without overlaps."""
    return _find(text, default_year, PATTERNS)


def _find(text: str, default_year: int | None, patterns: list[tuple[str, re.Pattern]]) -> list[DateSpan]:
    out: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    if not ANY_DIGIT.search(text):
        return out
    if not ANY_YEAR.search(text):
        patterns = [kp for kp in patterns if kp in NO_YEAR_PATTERNS]
    for kind, pat in patterns:
        for m in pat.finditer(text):
            a, b = m.span()
            if any(not (b <= s or a >= e) for s, e in taken):
                continue
            span = _interpret(kind, m, default_year)
            if span is None:
                continue
            span.pos = (a, b)
            out.append(span)
            taken.append((a, b))
    out.sort(key=lambda s: s.pos[0])
    return out


def _interpret(kind: str, m: re.Match, default_year: int | None) -> DateSpan | None:
    g = m.groupdict()
    flags: list[str] = []
    # Months match in any case ("16 MAY 2019") but never in lower case ("the force may 2019 ...").
    if any(g.get(k) and g[k][0].islower() for k in ("m", "m1", "m2", "wd")):
        return None
    if kind == "day_range":
        y, mo = int(g["y"]), _month(g["m"])
        a, b = _safe(y, mo, int(g["d1"]), flags), _safe(y, mo, int(g["d2"]), flags)
        return DateSpan(a, b, "day", flags)
    if kind == "day_month_range":
        y = int(g["y"])
        a = _safe(y, _month(g["m1"]), int(g["d1"]), flags)
        b = _safe(y, _month(g["m2"]), int(g["d2"]), flags)
        return DateSpan(a, b, "day", flags)
    if kind == "month_range":
        y2 = int(g["y"])
        y1 = int(g["y1"]) if g.get("y1") else y2
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        if not g.get("y1") and m1 > m2:
            y1 = y2 - 1
        return DateSpan(month_span(y1, m1)[0], month_span(y2, m2)[1], "month", flags)
    if kind in ("dmy", "mdy"):
        d = _safe(int(g["y"]), _month(g["m"]), int(g["d"]), flags)
        _check_weekday(g.get("wd"), d, flags)
        return DateSpan(d, d, "day", flags)
    if kind in ("iso", "dmy_slash"):
        mo = int(g["mo"])
        if not 1 <= mo <= 12:
            return None
        d = _safe(int(g["y"]), mo, int(g["d"]), flags)
        return DateSpan(d, d, "day", flags)
    if kind == "weekday_paren":
        mname, day = (g["m"], g["d"]) if g.get("m") else (g["m2"], g["d2"])
        flags.append("date_without_year")
        if default_year is None:
            return DateSpan(None, None, None, flags)
        d = _safe(default_year, _month(mname), int(day), flags)
        _check_weekday(g["wd"], d, flags)
        return DateSpan(d, d, "day", flags)
    if kind == "month_year":
        a, b = month_span(int(g["y"]), _month(g["m"]))
        return DateSpan(a, b, "month", flags)
    if kind == "year":
        y = int(g["y"])
        return DateSpan(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", flags)
    return None


META_EARLIEST = dt.date(1990, 1, 1)


def parse_iso_date(value: str | None) -> dt.date | None:
    """A date from page metadata (2019-03-14, 2019-03-14T09:00:00Z ...)."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        # Metadata dated 0001-01-01 or 9999-12-31 is a placeholder or an attack, not a date.
        return day if META_EARLIEST <= day <= dt.date.today() + dt.timedelta(days=1) else None
    spans = [s for s in find_dates(value) if s.precision == "day"]
    return spans[0].start if spans else None
