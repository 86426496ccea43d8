"""Datasette metadata for a release: table and column descriptions from the schemas
(schemas.TABLES, pandera field descriptions), falling back to the release's own
datapackage.json for tables and columns the current schemas do not know; facets that
suit each table; the dataset's licence and source."""
from __future__ import annotations

from pathlib import Path

from ncpi.browse.database import DB_FILE, release_tables

DATABASE = Path(DB_FILE).stem
# Columns worth a facet on a table's page, when the table has them.
FACETS = {
    "findings": ["theme", "polarity", "force_id", "inspection_id"],
    "statements": ["speaker_role", "force_id"],
    "inspections": ["kind", "force_id", "inspectorate"],
    "sources": ["publisher", "source_type", "licence", "inspectorate"],
    "forces": ["region", "country"],
    "contact_notes": ["kind", "organisation"],
    "quarantine": ["stage", "rule"],
    "inspection_sources": ["role"],
    "reports": ["kind", "force_id"],
}
# Canned queries on the database page, offered when the findings table has these columns.
QUERIES = {
    "concerns_by_theme": {
        "title": "Concerns and strengths by theme",
        "sql": "SELECT theme, sum(polarity = 'negative') AS concerns, sum(polarity = 'positive') AS strengths,\n"
               "       count(*) AS findings\nFROM findings GROUP BY theme ORDER BY concerns DESC, theme",
    },
    "findings_of_a_force": {
        "title": "Findings of one force (force_id, e.g. northumbria)",
        "sql": "SELECT inspection_id, polarity, theme, text, finding_id\nFROM findings WHERE force_id = :force_id\n"
               "ORDER BY inspection_id, polarity, theme",
    },
}
QUERY_COLUMNS = {"findings": {"theme", "polarity", "force_id", "inspection_id", "text", "finding_id"}}
LABELS = {"forces": "name", "inspections": "inspection_id", "sources": "title"}
LICENCE = "Open Government Licence v3.0 (Crown and police text); see each source's licence"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def schema_descriptions() -> dict[str, dict]:
    """Table name -> {description, fields: {column: description}} from schemas.TABLES."""
    from schemas import TABLES, field_specs, table_meta

    return {
        name: {
            "description": table_meta(model).get("description", ""),
            "fields": {f["name"]: f["description"] for f in field_specs(model)},
        }
        for name, model in TABLES.items()
    }


def datasette_metadata(folder: Path, columns: dict[str, list[str]]) -> dict:
    """Metadata for the release in `folder`; `columns` is table -> its columns in the database
    (so facets and descriptions name only columns that exist)."""
    from_schemas = schema_descriptions()
    from_release = release_tables(Path(folder))
    tables = {}
    for name, cols in columns.items():
        known = from_schemas.get(name, {"description": "", "fields": {}})
        shipped = from_release.get(name, {"description": "", "fields": {}})
        described = {c: known["fields"].get(c) or shipped["fields"].get(c) or "" for c in cols}
        entry = {
            "description": known["description"] or shipped["description"],
            "columns": {c: d for c, d in described.items() if d},
        }
        facets = [c for c in FACETS.get(name, []) if c in cols]
        if facets:
            entry["facets"] = facets
        if LABELS.get(name) in cols:
            entry["label_column"] = LABELS[name]
        if name.endswith("_fts"):
            entry["hidden"] = True
        tables[name] = entry
    return {
        "title": f"NCPI open dataset, release {Path(folder).name}",
        "description_html": "Findings, statements and inspections read from HMIC/HMICFRS press releases "
                            "about National Child Protection Inspections. <a href=\"/forces\">Browse by "
                            "force</a>: each force's inspections in time order with their findings, and "
                            "for every finding and statement an evidence page showing it in its source.",
        "license": LICENCE,
        "license_url": LICENCE_URL,
        "databases": {DATABASE: {"tables": tables, "queries": canned_queries(columns)}},
    }


def canned_queries(columns: dict[str, list[str]]) -> dict:
    have = all(need <= set(columns.get(t, [])) for t, need in QUERY_COLUMNS.items())
    return dict(QUERIES) if have else {}
