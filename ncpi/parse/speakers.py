"""Who is speaking: role phrases as releases print them, mapped to canonical roles.

The table is declarative and ordered: the first pattern that matches a speaker phrase
names the role. HM Inspectors are the only speakers who can lead an inspection.
A speaker phrase is read the way a reader reads an attribution: an opening clause
("Commenting on the report,", "Of Hertfordshire,") and a relative clause (", who led
the inspection,") are not part of who speaks; a surname alone ("Billingham said",
"Mr Hollis added") is the person named in full earlier.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ncpi.parse.caseless import positions
from ncpi.rules import Decided
from ncpi.rules import roles as role_rules

HMI = role_rules.HMI
HMCI = role_rules.HMCI
INSPECTORATE_ROLES = {HMI, HMCI}
INSPECTOR_BY_CONTEXT = Decided(HMI, "role.hm_inspector.inspectorate_document")
ORG_SPOKESPERSON = Decided(role_rules.ORG_SPOKESPERSON.decides, role_rules.ORG_SPOKESPERSON.id)

# The role table is rule records (ncpi/rules/roles.py ROLE_SET), decided in one scan of a
# phrase: the first record in order that matches wins; "" keeps the printed role.
# A speaker phrase is read once per distinct wording (a release's boilerplate "HM Inspector of
# Constabulary X said:" recurs across a corpus): a pure reading, resolved per document.
PHRASE_CACHE_SIZE = 8192
MAX_PHRASE_CHARS = 220        # longer is a sentence of narrative, not who is speaking
MAX_ROLE_ALONE_WORDS = 6      # "the chief constable of the force": a role alone is short
MAX_PRINTED_ROLE_CHARS = 100  # a role outside the table, as printed, is a title, not a clause
MAX_NAME_WORDS = 4            # the name is at most the last four words of a capitalised run
WHITESPACE = re.compile(r"\s+")
TOKEN = re.compile(r"\S+")
POSSESSIVE = re.compile(r"\w['’]s?$")
IRISH_PREFIX = re.compile(r"^(?:O|D)['’]")
COPULA = re.compile(r"\s*(?:is|was|has been)\b")
COPULA_LEAD = re.compile(r"^\s*(?:is|was|has been)\s+")
ARTICLE_LEAD = re.compile(r"^(?:the|a|an)\s+", re.I)
ROLE_ALONE_OPENER = re.compile(r"(?:the|its|their|[A-Z][\w-]*['’]s)\s", re.I)
INSPECTOR_WORD = role_rules.INSPECTOR_WORD.regex
PRINTED_LEAD = re.compile(r"^(?:(?:the|a|an|and|its|local|said)\s+)+", re.I)
PRINTED_VERB = re.compile(r"\s+(?:said|says|added|commented)$", re.I)
# Where a name can begin: a capital whose word is followed by another capitalised word (or
# de/van/von/al). Every NAME_RE match starts at one, so NAME_RE is tried only there.
NAME_START = re.compile(r"[A-Z](?=\S*\s+(?:[A-Z]|de|van|von|al))")

# Words that say what someone does: a role printed outside the table must hold one (rule role.printed_role_noun).
ROLE_NOUN = role_rules.ROLE_NOUN.regex

HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Cllr|Councillor|Sir|Dame|Lord|Lady|Baroness|Rt Hon|The Rt Hon)\.?\s+")
WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-ÿ'’-]+(?:-[A-Z][a-zà-ÿ'’]+)?"
NAME = rf"(?:(?:Sir|Dame|Dr|Mr|Mrs|Ms|Cllr|Lord|Lady|Baroness)\.?\s+)?{WORD}(?:\s+(?:[A-Z]\.|{WORD}|de|van|von|al)){{1,7}}"
NAME_RE = re.compile(NAME)
# Words that look like names but are roles, ranks, places or organisations.
NOT_NAME_WORDS = {
    "Police", "Constabulary", "Inspector", "Inspectorate", "Majesty", "Majesty's", "Majesty’s",
    "Chief", "Constable", "Deputy", "Assistant", "Commissioner", "Crime", "Service", "Services", "Fire", "Rescue",
    "Office", "Council", "County", "Government", "Home", "Secretary", "Report", "Force", "The", "HMICFRS", "HMIC",
    "Superintendent", "Detective", "Her", "His", "Member", "Parliament", "National", "Society", "NSPCC", "Barnardo's",
    "Barnardo’s", "Spokeswoman", "Metropolitan", "Cumbria", "Norfolk", "Local", "Inspectors", "Commissioner's", "Spokesman", "Spokesperson", "Today", "However", "Meanwhile", "Overall",
    # abbreviated ranks ("Det Ch Supt Helen Flanagan")
    "Det", "Ch", "Supt", "Insp", "Sgt", "Con", "Commander", "Sergeant", "Temporary", "Acting", "Director", "Head",
    "Chair", "Chairman", "Leader", "Minister", "Mayor", "Executive", "Officer", "Manager", "Lead",
}
PRONOUN = re.compile(r"^(?:he|she|they)$", re.I)
ORG_SPOKES = role_rules.ORG_SPOKESPERSON.regex
# An opening clause before the speaker: "Commenting on the report,", "Of Hertfordshire,",
# "In a statement,". "According to" is kept: the speaker is inside it.
FRONTED = re.compile(
    r"^(?:(?:[A-Z][a-z]+ing|In|On|Of|At|After|Following|Asked|Today|Meanwhile|However|But|And|Also|Separately|"
    r"Earlier|Later|Elsewhere|Similarly|Likewise|Yesterday|Last|This|Responding|Reacting)\b[^,]{0,120},\s*)+")
ACCORDING = re.compile(r"^according to\s+", re.I)
VERB_TAIL = re.compile(r"\s+(?:said|says|added|adds|commented|explained|stated|warned|told|continued|went on)\b.*$")
# ", who led the inspection," / ", adding that ..." — about the speaker, not who they are.
RELATIVE = re.compile(r",?\s*\b(?P<word>who|which|whose|adding|saying|speaking|commenting|as|after|when|while)\b(?P<rest>[^,]*)(?:,|$)")
LED_INSPECTION = role_rules.LED_INSPECTION.regex
PREPOSITION_BEFORE = re.compile(r"\b(?:for|of|at|in|from)\s+$")
# A surname after a title or a rank ("Mr Parr", "DCC Gamblin", "Det Supt Hutchinson"): the
# person of that surname named in full earlier.
ROLE_FOR = re.compile(r"\bfor (?:the )?$")
SURNAME_ONLY = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Cllr|DCC|ACC|DCS|DCI|Det(?:ective)?\.? (?:Ch(?:ief)?\.? )?(?:Supt|Superintendent|Insp|Inspector)|"
    rf"Supt|(?:Chief )?Superintendent|(?:Deputy |Assistant )?Chief Constable|Inspector)\.?\s+)?(?P<sur>{WORD})$")


@dataclass
class Speaker:
    name: str
    role: str
    phrase: str
    force_id: str | None = None

    @property
    def is_inspector(self) -> bool:
        return self.role in INSPECTORATE_ROLES


def clean_name(name: str) -> str:
    name = WHITESPACE.sub(" ", name).strip(" ,.;:")
    prev = None
    while prev != name:
        prev = name
        name = HONORIFIC.sub("", name)
    return name


def role_of(phrase: str) -> str | None:
    """The canonical role the first matching record names (a Decided), None when none
    matches or the record keeps the printed role. One scan (RuleSet: record order)."""
    hit = role_rules.ROLE_SET.first(phrase)
    if hit is None or not hit.rule.decides:
        return None
    return Decided(hit.rule.decides, hit.rule.id, hit.cue)


def name_matches(text: str):
    """NAME_RE.finditer(text), trying NAME_RE only where a name can begin (NAME_START)."""
    pos, match = 0, NAME_RE.match
    for c in NAME_START.finditer(text):
        s = c.start()
        if s < pos:
            continue
        m = match(text, s)
        if m is not None:
            yield m
            pos = m.end()


@dataclass
class _Span:
    start: int
    end: int
    text: str

    def group(self, _=0):
        return self.text


def _bare(word: str) -> str:
    return word.strip(",;:").strip("'’")


def _name_words(phrase: str, m: re.Match) -> list[tuple[int, int, str]]:
    """The words of a capitalised run that can be a person's name, trimmed of role words."""
    words = [(w.start(), w.end(), w.group()) for w in TOKEN.finditer(phrase, m.start(), m.end())]
    # A possessive ("HMIC’s", "Kent's") closes the noun phrase before the name.
    for i in range(len(words) - 1, -1, -1):
        if POSSESSIVE.search(words[i][2]) and not IRISH_PREFIX.match(words[i][2]):
            words = words[i + 1:]
            break
    while words and _bare(words[-1][2]) in NOT_NAME_WORDS:
        words = words[:-1]
    # The name is the longest run of non-role words at the end ("... Service Matt Parr").
    k = len(words)
    while k > 0 and _bare(words[k - 1][2]) not in NOT_NAME_WORDS:
        k -= 1
    words = words[k:][-MAX_NAME_WORDS:]
    # "MP for Peterborough Daniel Ashcroft": the place belongs to the preposition.
    if len(words) >= 3 and not HONORIFIC.match(words[0][2] + " ") and PREPOSITION_BEFORE.search(phrase[:words[0][0]]):
        words = words[1:]
    return words


