"""Inspections a document reports on (its subject) and earlier ones it mentions.

Kinds follow the inspectorate's own words: the report title first, then the narrative.
A "re-inspection" said only by a force or an outlet is not taken on trust.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ncpi.rules import Decided, RuleSet
from ncpi.rules import kinds as kind_rules
from ncpi.vocab import HMICFRS_RENAMED
from ncpi.parse.dates import DateIndex, DateSpan, find_dates, month_only_dates

# The patterns are rule records (ncpi/rules/kinds.py); here as (kind, regex) in their order.
KIND_PATTERNS: list[tuple[str, re.Pattern]] = [(r.decides, r.regex) for r in kind_rules.TITLE_RULES]
KIND_RULES = kind_rules.TITLE_RULES
# Record order decides, in one guarded scan: measured on 4,830 titles, leads and sentences,
# 20 µs a text against 75 µs rule by rule (reader rules: 81 against 265).
TITLE_KINDS = RuleSet(KIND_RULES)
READER_KINDS = RuleSet(kind_rules.READER_RULES)
# Kind words as they stand next to a date in a sentence. Bare "inspected" and "inspection"
# are kept apart: they name an initial inspection only when nothing else does.
MENTION_KINDS: list[tuple[str, re.Pattern]] = [(r.decides, r.regex) for r in kind_rules.NEAR_DATE_RULES]
_CUES = {r.id: r.regex for r in kind_rules.CUE_RULES}
BARE_INSPECTION = _CUES["history.bare_inspection"]
# "first inspected", "initial inspection", "original inspection": the first of a series.
ORDINAL_FIRST = _CUES["history.first"]
# Words that put what follows before the subject inspection.
STRICT_EARLIER = _CUES["history.strict_earlier"]
# Words that say the sentence is about the inspection being reported now.
AGAIN = _CUES["history.again"]
VISIT_AGAIN = _CUES["history.visit_again"]
PUBLISH_CUE = _CUES["history.published"]
FIELDWORK_CUE = _CUES["history.fieldwork"]
ADJECTIVAL_YEAR = _CUES["history.adjectival_year"]
# Sentences about the inspection being reported (narrative.py uses it to attach findings).
CURRENT = _CUES["history.current"]
KIND_RANK = {"inspection": 0, "post_inspection_review": 1, "assessment_of_progress": 2, "re_inspection": 2}


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
    span: tuple[int, int] | None = None   # first mention in the document's normalised text
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
        """The finest precision among the row's dates: "day" when any of them is a day."""
        ranks = [precision_rank(span.precision) for span in (self.fieldwork, self.published)
                 if span is not None and span.start is not None and span.precision in PRECISION_ORDER]
        return PRECISION_ORDER[min(ranks)] if ranks else None


PRECISION_ORDER = ["day", "month", "year"]


def precision_rank(precision: str | None) -> int:
    """0 for a day, 1 for a month, 2 for a year; an unknown precision ranks last."""
    return PRECISION_ORDER.index(precision) if precision in PRECISION_ORDER else len(PRECISION_ORDER)


def kind_from(text: str) -> str | None:
    """The first title rule (in record order) that matches: a Decided kind, or None."""
    hit = TITLE_KINDS.first(text)
    return Decided(hit.rule.decides, hit.rule.id, hit.cue) if hit else None


def inspectorate_for(date: dt.date | None) -> str | None:
    if date is None:
        return None
    return "HMICFRS" if date >= HMICFRS_RENAMED else "HMIC"


def best_date(text: str, default_year: int | None = None) -> DateSpan | None:
    spans = [s for s in find_dates(text, default_year) if s.start is not None]
    if not spans:
        return None
    # Prefer the most precise, then the first.
    order = {"day": 0, "month": 1, "year": 2}
    return sorted(spans, key=lambda s: (order.get(s.precision or "year", 3), s.pos[0]))[0]


# Notes lists: "South Yorkshire Police – published September 2014, post-inspection review published in July 2015."
LIST_ITEM = re.compile(r"published (?:in )?(?P<d>[A-Z][a-z]+ \d{4}|\d{4})", re.I)
LIST_LEAD = 60         # characters before "published" that name the report (force, kind)
LIST_KIND_LEAD = 40    # of them, without a comma, the ones read for its kind


def from_report_list_item(text: str) -> list[tuple[str, DateSpan]]:
    """(kind, published) pairs in one Notes list item; the kind defaults to inspection."""
    out = []
    for m in LIST_ITEM.finditer(text):
        lead = text[max(0, m.start() - LIST_LEAD):m.start()]
        kind = "inspection"
        k = kind_from(lead.split(",")[-1]) if "," in lead else kind_from(lead[-LIST_KIND_LEAD:])
        if k in ("post_inspection_review", "assessment_of_progress", "re_inspection"):
            kind = k
        span = best_date(m.group("d"))
        if span:
            out.append((kind, span))
    return out


