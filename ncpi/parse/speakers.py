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

from ncpi.rules import Decided
from ncpi.rules import roles as role_rules

HMI = role_rules.HMI
HMCI = role_rules.HMCI
INSPECTORATE_ROLES = {HMI, HMCI}
INSPECTOR_BY_CONTEXT = Decided(HMI, "role.hm_inspector.inspectorate_document")
ORG_SPOKESPERSON = Decided("Spokesperson", "role.spokesperson.organisation")

# The role table is rule records (ncpi/rules/roles.py), first match wins; "" keeps the printed role.
ROLES: list[tuple[re.Pattern, str | None]] = [(r.regex, r.decides or None) for r in role_rules.ROLE_RULES]

# Words that say what someone does: a role printed outside the table must hold one.
ROLE_NOUN = re.compile(
    r"\b(?:chief|executive|director|head|chair\w*|leader|manager|officer|secretary|minister|commissioner|"
    r"councillor|member|founder|co-founder|president|lead|adviser|advisor|coordinator|co-ordinator|professor|"
    r"campaigner|mayor|deputy|assistant|superintendent|inspector|constable|sergeant|commander|trustee|governor|"
    r"principal|headteacher|teacher|editor|partner|consultant|solicitor|barrister|lecturer|researcher|analyst|"
    r"worker|nurse|doctor|representative|convenor|champion|ombudsman|ambassador|patron|cabinet|portfolio|"
    r"spokes\w+|peer|boss|expert|specialist|detective)\b|\b(?-i:MS|AM|MEP|MSP|CEO)\b", re.I)

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
ORG_SPOKES = re.compile(r"\b(?:an?|the)\s+(?P<who>spokes(?:wo)?man|spokesperson)\s+(?:for|from|at)\s+(?:the\s+)?(?P<org>[A-Z][\w&'’ -]{1,60}?)$|(?P<org2>[A-Z][\w&'’ -]{1,60}?)\s+(?P<who2>spokes(?:wo)?man|spokesperson)$", re.I)
# An opening clause before the speaker: "Commenting on the report,", "Of Hertfordshire,",
# "In a statement,". "According to" is kept: the speaker is inside it.
FRONTED = re.compile(
    r"^(?:(?:[A-Z][a-z]+ing|In|On|Of|At|After|Following|Asked|Today|Meanwhile|However|But|And|Also|Separately|"
    r"Earlier|Later|Elsewhere|Similarly|Likewise|Yesterday|Last|This|Responding|Reacting)\b[^,]{0,120},\s*)+")
ACCORDING = re.compile(r"^according to\s+", re.I)
VERB_TAIL = re.compile(r"\s+(?:said|says|added|adds|commented|explained|stated|warned|told|continued|went on)\b.*$")
# ", who led the inspection," / ", adding that ..." — about the speaker, not who they are.
RELATIVE = re.compile(r",?\s*\b(?P<word>who|which|whose|adding|saying|speaking|commenting|as|after|when|while)\b(?P<rest>[^,]*)(?:,|$)")
LED_INSPECTION = re.compile(r"\bled (?:the|this|our) (?:inspection|review|re-inspection|assessment)\b|\blead inspector\b", re.I)
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
    name = re.sub(r"\s+", " ", name).strip(" ,.;:")
    prev = None
    while prev != name:
        prev = name
        name = HONORIFIC.sub("", name)
    return name


def role_of(phrase: str) -> str | None:
    """The canonical role the first matching record names (a Decided), None when none
    matches or the record keeps the printed role."""
    for rule in role_rules.ROLE_RULES:
        m = rule.regex.search(phrase)
        if m:
            return Decided(rule.decides, rule.id, m.group(0)) if rule.decides else None
    return None


@dataclass
class _Span:
    start: int
    end: int
    text: str

    def group(self, _=0):
        return self.text


def _bare(word: str) -> str:
    return word.strip(",;:").strip("'’")


def _names(phrase: str) -> list[_Span]:
    """Capitalised runs that can be a person's name, trimmed of role words."""
    out = []
    for m in NAME_RE.finditer(phrase):
        words = [(w.start() + m.start(), w.end() + m.start(), w.group()) for w in re.finditer(r"\S+", m.group(0))]
        # A possessive ("HMIC’s", "Kent's") closes the noun phrase before the name.
        for i in range(len(words) - 1, -1, -1):
            if re.search(r"\w['’]s?$", words[i][2]) and not re.match(r"^(?:O|D)['’]", words[i][2]):
                words = words[i + 1:]
                break
        while words and _bare(words[-1][2]) in NOT_NAME_WORDS:
            words = words[:-1]
        # The name is the longest run of non-role words at the end ("... Service Matt Parr").
        k = len(words)
        while k > 0 and _bare(words[k - 1][2]) not in NOT_NAME_WORDS:
            k -= 1
        words = words[k:][-4:]
        # "MP for Peterborough Daniel Ashcroft": the place belongs to the preposition.
        if len(words) >= 3 and not HONORIFIC.match(words[0][2] + " ") and PREPOSITION_BEFORE.search(phrase[:words[0][0]]):
            words = words[1:]
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


def _known_by_surname(surname: str, known: KnownView) -> Speaker | None:
    return known.last("surname", surname)


def _known_by_name(name: str, known: KnownView) -> Speaker | None:
    return known.last("name", name)