def _names(phrase: str) -> list[_Span]:
    """Capitalised runs that can be a person's name, trimmed of role words."""
    out = []
    for m in name_matches(phrase):
        words = _name_words(phrase, m)
        if len(words) >= 2:
            a, b = words[0][0], words[-1][1]
            out.append(_Span(a, b, phrase[a:b]))
    return out


class KnownSpeakers:
    """Speakers introduced so far, in document order, indexed by name, surname and role so
    that each lookup parse_speaker makes costs O(log n): on a page of 60,000 attributions a
    list scanned per lookup made the quote pass quadratic. upto(k) is the view of the first k."""

    def __init__(self, speakers=()):
        self.people: list[Speaker] = []
        self._index: dict[tuple[str, str], list[int]] = {}
        for sp in speakers:
            self.add(sp)

    def add(self, sp: Speaker) -> None:
        i = len(self.people)
        self.people.append(sp)
        for key in (("name", sp.name), ("surname", sp.name.split()[-1] if sp.name.split() else ""), ("role", str(sp.role))):
            self._index.setdefault(key, []).append(i)

    def upto(self, k: int) -> "KnownView":
        return KnownView(self, k)

    def last(self, key: tuple[str, str], k: int) -> Speaker | None:
        hits = self._index.get(key, [])
        j = bisect_left(hits, k)
        return self.people[hits[j - 1]] if j else None