@dataclass
class DateMention:
    """A date in a sentence, with the words around it that say which inspection it dates."""
    date: DateSpan
    pos: int                  # absolute offset of the date in the text
    sentence_start: int
    force_id: str | None
    kind: str | None          # a kind named next to the date (None: not named)
    bare_inspection: bool     # "inspected"/"inspection" without a kind
    role: str                 # "fieldwork" or "published"
    earlier: str | None       # "strict" (previously, since, that inspection), "first" (first, initial) or None
    again: bool               # returned, today, this review: the inspection being reported
    adjectival: bool          # "our 2016 inspection": a year naming an earlier report
    role_cue: str = ""        # the cue that made it fieldwork or publication ("" : fieldwork, no cue)


REPORT_WORD = re.compile(r"\breports?\b", re.I)
KIND_TAIL = 8          # a word ending this close after a kind's words ("review report") belongs to it
KIND_HITS = MENTION_KINDS + KIND_PATTERNS[:2] + [("inspection", KIND_PATTERNS[3][1]), ("bare", BARE_INSPECTION), (None, REPORT_WORD)]


def _nearest_kind(text: str, *, before: bool) -> tuple[str | None, bool, int]:
    """The kind named nearest the date: (kind, bare, position). A bare "inspected"/"inspection"
    gives (None, True, …); a "report" that names no kind gives (None, False, …)."""
    hits = [(m.start(), m.end(), k) for k, pat in KIND_HITS for m in pat.finditer(text)]
    # A word inside a longer kind ("inspection" in "post-inspection review") or a "report"
    # straight after one ("review report") belongs to it.
    kinds = [o for o in hits if o[2] not in (None, "bare")]
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] + KIND_TAIL and (o[0], o[1]) != (h[0], h[1])
                                       for o in kinds)]
    if not hits:
        return None, False, -1
    hit = max(hits, key=lambda h: (h[1], h[1] - h[0])) if before else min(hits, key=lambda h: (h[0], h[0] - h[1]))
    if hit[2] == "bare":
        return None, True, hit[1]
    return hit[2], False, hit[1]


def _first_named_kind(text: str) -> str | None:
    hits = [(m.start(), -(m.end() - m.start()), k) for k, pat in KIND_HITS[:-2] for m in pat.finditer(text)]
    return min(hits)[2] if hits else None


def _cue(text: str, *, last: bool) -> tuple[str, str] | None:
    """(role, "rule id ('cue')") of the last (or first) publication or fieldwork cue in text:
    the words that make a date the fieldwork or the publication."""
    p = list(PUBLISH_CUE.finditer(text))
    f = list(FIELDWORK_CUE.finditer(text))
    if not p and not f:
        return None
    if last:
        published = (p[-1].end() if p else -1) > (f[-1].end() if f else -1)
    else:
        published = (p[0].start() if p else len(text) + 1) < (f[0].start() if f else len(text) + 1)
    m = (p if published else f)[-1 if last else 0]
    return ("published", f"history.published ({m.group(0)!r})") if published else (
        "fieldwork", f"history.fieldwork ({m.group(0)!r})")


CLAUSE_END = re.compile(r"[;:]|,\s+(?:and|but|which|when|to|after|before|following)\b|\s(?:and|but) (?=[a-z]+ed\b)|\b(?:since|after|following|against|to assess|to review|to check|to examine)\b")
# ", and published its report in October 2017": a date after "published" with no words of its
# own shares the reading of the date before it in the sentence.
PUBLISHED_LEAD = re.compile(r"^[\s,]*(?:and\s+)?(?:(?:it|HMIC\w*|the inspectorate)\s+)?published")
LOCAL_BEFORE = 120     # characters before a date (back to the date before it) read for its kind and cues
AFTER_CLAUSE = 90      # characters of the date's own clause after it read for a kind or a cue
LEADING_DATE = 12      # a date with at most this much before it leads its clause ("In November 2016, HMIC ...")