def _known_by_role(phrase: str, known, inspectorate_doc: bool) -> Speaker | None:
    """'the chief constable said' / 'the inspector added': the person of that role named before."""
    if len(phrase.split()) > 6 or not re.match(r"(?:the|its|their|[A-Z][\w-]*['’]s)\s", phrase, re.I):
        return None
    role = role_of(phrase)
    if role is None and inspectorate_doc and re.search(r"\binspector\b", phrase, re.I):
        role = INSPECTOR_BY_CONTEXT
    return known.last("role", str(role)) if role is not None else None


def parse_speaker(phrase: str, *, inspectorate_doc: bool = True, force_matcher=None, known=()) -> Speaker | None:
    """Read a speaker phrase such as 'HM Inspector of Constabulary Phil Gormley' or
    'Peter McCall, Cumbria police and crime commissioner,' into a Speaker.

    known: speakers named earlier, to resolve a surname alone or a name printed without
    a role to the person already introduced."""
    known = _as_view(known)
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,:;–—-")
    if not phrase or len(phrase) > 220:
        return None
    phrase = VERB_TAIL.sub("", phrase)
    phrase = ACCORDING.sub("", FRONTED.sub("", phrase)).strip(" ,:;–—-")
    about = ""
    rel = RELATIVE.search(phrase)
    if rel and rel.start() > 0:
        about = rel.group(0)
        phrase = phrase[:rel.start()].strip(" ,")
        if re.match(r"\s*(?:is|was|has been)\b", rel.group("rest")) and rel.group("word") == "who":
            phrase = phrase + ", " + re.sub(r"^\s*(?:is|was|has been)\s+", "", rel.group("rest"))
    if not phrase:
        return None
    m = ORG_SPOKES.search(phrase)
    if m:
        who = (m.group("who") or m.group("who2")).lower()
        org = (m.group("org") or m.group("org2")).strip()
        org = re.sub(r"^(?:the|a|an)\s+", "", org, flags=re.I)
        force_id = None
        if force_matcher is not None:
            ms = force_matcher.mentions(org)
            force_id = ms[0].force_id if ms else None
        return Speaker(name=f"{org} {who}", role=ORG_SPOKESPERSON, phrase=phrase, force_id=force_id)
    s = SURNAME_ONLY.match(phrase)
    if s:
        return _known_by_surname(s.group("sur"), known) if s.group("sur") not in NOT_NAME_WORDS else None
    names = _names(phrase)
    if not names:
        return _known_by_role(phrase, known, inspectorate_doc)
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
    name = clean_name(nm.group(0))
    # Drop leading role words that NAME_RE swallowed ("Inspector Wendy Williams").
    words = [w for w in name.split() if _bare(w) not in NOT_NAME_WORDS]
    name = " ".join(words)
    if len(name.split()) < 2:
        return None
    role_text = (phrase[: nm.start] + " " + phrase[nm.end:]).strip(" ,")
    role = role_of(role_text)
    if role is None and inspectorate_doc and (re.search(r"\binspector\b", role_text, re.I) or LED_INSPECTION.search(about)):
        role = INSPECTOR_BY_CONTEXT
    if role is None:
        role = _printed_role(role_text)
    force_id = None
    if force_matcher is not None:
        ms = force_matcher.mentions(role_text)
        if ms:
            force_id = ms[0].force_id
    if role is None:
        prior = _known_by_name(name, known)
        if prior is not None:
            return prior
        return None
    return Speaker(name=name, role=role, phrase=phrase, force_id=force_id)


def _printed_role(role_text: str) -> str | None:
    """A role outside the table, as printed: 'Head of Policy, NSPCC', 'Director of Policy at
    Action for Children' (articles in front dropped, first letter capitalised)."""
    t = re.sub(r"\s+", " ", role_text).strip(" ,")
    t = re.sub(r"^(?:(?:the|a|an|and|its|local|said)\s+)+", "", t, flags=re.I)
    t = re.sub(r"\s+(?:said|says|added|commented)$", "", t, flags=re.I).strip(" ,")
    if not t or len(t) > 100 or not ROLE_NOUN.search(t):
        return None
    return Decided(t[:1].upper() + t[1:], "role.as_printed")


STYLED_AFTER = next(r for r in role_rules.NAMED_HMI_RULES if r.id == "role.named_hmi.styled_after")


def styled_inspector_at(text: str, pos: int) -> Speaker | None:
    """An HM Inspector introduced at pos with the styling after the name ("Matt Parr, lead
    inspector for HMIC, said the faults ..."), so a later "he said" resolves to them."""
    m = STYLED_AFTER.regex.match(text, pos)
    if m is None:
        return None
    return Speaker(name=clean_name(m.group("name")), role=Decided(HMI, STYLED_AFTER.id, m.group(0)), phrase=m.group(0))


def named_inspectors(text: str) -> list[str]:
    """HM Inspectors named anywhere in text in the inspectorate's stylings (rules
    role.named_hmi.*), in order of appearance, each once: "HM Inspector of Constabulary,
    X, said he was concerned", "X, lead inspector for HMIC, said", a caption's "says HM
    inspector of constabulary X". Whether or not a quotation follows."""
    found = sorted((m.start(), m.group("name")) for r in role_rules.NAMED_HMI_RULES for m in r.regex.finditer(text))
    return list(dict.fromkeys(clean_name(n) for _, n in found))
