"""parse_document: one normalised release in, the rows of every table out.

    >>> from ncpi.parse.document import parse_document
    >>> doc = parse_document(open("raw/seeds/000_cd29e191e1a0a13e.txt").read())
    >>> [i["inspection_id"] for i in doc.inspections]

The work is done by readers over one frozen per-document context (ncpi/parse/context.py):
the inspections reader (ncpi/parse/inspection_reader.py), then one small reader per table
here. Every row names the rules that decided it (ncpi/rules/).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ncpi.ids import span_id
from ncpi.parse.contacts import contact_blocks, contacts_in, flag_misplaced_numbers
from ncpi.parse.context import DocContext, read_context
from ncpi.parse.forcenames import ForceMatcher, default_matcher
from ncpi.parse.inspection_reader import InspectionReading, order_key, read_inspections, statement_force
from ncpi.parse.narrative import finding_units
from ncpi.rules import rule_of, scope
from ncpi.text.normalise import Normalised, normalise

# Scope and news cues are rule records (ncpi/rules/scope.py); kept here by their old names.
NCPI_CUE = scope.NCPI_CUES
NOT_NCPI_CUE = scope.NOT_NCPI_CUES


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
    norm = normalise(text, is_html=is_html)
    return parse_normalised(norm, path=path, raw=raw, meta=meta or {}, matcher=matcher or default_matcher(),
                            decode_flags=decode_flags or [])


def parse_normalised(norm: Normalised, *, path: str, raw: bytes, meta: dict, matcher: ForceMatcher,
                     decode_flags: list[str]) -> ParsedDocument:
    ctx = read_context(norm, path=path, raw=raw, meta=meta, matcher=matcher, decode_flags=decode_flags)
    flags = list(ctx.flags)
    if not ctx.is_ncpi:
        flags.append("not_ncpi")
    if not ctx.subject_forces:
        flags.append("no_force_named")
    reading = read_inspections(ctx)
    flags += reading.flags
    contacts, contact_flags = contact_rows(ctx)
    return ParsedDocument(source=source_row(ctx, flags + contact_flags), inspections=inspection_rows(ctx, reading),
                          findings=finding_rows(ctx, reading), statements=statement_rows(ctx, reading),
                          contacts=contacts)


def statement_rows(ctx: DocContext, reading: InspectionReading) -> list[dict]:
    out = []
    for s in ctx.statements:
        # A PEEL or thematic report's quotes are about no NCPI inspection, and often no one force.
        fid = statement_force(ctx, s) if ctx.is_ncpi or len(ctx.subject_forces) == 1 else s.speaker.force_id
        sub = reading.subjects.get(fid)
        out.append({
            "statement_id": span_id("statement", ctx.source_id, s.start, s.end),
            "source_id": ctx.source_id, "inspection_id": sub.inspection_id if sub else None, "force_id": fid,
            "speaker_name": s.speaker.name, "speaker_role": str(s.speaker.role), "text": s.text,
            "role_rule": rule_of(s.speaker.role, "role.unnamed"),
            "span_start": s.start, "span_end": s.end,
        })
    return out


def finding_rows(ctx: DocContext, reading: InspectionReading) -> list[dict]:
    if not (ctx.is_ncpi and reading.subjects):
        return []
    units = finding_units(ctx, reading.mention_ids)
    out, seen = [], set()
    for u, fid, context in units:
        if fid not in reading.subjects or (u.start, u.end) in seen:
            continue
        seen.add((u.start, u.end))
        out.append({
            "finding_id": span_id("finding", ctx.source_id, u.start, u.end),
            "inspection_id": _finding_inspection(reading, fid, context), "force_id": fid, "source_id": ctx.source_id,
            "polarity": str(u.polarity), "theme": str(u.theme), "text": u.text,
            "polarity_rule": rule_of(u.polarity, "polarity.unnamed"), "theme_rule": rule_of(u.theme, "theme.unnamed"),
            "span_start": u.start, "span_end": u.end, "value": u.value, "unit": u.unit,
        })
    return out


def _finding_inspection(reading: InspectionReading, fid: str, context: str | None) -> str:
    """The subject's inspection; the force's latest earlier one for 'that inspection found';
    the inspection a dated sentence named."""
    if context == "earlier":
        prior = [r for r in reading.rows.values() if r.force_id == fid and not r.is_subject]
        if prior:
            return sorted(prior, key=order_key)[-1].inspection_id
    elif context and context in reading.rows:
        return context
    return reading.subjects[fid].inspection_id


def contact_rows(ctx: DocContext) -> tuple[list[dict], list[str]]:
    """Press-office contacts in the Notes (or in a block naming the press office: rule
    contact.press_office_block), and the flags they raise."""
    org = ctx.inspectorate or ctx.publisher
    contacts = []
    for b in contact_blocks(ctx.text, ctx.blocks):
        contacts += contacts_in(ctx.text, b.start, b.end, org)
    flags = flag_misplaced_numbers(contacts)   # also flags each contact: read before the rows
    return [{
        "contact_id": span_id("contact", ctx.source_id, c.start, c.end), "source_id": ctx.source_id,
        "organisation": c.organisation, "kind": c.kind, "purpose": c.purpose,
        "phone_raw": c.phone_raw, "phone_e164": c.phone_e164, "days": c.days,
        "opens": c.opens, "closes": c.closes, "quality_flags": sorted(set(c.flags)),
    } for c in contacts], flags


def inspection_rows(ctx: DocContext, reading: InspectionReading) -> list[dict]:
    return [{
        "inspection_id": r.inspection_id, "force_id": r.force_id, "kind": str(r.kind),
        "report_title": r.report_title,
        "fieldwork_start": r.fieldwork.start if r.fieldwork else None,
        "fieldwork_end": r.fieldwork.end if r.fieldwork else None,
        "published_date": r.published.start if r.published else None,
        "date_precision": r.date_precision, "inspectorate": r.inspectorate,
        "lead_inspector": r.lead_inspector, "previous_inspection_id": r.previous_inspection_id,
        "kind_rule": rule_of(r.kind, "kind.mentioned.near_date"),
        "is_subject": r.is_subject, "source_ids": [ctx.source_id],
        "span_start": r.span[0] if r.span else None, "span_end": r.span[1] if r.span else None,
    } for r in reading.rows.values()]


def source_row(ctx: DocContext, flags: list[str]) -> dict:
    meta = ctx.meta
    return {
        "source_id": ctx.source_id, "path": ctx.path, "url": meta.get("url") or ctx.norm.canonical_url,
        "publisher": ctx.publisher, "title": ctx.title or ctx.path, "published_date": ctx.published,
        "inspectorate": ctx.inspectorate, "sha256": ctx.digest, "text": ctx.text,
        "quality_flags": sorted(set(flags)),
        # A curator's word in the sidecar; the build decides the final source_type (ncpi/provenance.py).
        "declared_source_type": meta.get("source_type") if isinstance(meta.get("source_type"), str) else None,
    }