def date_mentions(sentence: str, offset: int, default_year: int | None, forces_at, *,
                  reference: dt.date | None = None, index: DateIndex | None = None) -> list[DateMention]:
    """Every date in one sentence that dates an inspection, read from the words around it.

    forces_at(i) gives the force named last before character i of the sentence (or None).
    A date whose own clause says nothing (", and published its report in October 2017")
    inherits what the clause before it said. `index` (the document's DateIndex, the sentence
    being text[offset:offset + len(sentence)]) gives the sentence's dates without reading them again.
    """
    out: list[DateMention] = []
    spans = _sentence_dates(sentence, offset, default_year, reference=reference, index=index)
    prev_end = 0
    for i, d in enumerate(spans):
        a, b = d.pos
        nxt = spans[i + 1].pos[0] if i + 1 < len(spans) else len(sentence)
        reading = _read_date(d, before=sentence[prev_end:a], after=sentence[b:nxt], first=i == 0,
                             prev=out[-1] if out else None)
        if reading is not None:
            out.append(DateMention(date=d, pos=offset + a, sentence_start=offset, force_id=forces_at(a), **reading))
        prev_end = b
    return out


def _sentence_dates(sentence: str, offset: int, default_year: int | None, *, reference: dt.date | None,
                    index: DateIndex | None) -> list[DateSpan]:
    """The sentence's dates (those with a day, month or year), month-only ones among them,
    with offsets into the sentence, in order."""
    if index is None:
        spans = [d for d in find_dates(sentence, default_year) if d.start is not None]
        months = month_only_dates(sentence, reference)
    else:
        end = offset + len(sentence)
        spans = [_relative(d, offset) for d in index.within(offset, end) if d.start is not None]
        months = [_relative(d, offset) for d in index.month_only_within(offset, end)]
    if months:
        taken = [d.pos for d in spans]
        spans += [d for d in months if not any(not (d.pos[1] <= a or d.pos[0] >= b) for a, b in taken)]
        spans.sort(key=lambda d: d.pos[0])
    return spans


def _relative(d: DateSpan, offset: int) -> DateSpan:
    d.pos = (d.pos[0] - offset, d.pos[1] - offset)
    return d


def _read_date(d: DateSpan, *, before: str, after: str, first: bool, prev: DateMention | None) -> dict | None:
    """What the words around one date say: its kind, role and history (DateMention's fields),
    or None when nothing there dates an inspection. `before` runs back to the date before it,
    `after` up to the next date; `prev` is the sentence's mention before it."""
    cut = CLAUSE_END.search(after)
    after_clause = (after[:cut.start()] if cut else after)[:AFTER_CLAUSE]
    adjectival_word = ADJECTIVAL_YEAR.match(after) if d.precision == "year" else None
    adjectival = bool(adjectival_word)
    local = before[-LOCAL_BEFORE:]
    kind, bare = _kind_around(local, after_clause)
    if adjectival:
        word = adjectival_word.group(0).strip().lower()
        kind = ("post_inspection_review" if word.endswith("review") else "re_inspection" if word.startswith("re-") else None)
        bare = kind is None
    last_cue = _cue(local, last=True)
    role, role_cue = last_cue or _cue(after_clause, last=False) or ("fieldwork", "")
    earlier, again = _history(local, after_clause,
                              leads=kind is None and first and len(before.strip()) <= LEADING_DATE)
    says_nothing = kind is None and earlier is None and not again and not adjectival
    inherited = prev is not None and says_nothing and (
        (not bare and not PUBLISH_CUE.search(before) and not FIELDWORK_CUE.search(before)) or bool(PUBLISHED_LEAD.match(before)))
    if inherited:
        kind, bare, earlier, again = prev.kind, prev.bare_inspection, prev.earlier, prev.again
        role, role_cue = (prev.role, prev.role_cue) if not last_cue else (role, role_cue)
    around = local + " " + after_clause
    if not (inherited or VISIT_AGAIN.search(local) or PUBLISH_CUE.search(around) or FIELDWORK_CUE.search(around)
            or kind or adjectival):
        return None
    return {"kind": kind, "bare_inspection": bare, "role": role, "earlier": earlier, "again": again,
            "adjectival": adjectival, "role_cue": role_cue}


def _kind_around(local: str, after_clause: str) -> tuple[str | None, bool]:
    """The kind named before the date (unless a history cue after it moves it to the clause),
    else the first named after it in its clause; and whether only a bare "inspected" is there."""
    kind, bare, kind_end = _nearest_kind(local, before=True)
    strict = list(STRICT_EARLIER.finditer(local))
    if strict and kind_end >= 0 and strict[-1].start() >= kind_end:
        # "Our review found progress since 2017": the kind belongs to the clause, not the date.
        kind, bare = None, False
    if kind is None:
        # "in March 2019 HMICFRS conducted a post-inspection review": the kind follows the date.
        k2 = _first_named_kind(after_clause)
        if k2:
            kind, bare = k2, False
        elif not bare:
            bare = bool(BARE_INSPECTION.search(after_clause))
    return kind, bare


