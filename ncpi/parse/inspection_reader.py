"""The inspections reader: the inspection a document reports on (one per subject force)
and the earlier ones it mentions, with their dates, kinds, lead inspector and chain.

In order: the subjects' kinds (report title, a quoted title, the lead, the dates, a
reader's reading: ncpi/rules/kinds.py); every dated mention read as the reported
inspection or an earlier one; a Notes list of other reports; publication dates from the
cover, news cues or the release itself; rows naming the same inspection merged; each
force's inspections chained; the HM Inspector quoted about a force leads its inspection.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from ncpi.parse import inspections as insp
from ncpi.parse.context import LEAD_BLOCKS, DocContext
from ncpi.parse.dates import WEEKDAYS, DateSpan, month_span
from ncpi.parse.segment import Sentence, sentences
from ncpi.parse.speakers import named_inspectors
from ncpi.rules import Decided, rule_of
from ncpi.rules import scope

_NEWS = {r.id: r.regex for r in scope.NEWS_RULES}
ORIGINALLY = _NEWS["news.originally"]
TODAY = _NEWS["news.today"]
RELATIVE_DAY = _NEWS["news.relative_day"]
LAST_MONTH = _NEWS["news.last_month"]
PUBLISHED_WORD = re.compile(r"\bpublished\b")
# news.last_month needs " month": this literal (its space has no case) is found far faster.
MONTH_WORD = re.compile(r" month\b", re.I)
# Notes speak of the programme unless they name the force or point at its report.
NOTES_ABOUT_FORCE = re.compile(r"\bthe force\b|\bits\b|\bour\b|\b(?:this|that) (?:follow|review|inspection|update|report)", re.I)
# "Its report, published in November 2016": a publication date dating the inspection before.
ITS_REPORT = re.compile(r"\s*(?:Our|Its|Their|The|That|HMIC\w*['’]s) (?:report|findings)\b")
BOTH_FORCES = re.compile(r"\b(?:both|the two) forces\b")
# An HM Inspector speaking of "both forces" leads each of them.
SEVERAL_FORCES = re.compile(r"\b(?:both|each|all|the two|these) (?:forces|of them)\b|\beach force\b", re.I)
EARLY_BLOCKS = 8              # body blocks read, with the lead, for news cues dating a copy
LEAD_PARAS = 4                # paragraphs whose sentences may join the lead
SHORT_LINE = 90               # a title or cover line is shorter than this and has no full stop
COVER_BLOCKS = 8              # blocks under the title searched for a cover date
COVER_LINE = 30               # a cover date line is at most this long
COVER_SLACK = 2               # characters of a cover line the date may leave uncovered
SAME_REPORT_DAYS = 366        # fieldwork and a publication this close are one earlier inspection
KIND_RANK = {"inspection": 0, "post_inspection_review": 1, "assessment_of_progress": 2, "re_inspection": 3, "unknown": 4}


@dataclass
class InspectionReading:
    rows: dict[str, insp.InspectionRow] = field(default_factory=dict)
    subjects: dict[str, insp.InspectionRow] = field(default_factory=dict)
    mention_ids: dict[int, str] = field(default_factory=dict)   # sentence start -> earlier inspection it dates
    flags: list[str] = field(default_factory=list)


def read_inspections(ctx: DocContext) -> InspectionReading:
    out = InspectionReading()
    if not (ctx.is_ncpi and ctx.subject_forces):
        return out
    mentions = _date_mentions(ctx)
    out.subjects = {fid: _subject_row(ctx, fid, mentions) for fid in ctx.subject_forces}
    earlier = _read_dated_mentions(ctx, mentions, out)
    earlier += _notes_list_rows(ctx)
    out.flags += ["republished_date_later" for sub in out.subjects.values()
                  if sub.published and sub.published.end and ctx.published and sub.published.end < ctx.published]
    _publication_fallbacks(ctx, out.subjects)
    out.rows = _merged(list(out.subjects.values()) + earlier)
    renamed = _merge_split_dates(out.rows)
    renamed.update(_merge_undated(out.rows))
    out.mention_ids = {pos: renamed.get(iid, iid) for pos, iid in out.mention_ids.items()}
    _chain(out.rows)
    _lead_inspectors(ctx, out.subjects)
    return out


# --- subjects ------------------------------------------------------------------------------
def _subject_row(ctx: DocContext, fid: str, mentions: list[insp.DateMention]) -> insp.InspectionRow:
    titles = [t for t in ctx.report_titles if _names_force(ctx, t, fid)] or (
        ctx.report_titles if len(ctx.subject_forces) == 1 else [])
    return insp.InspectionRow(force_id=fid, kind=_subject_kind(ctx, fid, titles, mentions), is_subject=True,
                              report_title=titles[0] if titles else None,
                              inspectorate=ctx.inspectorate, span=ctx.subject_spans.get(fid))


def _names_force(ctx: DocContext, text: str, fid: str) -> bool:
    return any(m.force_id == fid for m in ctx.matcher.resolve(text, ctx.strong_ids | {fid}))


def _subject_kind(ctx: DocContext, fid: str, titles: list[str], mentions: list[insp.DateMention]) -> str:
    """The inspectorate's own words first: the report title, a title quoted in the text,
    the lead; then how the dates are told; then a reader's reading (ncpi/rules/kinds.py)."""
    kind = next((k for k in map(insp.kind_from, titles) if k), None)
    own_title_kind = kind is not None
    if kind is None:
        kind = next((k for pre, k in insp.title_mentions(ctx.text)
                     if len(ctx.subject_forces) == 1 or _names_force(ctx, pre, fid)), None)
    if kind is None:
        kind = insp.lead_kind(_lead_text(ctx))
        if kind == "re_inspection" and not ctx.first_hand:
            # Forces and outlets call reviews "re-inspections": without the inspectorate's word, look further.
            kind = None
    kind = kind or _kind_from_mentions([m for m in mentions if m.force_id == fid], ctx.published)
    if kind == "unknown" or (kind == "inspection" and not own_title_kind):
        kind = insp.reader_kind(_reader_text(ctx, fid), kind)
    return kind


