"""The narrative's findings: which blocks and sentences assess a force, split into units.

Bullets, enumerations, contrasts and lead-ins ("Other improvements include:") become
`Unit`s with polarity and theme; quotes are skipped unless they state a measured figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ncpi.parse import inspections as insp
from ncpi.parse.findings import SUBJECT_CUE, Unit, clean_item, is_quantitative, quantity, units_from_sentence
from ncpi.parse.findings import grade_polarity
from ncpi.parse.polarity import polarity_of
from ncpi.parse.segment import Block, Sentence
from ncpi.parse.themes import theme_of
from ncpi.rules import Decided, RuleSet
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


TITLE_KINDS = ("headline", "get_report", "report_title", "dateline", "notes_heading")
# A paragraph ending "... said:" leads into a quotation, not into a list.
SAID_COLON = re.compile(r"\b(?:said|says|added|commented)\s*:\s*$")
SAID_COLON_OR_END = re.compile(r"\b(?:said|says|added)\s*:?\s*$")
INCLUDES_COLON = re.compile(r"include[sd]?:\s*$")
# A Note is read only when it reports a result, not when it describes the programme.
NOTE_RESULT = re.compile(r"\b(?:found|raised|identified|concerns?|progress (?:was|had)|not yet|was slow)\b", re.I)
# "... areas for improvement. These included ...": the sentence before leads into the list.
INCLUDES_NEXT = re.compile(r"(?:These|They|This|Those)\s+(?:include|includes|included)\b")
INCLUDES_HERE = re.compile(r"(?:These|They|This|Those)\s+includ")
# A bullet qualified by one of these words keeps its own polarity under a lead-in.
QUALIFIED = re.compile(r"\b(?:still|not|yet|but|however|although)\b", re.I)
# Cheap guards: a pattern is searched only where words it cannot match without are present.
GRADE_END = re.compile(r"(?:outstanding|good|adequate|improvement|inadequate)\.?$", re.I)   # "requires improvement" ends "improvement"
GRADE_END_REACH = len("improvement.")          # a grade line ends with its grade, within this many characters
ATTRIBUTION_ENDS = (":", "said", "says", "added", "commented")
REPORTING_VERBS = ("said", "says", "added", "commented", "welcomed")
NOTE_RESULT_WORDS = ("found", "raised", "identified", "concern", "progress", "not yet", "was slow")
QUOTE_MARKS = ("”", '"')
MIN_ITEM_WORDS = 4           # a shorter bullet is a heading or contents line ("1. Introduction")
ATTRIBUTION_MAX = 250        # a paragraph ending in an attribution is a short lead into a quote
MOSTLY_QUOTED_SHARE = 0.5    # the quotation opens in the sentence's first half ...
MOSTLY_QUOTED_MIN = 60       # ... and runs on for at least this many characters


@dataclass
class _Reading:
    """What the reader carries from block to block and sentence to sentence."""
    current_force: str | None
    out: list = field(default_factory=list)
    seen_texts: set = field(default_factory=set)
    seen_units: set = field(default_factory=set)
    intro_polarity: str | None = None   # a lead-in's polarity, for the list after it
    list_open: bool = False             # a lead-in ending in a colon opened a list
    context: str | None = None          # None, 'earlier' or an inspection_id


def finding_units(ctx, mention_ids: dict[int, str]) -> list[tuple[Unit, str | None, str | None]]:
    """(Unit, force_id, context) for every finding of the document context `ctx`
    (ncpi/parse/context.py); context is None (the subject), 'earlier' (the force's latest
    earlier inspection) or an inspection_id (mention_ids: sentence start -> inspection)."""
    forces = ctx.subject_forces
    reader = _Reader(ctx, mention_ids, _Reading(forces[0] if len(forces) == 1 else None))
    for b in ctx.blocks:
        reader.block(b)
    return reader.state.out


class _Reader:
    def __init__(self, ctx, mention_ids: dict[int, str], state: _Reading):
        self.ctx, self.mention_ids, self.state = ctx, mention_ids, state
        self.in_quote, self.subject_forces = ctx.in_quote, ctx.subject_forces

    def resolve(self, text: str):
        return self.ctx.matcher.resolve(text, self.ctx.strong_ids)

    def force_in(self, mentions) -> str | None:
        return next((m.force_id for m in mentions if m.force_id in self.subject_forces), None)

    def block(self, b: Block) -> None:
        st = self.state
        body_para = b.kind == "para" and b.section == "body"
        # A lead-in ending in a colon opens a list; paragraphs after it that begin in lower
        # case ("the force's work with ...;") are its items even without bullet marks, and a
        # line grading an area ("Investigation: requires improvement") is one whether or not it is bulleted.
        bt = _block_text(b.text) if body_para else None
        unmarked_item = body_para and (st.list_open and b.text[:1].islower() or bt.grade_line)
        st.list_open = unmarked_item or (body_para and bt.lead_in)
        if b.kind in TITLE_KINDS:
            for m in self.resolve(b.text):
                if m.force_id in self.subject_forces:
                    st.current_force = m.force_id
        elif b.kind == "bullet" and b.section == "body" or unmarked_item:
            self.item(b)
        elif b.kind == "para" or b.kind == "note" and _block_text(b.text).note_result:
            self.paragraph(b)

    def item(self, b: Block) -> None:
        """A bullet, or an unmarked list item: one finding (or a lead-in to the next ones)."""
        st, it = self.state, _item_text(b.text)
        if it.kind == "lead_in":
            st.intro_polarity = it.polarity or st.intro_polarity
            return
        if it.kind == "short":
            return
        a, e = b.start + it.lead, b.start + it.lead + len(it.text)
        fid = self.force_in(self.resolve(it.text)) or st.current_force
        pol, intro = it.polarity, st.intro_polarity
        if it.kind == "item":
            if intro is not None and pol != intro:
                pol = intro if pol is None or not it.qualified else pol
            pol = pol or intro or LIST_ITEM_DEFAULT
        st.out.append((Unit(a, e, it.text, pol, it.theme, it.value, it.unit), fid, None))

    def paragraph(self, b: Block) -> None:
        st = self.state
        # A lead-in's polarity holds for the list straight after it, not for later lists.
        bt = _block_text(b.text)
        st.intro_polarity = bt.intro
        if bt.attribution:
            return
        st.context = None
        sents = b.sentences
        for k, s in enumerate(sents):
            self.sentence(s, sents[k + 1].text if k + 1 < len(sents) else "")

    def sentence(self, s: Sentence, nxt: str) -> None:
        st, text, t = self.state, s.text, _sentence_text(s.text)
        mentions = self.resolve(text)
        for m in mentions:
            if m.force_id in self.subject_forces and not self.in_quote(s.start + m.start, s.start + m.end):
                st.current_force = m.force_id
        quoted = self.in_quote(s.start, s.end) or t.opens_quote or self.mostly_quoted(s) or t.quote_tail
        if quoted and not t.quantitative:
            return
        if s.start in self.mention_ids:
            st.context = None if t.since_earlier else self.mention_ids[s.start]
        elif t.context == "current":
            st.context = None
        elif t.context == "earlier":
            st.context = st.context or "earlier"
        if t.lead_in:
            st.intro_polarity = t.intro
            return
        if INCLUDES_NEXT.match(nxt):
            st.intro_polarity = polarity_of(text)
            return
        default = st.intro_polarity if t.includes else None
        if not quoted and not mentions and not t.subject_cue:
            return
        if t.other_voice and not t.quantitative:
            return
        fid = self.force_in(mentions) or st.current_force
        if fid is None or (fid, t.stripped) in st.seen_texts:
            return
        st.seen_texts.add((fid, t.stripped))
        if quoted:
            self.quoted_figure(s, fid)
            return
        for u in units_from_sentence(text, s.start, default_polarity=default):
            # A repeated standfirst yields the same finding twice: keep the first.
            if (fid, u.text) not in st.seen_units:
                st.seen_units.add((fid, u.text))
                st.out.append((u, fid, st.context))

    def quoted_figure(self, s: Sentence, fid: str) -> None:
        """A measured figure inside a quotation is a finding."""
        body = s.text.strip("“”\" ")
        body, a, e = clean_item(body, s.start + s.text.find(body))
        v, u = quantity(body)
        pol = polarity_of(body) or QUOTED_FIGURE_DEFAULT
        self.state.out.append((Unit(a, e, body, pol, theme_of(body), v, u), fid, None))

    def mostly_quoted(self, s: Sentence) -> bool:
        """A sentence that is mostly a quotation (an attribution leading into it)."""
        q = min((i for i in (s.text.find("“"), s.text.find('"')) if i >= 0), default=-1)
        return (q >= 0 and q < len(s.text) * MOSTLY_QUOTED_SHARE and self.in_quote(s.start + q + 1, s.end - 1)
                and len(s.text) - q > MOSTLY_QUOTED_MIN)


class _BlockText(NamedTuple):
    """What a paragraph's words alone say about it (cached by text)."""
    grade_line: bool          # "Investigation: requires improvement"
    lead_in: bool             # ends in a colon that opens a list, not "said:"
    note_result: bool         # (a Note) reports a result
    attribution: bool         # a short lead into a quotation or a list: no findings of its own
    intro: str | None         # the polarity it gives the list after it