@dataclass(frozen=True)
class KnownView:
    known: KnownSpeakers
    k: int

    def last(self, field_name: str, value: str) -> Speaker | None:
        return self.known.last((field_name, value), self.k)


def _as_view(known) -> KnownView:
    """parse_speaker's `known`: a view, or any sequence of speakers (indexed here)."""
    if isinstance(known, KnownView):
        return known
    ks = KnownSpeakers(known)
    return ks.upto(len(ks.people))


@dataclass(frozen=True)
class PhraseReading:
    """What a speaker phrase says on its own, before the people named earlier are known:
    a speaker (`person`, `org`), or whom to look up among them (`surname`, `role`, `name`)."""
    how: str                      # "person" | "org" | "surname" | "role" | "name"
    key: str                      # the name, or the surname/role/name to look up
    role: str | None = None
    phrase: str = ""
    force_text: str = ""          # the words whose first force mention is the speaker's force

    @property
    def looks_up(self) -> bool:
        """Whether the speaker is someone named before (resolve needs `known`)."""
        return self.how in ("surname", "role", "name")

    def resolve(self, known: KnownView | None, force_matcher) -> Speaker | None:
        if self.looks_up:
            return known.last(self.how, self.key)
        force_id = None
        if force_matcher is not None:
            ms = force_matcher.mentions(self.force_text)
            force_id = ms[0].force_id if ms else None
        return Speaker(name=self.key, role=self.role, phrase=self.phrase, force_id=force_id)


def parse_speaker(phrase: str, *, inspectorate_doc: bool = True, force_matcher=None, known=()) -> Speaker | None:
    """Read a speaker phrase such as 'HM Inspector of Constabulary Phil Gormley' or
    'Peter McCall, Cumbria police and crime commissioner,' into a Speaker.

    known: speakers named earlier, to resolve a surname alone or a name printed without
    a role to the person already introduced."""
    reading = read_phrase(phrase, inspectorate_doc)
    return reading.resolve(_as_view(known), force_matcher) if reading is not None else None


