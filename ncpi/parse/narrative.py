"""The narrative's findings: which blocks and sentences assess a force, split into units.

Bullets, enumerations, contrasts and lead-ins ("Other improvements include:") become
`Unit`s with polarity and theme; quotes are skipped unless they state a measured figure.
"""
from __future__ import annotations

import re

from ncpi.parse import inspections as insp
from ncpi.parse.findings import SUBJECT_CUE, Unit, clean_item, is_quantitative, quantity, units_from_sentence
from ncpi.parse.findings import grade_polarity
from ncpi.parse.polarity import polarity_of
from ncpi.parse.segment import sentences
from ncpi.parse.themes import theme_of
from ncpi.rules import Decided, first_in_order
from ncpi.rules import polarity as polarity_rules

LIST_ITEM_DEFAULT = Decided("positive", "polarity.default.list_item")
QUOTED_FIGURE_DEFAULT = Decided("negative", "polarity.default.quoted_figure")

GRADE_LINE = re.compile(r"^(?P<area>[A-Z][\w ,&'’-]{2,60}?)\s*[:–—-]\s*(?P<grade>outstanding|good|adequate|requires? improvement|inadequate)\.?$", re.I)
ATTRIBUTION = re.compile(r"(?:said|says|added|commented)\s*:?\s*$|:\s*$")
# "The post-inspection review found ...": the document's own inspection speaking, which
# ends a run of sentences about an earlier one.
CURRENT_CONTEXT = re.compile(r"^(?:However,\s+|But\s+)?(?:the|this|today['’]s|our latest) (?:post[- ]inspection review|review|re-?inspection|assessment(?: of progress)?|update|follow[- ]up(?: inspection)?)(?: also)? (?:found|said|showed|identified|highlighted|concluded|recognised)", re.I)
# A sentence comparing now with then ("has made progress since its 2016 inspection") is
# about now, though it names the earlier inspection.
SINCE_EARLIER = re.compile(r"\bsince\b[^.]{0,60}?\b(?:inspection|report|review|\d{4}|years? ago)", re.I)
# Reported words of the force, its commissioner, an MP or a charity are their view, not
# the inspectorate's finding: "Essex Police said it welcomed the report ...".
OTHER_VOICE = re.compile(r"\b(?:Police|Constabulary|force|Commissioner|PCC|Chief Constable|Superintendent|Inspector(?! of Constabulary)|spokes(?:wo)?(?:man|person)|MP|council|NSPCC|charity)\b[^.“\"]{0,80}?\b(?:said|says|added|commented|welcomed)\b")
# "..., the force was not doing enough, they said." (the inspectors, named the sentence before).
INSPECTORATE_VOICE = re.compile(r"\b(?:HMI|HMIC\w*|HM Inspector\w*|Inspector of Constabulary|inspectorate|inspectors?|the report|the review|watchdog|they (?:said|say|added))\b", re.I)
# The end of a quotation whose opening mark the quote finder missed: '..., and this must improve,” she said.'
QUOTE_TAIL = re.compile(r"[,.!?][”\"]\s+(?:he|she|they|[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?) (?:said|added|says)\.?$")
_FOUND = r"(?:had )?(?:found|raised|identified|highlighted|showed|concluded|criticised)"
# A sentence about what an earlier inspection found: "That inspection found ...", "its first
# child protection report found ...", "our initial 2016 inspection had identified ...".
EARLIER_CONTEXT = re.compile(
    rf"\bthat (?:(?:initial|first|previous|earlier|original|\d{{4}}|post-inspection|child protection) ){{0,3}}(?:inspection|report|review) {_FOUND}|"
    rf"\b(?:the|its|our|their|HMIC\w*['’]s) (?:initial|previous|earlier|original|first|last|\d{{4}})(?: [\w-]+){{0,4}}? (?:inspection|report|review) {_FOUND}|"
    r"previously raised|at the time of (?:the|our) (?:initial|first|previous)", re.I)