def _reader_text(ctx: DocContext, fid: str) -> str:
    """The body a reader reads the kind in: all of it, or, when the document reports on
    several forces, the sentences naming this one (one force's follow-up is not another's)."""
    if len(ctx.subject_forces) == 1:
        return " ".join(b.text for b in ctx.body_blocks)
    return " ".join(s.text for b in ctx.body_blocks for s in b.sentences
                    if _names_force(ctx, s.text, fid))


def _kind_from_mentions(mentions: list[insp.DateMention], report_date: dt.date | None = None) -> str:
    """The subject's kind when no title or lead names it, from how its dates are told:
    the latest kind named without a history cue ("carried out a post-inspection review in
    March 2018"); "returned" after a first inspection is a review; a visit or an inspection
    with no history is an initial inspection; otherwise unknown."""
    named = [m.kind for m in mentions if m.kind and m.kind != "inspection" and not m.earlier and not m.adjectival]
    if named:
        return Decided(max(named, key=lambda k: insp.KIND_RANK.get(k, 0)), "kind.from_dates.named")
    history = [m for m in mentions if m.earlier or m.adjectival]
    mentions = [m for m in mentions if not insp.long_before(m, report_date)]
    if any(m.again for m in mentions) and history:
        return Decided("post_inspection_review", "kind.from_dates.returned_after_history")
    if any((m.bare_inspection or m.kind == "inspection") and m.earlier != "strict" and not m.adjectival for m in mentions):
        return Decided("inspection", "kind.from_dates.inspected")
    if not history and any(m.role == "fieldwork" for m in mentions):
        return Decided("inspection", "kind.from_dates.fieldwork_no_history")
    return Decided("unknown", "kind.unknown.no_cue")