def _trimmed(phrase: str) -> tuple[str, str] | None:
    """The phrase without the verb, an opening clause or a relative clause, and the
    relative clause (what it says about the speaker); None when nothing is left."""
    phrase = WHITESPACE.sub(" ", phrase).strip(" ,:;–—-")
    if not phrase or len(phrase) > MAX_PHRASE_CHARS:
        return None
    phrase = VERB_TAIL.sub("", phrase)
    phrase = ACCORDING.sub("", FRONTED.sub("", phrase)).strip(" ,:;–—-")
    about = ""
    rel = RELATIVE.search(phrase)
    if rel and rel.start() > 0:
        about = rel.group(0)
        phrase = phrase[:rel.start()].strip(" ,")
        if COPULA.match(rel.group("rest")) and rel.group("word") == "who":
            phrase = phrase + ", " + COPULA_LEAD.sub("", rel.group("rest"))
    return (phrase, about) if phrase else None


@lru_cache(maxsize=PHRASE_CACHE_SIZE)
def read_phrase(phrase: str, inspectorate_doc: bool) -> PhraseReading | None:
    """The pure reading of a speaker phrase (cached: the same words read the same way)."""
    trimmed = _trimmed(phrase)
    if trimmed is None:
        return None
    phrase, about = trimmed
    m = ORG_SPOKES.search(phrase)
    if m:
        who = (m.group("who") or m.group("who2")).lower()
        org = ARTICLE_LEAD.sub("", (m.group("org") or m.group("org2")).strip())
        return PhraseReading("org", f"{org} {who}", ORG_SPOKESPERSON, phrase, org)
    s = SURNAME_ONLY.match(phrase)
    if s:
        return PhraseReading("surname", s.group("sur")) if s.group("sur") not in NOT_NAME_WORDS else None
    names = _names(phrase)
    if not names:
        return _role_alone(phrase, inspectorate_doc)
    return _person(phrase, names, about=about, inspectorate_doc=inspectorate_doc)


def _person(phrase: str, names: list[_Span], *, about: str, inspectorate_doc: bool) -> PhraseReading | None:
    # The speaker is the name nearest the verb: the last one, unless a role follows it
    # after a comma ("Jane Smith, Chief Constable of X Police").
    nm = names[-1]
    if "," in phrase:
        first = names[0]
        tail = phrase[first.end:].lstrip()
        # "HM Inspector of Constabulary for the Eastern Region, Zoë Billingham": a region
        # or force the role is "for" is not the person.
        if tail.startswith(",") and not ROLE_FOR.search(phrase[: first.start]):
            nm = first
    # Drop leading role words that NAME_RE swallowed ("Inspector Wendy Williams").
    name = " ".join(w for w in clean_name(nm.group(0)).split() if _bare(w) not in NOT_NAME_WORDS)
    if len(name.split()) < 2:
        return None
    role_text = (phrase[: nm.start] + " " + phrase[nm.end:]).strip(" ,")
    role = role_of(role_text)
    if role is None and inspectorate_doc and (INSPECTOR_WORD.search(role_text) or LED_INSPECTION.search(about)):
        role = INSPECTOR_BY_CONTEXT
    if role is None:
        role = _printed_role(role_text)
    if role is None:
        return PhraseReading("name", name)     # the person of that name introduced before, if any
    return PhraseReading("person", name, role, phrase, role_text)


def _role_alone(phrase: str, inspectorate_doc: bool) -> PhraseReading | None:
    """'the chief constable said' / 'the inspector added': the person of that role named before."""
    if len(phrase.split()) > MAX_ROLE_ALONE_WORDS or not ROLE_ALONE_OPENER.match(phrase):
        return None
    role = role_of(phrase)
    if role is None and inspectorate_doc and INSPECTOR_WORD.search(phrase):
        role = INSPECTOR_BY_CONTEXT
    return PhraseReading("role", str(role)) if role is not None else None


