"""HTML pages to the same plain article text the parser reads for text releases.

selectolax (lexbor) is used. Measured against lxml (the same walk over an lxml tree)
and trafilatura on the fixture pages in tests/fixtures/web (see docs/fetching.md, HTML to text, and
tools/bench_html.py): all three keep the article, but trafilatura drops the bullets'
structure, the Notes numbering and the "Get the report" lines the parser relies on,
and selectolax is the fastest by a wide margin.

The text keeps what a release is made of, one block per line with blank lines between
paragraphs: the headline first, the standfirst, "Get the report" and the report's
title, paragraphs, bullets (`• `, nested ones indented two spaces), quotes, and the
numbered Notes (`1. `). Site furniture (navigation, cookie banners, share buttons,
adverts, captions, related links, footers) is left out here; what survives as text is
removed later by ncpi.text.furniture.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from ncpi.rules import furniture as furniture_rules

# Never text: removed with everything inside.
DROP_TAGS = {"script", "style", "noscript", "iframe", "svg", "form", "button", "nav", "aside", "template",
             "object", "embed", "select", "input", "textarea", "label", "figcaption", "img", "picture",
             "video", "audio", "canvas", "map", "head", "title", "meta", "link", "dialog"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
              "li", "ul", "ol", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "figure", "dl", "dt",
              "dd", "br", "hr", "pre", "address", "details", "summary", "center", "hgroup", "caption"}
# After these a blank line separates the next block, as in the text releases.
PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "figure", "pre",
                  "dl", "address", "hgroup", "div", "section", "header", "footer", "article", "main", "center"}
CELL_TAGS = {"td", "th"}
# Bylines and datelines ("Published: 14 May 2019") and containers of site furniture, by
# their class or id: rule records (ncpi/rules/furniture.py). A site repeats its class
# names on every page, so each is decided once (MARKS_CACHE names at most).
DATELINE_ATTR = furniture_rules.HTML_DATELINE.regex
FURNITURE_ATTR = furniture_rules.HTML_CONTAINER.regex
MARKS_CACHE = 4096
# Roles of landmarks that are never the article.
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
ARTICLE_SELECTORS = ["article", "main", "[role=main]", "#content", ".entry-content", ".post", ".article",
                     ".content", "#main"]
# Download hints that follow a report link: "(PDF document)", "(PDF, 1.2MB)", "[PDF 540KB]".
FILE_HINT = re.compile(r"\s*[(\[](?:PDF|DOCX?|ODT|XLSX?)\b[^)\]]{0,40}[)\]]\s*$", re.I)
SPACE = re.compile(r"[ \t\r\n\f\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# The runs SPACE.sub(" ", ...) changes: two or more whitespace characters, or one that is
# not a plain space (a single space stays as it is, so it is not replaced by itself).
# It starts with one character class, so a search skips to the next space quickly.
SPACE_RUN = re.compile(r"[ \t\r\n\f\u00a0\u2000-\u200a\u202f\u205f\u3000]"
                       r"(?:[ \t\r\n\f\u00a0\u2000-\u200a\u202f\u205f\u3000]+|(?<! ))")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A selector of <meta> elements by one attribute's exact value: meta[name="DC.date"].
META_BY = re.compile(r'meta\[([\w:-]+)="([^"]*)"\]')
# A list item with nothing after its marker.
EMPTY_ITEM = re.compile(r"\s*(?:•|\d+\.)")
BLANK_RUN = re.compile(r"\n\n\n+")
# The parts of a <title>: "Headline | Site", "Headline – Site".
TITLE_PARTS = re.compile(r"\s+[|–—-]\s+")
# A site named after the headline in the <title> is short: a few words.
SITE_MAX_CHARS = 40
SITE_MAX_WORDS = 6
# The headline counts as printed when it is among the first lines of the walked text.
HEADLINE_WITHIN = 5
# An article element with fewer words than this is a teaser, not the article.
ARTICLE_ROOT_MIN_WORDS = 40


@dataclass
class HtmlDocument:
    text: str
    title: str | None = None
    published: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    meta: dict = field(default_factory=dict)
    # The site as the <title> names it after the headline ("Headline | Evening Standard"),
    # for pages without og:site_name or JSON-LD publisher.
    title_site: str | None = None


# A page says it is HTML in its first 2 KB (after an XML declaration and comments).
SNIFF_CHARS = 2048


def looks_like_html(text: str) -> bool:
    head = text[:SNIFF_CHARS].lstrip().lower()
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip()
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            break
        head = head[end + 3:].lstrip()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<h1",
                            "<meta", "<main", "<section"))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = SPACE.sub(" ", ZERO_WIDTH.sub("", value)).strip()
    return value or None


def _meta(tree, *selectors: str) -> str | None:
    for sel in selectors:
        for node in tree.css(sel):
            attrs = node.attributes
            value = attrs.get("content") or attrs.get("href") or attrs.get("datetime")
            value = _clean(value)
            if value:
                return value
    return None


def _meta_of(metas: list[dict], *selectors: str) -> str | None:
    """_meta for selectors of the form meta[attr="value"], looked up among the attributes
    of the page's <meta> elements (read once, in document order) instead of walking the
    whole tree once a selector."""
    for sel in selectors:
        attr, want = META_BY.fullmatch(sel).groups()
        for attrs in metas:
            if attrs.get(attr) == want:
                value = _clean(attrs.get("content") or attrs.get("href") or attrs.get("datetime"))
                if value:
                    return value
    return None


def _json_ld(tree) -> dict:
    """datePublished, headline and publisher from schema.org JSON-LD, if the page has it."""
    found: dict = {}
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                kind = obj.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(k in ("NewsArticle", "Article", "BlogPosting", "Report", "WebPage") for k in kinds):
                    for key in ("datePublished", "headline", "url"):
                        if isinstance(obj.get(key), str) and key not in found:
                            found[key] = obj[key]
                    pub = obj.get("publisher")
                    if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                        found.setdefault("publisher", pub["name"])
    return found


def _is_hidden(attrs: dict) -> bool:
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = attrs.get("style")
    if not style:
        return False
    style = style.replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _marks(attrs: dict) -> str:
    """The element's class and id, where sites name what a block is. (Which comes first
    does not matter: no cue spans the space between them.)"""
    cls, ident = attrs.get("class"), attrs.get("id")
    return f"{cls} {ident}" if cls and ident else cls or ident or ""


def _is_furniture(tag: str, attrs: dict, marks: str | None = None) -> bool:
    if tag in ("body", "html"):
        return False
    if (attrs.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    if tag in ("article", "main"):
        return False
    if marks is None:
        marks = _marks(attrs)
    return bool(marks) and _furniture_marks(marks)


@lru_cache(maxsize=MARKS_CACHE)
def _furniture_marks(marks: str) -> bool:
    return FURNITURE_ATTR.search(marks) is not None


@lru_cache(maxsize=MARKS_CACHE)
def _dateline_marks(marks: str) -> bool:
    return DATELINE_ATTR.search(marks) is not None


def _has_h1(node) -> bool:
    return node.css_first("h1") is not None


MAX_DEPTH = 200
# A block marked as furniture that holds most of the article is not furniture (a theme's
# "entry-content comments-open" wrapper, say): more than half the words of an article
# of at least ARTICLE_MIN_WORDS.
ARTICLE_MIN_WORDS = 100


def _one_line(text: str) -> str:
    """Zero-width characters out, every run of whitespace one space, trimmed."""
    if not text.isascii():
        text = ZERO_WIDTH.sub("", text)
    return SPACE_RUN.sub(" ", text).strip()


class _Walker:
    """Walks the tree writing one line per block element; list items get a bullet or number.

    The text of dateline blocks goes to `datelines` instead of the output."""

    def __init__(self, root, datelines: list[str] | None):
        self.root, self.datelines = root, datelines
        self.out: list[str] = []
        self.buf: list[str] = []
        self.indent = ""            # the list-item prefix of the line being built ("  • ", "3. ")
        self.lists: list[list] = []  # a stack of [ordered, next number] so items know their marker and depth
        self.root_words = _text_len(root)

    def holds_the_article(self, n) -> bool:
        return self.root_words >= ARTICLE_MIN_WORDS and _text_len(n) > self.root_words / 2

    def flush(self) -> None:
        if not self.buf:
            return
        joined = "".join(self.buf)
        self.buf.clear()
        if not joined.strip():
            return
        line = _one_line(joined)
        if line:
            if "(" in line or "[" in line:
                line = FILE_HINT.sub("", line)
            self.out.append(self.indent + line)
            self.indent = ""

    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def skipped(self, n, tag: str, attrs: dict) -> bool:
        """Hidden, furniture, a dateline (kept aside) or the site's header/footer."""
        if _is_hidden(attrs):
            return True
        marks = _marks(attrs)
        if _is_furniture(tag, attrs, marks) and not self.holds_the_article(n):
            return True
        if marks and _dateline_marks(marks) and tag not in ("article", "main", "body", "time"):
            if self.datelines is not None:
                self.datelines.append(SPACE.sub(" ", n.text(deep=True) or "").strip())
            return True
        # the site's header/footer, or an article footer (tags, share links)
        return tag in ("header", "footer") and n is not self.root and not _has_h1(n)

    def walk(self, n, depth: int = 0) -> None:
        tag = n.tag
        if tag == "-text":
            self.buf.append(n.text(deep=False) or "")
            return
        if tag is None or tag.startswith("-") or tag in DROP_TAGS:
            return
        if depth > MAX_DEPTH:
            # Real pages nest a few dozen levels; a hostile one nests thousands. Below this
            # depth the subtree's text is kept as one run, without recursing further.
            self.buf.append(" " + (n.text(deep=True, separator=" ") or "") + " ")
            return
        attrs = n.attributes or {}
        if attrs and self.skipped(n, tag, attrs) or not attrs and tag in ("header", "footer") and \
                n is not self.root and not _has_h1(n):
            return
        if tag in CELL_TAGS:
            self.children(n, depth)
            self.buf.append(" ")
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        if tag in ("ul", "ol"):
            self.a_list(n, tag, attrs, depth)
        elif tag == "li":
            self.an_item(n, attrs)
        elif tag != "br":
            self.children(n, depth)
            if block:
                self.flush()
                if tag in PARAGRAPH_TAGS and not self.lists:
                    self.blank()

    def a_list(self, n, tag: str, attrs: dict, depth: int) -> None:
        start = attrs.get("start")
        self.lists.append([tag == "ol", int(start) if start and start.isdigit() else 1])
        self.children(n, depth)
        self.lists.pop()
        self.flush()
        if not self.lists:
            self.blank()

    def an_item(self, n, attrs: dict) -> None:
        lists = self.lists
        depth = max(len(lists) - 1, 0)
        marker = "• "
        if lists and lists[-1][0]:
            value = attrs.get("value")
            if value and value.isdigit():
                lists[-1][1] = int(value)
            marker = f"{lists[-1][1]}. "
            lists[-1][1] += 1
        self.flush()
        self.indent = "  " * (depth + 1) + marker     # as the text releases print them
        self.children(n, depth)
        self.flush()
        self.indent = ""      # an empty list item is not content

    def children(self, n, depth: int) -> None:
        child = n.child
        while child is not None:
            self.walk(child, depth + 1)
            child = child.next