# --- dated mentions ------------------------------------------------------------------------
def _date_mentions(ctx: DocContext) -> list[insp.DateMention]:
    """Dated mentions of inspections, sentence by sentence, each with the force it is about:
    the subject force named last before the date, else the one the narrative is on. Only
    sentences that can hold a date are read (the document's DateIndex says which)."""
    out: list[insp.DateMention] = []
    last: dict[str, insp.DateMention] = {}   # each force's latest mention in an earlier sentence
    narrative = _Narrative(ctx)
    for b in ctx.blocks:
        if not ctx.dates.may_hold_dates(b.start, b.end):
            if narrative.tracks and _dates_inspections(b):
                narrative.skip(b.start, b.end, block=True)
            continue
        if not _dates_inspections(b):
            continue
        for s in b.sentences:
            if not ctx.dates.may_hold_dates(s.start, s.end):
                narrative.skip(s.start, s.end, block=False)
                continue
            # With one subject force every date is about it: the forces named matter only to
            # let a Notes sentence in (multi-force documents read them for each date).
            ms = _subject_mentions(ctx, s.text) if narrative.tracks or b.section == "notes" else []
            if b.section == "notes" and not ms and not NOTES_ABOUT_FORCE.search(s.text):
                continue
            found = _sentence_mentions(ctx, s, ms, current=narrative.force if ms else narrative.current(), last=last)
            out += found
            last.update((m.force_id, m) for m in found)
            narrative.saw(ms)
    return out


def _dates_inspections(b) -> bool:
    """Whether a block's dates can date an inspection: paragraphs, notes, bullets (not a
    Notes list of reports), the headline, and a dateline saying when the release first appeared."""
    if b.kind == "dateline" and not ORIGINALLY.search(b.text):
        return False
    return b.kind in ("para", "note", "bullet", "headline", "dateline") and not (b.section == "notes" and b.kind == "bullet")


def _subject_mentions(ctx: DocContext, text: str) -> list:
    return [m for m in ctx.matcher.resolve(text, ctx.strong_ids) if m.force_id in ctx.subject_forces]


