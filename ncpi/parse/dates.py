"""Dates as releases print them, kept with their precision.

Returns DateSpan(start, end, precision, flags): "January 2019" is 2019-01-01..2019-01-31
at month precision; "8–19 October 2018" is a day range; a bare "2018" is a year. The date
forms are rule records (ncpi/rules/dates.py).

A document's dates are found ONCE (DateIndex): every form is searched only in short
windows around the places a date can be (a year, an opening bracket, a month's name), and
the dates of a sentence are then looked up by offset. A sentence gets exactly the dates it
would get read on its own (find_dates(sentence)): where the whole text and the sentence
could read differently at its edges (a date running over them, a word glued to them), the
sentence is read on its own.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from ncpi.rules import dates as date_rules
from ncpi.rules.dates import MONTH_RE, WEEKDAY_RE, YEAR_RE  # noqa: F401  (re-exported)

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DASH = date_rules.DASH


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


# The forms in record order (kind = the rule id after "date."): an earlier form's date hides
# any later form's match overlapping it.
PATTERNS: list[tuple[str, re.Pattern]] = [(r.id.split(".", 1)[1], r.regex) for r in date_rules.FORM_RULES]
MONTH_ONLY = date_rules.MONTH_ONLY_RULE.regex
# month_year and year come last, so they never hide another form's date, and their dates
# carry no flags: the flags of a text are those of the forms before them.
FLAG_KINDS = {"day_range", "day_month_range", "month_range", "dmy", "mdy", "iso", "dmy_slash", "weekday_paren"}

# --- where a date can be --------------------------------------------------------------------
# Every form but weekday_paren holds a year at the start of a run of digits; weekday_paren
# holds "("; the month-only form (case-sensitive) holds a month's capitalised name.
YEAR_ANCHOR = re.compile(YEAR_RE)
PAREN_ANCHOR = re.compile(r"\(")
MONTH_ANCHOR = re.compile(r"January|February|March|April|May|June|July|August|September|October|November|December"
                          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
# The forms stretch only over words of bounded length and runs of spaces (and hyphens, in
# "mid - July"): a date reaches from its anchor at most FIXED + PER_RUN * w characters, where w
# is the longest such run in that reach (found by widening the reach until it holds).
FLEX_RUN = re.compile(r"[\s-]{2,}")
SHORT_RUN = 2          # the run length assumed first ("\n\n" between paragraphs)
LONG_RUN = re.compile(r"[\s-]{3,}")   # a run longer than SHORT_RUN


@dataclass(frozen=True)
class Reach:
    """How far a form can stretch before and after its anchor: fixed + per_run * (longest run)."""
    before: int
    after: int
    per_run: int


# Before a year: "between Thursday, 21st September 2019 and " is at most 34 fixed characters
# and five runs of spaces (rounded up); after it "-03-14" of an ISO date and the character its
# closing \b looks at.
YEAR_REACH = Reach(before=36, after=8, per_run=6)
# weekday_paren: "Wednesday (" before the bracket; "September 21 )" after it.
PAREN_REACH = Reach(before=12, after=16, per_run=4)
# month-only: "throughout early " before the month; after it, its lookaheads
# (", 2019", ". of the following year").
MONTH_REACH = Reach(before=18, after=24, per_run=4)
# Digits each form holds in separate runs ("14–25 May 2018": three): a window with fewer
# runs of digits cannot hold that form.
DIGIT_RUN = re.compile(r"\d+")
MIN_DIGIT_RUNS = {"day_range": 3, "day_month_range": 3, "iso": 3, "dmy_slash": 3, "dmy": 2, "mdy": 2}
# What may follow a month's name at a sentence's end and still let the month-only form's
# lookaheads read past it (", 2019" / " of that year" in the next block): read on its own.
MONTH_TAIL_GAP = re.compile(r"\.?(?:[\s,]*|\s+(?:of\b\s*)?(?:(?:that|the|same|following|next|previous|this|last)\b\s*)*)")
# "May" is also a verb: a month only at a clause's end.
MAY_CLAUSE_END = re.compile(r"\s*(?:[,.;]|$|to|and|when|for)")
ISO_PREFIX = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
KEEP = object()      # within(..., default_year=KEEP): the index's own default year


def _reach(text: str, x: int, *, fixed: int, per_run: int, forward: bool) -> int:
    """Characters a form can reach from x (backward or forward): widened until the longest
    run of spaces inside it is covered."""
    w, n = SHORT_RUN, len(text)
    while True:
        r = fixed + per_run * w
        lo, hi = (x, min(n, x + r)) if forward else (max(0, x - r), x)
        if not LONG_RUN.search(text, lo, hi):
            return r
        longest = max((m.end() - m.start() for m in FLEX_RUN.finditer(text, lo, hi)), default=0)
        if longest <= w:
            return r
        w = longest


def _windows(text: str, anchors: list[tuple[int, int]], reach: Reach) -> list[tuple[int, int]]:
    """Merged [start, end) windows around each anchor, as far as a form can reach from it."""
    out: list[tuple[int, int]] = []
    for a, b in anchors:
        ws = a - _reach(text, a, fixed=reach.before, per_run=reach.per_run, forward=False)
        we = b + _reach(text, b, fixed=reach.after, per_run=reach.per_run, forward=True)
        ws, we = max(0, ws), min(len(text), we)
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], we))
        else:
            out.append((ws, we))
    return out


def _merge(*lists: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for ws, we in sorted(w for ws in lists for w in ws):
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], we))
        else:
            out.append((ws, we))
    return out


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _acceptable(kind: str, m: re.Match) -> bool:
    """Whether a form's match is a date at all (_interpret would not return None)."""
    g = m.groupdict()
    # Months match in any case ("16 MAY 2019") but never in lower case ("the force may 2019 ...").
    if any(g.get(k) and g[k][0].islower() for k in ("m", "m1", "m2", "wd")):
        return False
    return not (kind in ("iso", "dmy_slash") and not 1 <= int(g["mo"]) <= 12)


