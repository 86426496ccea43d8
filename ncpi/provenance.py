"""Who published a source, and under what licence its text may be republished.

`source_type` is read, in order, from: the sidecar's own `source_type` (a curator's word),
the URL's host and path (rules below, first match wins), and, for a document with no URL,
its publisher as the text brands it. The licence follows from the type: Crown and police
publications are under the Open Government Licence v3.0; anything else stays the copyright
of its publisher, so a published release withholds its full text (hash, URL and spans
stay, so anyone holding the page can check every row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ncpi.vocab import SOURCE_TYPES

OGL = "OGL-3.0"
# Crown (inspectorate, government) and police (force, PCC) publications: OGL v3.0.
OPEN_TYPES = frozenset({"inspectorate", "force", "pcc", "government"})


@dataclass(frozen=True)
class SourceRule:
    """One reading rule: a URL whose host (and path) matches `pattern` is of type `label`."""
    id: str
    pattern: str
    label: str
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...] = ()
    regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "regex", re.compile(self.pattern, re.IGNORECASE))

    def matches(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(self.regex.search(f"{(parts.hostname or '').lower()}{parts.path}"))


# First match wins: the specific before the general (a PCC page on a police.uk host is a PCC's).
URL_RULES: tuple[SourceRule, ...] = (
    SourceRule("source.url.inspectorate", r"^(?:[\w-]+\.)*justiceinspectorates\.gov\.uk/|^(?:www\.)?hmic(?:frs)?\.gov\.uk/",
               "inspectorate",
               ("https://www.justiceinspectorates.gov.uk/hmicfrs/news/news-feed/humberside-police-committed-improving/",
                "https://hmicfrs.justiceinspectorates.gov.uk/news/news-feed/northumbria-police-taken-important-steps/"),
               ("https://www.gov.uk/government/organisations/hm-inspectorate-of-constabulary",)),
    SourceRule("source.url.archive", r"^(?:web\.archive\.org|archive\.(?:ph|today|is|org)|webarchive\.nationalarchives\.gov\.uk)/",
               "mirror",
               ("https://web.archive.org/web/2019/https://www.justiceinspectorates.gov.uk/hmicfrs/",
                "https://webarchive.nationalarchives.gov.uk/ukgwa/2016/https://www.justiceinspectorates.gov.uk/hmic/"),
               ("https://www.nationalarchives.gov.uk/doc/open-government-licence/",)),
    SourceRule("source.url.pcc", r"(?:^|[.-])(?:o?pcc|pfcc|opfcc|commissioner)[\w-]*\.|/news-?pcc/|/pcc/",
               "pcc",
               ("https://www.cumbria-pcc.gov.uk/news/", "https://www.cumbria.police.uk/NewsPCC/response.aspx",
                "https://www.devonandcornwall-pcc.gov.uk/news/"),
               ("https://www.cumbria.police.uk/news/",)),
    SourceRule("source.url.force", r"^(?:[\w-]+\.)*police\.uk/|^(?:[\w-]+\.)*(?:met\.police\.uk|police\.[\w.]+)/",
               "force",
               ("https://www.lancashire.police.uk/news/", "https://news.met.police.uk/news/child-protection"),
               ("https://www.policeprofessional.com/news/",)),
    SourceRule("source.url.government", r"^(?:[\w-]+\.)*(?:gov\.uk|gov\.wales|parliament\.uk)/",
               "government",
               ("https://www.gov.uk/government/news/x", "https://www3.northamptonshire.gov.uk/news/council-news/"),
               ("https://www.bbc.co.uk/news/uk-england-northamptonshire-25931328",)),
    SourceRule("source.url.mirror", r"^(?:[\w-]+\.)*(?:readkong\.com|yumpu\.com|docplayer\.net|exbulletin\.com|"
               r"newsnow\.co\.uk|pressreader\.com|scribd\.com|issuu\.com|wn\.com|headtopics\.com)/",
               "mirror",
               ("https://exbulletin.com/world/1930365/", "https://www.readkong.com/page/child-protection-1234"),
               ("https://www.bbc.co.uk/news/",)),
)

# A publisher name as the text brands it, for a document with no URL.
PUBLISHER_RULES: tuple[SourceRule, ...] = (
    SourceRule("source.publisher.inspectorate", r"^(?:HMIC|HMICFRS|HM Inspectorate|Her Majesty.s Inspectorate|His Majesty.s Inspectorate)",
               "inspectorate", ("HMICFRS", "HMIC"), ("Police Professional",)),
    SourceRule("source.publisher.pcc", r"Commissioner|\bO?PF?CC\b", "pcc",
               ("Office of the Police and Crime Commissioner for Cumbria",), ("Cumbria Constabulary",)),
    SourceRule("source.publisher.force", r"\b(?:Police|Constabulary)$", "force",
               ("Lancashire Constabulary", "Essex Police"), ("Police Professional", "Police Oracle")),
)


def _match_publisher(publisher: str) -> SourceRule | None:
    return next((rule for rule in PUBLISHER_RULES if rule.regex.search(publisher)), None)


def source_type_of(url: str | None, publisher: str | None, declared: str | None = None) -> tuple[str, str]:
    """(source_type, id of the rule that decided it)."""
    if declared in SOURCE_TYPES:
        return declared, "source.sidecar"
    if url:
        for rule in URL_RULES:
            if rule.matches(url):
                return rule.label, rule.id
        return "news", "source.url.other_site"
    if publisher:
        rule = _match_publisher(publisher)
        return (rule.label, rule.id) if rule else ("news", "source.publisher.outlet")
    return "other", "source.unknown"


def licence_of(source_type: str, publisher: str | None, copy_of_open: bool = False) -> str:
    """OGL-3.0 for Crown and police publications (and a mirror's copy of one); else the
    publisher's copyright."""
    if source_type in OPEN_TYPES or (source_type == "mirror" and copy_of_open):
        return OGL
    return f"© {publisher}" if publisher else "© unknown copyright holder"


def withheld_reason(licence: str) -> str | None:
    if licence == OGL:
        return None
    return (f"{licence}: not openly licensed, so the full text is not republished; "
            "its sha256, URL and every row's span are kept so a holder of the page can check them")
