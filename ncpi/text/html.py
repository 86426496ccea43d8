"""HTML pages to the same plain article text the parser reads for text releases.

selectolax (lexbor) is used: it is an order of magnitude faster than lxml on these pages
and its tree is enough to keep headings, paragraphs, list items and quotes as lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

DROP_TAGS = ["script", "style", "noscript", "iframe", "svg", "form", "button", "nav",
             "header", "footer", "aside", "template", "object", "embed", "select", "input"]
BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
              "li", "ul", "ol", "blockquote", "table", "tr", "figure", "figcaption", "dl", "dt", "dd", "br", "hr", "time"}
# Containers whose class or id marks site furniture rather than the article.
FURNITURE_ATTR = re.compile(
    r"cookie|consent|banner|share|social|related|newsletter|advert|promo|breadcrumb|"
    r"sidebar|menu|navigation|subscribe|vacanc|footer|masthead|signup|comment",
    re.I,
)
ARTICLE_SELECTORS = ["article", "main", "[role=main]", "#content", ".article", ".content"]


@dataclass
class HtmlDocument:
    text: str
    title: str | None = None
    published: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    meta: dict = field(default_factory=dict)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<h1"))


def _meta(tree, *selectors: str) -> str | None:
    for sel in selectors:
        node = tree.css_first(sel)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("href") or node.attributes.get("datetime")
            if value and value.strip():
                return value.strip()
    return None


def _lines(node) -> list[str]:
    """Walk the tree writing one line per block element; list items get a bullet."""
    out: list[str] = []
    buf: list[str] = []

    def flush():
        line = re.sub(r"[ \t\r\n\f\u00a0]+", " ", "".join(buf)).strip()
        if line:
            out.append(line)
        buf.clear()

    def walk(n, depth):
        tag = n.tag
        if tag == "-text":
            buf.append(n.text(deep=False) or "")
            return
        if tag in ("-comment",) or tag in DROP_TAGS:
            return
        attrs = " ".join(str(v) for k, v in (n.attributes or {}).items() if k in ("class", "id") and v)
        if attrs and FURNITURE_ATTR.search(attrs) and tag not in ("body", "html", "article", "main"):
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if tag == "li":
            buf.append("  " * depth + "• ")
        child = n.child
        while child is not None:
            walk(child, depth + (1 if tag in ("ul", "ol") else 0))
            child = child.next
        if block:
            flush()
            if tag in ("p", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol", "table", "figure"):
                out.append("")

    walk(node, -1)
    flush()
    return out


def html_to_text(html: str) -> HtmlDocument:
    tree = LexborHTMLParser(html)
    title = _meta(tree, 'meta[property="og:title"]', 'meta[name="twitter:title"]')
    h1 = tree.css_first("h1")
    if h1 is not None and h1.text(strip=True):
        title = re.sub(r"\s+", " ", h1.text(strip=True))
    elif title is None and tree.css_first("title") is not None:
        title = tree.css_first("title").text(strip=True) or None
    published = _meta(
        tree,
        'meta[property="article:published_time"]',
        'meta[name="dc.date"]', 'meta[name="DC.date.issued"]', 'meta[name="date"]',
        'meta[itemprop="datePublished"]', "time[datetime]",
    )
    canonical = _meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]')
    site = _meta(tree, 'meta[property="og:site_name"]', 'meta[name="publisher"]')
    root = None
    for sel in ARTICLE_SELECTORS:
        root = tree.css_first(sel)
        if root is not None and len(root.text(strip=True)) > 200:
            break
        root = None
    if root is None:
        root = tree.body or tree.root
    lines = _lines(root) if root is not None else []
    # Keep the headline first even when it sits outside the article container.
    if title and not any(line.strip() == title for line in lines[:5]):
        lines = [title, ""] + lines
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return HtmlDocument(text=text, title=title, published=published, canonical_url=canonical, site_name=site)
