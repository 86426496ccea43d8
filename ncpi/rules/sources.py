"""Who published a document: rules on its URL, then on the publisher's name as the text
brands it. They decide `sources.source_type` (vocabulary: ncpi.vocab.SOURCE_TYPES); the
deciding rule's id is `sources.source_type_rule`. First match wins, so the specific (a PCC's
page on a force's host, an archive's copy of the inspectorate's page) come before the general.
"""
from __future__ import annotations

from ncpi.rules import Rule

URL_RULES: tuple[Rule, ...] = (
    Rule("source.url.archive", "mirror",
         r"^https?://(?:web\.archive\.org|archive\.(?:ph|today|is|org)|webarchive\.nationalarchives\.gov\.uk)/",
         ("https://web.archive.org/web/2019/https://www.justiceinspectorates.gov.uk/hmicfrs/news/",
          "https://webarchive.nationalarchives.gov.uk/ukgwa/2016/https://www.justiceinspectorates.gov.uk/hmic/"),
         ("https://www.nationalarchives.gov.uk/doc/open-government-licence/",),
         why="An archive's copy of any page is a mirror, whoever published the original."),
    Rule("source.url.inspectorate", "inspectorate",
         r"^https?://(?:[\w-]+\.)*justiceinspectorates\.gov\.uk/|^https?://(?:www\.)?hmic(?:frs)?\.gov\.uk/",
         ("https://www.justiceinspectorates.gov.uk/hmicfrs/news/news-feed/humberside-police-committed-improving/",
          "https://hmicfrs.justiceinspectorates.gov.uk/news/news-feed/northumbria-police-taken-important-steps/"),
         ("https://www.gov.uk/government/organisations/hm-inspectorate-of-constabulary",),
         why="The inspectorate's own site (HMIC's and HMICFRS's pages live under justiceinspectorates.gov.uk)."),
    Rule("source.url.pcc", "pcc",
         r"^https?://[^/]*(?:[.-]|//)(?:o?pcc|pfcc|opfcc|[\w-]*commissioner)[\w-]*\.[^/]*/|^https?://[^/]+/(?:[^?#]*/)?news-?pcc/|^https?://[^/]+/pcc/",
         ("https://www.cumbria-pcc.gov.uk/news/", "https://www.cumbria.police.uk/NewsPCC/response.aspx",
          "https://www.devonandcornwall-pcc.gov.uk/news/"),
         ("https://www.cumbria.police.uk/news/",),
         why="A Police and Crime Commissioner's office, on its own domain or a PCC section of a force's site."),
    Rule("source.url.force", "force",
         r"^https?://(?:[\w-]+\.)*police\.uk/",
         ("https://www.lancashire.police.uk/news/", "https://news.met.police.uk/news/child-protection"),
         ("https://www.policeprofessional.com/news/",),
         why="Police forces publish on police.uk domains."),
    Rule("source.url.government", "government",
         r"^https?://(?:[\w-]+\.)*(?:gov\.uk|gov\.wales|parliament\.uk)/",
         ("https://www.gov.uk/government/news/x", "https://www3.northamptonshire.gov.uk/news/council-news/"),
         ("https://www.bbc.co.uk/news/uk-england-northamptonshire-25931328",),
         why="Departments, councils and parliament (after the inspectorate's and PCCs' gov.uk sites)."),
    Rule("source.url.mirror", "mirror",
         r"^https?://(?:[\w-]+\.)*(?:readkong\.com|yumpu\.com|docplayer\.net|exbulletin\.com|newsnow\.co\.uk|"
         r"pressreader\.com|scribd\.com|issuu\.com|wn\.com|headtopics\.com|vdocuments\.net|docslib\.org)/",
         ("https://exbulletin.com/world/1930365/", "https://www.readkong.com/page/child-protection-1234"),
         ("https://www.bbc.co.uk/news/",),
         why="Aggregators and document mirrors republish other publishers' text."),
)

PUBLISHER_RULES: tuple[Rule, ...] = (
    Rule("source.publisher.inspectorate", "inspectorate",
         r"^(?:HMIC|HMICFRS|HM Inspectorate|Her Majesty.s Inspectorate|His Majesty.s Inspectorate)",
         ("HMICFRS", "HMIC"), ("Police Professional",),
         why="With no URL, a text branded by the inspectorate is its own."),
    Rule("source.publisher.pcc", "pcc", r"Commissioner|\bO?PF?CC\b",
         ("Office of the Police and Crime Commissioner for Cumbria",), ("Cumbria Constabulary",),
         why="A commissioner's office names itself."),
    Rule("source.publisher.force", "force", r"\b(?:Police|Constabulary)$",
         ("Lancashire Constabulary", "Essex Police"), ("Police Professional", "Police Oracle"),
         why="A force's name ends in Police or Constabulary; trade titles do not."),
)

RULES = URL_RULES + PUBLISHER_RULES

# Decisions that are not pattern rules.
VERDICTS: dict[str, str] = {
    "source.sidecar": "the sidecar (.meta.json) names the source_type: a curator's word",
    "source.url.other_site": "a URL no rule knows: a news outlet's site",
    "source.publisher.outlet": "no URL, and a publisher that is not the inspectorate, a force or a PCC: an outlet",
    "source.unknown": "no URL and no publisher",
}
