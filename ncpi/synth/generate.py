"""Deterministic synthetic NCPI releases, for scale tests and parser robustness checks.

Release i of seed S depends only on (S, i): force i mod 43, kind i mod 4 (43 and 4 are
coprime, so every force meets every kind within 172 releases), the rest drawn from a
Random seeded with "S:i". What each release should parse to is written beside them in
`.synth-manifest.jsonl` (a dot-file, so the build does not read it as a document).
"""
from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import random
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path

from ncpi.parse.forcenames import load_reference
from ncpi.paths import REFERENCE_FORCES
from ncpi.synth import templates as T

MANIFEST = ".synth-manifest.jsonl"
FOLDER = "synth"


@dataclass
class Expected:
    path: str
    force_id: str
    kind: str               # what the parser should read
    written_kind: str       # what the generator wrote (the same today; kept apart for variants that differ)
    year: int               # fieldwork year: the inspection id's year
    inspectorate: str
    layout: str
    lead_inspector: str
    publisher: str

    @property
    def inspection_id(self) -> str:
        return f"{self.force_id}-{self.kind}-{self.year}"


def _month(d: dt.date) -> str:
    return f"{calendar.month_name[d.month]} {d.year}"


def release(seed: int, i: int, forces) -> tuple[str, str, Expected]:
    """(file name, content, expectation) of release i."""
    rng = random.Random(f"{seed}:{i}")
    force = forces[i % len(forces)]
    kind = T.KINDS[i % len(T.KINDS)]
    lo, hi = T.YEARS[kind]
    fieldwork = dt.date(rng.randint(lo, hi), rng.randint(1, 12), 1)
    published = fieldwork + dt.timedelta(days=rng.randint(60, 150))
    prev = dt.date(fieldwork.year - rng.randint(1, 2), rng.randint(1, 12), 1)
    abbr = "HMICFRS" if published >= dt.date(2017, 7, 19) else "HMIC"
    layout = rng.choice(T.LAYOUTS)
    hmi = rng.choice(T.HMIS)
    outlet = rng.choice(T.OUTLETS)
    fill = dict(force=force.name, short=force.short_name, abbr=abbr, inspectorate=T.LONG_NAME[abbr],
                fw=_month(fieldwork), prev=_month(prev), hmi=hmi)

    def f(s: str) -> str:
        return s.format(**fill)

    strengths = rng.sample(T.STRENGTHS, rng.randint(2, 4))
    weaknesses = rng.sample(T.WEAKNESSES, rng.randint(2, 4))
    doc = {
        "headline": f(rng.choice(T.HEADLINES[kind])),
        "standfirst": f(rng.choice(T.STANDFIRSTS)),
        "report_title": f(T.REPORT_TITLE[kind]),
        "context": f(rng.choice(T.CONTEXT[kind])),
        "strength_lead": f(rng.choice(T.STRENGTH_LEADS)),
        "strengths": strengths,
        "weakness_lead": f(rng.choice(T.WEAKNESS_LEADS)),
        "weaknesses": weaknesses,
        "closing": f(rng.choice(T.CLOSING_PARAS)),
        "speaker": f"HM Inspector of Constabulary {hmi}",
        "quote": [f(p) for p in rng.sample(T.QUOTE_PARAS, rng.randint(2, 3))],
        "notes": [f(n) for n in T.NOTES] + [f(T.PRESS_OFFICE), f(T.OUT_OF_HOURS)],
    }
    stem = f"{i:06d}_{force.force_id}"
    if layout == "html":
        name, content = stem + ".html", _html(doc, published)
        publisher = abbr
    elif layout == "republished":
        name, content = stem + ".txt", _republished(doc, published, outlet)
        publisher = outlet["name"]
    else:
        name, content = stem + ".txt", _text(doc, layout)
        publisher = abbr
    exp = Expected(path=f"{FOLDER}/{name}", force_id=force.force_id, kind=kind, written_kind=kind,
                   year=fieldwork.year, inspectorate=abbr, layout=layout, lead_inspector=hmi, publisher=publisher)
    return name, content, exp


