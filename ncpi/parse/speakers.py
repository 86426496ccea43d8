"""Who is speaking: role phrases as releases print them, mapped to canonical roles.

The table is declarative and ordered: the first pattern that matches a speaker phrase
names the role. HM Inspectors are the only speakers who can lead an inspection.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HMI = "HM Inspector of Constabulary"
HMCI = "HM Chief Inspector of Constabulary"
INSPECTORATE_ROLES = {HMI, HMCI}

ROLES: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), role) for p, role in [
    (r"\bH\.?M\.?\s*Chief Inspector of Constab\w*|\b(?:Her|His) Majesty['’]?s Chief Inspector of Constab\w*|\bChief Inspector of Constab\w*|\bHMCI(?:C|FRS)?\b", HMCI),
    (r"\bHMI\b|\bH\.?M\.?\s*Inspector\b|\b(?:Her|His) Majesty['’]?s Inspector\b|\bInspector of Constab\w*", HMI),
    (r"\bdeputy police(?:,)? (?:fire )?(?:and )?crime commissioner\b|\bDPCC\b", "Deputy Police and Crime Commissioner"),
    (r"\bpolice(?:,)? (?:fire )?(?:and )?crime commissioner\b|\bPCC\b|\bPFCC\b|\bmayor['’]?s office for policing", "Police and Crime Commissioner"),
    (r"\bdeputy chief constable\b|\bDCC\b", "Deputy Chief Constable"),
    (r"\bassistant chief constable\b|\bACC\b", "Assistant Chief Constable"),
    (r"\bchief constable\b", "Chief Constable"),
    (r"\b(?:deputy|assistant) commissioner\b", None),  # keep as printed (Met ranks)
    (r"\bcommissioner of (?:police of )?the metropolis\b|\bMet(?:ropolitan Police)? Commissioner\b", "Commissioner of Police of the Metropolis"),
    (r"\bdetective chief superintendent\b|\bDet(?:\.|ective)? Ch(?:\.|ief)? Supt\b|\bDCS\b", "Detective Chief Superintendent"),
    (r"\bdetective superintendent\b|\bDet(?:\.|ective)? Supt\b|\bDSU\b", "Detective Superintendent"),
    (r"\bchief superintendent\b|\bCh(?:\.|ief)? Supt\b", "Chief Superintendent"),
    (r"\bsuperintendent\b|\bSupt\b", "Superintendent"),
    (r"\bdetective chief inspector\b|\bDCI\b", "Detective Chief Inspector"),
    (r"\bdetective inspector\b", "Detective Inspector"),
    (r"\bmember of parliament\b|\bMP\b(?!S)", "Member of Parliament"),
    (r"\bspokes(?:wo)?man\b|\bspokesperson\b", "Spokesperson"),
]]

HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Cllr|Councillor|Sir|Dame|Lord|Lady|Baroness|Rt Hon|The Rt Hon)\.?\s+")
WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-ÿ'’-]+(?:-[A-Z][a-zà-ÿ'’]+)?"
NAME = rf"(?:(?:Sir|Dame|Dr|Mr|Mrs|Ms|Cllr|Lord|Lady|Baroness)\.?\s+)?{WORD}(?:\s+(?:[A-Z]\.|{WORD}|de|van|von|al)){{1,7}}"
NAME_RE = re.compile(NAME)
# Words that look like names but are roles, places or organisations.
NOT_NAME_WORDS = {
    "Police", "Constabulary", "Inspector", "Inspectorate", "Majesty", "Majesty's", "Majesty’s",
    "Chief", "Constable", "Deputy", "Assistant", "Commissioner", "Crime", "Service", "Services", "Fire", "Rescue",
    "Office", "Council", "County", "Government", "Home", "Secretary", "Report", "Force", "The", "HMICFRS", "HMIC",
    "Superintendent", "Detective", "Her", "His", "Member", "Parliament", "National", "Society", "NSPCC", "Barnardo's",
    "Barnardo’s", "Spokeswoman", "Metropolitan", "Cumbria", "Norfolk", "Local", "Inspectors", "Commissioner's", "Spokesman", "Spokesperson", "Today", "However", "Meanwhile", "Overall",
}
PRONOUN = re.compile(r"^(?:he|she|they)$", re.I)
ORG_SPOKES = re.compile(r"\b(?:an?|the)\s+(?P<who>spokes(?:wo)?man|spokesperson)\s+(?:for|from|at)\s+(?:the\s+)?(?P<org>[A-Z][\w&'’ -]{1,60}?)$|(?P<org2>[A-Z][\w&'’ -]{1,60}?)\s+(?P<who2>spokes(?:wo)?man|spokesperson)$", re.I)


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
    for pat, role in ROLES:
        if pat.search(phrase):
            return role
    return None


@dataclass
class _Span:
    start: int
    end: int
    text: str

    def group(self, _=0):
        return self.text


def _names(phrase: str) -> list[_Span]:
    """Capitalised runs that can be a person's name, trimmed of role words."""
    out = []
    for m in NAME_RE.finditer(phrase):
        words = [(w.start() + m.start(), w.end() + m.start(), w.group()) for w in re.finditer(r"\S+", m.group(0))]
        while words and words[-1][2].strip("'’") in NOT_NAME_WORDS:
            words = words[:-1]
        # The name is the longest run of non-role words at the end ("... Service Matt Parr").
        k = len(words)
        while k > 0 and words[k - 1][2].strip("'’") not in NOT_NAME_WORDS:
            k -= 1
        words = words[k:][-4:]
        if len(words) >= 2:
            a, b = words[0][0], words[-1][1]
            out.append(_Span(a, b, phrase[a:b]))
    return out