def finding_units(text, blocks, in_quote, matcher, strong_ids, subject_forces, mention_ids):
    """(Unit, force_id, context) for every finding; context is None (the subject),
    'earlier' (the force's latest earlier inspection) or an inspection_id."""
    out = []
    current_force = subject_forces[0] if len(subject_forces) == 1 else None
    seen_texts: set[tuple[str, str]] = set()
    seen_units: set[tuple[str, str]] = set()
    intro_polarity = None
    # A lead-in ending in a colon opens a list; paragraphs after it that begin in lower
    # case ("the force's work with ...;") are its items even without bullet marks.
    list_open = False
    for i, b in enumerate(blocks):
        body_para = b.kind == "para" and b.section == "body"
        # ... and a line grading an area ("Investigation: requires improvement") is one whether or not it is bulleted.
        unmarked_item = body_para and (list_open and b.text[:1].islower() or bool(GRADE_LINE.match(b.text.strip())))
        list_open = unmarked_item or (body_para and b.text.rstrip().endswith(":")
                                      and not re.search(r"\b(?:said|says|added|commented)\s*:\s*$", b.text))
        if b.kind in ("headline", "get_report", "report_title", "dateline", "notes_heading"):
            for m in matcher.resolve(b.text, strong_ids):
                if m.force_id in subject_forces:
                    current_force = m.force_id
            continue
        if b.kind == "bullet" and b.section == "body" or unmarked_item:
            item, a, e = clean_item(b.text, b.start)
            if item.endswith(":"):
                intro_polarity = polarity_of(item) or intro_polarity
                continue
            graded = GRADE_LINE.match(item)
            if graded:
                # A graded area of the 2024 cycle ("Partnership working: good") is a finding:
                # polarity from the grade, theme from the area's name.
                pol = grade_polarity(graded.group("grade"))
                fid = _force_in(item, matcher, strong_ids, subject_forces) or current_force
                out.append((Unit(a, e, item, pol, theme_of(graded.group("area")), None, None), fid, None))
                continue
            if len(item.split()) < 4:
                continue  # a heading or contents line ("1. Introduction"), not an assessment
            pol = polarity_of(item, None)
            if intro_polarity is not None and pol != intro_polarity:
                pol = intro_polarity if pol is None or _plain_item(item) else pol
            pol = pol or intro_polarity or LIST_ITEM_DEFAULT
            fid = _force_in(item, matcher, strong_ids, subject_forces) or current_force
            v, u = quantity(item)
            out.append((Unit(a, e, item, pol, theme_of(item), v, u), fid, None))
            continue
        if b.kind not in ("para", "note"):
            continue
        if b.kind == "note" and not re.search(r"\b(?:found|raised|identified|concerns?|progress (?:was|had)|not yet|was slow)\b", b.text, re.I):
            continue
        # A lead-in's polarity holds for the list straight after it, not for later lists.
        intro_polarity = None
        if ATTRIBUTION.search(b.text) and len(b.text) < 250 and not re.search(r"include[sd]?:\s*$", b.text):
            if b.text.rstrip().endswith(":") and not re.search(r"\b(?:said|says|added)\s*:?\s*$", b.text):
                intro_polarity = _intro_polarity(b.text)
            continue
        context = None
        sents = sentences(text, b.start, b.end)
        for k, s in enumerate(sents):
            for m in matcher.resolve(s.text, strong_ids):
                if m.force_id in subject_forces and not in_quote(s.start + m.start, s.start + m.end):
                    current_force = m.force_id
            quoted = (in_quote(s.start, s.end) or s.text.lstrip().startswith(("“", '"')) or _mostly_quoted(s, in_quote)
                      or QUOTE_TAIL.search(s.text) is not None)
            if quoted and not is_quantitative(s.text):
                continue
            if s.start in mention_ids:
                context = None if SINCE_EARLIER.search(s.text) else mention_ids[s.start]
            elif insp.CURRENT.search(s.text) or CURRENT_CONTEXT.search(s.text):
                context = None
            elif EARLIER_CONTEXT.search(s.text):
                context = context or "earlier"
            if s.text.rstrip().endswith(":"):
                intro_polarity = _intro_polarity(s.text)
                continue
            nxt = sents[k + 1].text if k + 1 < len(sents) else ""
            if re.match(r"(?:These|They|This|Those)\s+(?:include|includes|included)\b", nxt):
                intro_polarity = polarity_of(s.text)
                continue
            default = intro_polarity if re.match(r"(?:These|They|This|Those)\s+includ", s.text) else None
            if not quoted and not SUBJECT_CUE.search(s.text) and not matcher.resolve(s.text, strong_ids):
                continue
            if _other_voice(s.text) and not is_quantitative(s.text):
                continue
            fid = _force_in(s.text, matcher, strong_ids, subject_forces) or current_force
            if fid is None or (fid, s.text.strip()) in seen_texts:
                continue
            seen_texts.add((fid, s.text.strip()))
            if quoted:
                body = s.text.strip("“”\" ")
                body, a, e = clean_item(body, s.start + s.text.find(body))
                v, u = quantity(body)
                pol = polarity_of(body) or QUOTED_FIGURE_DEFAULT
                out.append((Unit(a, e, body, pol, theme_of(body), v, u), fid, None))
                continue
            for u in units_from_sentence(s.text, s.start, default_polarity=default):
                # A repeated standfirst yields the same finding twice: keep the first.
                if (fid, u.text) in seen_units:
                    continue
                seen_units.add((fid, u.text))
                out.append((u, fid, context))
    return out


def _other_voice(text: str) -> bool:
    """Reported words of someone other than the inspectorate (the force, its PCC, a charity)."""
    m = OTHER_VOICE.search(text)
    return bool(m) and not INSPECTORATE_VOICE.search(text[: m.end()])


def _mostly_quoted(s, in_quote) -> bool:
    """A sentence that is mostly a quotation (an attribution leading into it)."""
    q = min((i for i in (s.text.find("“"), s.text.find('"')) if i >= 0), default=-1)
    return q >= 0 and q < len(s.text) * 0.5 and in_quote(s.start + q + 1, s.end - 1) and len(s.text) - q > 60


def _plain_item(item: str) -> bool:
    return not re.search(r"\b(?:still|not|yet|but|however|although)\b", item, re.I)


def _intro_polarity(text: str) -> str | None:
    hit = first_in_order(polarity_rules.LEAD_IN_RULES, text)
    return Decided(hit.rule.decides, hit.rule.id, hit.cue) if hit else None


def _force_in(text, matcher, strong_ids, subject_forces):
    for m in matcher.resolve(text, strong_ids):
        if m.force_id in subject_forces:
            return m.force_id
    return None
