"""findings_flat.csv: one spreadsheet-ready file per release, findings joined to what they are about.

One row per counted finding (the published findings table), with the force's name and
region, the inspection's kind and dates, and the source's URL, publisher and licence, so a
reader with a spreadsheet needs no join. The query is declarative SQL over the release's own
Parquet files, parameterised by path; rows are ordered by finding_id, so the file's bytes are
a function of the tables.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

FLAT_NAME = "findings_flat.csv"

FLAT_SQL = """
SELECT f.finding_id, f.force_id, fo.name AS force_name, fo.region,
       f.inspection_id, i.kind AS inspection_kind, i.fieldwork_start, i.fieldwork_end,
       i.published_date AS report_published, f.polarity, f.theme, f.text, f.value, f.unit,
       f.source_id, s.url AS source_url, s.publisher AS source_publisher, s.source_type, s.licence
FROM read_parquet($findings) AS f
JOIN read_parquet($forces) AS fo USING (force_id)
LEFT JOIN read_parquet($inspections) AS i USING (inspection_id)
JOIN read_parquet($sources) AS s USING (source_id)
ORDER BY f.finding_id
"""

# (name, frictionless type, description) of every column, for the manifest.
FLAT_FIELDS = [
    ("finding_id", "string", "The finding (findings.finding_id)."),
    ("force_id", "string", "The force (forces.force_id)."),
    ("force_name", "string", "The force's official name."),
    ("region", "string", "ONS region of the force, or Wales."),
    ("inspection_id", "string", "The inspection the finding belongs to."),
    ("inspection_kind", "string", "inspection, post_inspection_review, assessment_of_progress, re_inspection or unknown."),
    ("fieldwork_start", "date", "First day of the inspection's fieldwork, if stated."),
    ("fieldwork_end", "date", "Last day of the inspection's fieldwork, if stated."),
    ("report_published", "date", "When the inspection's report was published, if known."),
    ("polarity", "string", "positive or negative."),
    ("theme", "string", "The finding's theme."),
    ("text", "string", "The finding as printed."),
    ("value", "number", "For quantitative findings, the figure."),
    ("unit", "string", "percent or cases."),
    ("source_id", "string", "The document it was read from (sources.source_id)."),
    ("source_url", "string", "Where that document was published, if known."),
    ("source_publisher", "string", "Who published that document."),
    ("source_type", "string", "inspectorate, force, pcc, government, news, mirror or other."),
    ("licence", "string", "The licence of that document's text."),
]


def render_flat_csv(tables: dict[str, Path]) -> bytes | None:
    """The CSV's bytes (UTF-8, header row, \\n line ends, empty cell for null); None when the
    tables lack a column the sheet needs (a release of an older or a changed schema)."""
    con = duckdb.connect()
    try:
        params = {name: str(tables[name]) for name in ("findings", "forces", "inspections", "sources")}
        try:
            cur = con.execute(FLAT_SQL, params)
        except duckdb.BinderException:
            return None
        header = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row])
    return buf.getvalue().encode("utf-8")


def flat_resource(*, bytes_: int, sha256: str, rows: int) -> dict:
    return {
        "name": "findings_flat",
        "type": "table",
        "path": FLAT_NAME,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": "Every counted finding joined to its force, inspection and source: one sheet for "
                       "spreadsheet users (the Parquet tables are the reference).",
        "bytes": bytes_,
        "ncpiBytes": bytes_,
        "hash": f"sha256:{sha256}",
        "rows": rows,
        "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in FLAT_FIELDS],
                   "primaryKey": ["finding_id"]},
    }