def _lines(root, datelines: list[str] | None = None) -> list[str]:
    """One line per block element of `root` (see _Walker), tidied."""
    walker = _Walker(root, datelines)
    walker.walk(root)
    walker.flush()
    return _tidy(walker.out)


def _tidy(lines: list[str]) -> list[str]:
    """Drop empty bullets (an empty <li>) and runs of blank lines."""
    out: list[str] = []
    for line in lines:
        if line[-1:] in ("•", ".") and EMPTY_ITEM.fullmatch(line):
            continue
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def _text_len(node) -> int:
    return len((node.text(deep=True) or "").split())


def _article_root(tree):
    """The element holding the article: the biggest <article> (or main, #content, ...) with real text."""
    for sel in ARTICLE_SELECTORS:
        nodes = [n for n in tree.css(sel) if not _is_furniture(n.tag, n.attributes or {})]
        if not nodes:
            continue
        best = max(nodes, key=_text_len)
        if _text_len(best) > ARTICLE_ROOT_MIN_WORDS:
            return best
    return tree.body or tree.root


DATE_IN_TEXT = re.compile(
    r"\b(\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})\b", re.I)


def _date_in(text: str) -> str | None:
    """An ISO date from a dateline such as "Published on: 29 October 2015" or "Sep 21, 2017"."""
    m = DATE_IN_TEXT.search(text or "")
    if not m:
        return None
    from dateutil import parser as dateparser

    try:
        return dateparser.parse(m.group(1).replace("Sept", "Sep"), dayfirst=True).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _strip_site_suffix(title: str, site: str | None) -> str:
    parts = TITLE_PARTS.split(title)
    if len(parts) > 1 and (site is None or parts[-1].strip().lower() in (site.lower(), "hmic", "hmicfrs")
                           or len(parts[-1]) <= SITE_MAX_CHARS):
        return " - ".join(parts[:-1]).strip()
    return title