@lru_cache(maxsize=8192)   # a pure function of the text; releases repeat their wording
def _block_text(text: str) -> _BlockText:
    ends = text.rstrip()
    attribution = (ends.endswith(ATTRIBUTION_ENDS) and ATTRIBUTION.search(text) is not None
                   and len(text) < ATTRIBUTION_MAX and not INCLUDES_COLON.search(text))
    lead_in = ends.endswith(":")
    intro = _intro_polarity(text) if attribution and lead_in and not _said(SAID_COLON_OR_END, text) else None
    return _BlockText(
        grade_line=_grade_line(text.strip()) is not None, lead_in=lead_in and not _said(SAID_COLON, text),
        note_result=_has_any(text.casefold(), NOTE_RESULT_WORDS) and NOTE_RESULT.search(text) is not None,
        attribution=attribution, intro=intro)


class _ItemText(NamedTuple):
    """What a list item's words alone say (cached by text); offsets from the item's start."""
    kind: str                 # lead_in (ends in a colon) | graded | short (a heading) | item
    text: str                 # without list punctuation
    lead: int                 # where that text begins in the item
    polarity: str | None      # its own (a grade's, for a graded area)
    theme: str | None
    qualified: bool = False   # "still", "not", "but" ...: keeps its own polarity under a lead-in
    value: float | None = None
    unit: str | None = None