def _printed_role(role_text: str) -> str | None:
    """A role outside the table, as printed: 'Head of Policy, NSPCC', 'Director of Policy at
    Action for Children' (articles in front dropped, first letter capitalised)."""
    t = WHITESPACE.sub(" ", role_text).strip(" ,")
    t = PRINTED_LEAD.sub("", t)
    t = PRINTED_VERB.sub("", t).strip(" ,")
    if not t or len(t) > MAX_PRINTED_ROLE_CHARS or not ROLE_NOUN.search(t):
        return None
    return Decided(t[:1].upper() + t[1:], "role.as_printed")


STYLED_AFTER = next(r for r in role_rules.NAMED_HMI_RULES if r.id == "role.named_hmi.styled_after")
STYLED_BEFORE = next(r for r in role_rules.NAMED_HMI_RULES if r.id == "role.named_hmi.styled_before")
# Every styling holds "Inspector of Constabulary" or "lead inspector for HMIC" (in any case):
# the rules are tried only near those words, found by plain search of the lower-cased text.
# Offsets are those of "nspector" in either.
STYLE_CUES = ("nspector of constabulary", "nspector for hmic")
# From the cue back to where a styled_before match can start: "His Majesty’s I" is 15 characters.
STYLE_BEFORE_REACH = 16
# A styled_after match holds at most six spaces before its cue: a name of three words, "the",
# and "Her Majesty's" (the rule's pattern joins its words with single spaces).
STYLE_AFTER_SPACES = 7


def styled_inspector_at(text: str, pos: int) -> Speaker | None:
    """An HM Inspector introduced at pos with the styling after the name ("Matt Parr, lead
    inspector for HMIC, said the faults ..."), so a later "he said" resolves to them."""
    m = STYLED_AFTER.regex.match(text, pos)
    if m is None:
        return None
    return Speaker(name=clean_name(m.group("name")), role=Decided(HMI, STYLED_AFTER.id, m.group(0)), phrase=m.group(0))


def _cue_positions(text: str) -> list[int]:
    """Where the stylings' words are written in any case (as a case-insensitive pattern
    would match them)."""
    found = [positions(text, cue) for cue in STYLE_CUES]
    if any(f is None for f in found):
        return [m.start() for m in CASELESS_CUES.finditer(text)]
    return sorted(k for f in found for k in f)


CASELESS_CUES = re.compile("|".join(STYLE_CUES), re.I)


def _after_window(text: str, cue: int) -> int:
    """The first position a styled_after match using the cue at `cue` can start at."""
    lo = cue
    for _ in range(STYLE_AFTER_SPACES):
        lo = text.rfind(" ", 0, lo)
        if lo == -1:
            return 0
    return lo + 1


def _windowed_finditer(regex: re.Pattern, text: str, windows, first: re.Pattern):
    """regex.finditer(text) when every match starts inside one of the windows [lo, hi]
    (given in order, with non-decreasing bounds) on a character `first` matches: the regex
    is tried at those positions only."""
    pos = 0
    for lo, hi in windows:
        for c in first.finditer(text, max(pos, lo), hi + 1):
            m = regex.match(text, c.start())
            if m is not None:
                yield m
                pos = m.end()
                break


# The characters a styling can begin with: "H.M."/"Her"/"His" (either case), a capitalised name.
BEFORE_FIRST = re.compile(r"[Hh]")
AFTER_FIRST = re.compile(r"[A-Z]")


def named_inspectors(text: str) -> list[str]:
    """HM Inspectors named anywhere in text in the inspectorate's stylings (rules
    role.named_hmi.*), in order of appearance, each once: "HM Inspector of Constabulary,
    X, said he was concerned", "X, lead inspector for HMIC, said", a caption's "says HM
    inspector of constabulary X". Whether or not a quotation follows."""
    cues = _cue_positions(text)
    if not cues:
        return []
    before = [(max(0, c - STYLE_BEFORE_REACH), c) for c in cues]
    after = [(_after_window(text, c), c) for c in cues]
    found = sorted((m.start(), m.group("name"))
                   for r, w, first in ((STYLED_BEFORE, before, BEFORE_FIRST), (STYLED_AFTER, after, AFTER_FIRST))
                   for m in _windowed_finditer(r.regex, text, w, first))
    return list(dict.fromkeys(clean_name(n) for _, n in found))
