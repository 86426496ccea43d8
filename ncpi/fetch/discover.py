"""Discovery: read an RSS/Atom feed or an HTML listing page and pick the NCPI releases.

An item is an NCPI release when its title, summary or link is about child protection
(or names the NCPI programme), it names a police force of England and Wales, and it
is not one of the inspectorate's other programmes (PEEL, joint targeted area
inspections, thematic or national reports). The cues are the scope rules documents are
read with (ncpi/rules/scope.py). Everything else is skipped with a reason naming the
rule, so a maintainer can see why an item was not fetched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from ncpi.fetch.http import check_url
from ncpi.rules import scope

# "Is this NCPI?" is decided by the scope rules (ncpi/rules/scope.py), as for documents: the
# not-NCPI cues of a document's head are read in an item's title and link, with the cues only
# a listing shows (jobs, consultations, fire and rescue); PEEL and joint inspections also in
# its summary (a standfirst may say "a good job" or mention a council's annual report).
NOT_NCPI_WHERE = ((scope.ITEM_ANYWHERE, True), (scope.NOT_NCPI_CUES, False), (scope.ITEM_TITLE, False))
# The inspectorate's own name contains "Fire & Rescue Services"; it must not trip the rule above.
INSPECTORATE_NAME = re.compile(
    r"(?:Her|His|HM)\s*Majesty[’']?s\s+Inspectorate\s+of\s+Constabulary(?:\s+and\s+Fire\s*(?:&|and)\s*Rescue\s+Services)?"
    r"|HM\s+Inspectorate\s+of\s+Constabulary(?:\s+and\s+Fire\s*(?:&|and)\s*Rescue\s+Services)?", re.I)

ATOM_NS = "http://www.w3.org/2005/Atom"
SPACES = re.compile(r"\s+")
SLUG_SEPARATORS = re.compile(r"[-_/.]+")
SUMMARY_CHARS = 2000      # an item's summary is kept to this: enough for its standfirst, not a whole article
SNIFF_BYTES = 512         # the head of a body read to tell a feed (an XML declaration, <rss>, <feed>) from a page


@dataclass(frozen=True)
class Item:
    """One entry of a feed or one link of a listing page."""

    url: str
    title: str
    summary: str = ""
    published: str | None = None


@dataclass(frozen=True)
class Verdict:
    item: Item
    is_ncpi: bool
    reason: str                     # why it was picked or skipped
    force_ids: tuple[str, ...] = ()


def _text(html_fragment: str) -> str:
    if not html_fragment:
        return ""
    if "<" not in html_fragment and "&" not in html_fragment:
        return SPACES.sub(" ", html_fragment).strip()
    tree = LexborHTMLParser(f"<body>{html_fragment}</body>")
    node = tree.body
    return SPACES.sub(" ", node.text(separator=" ") if node is not None else "").strip()


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def looks_like_feed(body: bytes, content_type: str | None = None) -> bool:
    if content_type and ("rss" in content_type or "atom" in content_type or content_type.endswith("/xml")):
        return True
    head = body[:SNIFF_BYTES].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed") or head.startswith(b"<rdf")


def parse_feed(body: bytes, base_url: str) -> list[Item]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed. Raises ValueError if it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a valid RSS/Atom feed: {exc}") from None
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise ValueError(f"not an RSS/Atom feed: the root element is <{_local(root.tag)}>")
    items: list[Item] = []
    for el in root.iter():
        if _local(el.tag) not in ("item", "entry"):
            continue
        title = summary = link = published = None
        for child in el:
            name = _local(child.tag)
            if name == "title" and title is None:
                title = _text("".join(child.itertext()))
            elif name == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate" and link is None:
                    link = href
                elif not href and (child.text or "").strip() and link is None:
                    link = child.text.strip()
            elif name in ("description", "summary") and summary is None:
                summary = _text("".join(child.itertext()))
            elif name in ("encoded", "content") and summary is None:
                summary = _text("".join(child.itertext()))
            elif name in ("pubdate", "published", "date", "updated") and published is None:
                published = (child.text or "").strip() or None
            elif name == "guid" and link is None and child.get("isPermaLink", "true") != "false":
                if (child.text or "").strip().startswith(("http://", "https://")):
                    link = child.text.strip()
        if not link:
            continue
        url = urljoin(base_url, link.strip()).split("#", 1)[0]
        items.append(Item(url=url, title=title or "", summary=(summary or "")[:SUMMARY_CHARS], published=published))
    return items


LISTING_DROP = "script, style, noscript, nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo]"
LISTING_FURNITURE = re.compile(r"cookie|consent|breadcrumb|menu|navigation|footer|masthead|social|share|pagination|pager|sidebar|widget|related", re.I)
ITEM_CONTAINERS = ("li", "article", "tr", "dd")


def parse_listing(html: str, base_url: str, *, link_pattern: str | None = None,
                  same_host: bool = True) -> list[Item]:
    """Links of an HTML listing page that could be articles, with the text around them."""
    tree = LexborHTMLParser(html)
    for node in tree.css(LISTING_DROP):
        node.decompose()
    base = base_url
    base_el = tree.css_first("base[href]")
    if base_el is not None:
        base = urljoin(base_url, base_el.attributes.get("href") or "")
    host = (urlsplit(base_url).hostname or "").lower()
    pattern = re.compile(link_pattern) if link_pattern else None
    seen: set[str] = set()
    items: list[Item] = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        if check_url(url) or url.rstrip("/") == base_url.rstrip("/"):
            continue
        if same_host and (urlsplit(url).hostname or "").lower() != host:
            continue
        if pattern and not pattern.search(url):
            continue
        furniture = False
        node = a
        container = None
        while node is not None and node.tag not in ("body", "html"):
            attrs = " ".join(str(v) for k, v in (node.attributes or {}).items() if k in ("class", "id") and v)
            if attrs and LISTING_FURNITURE.search(attrs):
                furniture = True
                break
            if container is None and node is not a and node.tag in ITEM_CONTAINERS:
                container = node
            node = node.parent
        if furniture:
            continue
        title = SPACES.sub(" ", a.text(separator=" ")).strip() or (a.attributes.get("title") or "").strip()
        if not title:
            continue
        summary = ""
        published = None
        if container is not None:
            summary = SPACES.sub(" ", container.text(separator=" ")).strip()[:SUMMARY_CHARS]
            t = container.css_first("time[datetime]")
            if t is not None:
                published = t.attributes.get("datetime")
        if url in seen:
            continue
        seen.add(url)
        items.append(Item(url=url, title=title, summary=summary, published=published))
    return items


def _slug_words(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return SLUG_SEPARATORS.sub(" ", path)


def classify(item: Item, matcher=None) -> Verdict:
    """Is this item an NCPI release (a child protection inspection of a force)?"""
    if matcher is None:
        from ncpi.parse.forcenames import default_matcher

        matcher = default_matcher()
    text = f"{item.title}\n{item.summary}"
    about = INSPECTORATE_NAME.sub("HMICFRS", text)
    slug = _slug_words(item.url)
    title = INSPECTORATE_NAME.sub("HMICFRS", item.title)
    for cues, in_summary in NOT_NCPI_WHERE:
        hit = cues.first(title) or cues.first(slug) or (cues.first(about) if in_summary else None)
        if hit:
            return Verdict(item, False, f"{hit.rule.why or 'not NCPI'} ({hit.rule.id})")
    if not (scope.CHILD_PROTECTION.regex.search(about) or scope.CHILD_PROTECTION.regex.search(slug)):
        return Verdict(item, False, f"not about child protection (no {scope.CHILD_PROTECTION.id} cue)")
    forces = []
    for m in matcher.mentions(about):
        if m.force_id not in forces:
            forces.append(m.force_id)
    if not forces:
        return Verdict(item, False, "names no police force of England and Wales")
    return Verdict(item, True, f"child protection release about {', '.join(forces)}", tuple(forces))


def matcher_for(raw_dir: Path | None):
    """The force matcher from the raw root's reference list, or the project's default."""
    from ncpi.parse.forcenames import default_matcher

    if raw_dir is not None:
        ref = Path(raw_dir) / "reference" / "forces.csv"
        if ref.exists():
            return default_matcher(str(ref))
    return default_matcher()