class _Narrative:
    """The subject force the narrative is on: the one named last in the sentences read so far.
    Sentences without a date are not read for it until a dated sentence naming no force needs it
    (then the latest one naming a subject force, walking back); with one subject it never changes."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self.force = ctx.subject_forces[0] if len(ctx.subject_forces) == 1 else None
        self.pending: list[tuple[int, int, bool]] = []   # skipped (start, end, is_block), in order
        self.tracks = len(ctx.subject_forces) > 1            # with one subject force there is nothing to track

    def skip(self, start: int, end: int, *, block: bool) -> None:
        if self.tracks:
            self.pending.append((start, end, block))

    def saw(self, ms: list) -> None:
        if ms:
            self.force = ms[-1].force_id
            self.pending.clear()

    def current(self) -> str | None:
        text = self.ctx.text
        for start, end, block in reversed(self.pending):
            pieces = sentences(text, start, end) if block else [Sentence(start, end, text[start:end])]
            for s in reversed(pieces):
                ms = _subject_mentions(self.ctx, s.text)
                if ms:
                    self.saw(ms)
                    return self.force
        self.pending.clear()
        return self.force


def _sentence_mentions(ctx: DocContext, s, ms, *, current: str | None, last: dict) -> list[insp.DateMention]:
    def forces_at(i, ms=ms, fallback=current):
        before = [m for m in ms if m.start < i]
        return before[-1].force_id if before else ms[0].force_id if ms else fallback

    found = insp.date_mentions(s.text, s.start, ctx.default_year, forces_at, reference=ctx.published, index=ctx.dates)
    for m in found:
        # "Its report, published in November 2016": a publication date with no words of
        # its own dates the inspection the sentence before spoke of.
        prev = last.get(m.force_id)
        if (m.role == "published" and m.kind is None and not m.bare_inspection and m.earlier is None and not m.again
                and prev is not None and prev.earlier and ITS_REPORT.match(s.text)):
            m.kind, m.bare_inspection, m.earlier = prev.kind, prev.bare_inspection, prev.earlier
    if BOTH_FORCES.search(s.text) and not ms and len(ctx.subject_forces) > 1:
        found = [dataclasses.replace(m, force_id=f) for m in found for f in ctx.subject_forces]
    return found


def _read_dated_mentions(ctx: DocContext, mentions, out: InspectionReading) -> list[insp.InspectionRow]:
    """Dates of the reported inspection go to the subject; earlier ones become rows."""
    subjects = out.subjects
    readings = [(m, *insp.classify(m, subjects[m.force_id].kind, ctx.published)) for m in mentions if m.force_id in subjects]
    # "The force was inspected in March 2015 and again in March 2016": of several fieldwork
    # dates one sentence gives the reported inspection, the latest is it; the others came before.
    latest: dict[tuple, dt.date] = {}
    for m, when, _ in readings:
        if when == "current" and m.role == "fieldwork":
            k = (m.force_id, m.sentence_start)
            latest[k] = max(latest.get(k, m.date.start), m.date.start)
    readings = [(m, "earlier", "inspection")
                if when == "current" and m.role == "fieldwork" and m.date.start < latest[(m.force_id, m.sentence_start)]
                else (m, when, kind) for m, when, kind in readings]
    current_sentences: set[int] = set()
    earlier = []
    for m, when, kind in readings:
        if when == "current":
            current_sentences.add(m.sentence_start)
            _date_subject(subjects[m.force_id], m)
        elif when == "earlier":
            row = _earlier_row(m, kind)
            earlier.append(row)
            if m.sentence_start not in current_sentences:
                out.mention_ids[m.sentence_start] = row.inspection_id
    return earlier


def _date_subject(sub: insp.InspectionRow, m: insp.DateMention) -> None:
    if m.role == "published":
        sub.published = sub.published or m.date
    else:
        sub.fieldwork = sub.fieldwork or m.date


def _earlier_row(m: insp.DateMention, kind: str) -> insp.InspectionRow:
    pub = m.role == "published"
    return insp.InspectionRow(force_id=m.force_id, kind=kind, is_subject=False,
                              fieldwork=None if pub else m.date, published=m.date if pub else None,
                              inspectorate=insp.inspectorate_for(m.date.start), mention_pos=m.pos,
                              span=(m.pos, m.pos + m.date.pos[1] - m.date.pos[0]))


def _notes_list_rows(ctx: DocContext) -> list[insp.InspectionRow]:
    """Notes lists of other forces' reports: "South Yorkshire Police – published September 2014"."""
    out = []
    for b in ctx.blocks:
        if b.section != "notes" or b.kind != "bullet":
            continue
        ms = ctx.matcher.resolve(b.text, ctx.strong_ids)
        if not ms:
            continue
        for kind, span in insp.from_report_list_item(b.text):
            kind = Decided(kind, rule_of(kind, "kind.mentioned.report_list"), getattr(kind, "cue", ""))
            out.append(insp.InspectionRow(force_id=ms[0].force_id, kind=kind, is_subject=False, published=span,
                                          inspectorate=insp.inspectorate_for(span.start), mention_pos=b.start,
                                          span=(b.start, b.end)))
    return out


