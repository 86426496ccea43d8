"""parse_document: one normalised release in, the rows of every table out.

    >>> from ncpi.parse.document import parse_document
    >>> doc = parse_document(open("raw/seeds/000_cd29e191e1a0a13e.txt").read())
    >>> [i["inspection_id"] for i in doc.inspections]
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from ncpi.ids import sha256_hex, span_id
from ncpi.parse import inspections as insp
from ncpi.parse.contacts import contacts_in, flag_misplaced_numbers
from ncpi.parse.dates import WEEKDAYS, DateSpan, flags_of_dates, find_dates, month_span
from ncpi.parse.masthead import inspectorate_of, is_truncated, publisher_of, source_date, title_of
from ncpi.parse.narrative import finding_units
from ncpi.parse.forcenames import ForceMatcher, default_matcher
from ncpi.parse.quotes import QuoteIndex, attribute, find_quote_runs
from ncpi.parse.segment import segment, sentences
from ncpi.rules import Decided, rule_of
from ncpi.rules import scope
from ncpi.text.normalise import Normalised, normalise

# Scope and news cues are rule records (ncpi/rules/scope.py).
NCPI_CUE = scope.NCPI_CUES
NOT_NCPI_CUE = scope.NOT_NCPI_CUES
OWN_TITLE_NCPI = scope.OWN_TITLE_RULE.regex
_NEWS = {r.id: r.regex for r in scope.NEWS_RULES}
ORIGINALLY = _NEWS["news.originally"]
TODAY = _NEWS["news.today"]
RELATIVE_DAY = _NEWS["news.relative_day"]
LAST_MONTH = _NEWS["news.last_month"]

@dataclass
class ParsedDocument:
    source: dict
    inspections: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)


def parse_document(text: str, *, path: str = "<string>", raw: bytes | None = None,
                   meta: dict | None = None, matcher: ForceMatcher | None = None,
                   is_html: bool | None = None, decode_flags: list[str] | None = None) -> ParsedDocument:
    """Parse one document's text. raw (the file's bytes) keys the source; defaults to text."""
    raw = raw if raw is not None else text.encode("utf-8")
    meta = meta or {}
    matcher = matcher or default_matcher()
    norm = normalise(text, is_html=is_html)
    return parse_normalised(norm, path=path, raw=raw, meta=meta, matcher=matcher, decode_flags=decode_flags or [])


def parse_normalised(norm: Normalised, *, path: str, raw: bytes, meta: dict, matcher: ForceMatcher,
                     decode_flags: list[str]) -> ParsedDocument:
    text = norm.text
    digest = sha256_hex(raw)
    source_id = digest[:16]
    flags = list(decode_flags) + list(norm.flags)
    blocks = segment(text)
    title = title_of(blocks, norm)
    published, date_flags = source_date(blocks, norm, meta)
    inspectorate = inspectorate_of(text, published)
    flags += date_flags
    publisher = publisher_of(norm, text, inspectorate, blocks)
    default_year = published.year if published else None
    flags += [f for f in flags_of_dates(text, default_year) if f in ("weekday_date_mismatch", "invalid_date", "date_without_year")]
    if is_truncated(text):
        flags.append("truncated")

    runs, unclosed = find_quote_runs(text)
    if unclosed:
        flags.append("unclosed_quote")
    stmts = attribute(text, runs, inspectorate_doc=inspectorate is not None, force_matcher=matcher)
    in_quote = QuoteIndex(runs).covers

    body_blocks = [b for b in blocks if b.section == "body"]
    strong_ids = {m.force_id for m in matcher.mentions(text) if m.strong}
    head_text_blocks = [b for b in body_blocks if b.kind in ("headline", "report_title")] + [
        b for b in body_blocks if b.kind == "para"][:2]
    subject_forces: list[str] = []
    subject_spans: dict[str, tuple[int, int]] = {}   # each subject force's first mention

    def note_subject(fid: str, span: tuple[int, int]) -> None:
        if fid not in subject_forces:
            subject_forces.append(fid)
        if fid not in subject_spans or span[0] < subject_spans[fid][0]:
            subject_spans[fid] = span

    for b in head_text_blocks:
        for m in matcher.resolve(b.text, strong_ids):
            if not in_quote(b.start + m.start, b.start + m.end):
                note_subject(m.force_id, (b.start + m.start, b.start + m.end))
    if not subject_forces:
        for b in body_blocks:
            if b.kind in ("para", "bullet"):
                for m in matcher.resolve(b.text, strong_ids):
                    if not in_quote(b.start + m.start, b.start + m.end):
                        note_subject(m.force_id, (b.start + m.start, b.start + m.end))
    if not subject_forces:
        for s in stmts:
            if s.speaker.force_id and s.speaker.force_id not in subject_forces:
                note_subject(s.speaker.force_id, (s.start, s.end))

    lead_text = " ".join(b.text for b in body_blocks[:6])
    report_titles = [b.text for b in blocks if b.kind == "report_title"]
    is_ncpi = bool(NCPI_CUE.search(lead_text + " " + " ".join(report_titles)) or NCPI_CUE.search(text))
    # The head only: a single-paragraph copy must not reach its Notes ("HMIC took on fire & rescue inspections").
    head_for_not = (title + " " + " ".join(report_titles) + " " + " ".join(b.text for b in body_blocks[:3]))[:scope.HEAD_CHARS]
    # A PEEL or thematic report may mention an earlier NCPI inspection in its text; only its
    # own title or report title naming the programme keeps it an NCPI document.
    own_title = title + " " + " ".join(report_titles)
    if NOT_NCPI_CUE.search(head_for_not) and not OWN_TITLE_NCPI.search(own_title):
        is_ncpi = False
    if not is_ncpi:
        flags.append("not_ncpi")
    if not subject_forces:
        flags.append("no_force_named")

    # --- inspections -------------------------------------------------------------
    rows: dict[str, insp.InspectionRow] = {}
    subjects: dict[str, insp.InspectionRow] = {}
    earlier: list[insp.InspectionRow] = []
    mention_ids: dict[int, str] = {}
    if is_ncpi and subject_forces:
        mentions = _date_mentions(text, blocks, matcher, strong_ids, subject_forces, default_year, published)
        first_hand = publisher in ("HMIC", "HMICFRS")
        lead = _lead_text(text, body_blocks)
        body_text = " ".join(b.text for b in body_blocks)
        quoted_titles = insp.title_mentions(text)
        for fid in subject_forces:
            titles = [t for t in report_titles if any(m.force_id == fid for m in matcher.resolve(t, strong_ids | {fid}))] or (report_titles if len(subject_forces) == 1 else [])
            kind = next((k for k in map(insp.kind_from, titles) if k), None)
            own_title_kind = kind is not None
            if kind is None:
                kind = next((k for pre, k in quoted_titles
                             if len(subject_forces) == 1 or any(m.force_id == fid for m in matcher.resolve(pre, strong_ids | {fid}))), None)
            if kind is None:
                kind = insp.lead_kind(lead)
                if kind == "re_inspection" and not first_hand:
                    # Forces and outlets call reviews "re-inspections": without the inspectorate's word, look further.
                    kind = None
            kind = kind or _kind_from_mentions([m for m in mentions if m.force_id == fid], published)
            if kind == "unknown" or (kind == "inspection" and not own_title_kind):
                kind = insp.reader_kind(body_text, kind)
            subjects[fid] = insp.InspectionRow(force_id=fid, kind=kind, is_subject=True,
                                               report_title=titles[0] if titles else None,
                                               inspectorate=inspectorate, span=subject_spans.get(fid))
        current_sentences = set()
        readings = [(m, *insp.classify(m, subjects[m.force_id].kind, published)) for m in mentions if m.force_id in subjects]
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
        for m, when, kind in readings:
            sub = subjects[m.force_id]
            if when == "current":
                current_sentences.add(m.sentence_start)
                if m.role == "published":
                    sub.published = sub.published or m.date
                else:
                    sub.fieldwork = sub.fieldwork or m.date
            elif when == "earlier":
                pub = m.role == "published"
                row = insp.InspectionRow(force_id=m.force_id, kind=kind, is_subject=False,
                                         fieldwork=None if pub else m.date, published=m.date if pub else None,
                                         inspectorate=insp.inspectorate_for(m.date.start), mention_pos=m.pos,
                                         span=(m.pos, m.pos + m.date.pos[1] - m.date.pos[0]))
                earlier.append(row)
                if m.sentence_start not in current_sentences:
                    mention_ids[m.sentence_start] = row.inspection_id
        # Notes lists of other forces' reports: "South Yorkshire Police – published September 2014".
        for b in blocks:
            if b.section == "notes" and b.kind == "bullet":
                ms = matcher.resolve(b.text, strong_ids)
                if ms:
                    for kind, span in insp.from_report_list_item(b.text):
                        kind = Decided(kind, rule_of(kind, "kind.mentioned.report_list"), getattr(kind, "cue", ""))
                        earlier.append(insp.InspectionRow(force_id=ms[0].force_id, kind=kind, is_subject=False, published=span,
                                                          inspectorate=insp.inspectorate_for(span.start), mention_pos=b.start,
                                                          span=(b.start, b.end)))
        for sub in subjects.values():
            if sub.published and sub.published.end and published and sub.published.end < published:
                flags.append("republished_date_later")
        cover_date = _cover_date(blocks)
        if cover_date and len(subjects) == 1:
            # A report's cover: a line that is only a date ("June 2017") under the title.
            sub = next(iter(subjects.values()))
            sub.published = sub.published or cover_date
        early = lead_text + " " + " ".join(b.text for b in body_blocks[:8])
        rel = RELATIVE_DAY.search(early) if published else None
        if rel:
            # News copy: "published on Tuesday", "published yesterday", against the article's date.
            if rel.group("wd"):
                back = (published.weekday() - WEEKDAYS.index(rel.group("wd").lower())) % 7
            else:
                back = 1
            day = published - dt.timedelta(days=back)
            for sub in subjects.values():
                sub.published = sub.published or DateSpan(day, day, "day")
        if published and LAST_MONTH.search(early):
            last = (published.replace(day=1) - dt.timedelta(days=1))
            for sub in subjects.values():
                sub.published = sub.published or DateSpan(*month_span(last.year, last.month), "month")
        if (TODAY.search(lead_text) or first_hand) and published:
            # The inspectorate's own release is dated the day its report is published.
            for sub in subjects.values():
                sub.published = sub.published or DateSpan(published, published, "day")
        # Merge mentions that name the same inspection.
        for row in list(subjects.values()) + earlier:
            key = row.inspection_id
            if key in rows:
                have = rows[key]
                have.fieldwork = _finer(have.fieldwork, row.fieldwork)
                have.published = _finer(have.published, row.published)
                have.is_subject = have.is_subject or row.is_subject
                have.span = _first_span(have.span, row.span)
            else:
                rows[key] = row
        renamed = _merge_split_dates(rows)
        # Earlier mentions without a year that match a dated one of the same kind are the same.
        for key in [k for k, r in rows.items() if not r.is_subject and r.year is None]:
            r = rows[key]
            same = [o for o in rows.values() if o is not r and o.force_id == r.force_id and o.kind == r.kind]
            if same:
                renamed[key] = same[0].inspection_id
                same[0].span = _first_span(same[0].span, r.span)
                del rows[key]
        mention_ids = {pos: renamed.get(iid, iid) for pos, iid in mention_ids.items()}
        _chain(rows)
        # Lead inspector: the HM Inspector quoted about the force.
        for s in stmts:
            if not s.speaker.is_inspector:
                continue
            fid = _statement_force(s, text, matcher, strong_ids, subject_forces)
            if fid in subjects and subjects[fid].lead_inspector is None:
                subjects[fid].lead_inspector = s.speaker.name
            # An HM Inspector speaking of "both forces", or naming several, leads each of them.
            named = {m.force_id for m in matcher.resolve(s.text, strong_ids)} & set(subjects)
            if len(named) > 1 or re.search(r"\b(?:both|each|all|the two|these) (?:forces|of them)\b|\beach force\b", s.text, re.I):
                for f in (named if len(named) > 1 else subjects):
                    subjects[f].lead_inspector = subjects[f].lead_inspector or s.speaker.name

    # --- statements -------------------------------------------------------------
    statement_rows = []
    for s in stmts:
        # A PEEL or thematic report's quotes are about no NCPI inspection, and often no one force.
        fid = (_statement_force(s, text, matcher, strong_ids, subject_forces) if is_ncpi or len(subject_forces) == 1
               else s.speaker.force_id)
        iid = subjects[fid].inspection_id if fid in subjects else None
        statement_rows.append({
            "statement_id": span_id("statement", source_id, s.start, s.end),
            "source_id": source_id, "inspection_id": iid, "force_id": fid,
            "speaker_name": s.speaker.name, "speaker_role": str(s.speaker.role), "text": s.text,
            "role_rule": rule_of(s.speaker.role, "role.unnamed"),
            "span_start": s.start, "span_end": s.end,
        })

    # --- findings -----------------------------------------------------------------
    finding_rows = []
    if is_ncpi and subjects:
        units = finding_units(text, blocks, in_quote, matcher, strong_ids, subject_forces, mention_ids)
        seen = set()
        for u, fid, context in units:
            if fid not in subjects:
                continue
            iid = subjects[fid].inspection_id
            if context == "earlier":
                prior = [r for r in rows.values() if r.force_id == fid and not r.is_subject]
                if prior:
                    iid = sorted(prior, key=_order_key)[-1].inspection_id
            elif context and context in rows:
                iid = context
            key = (u.start, u.end)
            if key in seen:
                continue
            seen.add(key)
            finding_rows.append({
                "finding_id": span_id("finding", source_id, u.start, u.end),
                "inspection_id": iid, "force_id": fid, "source_id": source_id,
                "polarity": str(u.polarity), "theme": str(u.theme), "text": u.text,
                "polarity_rule": rule_of(u.polarity, "polarity.unnamed"), "theme_rule": rule_of(u.theme, "theme.unnamed"),
                "span_start": u.start, "span_end": u.end, "value": u.value, "unit": u.unit,
            })

    # --- contacts -----------------------------------------------------------------
    org = inspectorate or publisher
    contacts = []
    for b in blocks:
        if b.section == "notes" or re.search(r"press office|media enquiries", b.text, re.I):
            contacts += contacts_in(text, b.start, b.end, org)
    flags += flag_misplaced_numbers(contacts)
    contact_rows = [{
        "contact_id": span_id("contact", source_id, c.start, c.end), "source_id": source_id,
        "organisation": c.organisation, "kind": c.kind, "purpose": c.purpose,
        "phone_raw": c.phone_raw, "phone_e164": c.phone_e164, "days": c.days,
        "opens": c.opens, "closes": c.closes, "quality_flags": sorted(set(c.flags)),
    } for c in contacts]

    inspection_rows = [{
        "inspection_id": r.inspection_id, "force_id": r.force_id, "kind": str(r.kind),
        "report_title": r.report_title,
        "fieldwork_start": r.fieldwork.start if r.fieldwork else None,
        "fieldwork_end": r.fieldwork.end if r.fieldwork else None,
        "published_date": r.published.start if r.published else None,
        "date_precision": r.date_precision, "inspectorate": r.inspectorate,
        "lead_inspector": r.lead_inspector, "previous_inspection_id": r.previous_inspection_id,
        "kind_rule": rule_of(r.kind, "kind.mentioned.near_date"),
        "is_subject": r.is_subject, "source_ids": [source_id],
        "span_start": r.span[0] if r.span else None, "span_end": r.span[1] if r.span else None,
    } for r in rows.values()]

    source = {
        "source_id": source_id, "path": path, "url": meta.get("url") or norm.canonical_url,
        "publisher": publisher, "title": title or path, "published_date": published,
        "inspectorate": inspectorate, "sha256": digest, "text": text,
        "quality_flags": sorted(set(flags)),
        # A curator's word in the sidecar; the build decides the final source_type (ncpi/provenance.py).
        "declared_source_type": meta.get("source_type") if isinstance(meta.get("source_type"), str) else None,
    }
    return ParsedDocument(source=source, inspections=inspection_rows, findings=finding_rows,
                          statements=statement_rows, contacts=contact_rows)


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


KIND_RANK = {"inspection": 0, "post_inspection_review": 1, "assessment_of_progress": 2, "re_inspection": 3, "unknown": 4}


def _order_key(r: insp.InspectionRow):
    d = (r.fieldwork.start if r.fieldwork and r.fieldwork.start else None) or (r.published.start if r.published and r.published.start else None)
    if r.is_subject:
        return (d or dt.date.max, 9)
    return (d or dt.date.min, KIND_RANK.get(r.kind, 5))


def _chain(rows: dict[str, insp.InspectionRow]) -> None:
    by_force: dict[str, list[insp.InspectionRow]] = {}
    for r in rows.values():
        by_force.setdefault(r.force_id, []).append(r)
    for group in by_force.values():
        group.sort(key=_order_key)
        for prev, cur in zip(group, group[1:]):
            if cur.kind != "inspection" or cur.is_subject:
                cur.previous_inspection_id = prev.inspection_id


def _lead_text(text: str, body_blocks) -> str:
    """The headline, title lines (a cover page's short lines), the standfirst and any early
    sentence saying what was published today."""
    parts = []
    paras = [b for b in body_blocks if b.kind == "para"][:4]
    for b in body_blocks[:6]:
        if b.kind in ("headline", "report_title") or (b.kind == "para" and len(b.text) < 90 and not b.text.rstrip().endswith(".")):
            parts.append(b.text)
    for b in paras:
        for k, s in enumerate(sentences(text, b.start, b.end)):
            if (b is paras[0] and k == 0) or TODAY.search(s.text) or re.search(r"\bpublished\b", s.text):
                parts.append(s.text)
    return " ".join(dict.fromkeys(parts))


def _date_mentions(text, blocks, matcher, strong_ids, subject_forces, default_year,
                   reference: dt.date | None = None) -> list[insp.DateMention]:
    """Dated mentions of inspections, sentence by sentence, each with the force it is about:
    the subject force named last before the date, else the one the narrative is on."""
    out = []
    last: dict[str, insp.DateMention] = {}   # each force's latest mention in an earlier sentence
    current = subject_forces[0] if len(subject_forces) == 1 else None
    for b in blocks:
        if b.kind == "dateline" and not ORIGINALLY.search(b.text):
            continue
        if b.kind not in ("para", "note", "bullet", "headline", "dateline") or (b.section == "notes" and b.kind == "bullet"):
            continue
        for s in sentences(text, b.start, b.end):
            ms = [m for m in matcher.resolve(s.text, strong_ids) if m.force_id in subject_forces]
            if b.section == "notes" and not ms and not re.search(r"\bthe force\b|\bits\b|\bour\b|\b(?:this|that) (?:follow|review|inspection|update|report)", s.text, re.I):
                continue  # Notes speak of the programme unless they name the force

            def forces_at(i, ms=ms, fallback=current):
                before = [m for m in ms if m.start < i]
                return before[-1].force_id if before else ms[0].force_id if ms else fallback

            found = insp.date_mentions(s.text, s.start, default_year, forces_at, reference)
            for m in found:
                # "Its report, published in November 2016": a publication date with no words of
                # its own dates the inspection the sentence before spoke of.
                prev = last.get(m.force_id)
                if (m.role == "published" and m.kind is None and not m.bare_inspection and m.earlier is None and not m.again
                        and prev is not None and prev.earlier
                        and re.match(r"\s*(?:Our|Its|Their|The|That|HMIC\w*['’]s) (?:report|findings)\b", s.text)):
                    m.kind, m.bare_inspection, m.earlier = prev.kind, prev.bare_inspection, prev.earlier
            if re.search(r"\b(?:both|the two) forces\b", s.text) and not ms and len(subject_forces) > 1:
                found = [dataclasses.replace(m, force_id=f) for m in found for f in subject_forces]
            out += found
            last.update((m.force_id, m) for m in found)
            if ms:
                current = ms[-1].force_id
    return out


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


def _cover_date(blocks) -> DateSpan | None:
    for b in blocks[:8]:
        if b.kind in ("para", "headline") and len(b.text) < 30:
            spans = [d for d in find_dates(b.text) if d.start is not None and d.precision in ("day", "month")]
            if spans and spans[0].pos[1] - spans[0].pos[0] >= len(b.text.strip()) - 2:
                return spans[0]
    return None


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
                    and 0 <= (r.published.start - other.fieldwork.start).days <= 366):
                other.published = r.published
                other.span = _first_span(other.span, r.span)
                renamed[key] = other.inspection_id
                del rows[key]
                break
    return renamed


def _statement_force(s, text, matcher, strong_ids, subject_forces) -> str | None:
    if s.speaker.force_id:
        return s.speaker.force_id
    if len(subject_forces) == 1:
        return subject_forces[0]
    before = [m for m in matcher.resolve(text[: s.start], strong_ids) if m.force_id in subject_forces]
    if before:
        return before[-1].force_id
    inside = [m for m in matcher.resolve(text[s.start:s.end], strong_ids) if m.force_id in subject_forces]
    return inside[0].force_id if inside else None