class DateIndex:
    """Every date of one text, found once; the dates of any stretch of it looked up by offset.

    spans() is find_dates(text); within(a, b) is find_dates(text[a:b]) with offsets into
    text; month_only_within(a, b) is month_only_dates(text[a:b], reference) likewise."""

    def __init__(self, text: str, *, default_year: int | None = None, reference: dt.date | None = None):
        self.text, self.default_year, self.reference = text, default_year, reference
        years = [m.span() for m in YEAR_ANCHOR.finditer(text)]
        parens = [m.span() for m in PAREN_ANCHOR.finditer(text)] if "(" in text else []
        self.months = [m.span() for m in MONTH_ANCHOR.finditer(text)]
        self.anchors = sorted(years + parens + self.months)
        self._anchor_starts = [a for a, _ in self.anchors]
        self._anchor_ends = [b for _, b in self.anchors]
        self.windows = _merge(_windows(text, years, YEAR_REACH), _windows(text, parens, PAREN_REACH))
        raw = [km for ws, we in self.windows for km in _scan(text, ws, we)]
        self.resolved = _resolve(raw)
        self._starts = [m.start() for _, m in self.resolved]
        self._raw = _Intervals([m.span() for _, m in raw])
        self._month_only: tuple[list[re.Match], _Intervals] | None = None   # read when first asked for

    # --- whole text ---------------------------------------------------------------------
    def spans(self) -> list[DateSpan]:
        """Every date expression in the text, without overlaps, in text order."""
        return self._interpreted(self.resolved, self.default_year)

    def flags(self) -> list[str]:
        """The flags of every date in the text, in order (month_year and year carry none)."""
        found = [(k, m) for k, m in self.resolved if k in FLAG_KINDS]
        return [f for span in self._interpreted(found, self.default_year) for f in span.flags]

    # --- a stretch of the text ----------------------------------------------------------
    def has_anchor(self, a: int, b: int) -> bool:
        """Whether text[a:b] holds anything a date could be read from (else it has no date)."""
        k = bisect.bisect_left(self._anchor_starts, a)
        return k < len(self.anchors) and self.anchors[k][1] <= b

    def may_hold_dates(self, a: int, b: int) -> bool:
        """False when text[a:b], read on its own, certainly holds no date (nor a month-only one)."""
        k = bisect.bisect_left(self._anchor_starts, a)
        if k < len(self._anchor_ends) and self._anchor_ends[k] <= b:
            return True
        t = self.text
        return (a > 0 and (t[a - 1].isalnum() or t[a - 1] == "_")) or (
            b < len(t) and (t[b].isalnum() or t[b] in "_-"))

    def within(self, a: int, b: int, *, default_year=KEEP) -> list[DateSpan]:
        """find_dates(text[a:b]), with offsets into the whole text."""
        year = self.default_year if default_year is KEEP else default_year
        if not self.may_hold_dates(a, b):
            return []
        if self._glued(a, b) or self._raw.straddled(a) or self._raw.straddled(b):
            return [_shifted(s, a) for s in DateIndex(self.text[a:b], default_year=year).spans()]
        lo, hi = bisect.bisect_left(self._starts, a), bisect.bisect_left(self._starts, b)
        return self._interpreted([(k, m) for k, m in self.resolved[lo:hi] if m.end() <= b], year)

    def month_only_within(self, a: int, b: int) -> list[DateSpan]:
        """month_only_dates(text[a:b], reference), with offsets into the whole text."""
        if self.reference is None or not self.may_hold_dates(a, b):
            return []
        found, raw = self._month_only_matches()
        if self._glued(a, b) or raw.straddled(a) or raw.straddled(b) or self._month_ends(a, b):
            return [_shifted(s, a) for s in month_only_dates(self.text[a:b], self.reference)]
        inside = [m for m in found if a <= m.start() and m.end() <= b]
        return _month_only_spans(self.text, inside, self.reference, end=b)

    def _month_only_matches(self) -> tuple[list[re.Match], "_Intervals"]:
        if self._month_only is None:
            found = [m for ws, we in _windows(self.text, self.months, MONTH_REACH)
                     for m in MONTH_ONLY.finditer(self.text, ws, we)]
            self._month_only = (found, _Intervals([m.span() for m in found]))
        return self._month_only

    def _month_ends(self, a: int, b: int) -> bool:
        """A month's name ends text[a:b]: the month-only form looks past it for a year."""
        k = bisect.bisect_right(self._anchor_starts, b) - 1
        while k >= 0 and self.anchors[k][1] > b:
            k -= 1
        if k < 0 or self.anchors[k] not in self._month_set or self.anchors[k][0] < a:
            return False
        return bool(MONTH_TAIL_GAP.fullmatch(self.text, self.anchors[k][1], b))

    @property
    def _month_set(self) -> set[tuple[int, int]]:
        found = self.__dict__.get("_ms")
        if found is None:
            found = self.__dict__["_ms"] = set(self.months)
        return found

    def _glued(self, a: int, b: int) -> bool:
        """A word (or a hyphen after) glued to text[a:b]: its \\b and lookaheads read differently."""
        t = self.text
        return (a > 0 and _is_word(t[a - 1])) or (b < len(t) and (_is_word(t[b]) or t[b] == "-"))

    @staticmethod
    def _interpreted(found, year: int | None) -> list[DateSpan]:
        out = []
        for kind, m in found:
            span = _interpret(kind, m, year)
            span.pos = m.span()
            out.append(span)
        return out