# --- publication dates when no date says so ---------------------------------------------------
def _publication_fallbacks(ctx: DocContext, subjects: dict[str, insp.InspectionRow]) -> None:
    published = ctx.published
    cover = _cover_date(ctx)
    if cover and len(subjects) == 1:
        # A report's cover: a line that is only a date ("June 2017") under the title.
        sub = next(iter(subjects.values()))
        sub.published = sub.published or cover
    if published is None or all(sub.published for sub in subjects.values()):
        return   # the news cues below date only a subject still undated, against the copy's own date
    early = ctx.lead_text + " " + " ".join(b.text for b in ctx.body_blocks[:EARLY_BLOCKS])
    rel = RELATIVE_DAY.search(early)
    if rel:
        # News copy: "published on Tuesday", "published yesterday", against the article's date.
        back = (published.weekday() - WEEKDAYS.index(rel.group("wd").lower())) % 7 if rel.group("wd") else 1
        day = published - dt.timedelta(days=back)
        _publish_unset(subjects, DateSpan(day, day, "day"))
    if MONTH_WORD.search(early) and LAST_MONTH.search(early):
        last = published.replace(day=1) - dt.timedelta(days=1)
        _publish_unset(subjects, DateSpan(*month_span(last.year, last.month), "month"))
    if ctx.first_hand or TODAY.search(ctx.lead_text):
        # The inspectorate's own release is dated the day its report is published.
        _publish_unset(subjects, DateSpan(published, published, "day"))


def _publish_unset(subjects: dict[str, insp.InspectionRow], span: DateSpan) -> None:
    for sub in subjects.values():
        sub.published = sub.published or span


def _cover_date(ctx: DocContext) -> DateSpan | None:
    for b in ctx.blocks[:COVER_BLOCKS]:
        if b.kind in ("para", "headline") and len(b.text) < COVER_LINE:
            spans = [d for d in ctx.dates.within(b.start, b.end, default_year=None)
                     if d.start is not None and d.precision in ("day", "month")]
            if spans and spans[0].pos[1] - spans[0].pos[0] >= len(b.text.strip()) - COVER_SLACK:
                return spans[0]
    return None


def _lead_text(ctx: DocContext) -> str:
    """The headline, title lines (a cover page's short lines), the standfirst and any early
    sentence saying what was published today."""
    parts = []
    body = ctx.body_blocks
    paras = [b for b in body if b.kind == "para"][:LEAD_PARAS]
    for b in body[:LEAD_BLOCKS]:
        if b.kind in ("headline", "report_title") or (b.kind == "para" and len(b.text) < SHORT_LINE and not b.text.rstrip().endswith(".")):
            parts.append(b.text)
    for b in paras:
        for k, s in enumerate(b.sentences):
            if (b is paras[0] and k == 0) or TODAY.search(s.text) or PUBLISHED_WORD.search(s.text):
                parts.append(s.text)
    return " ".join(dict.fromkeys(parts))


# --- merging and chaining ------------------------------------------------------------------
def _merged(rows: list[insp.InspectionRow]) -> dict[str, insp.InspectionRow]:
    """Mentions that name the same inspection, merged: the finer dates, the first span."""
    out: dict[str, insp.InspectionRow] = {}
    for row in rows:
        have = out.get(row.inspection_id)
        if have is None:
            out[row.inspection_id] = row
            continue
        have.fieldwork = _finer(have.fieldwork, row.fieldwork)
        have.published = _finer(have.published, row.published)
        have.is_subject = have.is_subject or row.is_subject
        have.span = _first_span(have.span, row.span)
    return out


def _merge_split_dates(rows: dict[str, insp.InspectionRow]) -> dict[str, str]:
    """An earlier inspection known from its fieldwork in one sentence and from its report's
    publication in another ("inspected in December 2015", "published in 2016") is one.
    Returns the ids merged away, each mapped to the id it was merged into."""
    renamed: dict[str, str] = {}
    for key, r in list(rows.items()):
        if r.is_subject or r.fieldwork is not None or r.published is None or r.published.start is None or key not in rows:
            continue
        for other in rows.values():
            if (other is not r and other.force_id == r.force_id and other.kind == r.kind and not other.is_subject
                    and other.fieldwork is not None and other.published is None and other.fieldwork.start
                    and 0 <= (r.published.start - other.fieldwork.start).days <= SAME_REPORT_DAYS):
                other.published = r.published
                other.span = _first_span(other.span, r.span)
                renamed[key] = other.inspection_id
                del rows[key]
                break
    return renamed