def _title_site(raw_title: str | None, headline: str | None) -> str | None:
    """"Met Police still failing … | London Evening Standard | Evening Standard" → "Evening Standard"."""
    if not raw_title or not headline:
        return None
    parts = TITLE_PARTS.split(raw_title)
    if len(parts) < 2 or parts[0].strip().lower() != headline.strip().lower()[:len(parts[0].strip())]:
        return None
    last = parts[-1].strip()
    return last if 0 < len(last) <= SITE_MAX_CHARS and len(last.split()) <= SITE_MAX_WORDS else None


def html_to_text(html: str, base_url: str | None = None) -> HtmlDocument:
    """The article text of an HTML page, with its headline, date, canonical URL and site.

    `published` is the page's own publication date as it states it (ISO 8601 from
    metadata where there is some), or None. `canonical_url` is resolved against
    `base_url` when it is relative and a base is given.
    """
    tree = LexborHTMLParser(html)
    ld = _json_ld(tree)
    root = _article_root(tree)
    metas = [n.attributes or {} for n in tree.css("meta")]
    title_node = tree.css_first("title")
    site = _meta_of(metas, 'meta[property="og:site_name"]', 'meta[name="application-name"]',
                    'meta[name="publisher"]', 'meta[name="DC.publisher"]') or _clean(ld.get("publisher"))
    title = None
    h1 = root.css_first("h1") if root is not None else None
    if h1 is None:
        h1 = tree.css_first("h1")
    if h1 is not None:
        title = _clean(h1.text(deep=True))
    if not title:
        title = _meta_of(metas, 'meta[property="og:title"]', 'meta[name="twitter:title"]', 'meta[name="DC.title"]')
    if not title:
        title = _clean(ld.get("headline"))
    if not title and title_node is not None:
        raw = _clean(title_node.text())
        title = _strip_site_suffix(raw, site) if raw else None
    published = _meta_of(
        metas,
        'meta[property="article:published_time"]', 'meta[property="og:article:published_time"]',
        'meta[name="article:published_time"]', 'meta[itemprop="datePublished"]',
        'meta[name="DC.date.issued"]', 'meta[name="dc.date.issued"]', 'meta[name="dcterms.issued"]',
        'meta[name="DC.date"]', 'meta[name="dc.date"]', 'meta[name="citation_publication_date"]',
        'meta[name="date"]', 'meta[name="pubdate"]', 'meta[name="parsely-pub-date"]',
    ) or _clean(ld.get("datePublished"))
    if not published and root is not None:
        published = _meta(root, "time.published[datetime]", "time[itemprop=datePublished]",
                          "time[pubdate]", "time[datetime]")
    canonical = (_meta(tree, 'link[rel="canonical"]') or _meta_of(metas, 'meta[property="og:url"]')
                 or _clean(ld.get("url")))
    if canonical and base_url:
        canonical = urljoin(base_url, canonical)
    datelines: list[str] = []
    lines = _lines(root, datelines) if root is not None else []
    if not published:
        published = next((d for d in map(_date_in, datelines) if d), None)
    # Keep the headline first even when it sits outside the article container.
    if title and not any(SPACE.sub(" ", line).strip() == title for line in lines[:HEADLINE_WITHIN]):
        lines = [title, ""] + lines
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = BLANK_RUN.sub("\n\n", text)
    text = text.strip() + "\n"
    meta = {"json_ld": ld} if ld else {}
    title_site = _title_site(_clean(title_node.text()) if title_node is not None else None, title)
    return HtmlDocument(text=text, title=title, published=published, canonical_url=canonical,
                        site_name=site, meta=meta, title_site=title_site)