def parse_speaker(phrase: str, *, inspectorate_doc: bool = True, force_matcher=None) -> Speaker | None:
    """Read a speaker phrase such as 'HM Inspector of Constabulary Phil Gormley' or
    'Peter McCall, Cumbria police and crime commissioner,' into a Speaker."""
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,:;–—-")
    if not phrase or len(phrase) > 220:
        return None
    m = ORG_SPOKES.search(phrase)
    if m:
        who = (m.group("who") or m.group("who2")).lower()
        org = (m.group("org") or m.group("org2")).strip()
        org = re.sub(r"^(?:the|a|an)\s+", "", org, flags=re.I)
        return Speaker(name=f"{org} {who}", role="Spokesperson", phrase=phrase)
    names = _names(phrase)
    if not names:
        return None
    # The speaker is the name nearest the verb: the last one, unless a role follows it
    # after a comma ("Jane Smith, Chief Constable of X Police").
    nm = names[-1]
    if "," in phrase:
        first = names[0]
        tail = phrase[first.end:].lstrip()
        if tail.startswith(","):
            nm = first
    name = clean_name(nm.group(0))
    # Drop leading role words that NAME_RE swallowed ("Inspector Wendy Williams").
    words = [w for w in name.split() if w.strip("'’") not in NOT_NAME_WORDS]
    name = " ".join(words)
    if len(name.split()) < 2:
        return None
    role_text = (phrase[: nm.start] + " " + phrase[nm.end:]).strip(" ,")
    role = role_of(role_text)
    if role is None and re.search(r"\binspector\b", role_text, re.I) and inspectorate_doc:
        role = HMI
    if role is None:
        role = _printed_role(role_text)
    force_id = None
    if force_matcher is not None:
        ms = force_matcher.mentions(role_text)
        if ms:
            force_id = ms[0].force_id
    if role is None:
        return None
    return Speaker(name=name, role=role, phrase=phrase, force_id=force_id)


def _printed_role(role_text: str) -> str | None:
    """A role outside the table, as printed: 'chief executive of the NSPCC' -> 'Chief Executive, NSPCC'."""
    t = re.sub(r"^(?:the|a|an|and|its|local|said)\s+", "", role_text.strip(" ,"), flags=re.I)
    t = re.sub(r"\s+(?:said|says|added|commented)$", "", t, flags=re.I)
    if not t or len(t) > 100 or not re.search(r"[A-Za-z]{3}", t):
        return None
    m = re.match(r"(?P<role>[\w' -]+?)\s+(?:of|at|for)\s+(?:the\s+)?(?P<org>.+)$", t)
    if m:
        role = m.group("role").strip()
        role = role[:1].upper() + role[1:]
        role = " ".join(w[:1].upper() + w[1:] if w.islower() and len(w) > 3 or w in ("chief", "head") else w for w in role.split())
        return f"{role}, {m.group('org').strip()}"
    return t[:1].upper() + t[1:]