def _history(local: str, after_clause: str, *, leads: bool) -> tuple[str | None, bool]:
    """("strict" | "first" | None, again) from the words before the date; a date leading its
    clause ("In November 2016, HMIC published ...") takes them from the words after it."""
    earlier = "strict" if STRICT_EARLIER.search(local) else "first" if ORDINAL_FIRST.search(local) else None
    again = bool(AGAIN.search(local))
    if earlier is None and not again and leads:
        if STRICT_EARLIER.search(after_clause):
            earlier = "strict"
        elif ORDINAL_FIRST.search(after_clause):
            earlier = "first"
        again = bool(AGAIN.search(after_clause))
    return earlier, again


# An inspection with a history cue that ended more than this long before the document (about
# 18 months: longer than a follow-up takes to report) is history, not the news.
HISTORY_DAYS = 540


def long_before(m: DateMention, report_date: dt.date | None) -> bool:
    """A "first inspected in 2014" in a document of 2019 tells history, not the news."""
    return bool(m.earlier and report_date and m.date.end and (report_date - m.date.end).days > HISTORY_DAYS)


def classify(m: DateMention, subject_kind: str | None, report_date: dt.date | None = None) -> tuple[str | None, str | None]:
    """("current" | "earlier" | None, kind) for one dated mention, given the subject's kind."""
    kind = m.kind
    implied = kind or ("inspection" if m.bare_inspection else None)
    if m.adjectival or m.earlier == "strict" or long_before(m, report_date):
        return "earlier", implied or "inspection"
    initial_subject = subject_kind in ("inspection", None, "unknown")
    if kind and subject_kind not in (None, "unknown") and kind != subject_kind:
        if KIND_RANK.get(kind, 9) < KIND_RANK.get(subject_kind, 9):
            return "earlier", kind
        return None, None  # a later kind, e.g. a review still to come
    if m.earlier == "first" and not m.again and not (initial_subject and implied in (None, "inspection")):
        return "earlier", implied or "inspection"
    if (kind is None and m.bare_inspection and not m.again and not initial_subject):
        # "HMIC inspected X in March 2017" in a follow-up's release: the initial inspection.
        return "earlier", "inspection"
    return "current", subject_kind


def lead_kind(text: str) -> str | None:
    """The kind the lead sentences give the reported inspection ("a post-inspection review
    published today"), skipping kinds named only as history ("since it was first inspected")
    or as the programme ("national child protection inspection programme"). The most specific
    kind named wins: a title reads "… inspection post-inspection review"."""
    for rule in KIND_RULES:
        for m in rule.regex.finditer(text):
            pre = text[max(0, m.start() - HISTORY_CUE_WINDOW):m.start()]
            if STRICT_EARLIER.search(pre) or (rule.decides == "inspection" and FIRST_OR_INITIAL.search(m.group(0))):
                continue
            if PROGRAMME_AFTER.match(text[m.end():m.end() + PROGRAMME_WINDOW]):
                continue
            return Decided(rule.decides, rule.id, m.group(0))
    return None


def reader_kind(text: str, current: str) -> str:
    """The kind a reader gives the reported inspection (ncpi/rules/kinds.py READER_RULES,
    first record in order) when the text's own report title does not name it: a follow-up
    told by its relation to an earlier report, else an initial inspection if one is reported
    at all. `current` is the kind read so far ("unknown", or an "inspection" read from a
    quoted title or a date, which a follow-up cue overrides: news cites the earlier report)."""
    hit = READER_KINDS.first(text)
    if hit is None or (current == "inspection" and hit.rule.decides == "inspection"):
        return current
    return Decided(hit.rule.decides, hit.rule.id, hit.cue)


HISTORY_CUE_WINDOW = 40    # characters before a kind's words searched for a history cue
FIRST_OR_INITIAL = re.compile(r"first|initial", re.I)
PROGRAMME_AFTER = re.compile(r"\s*programme", re.I)
PROGRAMME_WINDOW = 12      # " programme" straight after the kind's words: the programme, not a kind


TITLE_IN_TEXT = re.compile(r"[–—-]\s*National child protection[^.,;“”\"'’‘]{0,60}", re.I)
TITLE_LEAD = 40        # characters before a quoted title's dash: the force it names


def title_mentions(text: str) -> list[tuple[str, str]]:
    """Report titles quoted in running text ("The report, Wiltshire – National child
    protection inspection post-inspection review, follows ..."): (words before the dash, kind)."""
    out = []
    for m in TITLE_IN_TEXT.finditer(text):
        k = kind_from(m.group(0))
        if k:
            out.append((text[max(0, m.start() - TITLE_LEAD):m.start()], k))
    return out
