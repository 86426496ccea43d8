"""The per-document context every reader takes: computed once, then read only.

read_context() segments the normalised text, reads the masthead (title, date,
inspectorate, publisher), finds the quotations and their speakers, the forces named
strongly, and the document's subject forces and scope (is it about an NCPI inspection?).
The readers of each table (ncpi/parse/document.py, ncpi/parse/inspection_reader.py)
take this context and return rows; none of them re-reads what is here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from ncpi.ids import sha256_hex
from ncpi.parse.dates import DateIndex
from ncpi.parse.forcenames import ForceMatcher, Mention, MentionIndex
from ncpi.parse.masthead import inspectorate_of, is_truncated, publisher_of, source_date, title_of
from ncpi.parse.quotes import QuoteIndex, Statement, attribute, find_quote_runs
from ncpi.parse.segment import Block, segment
from ncpi.rules import scope
from ncpi.text.normalise import Normalised

DATE_FLAGS = ("weekday_date_mismatch", "invalid_date", "date_without_year")
FIRST_HAND = ("HMIC", "HMICFRS")      # publishers whose release is the inspectorate's own
SUBJECT_HEAD_PARAS = 2                 # paragraphs after the headline and titles read for the subject forces
LEAD_BLOCKS = 6                        # body blocks that make the lead
NOT_NCPI_HEAD_BLOCKS = 6               # body blocks read, with the titles, for a not-NCPI cue


@dataclass(frozen=True)
class DocContext:
    norm: Normalised
    path: str
    meta: dict
    digest: str
    matcher: ForceMatcher
    blocks: list[Block]
    title: str
    published: dt.date | None
    inspectorate: str | None
    publisher: str | None
    statements: list[Statement]
    in_quote: Callable[[int, int], bool]
    strong_ids: set[str]
    mention_index: MentionIndex | None = None
    flags: tuple[str, ...] = ()
    subject_forces: list[str] = field(default_factory=list)
    subject_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    is_ncpi: bool = False
    dates: DateIndex | None = None      # every date of the text, found once (ncpi/parse/dates.py)

    @property
    def text(self) -> str:
        return self.norm.text

    @property
    def source_id(self) -> str:
        return self.digest[:16]

    @property
    def default_year(self) -> int | None:
        return self.published.year if self.published else None

    @property
    def body_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.section == "body"]

    @property
    def report_titles(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "report_title"]

    @property
    def lead_text(self) -> str:
        return " ".join(b.text for b in self.body_blocks[:LEAD_BLOCKS])

    @property
    def first_hand(self) -> bool:
        return self.publisher in FIRST_HAND

    def forces_in(self, start: int, end: int) -> list[Mention]:
        """The force mentions of text[start:end], at offsets into the whole text: what
        matcher.mentions(text[start:end]) finds, answered from the document's one scan
        (a part that cuts through a match is scanned on its own, ncpi/parse/forcenames.py)."""
        index = self.mention_index
        if index is not None and index.clean(start, end):
            return index.within(start, end)
        return [Mention(m.force_id, m.start + start, m.end + start, m.strong)
                for m in self.matcher.mentions(self.text[start:end])]

    def resolved_in(self, start: int, end: int) -> list[Mention]:
        """matcher.resolve(text[start:end], strong_ids) at offsets into the whole text: strong
        mentions, and weak ones of forces the document names strongly somewhere."""
        return [m for m in self.forces_in(start, end) if m.strong or m.force_id in self.strong_ids]


def read_context(norm: Normalised, *, path: str, raw: bytes, meta: dict, matcher: ForceMatcher,
                 decode_flags: list[str]) -> DocContext:
    """Everything the readers share, read once from one normalised document."""
    text = norm.text
    blocks = segment(text)
    published, date_flags = source_date(blocks, norm, meta)
    inspectorate = inspectorate_of(text, published)
    flags = list(decode_flags) + list(norm.flags) + list(date_flags)
    dates = DateIndex(text, default_year=published.year if published else None, reference=published)
    flags += [f for f in dates.flags() if f in DATE_FLAGS]
    if is_truncated(text):
        flags.append("truncated")
    mentions = matcher.index(text)     # every force mention, once: parts are answered from it
    runs, unclosed = find_quote_runs(text)
    if unclosed:
        flags.append("unclosed_quote")
    ctx = DocContext(
        norm=norm, path=path, meta=meta, digest=sha256_hex(raw), matcher=matcher, blocks=blocks,
        title=title_of(blocks, norm), published=published, inspectorate=inspectorate,
        publisher=publisher_of(norm, text, inspectorate, blocks),
        statements=attribute(text, runs, inspectorate_doc=inspectorate is not None, force_matcher=matcher),
        in_quote=QuoteIndex(runs).covers, strong_ids={m.force_id for m in mentions.mentions if m.strong},
        mention_index=mentions, flags=tuple(flags), dates=dates)
    forces, spans = read_subject_forces(ctx)
    return DocContext(**{**ctx.__dict__, "subject_forces": forces, "subject_spans": spans,
                         "is_ncpi": read_scope(ctx)})


def read_subject_forces(ctx: DocContext) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The forces the document reports on, in order, each with its first unquoted mention:
    those named in the headline, titles and first paragraphs; else in any body paragraph
    or bullet; else the forces of the people quoted; else the only force the text names."""
    body = ctx.body_blocks
    head = [b for b in body if b.kind in ("headline", "report_title")] + [b for b in body if b.kind == "para"][:SUBJECT_HEAD_PARAS]
    forces: list[str] = []
    spans: dict[str, tuple[int, int]] = {}

    def note(fid: str, span: tuple[int, int]) -> None:
        if fid not in forces:
            forces.append(fid)
        if fid not in spans or span[0] < spans[fid][0]:
            spans[fid] = span

    for blocks in (head, [b for b in body if b.kind in ("para", "bullet")]):
        for b in blocks:     # a block's text is text[b.start:b.end]
            for m in ctx.resolved_in(b.start, b.end):
                if not ctx.in_quote(m.start, m.end):
                    note(m.force_id, (m.start, m.end))
        if forces:
            return forces, spans
    for s in ctx.statements:
        if s.speaker.force_id and s.speaker.force_id not in forces:
            note(s.speaker.force_id, (s.start, s.end))
    if not forces:
        # A copy that lost its headline and says only "the force": the one force the whole
        # text names, even inside a quotation ("important to Suffolk police").
        named = ctx.resolved_in(0, len(ctx.text))
        if len({m.force_id for m in named}) == 1:
            note(named[0].force_id, (named[0].start, named[0].end))
    return forces, spans


def read_scope(ctx: DocContext) -> bool:
    """Is the document about an NCPI inspection (ncpi/rules/scope.py)? An NCPI cue in the
    lead or the text, and no not-NCPI cue in the head unless its own title names the programme."""
    titles = " ".join(ctx.report_titles)
    is_ncpi = bool(scope.NCPI_CUES.search(ctx.lead_text + " " + titles) or scope.NCPI_CUES.search(ctx.text))
    # The head only: a single-paragraph copy must not reach its Notes ("HMIC took on fire & rescue inspections").
    head = (ctx.title + " " + titles + " " + " ".join(b.text for b in ctx.body_blocks[:NOT_NCPI_HEAD_BLOCKS]))[:scope.HEAD_CHARS]
    # A PEEL or thematic report may mention an earlier NCPI inspection in its text; only its
    # own title or report title naming the programme keeps it an NCPI document.
    if scope.NOT_NCPI_CUES.search(head) and not scope.OWN_TITLE_RULE.regex.search(ctx.title + " " + titles):
        return False
    return is_ncpi