def _text(doc: dict, layout: str) -> str:
    bullet = {"star_bullets": "  * ", "numbered_bullets": None}.get(layout, "  • ")
    open_q, close_q = ('"', '"') if layout == "straight_quotes" else ("“", "”")

    def items(xs: list[str]) -> list[str]:
        ends = [";"] * (len(xs) - 2) + ["; and", "."] if len(xs) > 1 else ["."]
        return [(f"  {n}. " if bullet is None else bullet) + x + e for n, (x, e) in enumerate(zip(xs, ends), 1)]

    quote = [open_q + p for p in doc["quote"]]
    quote[-1] += close_q
    blocks = [doc["headline"], doc["standfirst"], "Get the report", doc["report_title"], doc["context"],
              doc["strength_lead"], "\n".join(items(doc["strengths"])), doc["weakness_lead"],
              "\n".join(items(doc["weaknesses"])), doc["closing"], doc["speaker"] + " said:", *quote,
              "Get the report", doc["report_title"], "Notes",
              "\n".join(f"  {n}. {note}" for n, note in enumerate(doc["notes"], 1))]
    if layout == "hard_wrapped":
        blocks = [blocks[0]] + [_wrap(b) for b in blocks[1:]]
    text = "\n\n".join(blocks) + "\n"
    return text.replace("\n", "\r\n") if layout == "crlf" else text


def _wrap(block: str) -> str:
    out = []
    for line in block.split("\n"):
        lead = len(line) - len(line.lstrip(" •*0123456789."))
        out.append("\n".join(textwrap.wrap(line, 65, subsequent_indent=" " * lead, break_on_hyphens=False)) or line)
    return "\n".join(out)


def _republished(doc: dict, published: dt.date, outlet: dict) -> str:
    blocks = [outlet["name"], "\n".join(outlet["nav"]), T.COOKIE_BANNER, doc["headline"],
              published.strftime("%b %d, %Y").replace(" 0", " "), doc["standfirst"], doc["context"],
              doc["strength_lead"], "\n".join("  • " + x for x in doc["strengths"]), doc["weakness_lead"],
              "\n".join("  • " + x for x in doc["weaknesses"]), doc["closing"],
              doc["speaker"] + " said: “" + "\n\n“".join(doc["quote"]) + "”",
              "\n".join(T.RELATED), T.COPYRIGHT.format(year=published.year, outlet=outlet["name"])]
    return "\n\n".join(blocks) + "\n"


def _html(doc: dict, published: dt.date) -> str:
    e = html.escape
    ul = lambda xs: "<ul>\n" + "\n".join(f"<li>{e(x)};</li>" for x in xs) + "\n</ul>"  # noqa: E731
    get = (f'<div class="get-the-report"><h2>Get the report</h2><ul><li><a href="/report/">'
           f"{e(doc['report_title'])}</a></li></ul></div>")
    quote = "\n".join(f"<p>“{e(p)}{'”' if n == len(doc['quote']) - 1 else ''}</p>" for n, p in enumerate(doc["quote"]))
    notes = "\n".join(f"<li>{e(n)}</li>" for n in doc["notes"])
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{e(doc['headline'])} – HMICFRS</title>
<meta property="og:site_name" content="HMICFRS">
<meta property="article:published_time" content="{published.isoformat()}T00:01:00+01:00">
</head>
<body>
<div class="cookie-banner"><p>We use some essential cookies to make this website work.</p><button>Accept analytics cookies</button></div>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/police-forces/">Police forces</a></li><li><a href="/news/">News</a></li></ul></nav>
<main id="main-content">
<article>
<h1 class="entry-title">{e(doc['headline'])}</h1>
<div class="entry-content">
<p class="standfirst"><strong>{e(doc['standfirst'])}</strong></p>
{get}
<p>{e(doc['context'])}</p>
<p>{e(doc['strength_lead'])}</p>
{ul(doc['strengths'])}
<p>{e(doc['weakness_lead'])}</p>
{ul(doc['weaknesses'])}
<p>{e(doc['closing'])}</p>
<p>{e(doc['speaker'])} said:</p>
{quote}
{get}
<h2>Notes</h2>
<ol>
{notes}
</ol>
</div>
</article>
</main>
<footer><p>© Crown copyright</p></footer>
</body>
</html>
"""


def generate(n: int, seed: int, out_dir: Path, *, start: int = 0) -> list[Expected]:
    """Write releases start..start+n-1 into out_dir/synth/ and append their expectations
    to out_dir/.synth-manifest.jsonl. Bytes depend only on (seed, i)."""
    forces = load_reference(REFERENCE_FORCES)
    folder = Path(out_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    expected = []
    for i in range(start, start + n):
        name, content, exp = release(seed, i, forces)
        (folder / name).write_bytes(content.encode("utf-8"))
        expected.append(exp)
    with open(Path(out_dir) / MANIFEST, "a", encoding="utf-8") as fh:
        for exp in expected:
            fh.write(json.dumps(asdict(exp), sort_keys=True) + "\n")
    return expected


def read_manifest(out_dir: Path) -> list[Expected]:
    path = Path(out_dir) / MANIFEST
    return [Expected(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