@lru_cache(maxsize=8192)   # a pure function of the text; releases repeat their wording
def _item_text(text: str) -> _ItemText:
    item, lead, _end = clean_item(text, 0)
    if item.endswith(":"):
        return _ItemText("lead_in", item, lead, polarity_of(item), None)
    graded = _grade_line(item)
    if graded:
        # A graded area of the 2024 cycle ("Partnership working: good") is a finding:
        # polarity from the grade, theme from the area's name.
        return _ItemText("graded", item, lead, grade_polarity(graded.group("grade")), theme_of(graded.group("area")))
    if len(item.split()) < MIN_ITEM_WORDS:
        return _ItemText("short", item, lead, None, None)
    v, u = quantity(item)
    return _ItemText("item", item, lead, polarity_of(item, None), theme_of(item), QUALIFIED.search(item) is not None, v, u)


class _SentenceText(NamedTuple):
    """What a sentence's words alone say about it (cached by text)."""
    stripped: str
    opens_quote: bool         # begins with a quotation mark
    quote_tail: bool          # ends a quotation whose opening mark was missed
    quantitative: bool        # states a measured figure
    since_earlier: bool       # compares now with an earlier inspection
    context: str | None       # 'current', 'earlier' (_context_said) or None
    lead_in: bool             # ends in a colon ...
    intro: str | None         # ... giving the list after it this polarity
    includes: bool            # "These included ..."
    subject_cue: bool         # names the force, its people or its work
    other_voice: bool         # reported words of the force, its PCC, a charity


@lru_cache(maxsize=8192)   # a pure function of the sentence; releases repeat their wording
def _sentence_text(text: str) -> _SentenceText:
    lead_in = text.rstrip().endswith(":")
    return _SentenceText(
        stripped=text.strip(), opens_quote=text.lstrip().startswith(("“", '"')),
        quote_tail=_has_any(text, QUOTE_MARKS) and QUOTE_TAIL.search(text) is not None,
        quantitative=is_quantitative(text), since_earlier=SINCE_EARLIER.search(text) is not None,
        context=_context_said(text), lead_in=lead_in, intro=_intro_polarity(text) if lead_in else None,
        includes=INCLUDES_HERE.match(text) is not None, subject_cue=SUBJECT_CUE.search(text) is not None,
        other_voice=_other_voice(text))


def _context_said(text: str) -> str | None:
    """'current' when the sentence speaks of the document's own inspection, 'earlier' when of
    what an earlier one found, else None."""
    if insp.CURRENT.search(text) or CURRENT_CONTEXT.search(text):
        return "current"
    return "earlier" if EARLIER_CONTEXT.search(text) else None


def _other_voice(text: str) -> bool:
    """Reported words of someone other than the inspectorate (the force, its PCC, a charity)."""
    m = OTHER_VOICE.search(text) if _has_any(text, REPORTING_VERBS) else None
    return bool(m) and not INSPECTORATE_VOICE.search(text[: m.end()])


LEAD_IN = RuleSet(polarity_rules.LEAD_IN_RULES)   # record order, vetoes read (one scan)


def _intro_polarity(text: str) -> str | None:
    hit = LEAD_IN.first(text)
    return Decided(hit.rule.decides, hit.rule.id, hit.cue) if hit else None


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def _grade_line(text: str) -> re.Match | None:
    """GRADE_LINE's match, tried only when the text ends with a grade."""
    if not GRADE_END.search(text, max(0, len(text) - GRADE_END_REACH)):
        return None
    return GRADE_LINE.match(text)


def _said(pattern: re.Pattern, text: str) -> bool:
    """A "said:" ending (SAID_COLON, SAID_COLON_OR_END), tried only when a reporting verb is there."""
    return _has_any(text, REPORTING_VERBS) and pattern.search(text) is not None