class _Intervals:
    """Spans of raw matches: which of them run over a given offset."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.longest = max((b - a for a, b in spans), default=0)

    def straddled(self, x: int) -> bool:
        lo = bisect.bisect_right(self.starts, x - self.longest)
        hi = bisect.bisect_left(self.starts, x)
        return any(self.ends[k] > x for k in range(lo, hi))


def _scan(text: str, ws: int, we: int) -> list[tuple[str, re.Match]]:
    """Every form's matches in text[ws:we] (each form's own non-overlapping matches)."""
    digit_runs = sum(1 for _ in DIGIT_RUN.finditer(text, ws, we))
    paren = text.find("(", ws, we) >= 0
    return [(kind, m) for kind, pat in PATTERNS
            if digit_runs >= MIN_DIGIT_RUNS.get(kind, 1) and (paren or kind != "weekday_paren")
            for m in pat.finditer(text, ws, we)]


def _resolve(raw: list[tuple[str, re.Match]]) -> list[tuple[str, re.Match]]:
    """The forms' matches in record order, each kept unless it overlaps one kept before;
    returned in text order."""
    order = {kind: k for k, (kind, _) in enumerate(PATTERNS)}
    raw = sorted(raw, key=lambda km: (order[km[0]], km[1].start()))
    starts: list[int] = []
    kept: list[tuple[int, int, str, re.Match]] = []
    for kind, m in raw:
        a, b = m.span()
        k = bisect.bisect_left(starts, a)
        # kept spans do not overlap each other: only the neighbours can overlap this one
        if (k < len(kept) and kept[k][0] < b) or (k > 0 and kept[k - 1][1] > a):
            continue
        if not _acceptable(kind, m):
            continue
        starts.insert(k, a)
        kept.insert(k, (a, b, kind, m))
    return [(kind, m) for _, _, kind, m in kept]


def _shifted(span: DateSpan, by: int) -> DateSpan:
    span.pos = (span.pos[0] + by, span.pos[1] + by)
    return span


def _check_weekday(wd: str | None, d: dt.date | None, flags: list[str]) -> None:
    if wd and d and WEEKDAYS[d.weekday()] != wd.lower():
        flags.append("weekday_date_mismatch")


def flags_of_dates(text: str, default_year: int | None = None) -> list[str]:
    """The flags of every date in text, in order (what find_dates' spans would carry)."""
    return DateIndex(text, default_year=default_year).flags()


def month_only_dates(text: str, reference: dt.date | None) -> list[DateSpan]:
    """"Inspectors returned in November" in a document dated March 2017: the last November
    before the document (2016-11), month precision, flagged date_without_year."""
    if reference is None:
        return []
    return _month_only_spans(text, list(MONTH_ONLY.finditer(text)), reference, end=len(text))


def _month_only_spans(text: str, found: list[re.Match], reference: dt.date, *, end: int) -> list[DateSpan]:
    out = []
    for m in found:
        name = m.group("m")
        if name[0].islower() or name.rstrip(".").lower() == "may" and not MAY_CLAUSE_END.match(text, m.end(), end):
            continue   # "May" is also a verb: only as a month at a clause's end
        mo = _month(name)
        y = reference.year if mo <= reference.month else reference.year - 1
        a, b = month_span(y, mo)
        out.append(DateSpan(a, b, "month", ["date_without_year"], pos=(m.start("m"), m.end("m"))))
    return out


def find_dates(text: str, default_year: int | None = None) -> list[DateSpan]:
    """Every date expression in text, longest interpretation first, without overlaps."""
    return DateIndex(text, default_year=default_year).spans()


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
    m = ISO_PREFIX.match(value)
    if m:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        # Metadata dated 0001-01-01 or 9999-12-31 is a placeholder or an attack, not a date.
        return day if META_EARLIEST <= day <= dt.date.today() + dt.timedelta(days=1) else None
    spans = [s for s in find_dates(value) if s.precision == "day"]
    return spans[0].start if spans else None
