"""datapackage.json: a Frictionless Data Package (v2) generated from the pandera schemas.

Everything here is a pure function of the models, the files and the release facts, and
the JSON is written with sorted keys, so the same release always gives the same bytes.
"""
from __future__ import annotations

import json
import re
from typing import Any

import pyarrow as pa

from schemas._base import FRICTIONLESS_TYPES, field_specs, table_meta

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

PACKAGE_NAME = "ncpi"
PACKAGE_TITLE = "National Child Protection Inspections (NCPI): findings from HMIC/HMICFRS press releases"
PACKAGE_DESCRIPTION = (
    "Structured data read from the press releases of HM Inspectorate of Constabulary (HMIC; "
    "HMICFRS from 19 July 2017) about its National Child Protection Inspection programme of the "
    "police forces of England and Wales: the inspections, the strengths and weaknesses the "
    "inspectorate found, what HM Inspectors said, and the press-office contacts printed with them."
)
KEYWORDS = ["child protection", "police", "inspection", "HMICFRS", "HMIC", "England", "Wales"]

LICENCE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."

# Who publishes the source documents. HMICFRS is always named: it is the originating
# publisher of every release, whoever republished the copy we read.
KNOWN_PUBLISHERS = {
    "HMICFRS": {
        "title": "HM Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)",
        "path": "https://hmicfrs.justiceinspectorates.gov.uk/",
    },
    "HMIC": {
        "title": "HM Inspectorate of Constabulary (HMIC), HMICFRS since 19 July 2017",
        "path": "https://hmicfrs.justiceinspectorates.gov.uk/",
    },
}


def frictionless_type(arrow_type: pa.DataType) -> str:
    """The Table Schema type a Parquet column of this Arrow type is described with.

    Lists and structs are `any`: frictionless-py reads them from Parquet as numpy arrays
    and dicts that its `array`, `list` and `object` types reject (see FRICTIONLESS_TYPES).
    """
    t = arrow_type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_time(t):
        return "time"
    if pa.types.is_timestamp(t):
        return "datetime"
    return "any"


# Appended to the description of a list column, which the Table Schema type alone
# (`any`) does not describe.
LIST_NOTE = (" A list of strings (Parquet list<string>, see ncpiArrowType); declared as Table "
             "Schema type any because frictionless-py reads Parquet lists as numpy arrays, "
             "which its array type rejects.")


def _xsd_pattern(pattern: str) -> str:
    """A pandera str_matches regex as a Table Schema pattern (implicitly anchored, no (?:)."""
    p = pattern
    if p.startswith("^"):
        p = p[1:]
    if p.endswith("$") and not p.endswith("\\$"):
        p = p[:-1]
    return p.replace("(?:", "(")


def field_descriptor(model, spec: dict) -> dict:
    """One Table Schema field from a pandera column: type, description, constraints."""
    col = model.to_schema().columns[spec["name"]]
    constraints: dict[str, Any] = {}
    if not spec["nullable"]:
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    for check in col.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            constraints["enum"] = list(stats["allowed_values"])
        elif check.name == "str_matches":
            constraints["pattern"] = _xsd_pattern(str(stats["pattern"]))
        elif check.name == "greater_than_or_equal_to":
            constraints["minimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            constraints["maximum"] = stats["max_value"]
        elif check.name == "str_length":
            if stats.get("min_value") is not None:
                constraints["minLength"] = stats["min_value"]
            if stats.get("max_value") is not None:
                constraints["maxLength"] = stats["max_value"]
    description = spec["description"]
    if spec["arrow"] == "list<string>":
        description += LIST_NOTE
    out: dict[str, Any] = {
        "name": spec["name"],
        "type": FRICTIONLESS_TYPES[spec["arrow"]],
        "description": description,
        # The exact Parquet column type, which `ncpi verify` checks and the Table
        # Schema type cannot always say (a list is `any` there).
        "ncpiArrowType": spec["arrow"],
    }
    if constraints:
        out["constraints"] = constraints
    return out


def resource_schema(model) -> dict:
    """The Table Schema of a table: fields, primaryKey, foreignKeys (self-references omit resource)."""
    meta = table_meta(model)
    schema: dict[str, Any] = {
        "fields": [field_descriptor(model, spec) for spec in field_specs(model)],
        "primaryKey": list(meta["primary_key"]),
    }
    fks = []
    for fk in meta.get("foreign_keys") or []:
        ref = {"fields": list(fk["reference"]["fields"])}
        if fk["reference"]["resource"] != meta["name"]:
            ref["resource"] = fk["reference"]["resource"]
        fks.append({"fields": list(fk["fields"]), "reference": ref})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def resource_descriptor(model, *, path: str, bytes_: int, sha256: str, rows: int) -> dict:
    """One Data Package resource for a Parquet file.

    The file size is `ncpiBytes`, not the standard `bytes`: frictionless-py 5 reads Parquet
    through pyarrow without counting bytes, so any `bytes` makes `frictionless validate`
    fail with byte-count ("actual is None"), and no descriptor property turns that check
    off. `hash` stays standard: frictionless skips it when it has no hash of its own.
    `ncpi verify` checks both against the file.
    """
    meta = table_meta(model)
    return {
        "name": meta["name"],
        "type": "table",
        "path": path,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "description": meta.get("description", ""),
        "ncpiBytes": bytes_,
        "hash": f"sha256:{sha256}",
        "rows": rows,
        "schema": resource_schema(model),
    }


def package_sources(publishers: list[str]) -> list[dict]:
    """HMICFRS first, then every other publisher named in sources.publisher, sorted."""
    out = [dict(KNOWN_PUBLISHERS["HMICFRS"])]
    for name in sorted({p for p in publishers if p and p != "HMICFRS"}):
        if name in KNOWN_PUBLISHERS:
            out.append(dict(KNOWN_PUBLISHERS[name]))
        else:
            out.append({"title": f"{name} (republished copies of HMIC/HMICFRS press releases)"})
    return out


def build_package(*, version: str, created: str | None, resources: list[dict],
                  publishers: list[str], release_info: dict, coverage: dict | None = None,
                  accuracy: dict | None = None, files: dict | None = None) -> dict:
    dp: dict[str, Any] = {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION + " " + ATTRIBUTION,
        "version": version,
        "keywords": list(KEYWORDS),
        "licenses": [dict(LICENCE)],
        "attribution": ATTRIBUTION,
        "sources": package_sources(publishers),
        "resources": resources,
        # Release facts, so the changelog and a rebuild never need anything but the folders.
        "ncpiRelease": release_info,
    }
    if coverage is not None:
        # When the documents were published and the inspections took place, and who owns
        # which text (per source type): read from the tables, see ncpi/release/coverage.py.
        dp["ncpiCoverage"] = coverage
    if accuracy:
        # How far to trust each column, as measured when the release was cut (docs/accuracy.md).
        dp["ncpiAccuracy"] = accuracy
    if files:
        # The card, charts and citation are not tables; their hashes are pinned here too.
        dp["ncpiFiles"] = files
    if created:
        dp["created"] = created
    return dp


def dumps(obj: Any) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 text, trailing newline."""
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
