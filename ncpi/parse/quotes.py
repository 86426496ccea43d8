"""Direct quotations: find them, join their paragraphs, and attribute them.

Releases quote in two styles. The inspectorate's own: "X said:" then paragraphs that
each open with a quote mark, only the last one closing. Outlets: quotes inline, broken
by "he said", with a new paragraph shown by a quote mark that opens without the last
one closing. Both become one statement per speaker turn. Fragments of a few words in
narrative (‘continuing commitment’) are not statements.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ncpi.parse.speakers import (PRONOUN, KnownSpeakers, Speaker, name_matches, parse_speaker, read_phrase,
                                 styled_inspector_at)
from ncpi.rules import roles as role_rules

OPEN = "“"
CLOSE = "”"
MIN_WORDS = 6
# The attribution cues are rule records (ncpi/rules/roles.py, family attribution).
SAID = role_rules.SAID
_CUE = {r.id: r.regex for r in role_rules.ATTRIBUTION_RULES}
# Text after a closing mark that names the speaker: ', he said.' / ' said HMI X.' / ' X said.'
AFTER_PRONOUN = _CUE["attribution.after_pronoun"]
# An attribution after a quote stays in the quote's paragraph (a blank line ends it) and
# runs to the end of its sentence: ', said Wendy Williams, HM Inspector of Constabulary.'
AFTER_SAID_NAME = _CUE["attribution.after_said_name"]
AFTER_NAME_SAID = _CUE["attribution.after_name_said"]
# Where a speaker phrase holds two clauses ("The force welcomed it, and Chief Constable X
# said"), the speaker is in the last. "Police and Crime Commissioner" is one title: an
# "and" between two capitalised words does not split.
# (An "and" after a comma always breaks: the comma is looked for before the word.)
CLAUSE_BREAK = re.compile(r"\b(?P<conj>and|but|while|however)\s+(?=[A-Z])|;")
BEFORE_SAID = _CUE["attribution.before_said"]
BEFORE_COLON = _CUE["attribution.before_colon"]
# The attribution before a quote is at most ~300 characters (a 240-character phrase, the
# verb, "that"): reading further back only made each quote rescan its whole paragraph.
ATTRIBUTION_BEFORE_CHARS = 400
NAME_LOOKBACK_CHARS = 110   # how far before a name its introducing phrase is read
# An attribution after a quote (", said Wendy Williams, HM Inspector of Constabulary, who
# led the inspection.") is read within this many characters of the closing mark; the one
# pronoun form (", he said") within PRONOUN_AFTER_CHARS.
AFTER_CHARS = 260
PRONOUN_AFTER_CHARS = 200
MAX_GAP_CHARS = 200         # between two runs of one turn: closing marks and one attribution
MARKS_CACHE_SIZE = 4        # the text with curly marks, shared by find_quote_runs and attribute
NAME_CLAUSE_BREAK = re.compile(r",\s*(?:and|but|while|however)\s+|\b(?:However|Meanwhile|But|And),?\s+")


@dataclass
class QuoteRun:
    start: int                       # first quoted character (after the opening mark)
    end: int                         # after the last quoted character
    parts: list[tuple[int, int]] = field(default_factory=list)   # paragraphs of the quote
    closed: bool = True


class QuoteIndex:
    """Runs sorted by start, with the furthest end reached by any run starting at or
    before a position: "is this span inside a quotation?" in O(log n), not a scan."""

    def __init__(self, runs: list[QuoteRun]):
        spans = sorted((r.start, r.end) for r in runs)
        self.starts = [a for a, _ in spans]
        self.reach_at: list[int] = []
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b)
            self.reach_at.append(furthest)

    def reach(self, pos: int) -> int:
        """The furthest end of a run that starts at or before pos (-1 if none does)."""
        k = bisect_right(self.starts, pos)
        return self.reach_at[k - 1] if k else -1

    def covers(self, a: int, b: int) -> bool:
        """Some run, widened by one character each side (its marks), holds [a, b)."""
        return self.reach(a + 1) >= b - 1


@dataclass
class Statement:
    speaker: Speaker
    start: int
    end: int
    text: str
    paragraphs: int


def _normalise_marks(text: str) -> str:
    """Straight double quotes become curly ones (same length, so offsets hold)."""
    return _normalised_marks(text) if '"' in text else text


@lru_cache(maxsize=MARKS_CACHE_SIZE)
def _normalised_marks(text: str) -> str:
    # Only the straight marks are visited; a mark is read by the characters around it in
    # the original text (a mark before it reads as neither a space nor a letter either way).
    out, last, n = [], 0, len(text)
    i = text.find('"')
    while i != -1:
        prev = text[i - 1] if i else "\n"
        nxt = text[i + 1] if i + 1 < n else "\n"
        if prev in " \n\t([—–-" or (prev in ".,:;" and nxt.isalnum()):
            mark = OPEN
        elif nxt in " \n\t.,;:!?)—–-" or not nxt.strip():
            mark = CLOSE
        else:
            mark = OPEN if not prev.isalnum() else CLOSE
        out.append(text[last:i])
        out.append(mark)
        last = i + 1
        i = text.find('"', last)
    out.append(text[last:])
    return "".join(out)


def find_quote_runs(text: str) -> tuple[list[QuoteRun], bool]:
    """Quote runs in order; the bool says whether some quote never closed."""
    runs, unclosed = _double_runs(text)
    inside = [(r.start, r.end) for r in runs]
    singles = [r for r in _single_runs(text) if not any(a <= r.start <= b for a, b in inside)]
    return sorted(runs + singles, key=lambda r: r.start), unclosed


# Some outlets quote with single marks. An apostrophe looks the same, so a single-quoted
# run must open before a letter after a space or line start and close right after
# sentence punctuation ("… report.’", "… children,’ he said"): "officers’ work" is no close.
# (The mark is matched first and what stands before it checked after, so a search skips
# straight to the marks.)
SINGLE_OPEN = re.compile(r"[‘'](?<![^\s(][‘'])(?=[A-Z])")
SINGLE_CLOSE = re.compile(r"(?<=[.,!?…])[’']")
# An unclosed single-quoted run is kept only when a colon introduced it ("X said: ‘...").
COLON_BEFORE = re.compile(r":\s*$")
COLON_BEFORE_CHARS = 3


def _single_runs(text: str) -> list[QuoteRun]:
    runs: list[QuoteRun] = []
    pos = 0
    while True:
        m = SINGLE_OPEN.search(text, pos)
        if not m:
            return runs
        run, pos = _single_run(text, m.end())
        if run.closed or COLON_BEFORE.search(text[max(0, m.start() - COLON_BEFORE_CHARS):m.start()]):
            runs.append(run)


def _single_run(text: str, seg: int) -> tuple[QuoteRun, int]:
    """The single-quoted run whose first paragraph starts at seg, and where to search on."""
    run = QuoteRun(start=seg, end=seg)
    while True:
        para = text.find("\n\n", seg)
        c = SINGLE_CLOSE.search(text, seg, para if para != -1 else len(text))
        if c:
            run.parts.append((seg, c.start()))
            pos = c.end()
            break
        end = para if para != -1 else len(text)
        run.parts.append((seg, seg + len(text[seg:end].rstrip())))
        nxt = SINGLE_OPEN.match(text, end + 2) if para != -1 else None
        if nxt is None:
            # Never closed: without a closing mark a single quote is too easily an
            # apostrophe, so the run is kept only when attributed before it.
            run.closed = False
            pos = end
            break
        seg = nxt.end()
    run.start, run.end = run.parts[0][0], run.parts[-1][1]
    return run, pos


class _NextMark:
    """The first position of a one-character mark at or after j, for queries j that (almost
    always) only grow: the last answer holds until j passes it, so each stretch of text is
    searched once (searching again from each unmatched mark would be quadratic on a page of
    stray marks)."""

    def __init__(self, t: str, mark: str):
        self.t, self.mark, self.asked, self.found = t, mark, 0, t.find(mark)

    def __call__(self, j: int) -> int:
        if not (self.asked <= j and (self.found == -1 or j <= self.found)):
            self.asked, self.found = j, self.t.find(self.mark, j)
        return self.found


class _NextBreak:
    """The first paragraph break at or after j, counting breaks as a left-to-right search
    finds them (three newlines hold one break, at the first), by bisection."""

    def __init__(self, t: str):
        self.breaks = [m.start() for m in PARAGRAPH_BREAK.finditer(t)]

    def __call__(self, j: int) -> int:
        k = bisect_left(self.breaks, j)
        return self.breaks[k] if k < len(self.breaks) else -1


@dataclass
class _Marks:
    """The next opening mark, closing mark and paragraph break after a position."""
    t: str
    open_at: _NextMark
    close_at: _NextMark
    para_at: _NextBreak

    @classmethod
    def of(cls, t: str) -> "_Marks":
        return cls(t, _NextMark(t, OPEN), _NextMark(t, CLOSE), _NextBreak(t))

    def trimmed_end(self, a: int, b: int) -> int:
        while b > a and self.t[b - 1].isspace():
            b -= 1
        return b


PARAGRAPH_BREAK = re.compile("\n\n")


def _double_runs(text: str) -> tuple[list[QuoteRun], bool]:
    marks = _Marks.of(_normalise_marks(text))
    runs: list[QuoteRun] = []
    unclosed = False
    i = 0
    while (a := marks.open_at(i)) >= 0:
        run, i = _double_run(marks, a)
        unclosed = unclosed or not run.closed
        runs.append(run)
    return runs, unclosed


def _double_run(marks: _Marks, a: int) -> tuple[QuoteRun, int]:
    """The run opened by the mark at a, and where to look for the next opening mark."""
    t = marks.t
    run = QuoteRun(start=a + 1, end=a + 1)
    seg_start = j = a + 1
    while True:
        c, o, para = marks.close_at(j), marks.open_at(j), marks.para_at(j)
        # A new opening mark before the close, at a paragraph or sentence boundary,
        # continues the same quotation in a new paragraph.
        if o != -1 and (c == -1 or o < c):
            b = marks.trimmed_end(seg_start, o)
            if (b > seg_start and t[b - 1] in ".!?:…") or (para != -1 and para < o):
                run.parts.append((seg_start, b))
                seg_start = o + 1
            j = o + 1      # else a nested or stray opening mark: text
            continue
        if c == -1 or (para != -1 and para < c and not t.startswith(OPEN, para + 2)):
            # Never closed: the quote ends with its paragraph.
            end = para if para != -1 and (c == -1 or para < c) else len(t)
            run.parts.append((seg_start, marks.trimmed_end(seg_start, end)))
            run.closed = False
            i = end
            break
        if para != -1 and para < c:
            # The paragraph ended without a close but the next opens: continue there.
            run.parts.append((seg_start, marks.trimmed_end(seg_start, para)))
            seg_start = j = para + 3
            continue
        run.parts.append((seg_start, c))
        i = c + 1
        break
    run.start = run.parts[0][0]
    run.end = run.parts[-1][1]
    return run, i


WORD_RUN = re.compile(r"[A-Za-z0-9']+")


def _enough_words(s: str) -> bool:
    """At least MIN_WORDS words (counted up to there only)."""
    n = 0
    for _ in WORD_RUN.finditer(s):
        n += 1
        if n >= MIN_WORDS:
            return True
    return False


def _clean_part(s: str) -> str:
    s = s.strip().strip(OPEN + CLOSE + '"').strip()
    if s.endswith(","):
        s = s[:-1].rstrip()
    return s


# Characters that end the words introducing a name: what is read before it starts after one.
NAME_PHRASE_STOPS = ".!?\n“”:"


@dataclass
class _Attribution:
    """One document's quote attribution: the normalised text, who was named where, and the
    statements read so far."""
    t: str
    inspectorate_doc: bool
    force_matcher: object
    runs: list[QuoteRun]
    statements: list[Statement] = field(default_factory=list)
    last_speaker: Speaker | None = None
    prev_stmt: Statement | None = None
    prev_end: int = 0
    # People introduced in narrative ("HM Inspector Mike Cunningham pointed out that ...")
    # so that a later "he said" can be resolved; ends[i] is where people.people[i] was named.
    # Read on first need: an attribution that names its speaker in full looks nobody up.
    _people: KnownSpeakers | None = None
    ends: list[int] = field(default_factory=list)

    @property
    def people(self) -> KnownSpeakers:
        if self._people is None:
            self._people = KnownSpeakers()
            _introduce_people(self, QuoteIndex(self.runs))
        return self._people

    def speaker(self, phrase: str, pos: int) -> Speaker | None:
        """The speaker a phrase names; one it only points to is looked up among the people
        named before pos."""
        reading = read_phrase(phrase, self.inspectorate_doc)
        if reading is None:
            return None
        return reading.resolve(self.known_before(pos) if reading.looks_up else None, self.force_matcher)

    def person_before(self, pos: int) -> Speaker | None:
        people = self.people
        k = bisect_right(self.ends, pos)
        return people.people[k - 1] if k else None

    def known_before(self, pos: int):
        # Everyone named before pos, then (for a surname introduced later) everyone.
        people = self.people
        return people.upto(bisect_right(self.ends, pos) or len(self.ends))


def attribute(text: str, runs: list[QuoteRun], *, inspectorate_doc: bool, force_matcher) -> list[Statement]:
    doc = _Attribution(_normalise_marks(text), inspectorate_doc, force_matcher, runs)
    for run in runs:
        _attribute_run(doc, run)
    return [s for s in doc.statements if _enough_words(s.text)]


def _introduce_people(doc: _Attribution, inside: QuoteIndex) -> None:
    """Everyone a name outside the quotations introduces, in order, with where."""
    t, people = doc.t, doc._people
    for m in name_matches(t):
        a = m.start()
        if inside.reach(a) > a:
            continue    # a name inside a quotation is not a speaker introduced
        lo = max(0, a - NAME_LOOKBACK_CHARS)
        cut = -1
        for ch in NAME_PHRASE_STOPS:
            cut = max(cut, t.rfind(ch, lo, a))
        phrase = NAME_CLAUSE_BREAK.split(t[max(lo, cut + 1):m.end()])[-1]
        sp = parse_speaker(phrase, inspectorate_doc=doc.inspectorate_doc, force_matcher=doc.force_matcher,
                           known=people.upto(len(doc.ends))) or styled_inspector_at(t, a)
        if sp:
            people.add(sp)
            doc.ends.append(m.end())


def _before_quote(t: str, open_pos: int, prev_end: int) -> str:
    """The words before an opening mark that can attribute it: on its line, since the last
    quote; or, when the quote opens a paragraph, the line before if it ends with a colon.
    (A blank line or a single newline, as on the inspectorate's own site, parts paragraphs.)"""
    line_start = t.rfind("\n", 0, open_pos) + 1
    before = t[max(line_start, prev_end, open_pos - ATTRIBUTION_BEFORE_CHARS, 0):open_pos]
    if not before.strip():
        pl_end = line_start - 1
        while pl_end > 0 and t[pl_end - 1] == "\n":
            pl_end -= 1
        prev_line = t[t.rfind("\n", 0, pl_end) + 1:pl_end] if pl_end > 0 else ""
        if prev_line.rstrip().endswith(":"):
            before = prev_line
    return before


def _speaker_before(doc: _Attribution, before: str, open_pos: int) -> Speaker | None:
    m = BEFORE_SAID.search(before) or BEFORE_COLON.search(before)
    if not m:
        return None
    # Keep only the clause that names the speaker.
    phrase = _last_clause(m.group("phrase"))
    speaker = doc.speaker(phrase, open_pos)
    words = phrase.split()
    # "he said:" / "She added, however, that ..., adding:": the person named before.
    if speaker is None and words and (PRONOUN.match(words[-1]) or PRONOUN.match(words[0])):
        speaker = doc.last_speaker or doc.person_before(open_pos)
    return speaker


def _speaker_after(doc: _Attribution, run: QuoteRun, open_pos: int) -> Speaker | None:
    after = doc.t[run.end + 1: run.end + AFTER_CHARS]
    if AFTER_PRONOUN.match(after):
        speaker = doc.last_speaker or doc.person_before(open_pos)
        before = doc.person_before(open_pos)
        if doc.prev_stmt is None or (before and doc.prev_stmt.end < open_pos and before is not doc.last_speaker):
            speaker = before or speaker
        return speaker
    m = AFTER_SAID_NAME.match(after) or AFTER_NAME_SAID.match(after)
    return doc.speaker(m.group("phrase"), run.end) if m else None


def _attribute_run(doc: _Attribution, run: QuoteRun) -> None:
    t = doc.t
    # A short run counts only as part of a turn ("“We are pleased,” he added, “that
    # ...”"); the six-word minimum is applied to whole statements at the end.
    if not _enough_words(t[run.start:run.end]) and not _attribution_follows(t, run.end):
        return
    open_pos = run.start - 1
    speaker = _speaker_before(doc, _before_quote(t, open_pos, doc.prev_end), open_pos)
    if speaker is None:
        speaker = _speaker_after(doc, run, open_pos)
    # An unattributed run continues the statement before it when nothing but closing
    # marks and an attribution ("”, he said. “") stands between them; a quoted phrase
    # inside narrative ("the report praised its “...”") does not.
    prev = doc.prev_stmt
    if speaker is None and prev is not None and _continues(t, prev.end, open_pos):
        speaker = prev.speaker
    if speaker is None:
        return
    parts = [p for p in (_clean_part(t[a:b]) for a, b in run.parts) if p]
    if not parts:
        return
    end = _content_end(t, run)
    if (prev is not None and prev.speaker.name == speaker.name and _continues(t, prev.end, open_pos)
            and not _new_turn(t, prev.end, open_pos)):
        # A run that opens in lower case finishes the sentence the attribution broke.
        sep = " " if parts[0][:1].islower() and "\n" not in t[prev.end:open_pos] else "\n\n"
        prev.text = prev.text + sep + "\n\n".join(parts)
        prev.end = end
        prev.paragraphs += len(parts) - (sep == " ")
    else:
        doc.prev_stmt = Statement(speaker=speaker, start=run.start, end=end, text="\n\n".join(parts), paragraphs=len(parts))
        doc.statements.append(doc.prev_stmt)
    doc.last_speaker = speaker
    doc.prev_end = run.end


def _new_turn(t: str, prev_end: int, open_pos: int) -> bool:
    """A new paragraph that attributes again before the quote ("Mr Cunningham said:") after
    a quote that closed: a second statement of the same person, not the same one resumed
    (a paragraph merely reopening the quote after '”, said X.' continues it)."""
    between = t[prev_end:open_pos]
    return "\n" in between and between.rstrip().endswith(":")


def _content_end(t: str, run: QuoteRun) -> int:
    """End of the last quoted word: a comma left before the attribution is not quoted."""
    end = run.end
    while end > run.start and t[end - 1] in " \n,":
        end -= 1
    return end


# Between two runs of one turn (rule attribution.between_runs).
ATTRIBUTION = _CUE["attribution.between_runs"]


def _attribution_follows(t: str, end: int) -> bool:
    return bool(AFTER_PRONOUN.match(t[end + 1:end + PRONOUN_AFTER_CHARS]) or AFTER_SAID_NAME.match(t[end + 1:end + AFTER_CHARS])
                or AFTER_NAME_SAID.match(t[end + 1:end + AFTER_CHARS]))


def _last_clause(phrase: str) -> str:
    cut = 0
    for m in CLAUSE_BREAK.finditer(phrase):
        if m.group("conj") == "and" and not phrase[:m.start()].rstrip().endswith(","):
            before = phrase[:m.start()].split()
            if before and before[-1][:1].isupper():
                continue    # "Police and Crime Commissioner", "Fire and Rescue"
        cut = m.end()
    return phrase[cut:]


def _continues(t: str, prev_end: int, open_pos: int) -> bool:
    """Only closing marks and at most one attribution ('”, he said. “') stand between two runs."""
    gap = t[prev_end:open_pos]
    return len(gap) <= MAX_GAP_CHARS and bool(ATTRIBUTION.match(gap))
