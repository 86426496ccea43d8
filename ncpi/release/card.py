"""The release's dataset card (README.md) and its chart (findings_by_force.svg).

Both are plain text built from the release's own facts — no clock, no plotting
library — so the same release always renders the same bytes.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from ncpi.release.accuracy import accuracy_lines
from ncpi.release.manifest import ATTRIBUTION, LICENCE, PACKAGE_DESCRIPTION, PACKAGE_TITLE

POS_COLOUR = "#2166ac"   # blue
NEG_COLOUR = "#d6604d"   # orange-red; blue/orange stays apart for colour-blind readers


# --------------------------------------------------------------------------- chart

def findings_by_force(findings: list[dict], forces: list[dict]) -> list[tuple[str, int, int]]:
    """(force label, positive, negative) for every force with findings, most findings first."""
    names = {f["force_id"]: f.get("short_name") or f["force_id"] for f in forces}
    counts: dict[str, list[int]] = {}
    for row in findings:
        c = counts.setdefault(row["force_id"], [0, 0])
        if row.get("polarity") == "positive":
            c[0] += 1
        elif row.get("polarity") == "negative":
            c[1] += 1
    out = [(names.get(fid, fid), pos, neg) for fid, (pos, neg) in counts.items()]
    out.sort(key=lambda r: (-(r[1] + r[2]), r[0]))
    return out


def render_svg(rows: list[tuple[str, int, int]], *, version: str) -> str:
    """A horizontal stacked bar chart: one bar per force, positive then negative findings."""
    bar_h, gap, left, right, top = 18, 6, 190, 60, 56
    plot_w = 420
    width = left + plot_w + right
    n = max(len(rows), 1)
    height = top + n * (bar_h + gap) + 40
    total_max = max((p + q for _, p, q in rows), default=0)
    scale = plot_w / total_max if total_max else 0.0
    title = f"Findings per force by polarity — NCPI dataset {version}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<title id="title">{escape(title)}</title>',
        '<desc id="desc">'
        + escape("; ".join(f"{label}: {p} positive, {q} negative" for label, p, q in rows) or "No findings.")
        + "</desc>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape("Findings per force")}</text>',
        f'<rect x="{left}" y="30" width="12" height="12" fill="{POS_COLOUR}"/>',
        f'<text x="{left + 16}" y="40">positive (strength, improvement)</text>',
        f'<rect x="{left + 220}" y="30" width="12" height="12" fill="{NEG_COLOUR}"/>',
        f'<text x="{left + 236}" y="40">negative (concern, to do)</text>',
    ]
    if not rows:
        out.append(f'<text x="{left}" y="{top + 14}">No findings in this release.</text>')
    for i, (label, pos, neg) in enumerate(rows):
        y = top + i * (bar_h + gap)
        wp, wn = round(pos * scale, 2), round(neg * scale, 2)
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        if pos:
            out.append(f'<rect x="{left}" y="{y}" width="{wp}" height="{bar_h}" fill="{POS_COLOUR}">'
                       f"<title>{escape(label)}: {pos} positive</title></rect>")
        if neg:
            out.append(f'<rect x="{round(left + wp, 2)}" y="{y}" width="{wn}" height="{bar_h}" fill="{NEG_COLOUR}">'
                       f"<title>{escape(label)}: {neg} negative</title></rect>")
        out.append(f'<text x="{round(left + wp + wn + 6, 2)}" y="{y + 13}">{pos} / {neg}</text>')
    axis_y = top + n * (bar_h + gap)
    out.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{axis_y}" stroke="#333333"/>')
    out.append(f'<text x="{left}" y="{axis_y + 20}" fill="#555555">'
               f'{escape("Number of findings (positive / negative) read from the press releases.")}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- card

def _cell(text) -> str:
    s = "" if text is None else str(text)
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _num(v) -> str:
    return "—" if v is None else str(v)


LIMITATIONS = [
    "The data is read by rules from the inspectorate's press releases, not from the inspection "
    "reports themselves: a finding is what a press release says, in its words, and a release "
    "summarises a report selectively.",
    "Polarity and theme are assigned by keyword rules; a sentence that mixes praise and criticism "
    "is split at its contrast, but borderline wording can be classed either way. Check `text` "
    "against `sources.text` (through `span_start`/`span_end`) before quoting a count.",
    "Dates are only as precise as the text: `date_precision` says whether a date is a day, a "
    "month (first of the month) or a year (1 January). Fieldwork and publication dates are "
    "missing where the release does not state them.",
    "Some documents are copies republished by other outlets; `sources.publisher` names who "
    "published the copy that was read. Copies are grouped (`sources.copy_group`) by how much of "
    "their text they share, so a heavily rewritten copy counts as a separate article, and a "
    "story restating a release is folded only where its wording is near-verbatim "
    "(`duplicates.relation = 'restated'`).",
    "Documents that could not be read or parsed are listed in `quarantine` with the reason, "
    "never silently dropped; their content is not in the other tables.",
    "Problems noticed in the source text (a weekday that does not match its date, a wrong phone "
    "number) are kept as printed and flagged in `quality_flags`.",
    "The inspectorate was HMIC until 19 July 2017 and HMICFRS since; `inspectorate` records the "
    "name the text uses.",
    "Keys are derived from the content (hashes of the source and the span); they stay the same "
    "for the same input, but a corrected source document gets new keys — see `CHANGES.parquet`.",
]

QUERY_EXAMPLES = [
    ("Findings per force and polarity",
     "SELECT force_id, polarity, count(*) AS findings\n"
     "FROM 'findings.parquet'\n"
     "GROUP BY ALL\n"
     "ORDER BY findings DESC, force_id, polarity;"),
    ("Weaknesses by theme, with the inspection they belong to",
     "SELECT i.inspection_id, i.kind, f.theme, f.text\n"
     "FROM 'findings.parquet' AS f\n"
     "JOIN 'inspections.parquet' AS i USING (inspection_id)\n"
     "WHERE f.polarity = 'negative'\n"
     "ORDER BY i.inspection_id, f.theme;"),
    ("What HM Inspectors said, with the document's headline",
     "SELECT st.speaker_name, s.title, st.text\n"
     "FROM 'statements.parquet' AS st\n"
     "JOIN 'sources.parquet' AS s USING (source_id)\n"
     "ORDER BY s.published_date NULLS LAST, st.span_start;"),
    ("What changed in this release",
     "SELECT \"table\", change_type, count(*) AS records\n"
     "FROM 'CHANGES.parquet'\n"
     "GROUP BY ALL\n"
     "ORDER BY ALL;"),
]


COVERAGE_WORDS = {"first_hand": "with the inspectorate's own release", "news_only": "with only a news or other copy",
                  "nothing": "with nothing yet"}


def _coverage_lines(coverage, report_rows=None, chart=None) -> list[str]:
    if coverage is None:
        return []
    out = [
        "## Coverage",
        "",
        f"- Documents published: {coverage.published.text()} (`sources.published_date`).",
        f"- Inspection fieldwork: {coverage.fieldwork.text()} (`inspections.fieldwork_start`/`fieldwork_end`).",
    ]
    if report_rows is not None:
        counts = {s: sum(1 for r in report_rows if r["status"] == s) for s in COVERAGE_WORDS}
        out.append(f"- The inspectorate's catalogue (`reports`) lists {len(report_rows)} NCPI reports: "
                   + "; ".join(f"{n} {COVERAGE_WORDS[s]}" for s, n in counts.items())
                   + " (the `coverage` view has one row per force and report).")
    out.append("")
    if chart:
        out += [f"![Which catalogued reports the dataset covers]({chart})", ""]
    return out


def _licence_lines(coverage) -> list[str]:
    out = [
        "## Licence and attribution",
        "",
        f"The dataset (the tables and their rows) is made available under the [{LICENCE['title']}]({LICENCE['path']}). "
        "When you use it, include this attribution:",
        "",
        f"> {ATTRIBUTION}",
        "",
        "The documents it was read from are not all Crown or police publications. Each source's "
        "`licence` says whose text it is; the full `text` of a source that is not openly licensed is "
        "withheld (null, with the reason in `text_withheld`) while its sha256, URL and every row's span "
        "are kept, so anyone holding the page can check each row. Short extracted rows (findings, "
        "statements) are kept.",
        "",
    ]
    if coverage is not None and coverage.licences:
        out += _table(["source type", "licence", "sources", "text published"],
                      [[f"`{r['sourceType']}`", r["licence"], r["sources"], "no" if r["textWithheld"] else "yes"]
                       for r in coverage.licences])
        out.append("")
    return out


def render_card(*, version: str, created: str | None, previous: str | None, bump: str | None,
                reason: str, resources: list[dict], summaries: dict[str, dict],
                schema_reasons: list[str], churn_total: int, sources: list[dict],
                chart_name: str, coverage=None, report_coverage=None, coverage_chart=None,
                accuracy=None) -> str:
    date = created[:10] if created else None
    year = created[:4] if created else "n.d."
    up_to = coverage.published.last.isoformat() if coverage is not None and coverage.published.last else None
    out: list[str] = [
        f"# {PACKAGE_TITLE}",
        "",
        f"**Release {version}**" + (f" · released {date}" if date else "")
        + (f" · documents up to {up_to}" if up_to else "")
        + (f" · follows {previous}" if previous else " · first release"),
        "",
        PACKAGE_DESCRIPTION,
        "",
        "Every table is an Apache Parquet file with explicit types. `datapackage.json` describes "
        "the release as a Frictionless Data Package (v2): every column's type and meaning, the "
        "primary and foreign keys, row counts, sizes and SHA-256 hashes. `SHA256SUMS` lists the "
        "hash of every file; `CHANGES.parquet` lists every record added, removed or modified "
        "since the previous release.",
        "",
        "## At a glance",
        "",
    ]
    out += _table(["table", "rows", "what a row is"],
                  [[f"`{r['path']}`", r["rows"], r.get("description", "")] for r in resources])
    out += [
        "",
        "Counted once: a press release is often copied (aggregators, mirrors, force newsrooms). "
        "`findings`, `statements` and `contact_notes` hold each point once, read from the canonical "
        "copy (`sources.is_canonical`); every other place it was read is a row of `duplicates`. "
        "`inspection_sources` says which source reports on which inspection.",
        "",
        f"![Findings per force by polarity]({chart_name})",
        "",
    ]
    out += _coverage_lines(coverage, report_coverage, coverage_chart)
    out += [
        "## Sources",
        "",
        "Press releases about the National Child Protection Inspection (NCPI) programme, "
        "published by:",
        "",
    ]
    for s in sources:
        out.append(f"- {s['title']}" + (f" — <{s['path']}>" if s.get("path") else ""))
    out += [
        "",
        "## Changes in this release",
        "",
    ]
    if previous is None:
        out.append("First release: every record is new.")
    else:
        out.append(f"Version {version} is a **{(bump or 'patch').upper()}** release after {previous}: {reason}.")
    out.append("")
    rows = []
    for r in resources:
        s = summaries.get(r["name"])
        if s:
            rows.append([r["name"], _num(s["rowsBefore"]), _num(s["rowsAfter"]), s["added"],
                         s["removed"], s["modified"], s["idChurn"]])
    for name, s in summaries.items():
        if name not in {r["name"] for r in resources}:
            rows.append([f"{name} (removed)", _num(s["rowsBefore"]), "—", s["added"], s["removed"],
                         s["modified"], s["idChurn"]])
    out += _table(["table", "rows before", "rows now", "added", "removed", "modified", "ID churn"], rows)
    out.append("")
    if schema_reasons:
        out.append("Schema changes:")
        out.append("")
        out += [f"- {s}" for s in schema_reasons]
        out.append("")
    out.append(
        f"ID churn (a key that disappeared while the same content reappeared under another key): "
        f"{churn_total}. `CHANGES.parquet` names every changed record; the cumulative "
        "changelog is `CHANGELOG.md` in the repository's `warehouse/` folder."
    )
    out += ["", "## Data dictionary", ""]
    for r in resources:
        schema = r["schema"]
        out.append(f"### {r['name']}")
        out.append("")
        out.append(f"{r.get('description', '')} File `{r['path']}`, {r['rows']} rows. "
                   f"Primary key: {', '.join(f'`{c}`' for c in schema['primaryKey'])}.")
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"].get("resource", r["name"])
            out.append(f"Foreign key: {', '.join(fk['fields'])} → "
                       f"{target}.{', '.join(fk['reference']['fields'])}.")
        out.append("")
        frows = []
        for f in schema["fields"]:
            c = f.get("constraints", {})
            # A list is `any` in Table Schema terms; readers of the card want "list<string>".
            typ = f["ncpiArrowType"] if f.get("ncpiArrowType", "").startswith("list<") else f["type"]
            notes = []
            if c.get("enum"):
                notes.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
            if c.get("unique"):
                notes.append("unique")
            frows.append([f"`{f['name']}`", typ, "yes" if c.get("required") else "no",
                          f.get("description", "") + (" (" + "; ".join(notes) + ")" if notes else "")])
        out += _table(["column", "type", "required", "meaning"], frows)
        out.append("")
    out += accuracy_lines(accuracy)
    out += ["## Known limitations", ""]
    out += [f"- {s}" for s in LIMITATIONS]
    out += [
        "",
    ]
    out += _licence_lines(coverage)
    out += [
        "## How to cite",
        "",
        f"> NCPI open dataset contributors ({year}). *{PACKAGE_TITLE}*, version {version}"
        + (f", released {date}" if date else "") + f". {ATTRIBUTION}",
        "",
        "```bibtex",
        f"@misc{{ncpi_{version.replace('.', '_')},",
        f"  title   = {{{{{PACKAGE_TITLE}}}}},",
        "  author  = {{NCPI open dataset contributors}},",
        f"  year    = {{{year}}},",
        f"  version = {{{version}}},",
        f"  note    = {{{ATTRIBUTION}}}",
        "}",
        "```",
        "",
        "## Check your copy",
        "",
        "```sh",
        "sha256sum -c SHA256SUMS      # every file is the one released",
        "ncpi verify .                # and the manifest matches the files (schema, rows, bytes, hashes)",
        "```",
        "",
        "## Query it with DuckDB",
        "",
        "Run these from this folder (`duckdb` then paste, or `duckdb -c \"...\"`); DuckDB reads the "
        "Parquet files in place, paths relative to the current directory.",
        "",
    ]
    for title, sql in QUERY_EXAMPLES:
        out += [f"{title}:", "", "```sql", sql, "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
