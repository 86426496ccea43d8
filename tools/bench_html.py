"""Compare HTML→text extractors on the web fixtures: selectolax (ours), lxml, trafilatura.

    .venv/bin/python tools/bench_html.py            # needs `pip install trafilatura` for its column

For each fixture page whose article is one of the seed releases, it reports word recall
and precision against the seed text (difflib over words), furniture phrases that leaked
through, list items kept as lines, numbered Notes kept, whether the "Get the report"
line survived, and the mean time per page. The numbers are recorded in docs/fetch.md.
"""
from __future__ import annotations

import difflib
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ncpi.text import html as ours  # noqa: E402

WEB = ROOT / "tests" / "fixtures" / "web"
SEEDS = ROOT.parent / "shared" / "seeds"
if not SEEDS.exists():
    SEEDS = ROOT / "raw" / "seeds"

CASES = {
    "hmicfrs_northumbria.html": "000_",
    "hmicfrs_humberside.html": "002_",
    "hmic_norfolk.html": "003_",
    "outlet_cumbria_cleveland.html": "004_",
}
FURNITURE = ["cookies", "Skip to content", "Related news", "Share this", "Subscribe", "Crown copyright",
             "Hide Ad", "Select Vacancies", "Constables on Promotion", "Greater Manchester Police must improve",
             "Sign up", "Privacy", "Accessibility", "Follow HMIC", "Latest news", "Tagged:", "TAGS",
             "Picture:", "Home", "PEEL: Police efficiency", "Copyright"]


def reference(prefix: str) -> str:
    text = next(SEEDS.glob(prefix + "*")).read_text(encoding="utf-8")
    # The republished seed was crawled with the outlet's tail: cut it, it is not article text.
    return re.split(r"\n\s*Related News\s*\n", text)[0]


def words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.findall(r"[\w'’]+", text.lower())


def lxml_extract(html: str) -> str:
    """The same walk as ncpi.text.html, over an lxml.html tree."""
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    root = None
    for sel in ("//article", "//main", "//*[@role='main']", "//*[@id='content']"):
        nodes = doc.xpath(sel)
        if nodes:
            best = max(nodes, key=lambda n: len(n.text_content()))
            if len(best.text_content()) > 200:
                root = best
                break
    if root is None:
        root = doc.body if doc.body is not None else doc
    out: list[str] = []
    buf: list[str] = []
    lists: list[list] = []
    indent = [""]

    def flush():
        line = ours.SPACE.sub(" ", "".join(buf)).strip()
        if line:
            out.append(indent[0] + ours.FILE_HINT.sub("", line))
            indent[0] = ""
        buf.clear()

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or tag in ours.DROP_TAGS:
            return
        attrs = dict(el.attrib)
        if ours._is_hidden(attrs) or ours._is_furniture(tag, attrs):
            return
        marks = " ".join(v for k, v in attrs.items() if k in ("class", "id") and v)
        if marks and ours.DATELINE_ATTR.search(marks) and tag not in ("article", "main", "body", "time"):
            return
        if tag in ("header", "footer") and el is not root and not el.xpath(".//h1"):
            return
        block = tag in ours.BLOCK_TAGS
        if block:
            flush()
        if tag in ("ul", "ol"):
            lists.append([tag == "ol", 1])
            children(el)
            lists.pop()
            flush()
            if not lists and out and out[-1]:
                out.append("")
            return
        if tag == "li":
            marker = "• "
            if lists and lists[-1][0]:
                marker = f"{lists[-1][1]}. "
                lists[-1][1] += 1
            indent[0] = "  " * max(len(lists) - 1, 0) + marker
            children(el)
            flush()
            indent[0] = ""
            return
        children(el)
        if block:
            flush()
            if tag in ours.PARAGRAPH_TAGS and not lists and out and out[-1]:
                out.append("")

    def children(el):
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)

    walk(root)
    flush()
    h1 = root.xpath(".//h1") or doc.xpath("//h1")
    title = ours.SPACE.sub(" ", h1[0].text_content()).strip() if h1 else ""
    text = "\n".join(out)
    if title and title not in text[:500]:
        text = title + "\n\n" + text
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def trafilatura_extract(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               with_metadata=False) or ""


def measure(name: str, fn, html: str, ref: str, reps: int) -> dict:
    t0 = time.perf_counter()
    for _ in range(reps):
        text = fn(html)
    ms = (time.perf_counter() - t0) / reps * 1000
    r, o = words(ref), words(text)
    sm = difflib.SequenceMatcher(None, r, o, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    lines = text.splitlines()
    ref_items = sum(1 for line in ref.splitlines() if re.match(r"^\s*(?:•|\d+\.)\s", line))
    items = sum(1 for line in lines if re.match(r"^\s*(?:•|-|\*|\d+\.)\s", line))
    notes = sum(1 for line in lines if re.match(r"^\s*\d+\.\s", line))
    ref_notes = sum(1 for line in ref.splitlines() if re.match(r"^\s*\d+\.\s", line))
    leaks = [f for f in FURNITURE if f.lower() in text.lower() and f.lower() not in ref.lower()]
    return {
        "extractor": name, "recall": matched / max(len(r), 1), "precision": matched / max(len(o), 1),
        "items": f"{items}/{ref_items}", "notes": f"{notes}/{ref_notes}",
        "get_report": ("Get the report" in text) == ("Get the report" in ref),
        "headline_first": (lines[0].strip() if lines else "") == ref.splitlines()[0].strip(),
        "leaks": leaks, "ms": ms,
    }


def main(reps: int = 30) -> int:
    extractors = [("selectolax", lambda h: ours.html_to_text(h).text), ("lxml", lxml_extract)]
    try:
        import trafilatura  # noqa: F401

        extractors.append(("trafilatura", trafilatura_extract))
    except ImportError:
        print("(trafilatura is not installed: its column is skipped)")
    rows = []
    for page, prefix in CASES.items():
        html = (WEB / page).read_text(encoding="utf-8")
        ref = reference(prefix)
        for name, fn in extractors:
            row = measure(name, fn, html, ref, reps)
            row["page"] = page
            rows.append(row)
    print(f"{'page':32} {'extractor':12} {'recall':>6} {'prec':>6} {'items':>6} {'notes':>6} "
          f"{'report':>6} {'h1':>3} {'ms':>7}  leaks")
    for row in rows:
        print(f"{row['page']:32} {row['extractor']:12} {row['recall']:6.3f} {row['precision']:6.3f} "
              f"{row['items']:>6} {row['notes']:>6} {str(row['get_report']):>6} "
              f"{'y' if row['headline_first'] else 'n':>3} {row['ms']:7.2f}  {', '.join(row['leaks'])}")
    print()
    for name, _ in extractors:
        mine = [r for r in rows if r["extractor"] == name]
        print(f"{name:12} mean recall {statistics.mean(r['recall'] for r in mine):.3f}  "
              f"mean precision {statistics.mean(r['precision'] for r in mine):.3f}  "
              f"leaks {sum(len(r['leaks']) for r in mine)}  mean {statistics.mean(r['ms'] for r in mine):.2f} ms/page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