def _merge_undated(rows: dict[str, insp.InspectionRow]) -> dict[str, str]:
    """Earlier mentions without a year that match a dated one of the same kind are the same."""
    renamed: dict[str, str] = {}
    for key in [k for k, r in rows.items() if not r.is_subject and r.year is None]:
        r = rows[key]
        same = [o for o in rows.values() if o is not r and o.force_id == r.force_id and o.kind == r.kind]
        if same:
            renamed[key] = same[0].inspection_id
            same[0].span = _first_span(same[0].span, r.span)
            del rows[key]
    return renamed


def _first_span(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    """The earlier of two mention spans of one inspection (either may be None)."""
    if a is None or (b is not None and b[0] < a[0]):
        return b
    return a


def _finer(a, b):
    """The more precise of two date spans for one inspection (either may be None)."""
    if a is None or a.start is None:
        return b
    if b is None or b.start is None:
        return a
    return b if insp.precision_rank(b.precision) < insp.precision_rank(a.precision) else a


def order_key(r: insp.InspectionRow):
    """Inspections of one force in time order; the reported one last."""
    d = (r.fieldwork.start if r.fieldwork and r.fieldwork.start else None) or (r.published.start if r.published and r.published.start else None)
    if r.is_subject:
        return (d or dt.date.max, 9)
    return (d or dt.date.min, KIND_RANK.get(r.kind, 5))


def _chain(rows: dict[str, insp.InspectionRow]) -> None:
    by_force: dict[str, list[insp.InspectionRow]] = {}
    for r in rows.values():
        by_force.setdefault(r.force_id, []).append(r)
    for group in by_force.values():
        group.sort(key=order_key)
        for prev, cur in zip(group, group[1:]):
            if cur.kind != "inspection" or cur.is_subject:
                cur.previous_inspection_id = prev.inspection_id


# --- lead inspector ------------------------------------------------------------------------
def _lead_inspectors(ctx: DocContext, subjects: dict[str, insp.InspectionRow]) -> None:
    """The HM Inspector quoted about the force leads its inspection; with no quotation, the
    HM Inspector the document names in the inspectorate's styling (reported speech, a
    caption: rules role.named_hmi.*) leads the only subject's."""
    _quoted_lead_inspectors(ctx, subjects)
    only = next(iter(subjects.values())) if len(subjects) == 1 else None
    if only is not None and not only.lead_inspector:
        # (the text is read for named HM Inspectors only when no quotation gave the lead)
        named = named_inspectors(ctx.text)
        if named:
            only.lead_inspector = named[0]


def _quoted_lead_inspectors(ctx: DocContext, subjects: dict[str, insp.InspectionRow]) -> None:
    for s in ctx.statements:
        if not s.speaker.is_inspector:
            continue
        fid = statement_force(ctx, s)
        if fid in subjects and subjects[fid].lead_inspector is None:
            subjects[fid].lead_inspector = s.speaker.name
        # An HM Inspector speaking of "both forces", or naming several, leads each of them.
        # (with one subject, naming several is impossible: the text is not read for forces)
        named = {m.force_id for m in ctx.matcher.resolve(s.text, ctx.strong_ids)} & set(subjects) if len(subjects) > 1 else set()
        if len(named) > 1 or SEVERAL_FORCES.search(s.text):
            for f in (named if len(named) > 1 else subjects):
                subjects[f].lead_inspector = subjects[f].lead_inspector or s.speaker.name


def statement_force(ctx: DocContext, s) -> str | None:
    """The force a quotation is about: its speaker's; the only subject; else the subject
    named last before the quote, or first inside it."""
    if s.speaker.force_id:
        return s.speaker.force_id
    if len(ctx.subject_forces) == 1:
        return ctx.subject_forces[0]
    before = [m for m in ctx.matcher.resolve(ctx.text[: s.start], ctx.strong_ids) if m.force_id in ctx.subject_forces]
    if before:
        return before[-1].force_id
    inside = [m for m in ctx.matcher.resolve(ctx.text[s.start:s.end], ctx.strong_ids) if m.force_id in ctx.subject_forces]
    return inside[0].force_id if inside else None
