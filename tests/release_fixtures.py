"""Small, realistic tables for the release tests, written the way the build writes them."""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import schemas
from ncpi.ids import span_id


def cut_sample_release(warehouse: Path) -> Path:
    """Write the sample tables into warehouse/tables and cut release 1.0.0 from them."""
    from ncpi.release import cut_release

    write_tables(warehouse / "tables")
    cut_release(warehouse / "tables", warehouse / "releases")
    return warehouse / "releases" / "1.0.0"


def _hex(s: str, n: int = 16) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:n]


SRC_A = _hex("raw-a")
SRC_B = _hex("raw-b")
TEXT_A = ("Northumbria Police has made progress in how it protects children, according to a report "
          "released today. The force has improved training. It still needs to improve its IT system.")
TEXT_B = "Norfolk Constabulary has improved its response to missing children, the inspectorate found."


def finding(i: int, *, source_id: str = SRC_A, polarity: str = "positive", text: str | None = None,
            force_id: str = "northumbria", inspection_id: str = "northumbria-post_inspection_review-2019") -> dict:
    start = 100 + 40 * i
    return {
        "finding_id": span_id("finding", source_id, start, start + 30),
        "inspection_id": inspection_id,
        "force_id": force_id,
        "source_id": source_id,
        "polarity": polarity,
        "theme": "training" if polarity == "positive" else "it_systems",
        "polarity_rule": "polarity.fixture", "theme_rule": "theme.fixture",
        "text": text or f"Finding number {i} about the force",
        "span_start": start,
        "span_end": start + 30,
        "value": 26.0 if i == 2 else None,
        "unit": "percent" if i == 2 else None,
    }


def base_tables(n_findings: int = 4) -> dict[str, list[dict]]:
    forces = [
        {"force_id": "northumbria", "name": "Northumbria Police", "short_name": "Northumbria",
         "aliases": ["Northumbria Constabulary"], "country": "England", "region": "North East", "ons_code": "E23000007"},
        {"force_id": "norfolk", "name": "Norfolk Constabulary", "short_name": "Norfolk",
         "aliases": [], "country": "England", "region": "East of England", "ons_code": "E23000028"},
        {"force_id": "dyfed-powys", "name": "Dyfed-Powys Police", "short_name": "Dyfed-Powys",
         "aliases": ["Heddlu Dyfed-Powys"], "country": "Wales", "region": "Wales", "ons_code": "W15000004"},
    ]
    sources = [
        {"source_id": SRC_A, "path": "seeds/a.txt", "url": "https://example.org/a", "publisher": "HMICFRS",
         "title": "Northumbria Police makes progress", "published_date": dt.date(2019, 5, 1),
         "inspectorate": "HMICFRS", "sha256": hashlib.sha256(b"raw-a").hexdigest(), "text": TEXT_A,
         "text_withheld": None, "source_type": "inspectorate", "source_type_rule": "source.url.inspectorate",
         "licence": "OGL-3.0", "copy_group": SRC_A, "is_canonical": True, "quality_flags": []},
        {"source_id": SRC_B, "path": "seeds/b.txt", "url": None, "publisher": "Police Professional",
         "title": "Norfolk improves", "published_date": dt.date(2016, 3, 2),
         "inspectorate": "HMIC", "sha256": hashlib.sha256(b"raw-b").hexdigest(), "text": None,
         "text_withheld": "© Police Professional: not openly licensed", "source_type": "news",
         "source_type_rule": "source.publisher.outlet", "licence": "© Police Professional", "copy_group": SRC_B,
         "is_canonical": True, "quality_flags": ["weekday_date_mismatch"]},
    ]
    inspections = [
        {"inspection_id": "northumbria-inspection-2018", "force_id": "northumbria", "kind": "inspection",
         "report_title": None, "fieldwork_start": dt.date(2018, 1, 1), "fieldwork_end": dt.date(2018, 1, 31),
         "published_date": None, "date_precision": "month", "inspectorate": "HMICFRS", "lead_inspector": None,
         "previous_inspection_id": None, "is_subject": False, "report_id": None, "quality_flags": [], "kind_rule": "kind.fixture"},
        {"inspection_id": "northumbria-post_inspection_review-2019", "force_id": "northumbria",
         "kind": "post_inspection_review", "report_title": "Northumbria Police – post inspection review",
         "fieldwork_start": dt.date(2019, 1, 1), "fieldwork_end": dt.date(2019, 1, 31),
         "published_date": dt.date(2019, 5, 1), "date_precision": "month", "inspectorate": "HMICFRS",
         "lead_inspector": "Phil Gormley", "previous_inspection_id": "northumbria-inspection-2018",
         "is_subject": True, "report_id": None, "quality_flags": [], "kind_rule": "kind.fixture"},
        {"inspection_id": "norfolk-inspection-2015", "force_id": "norfolk", "kind": "inspection",
         "report_title": None, "fieldwork_start": None, "fieldwork_end": None,
         "published_date": dt.date(2016, 3, 2), "date_precision": "day", "inspectorate": "HMIC",
         "lead_inspector": None, "previous_inspection_id": None, "is_subject": True, "report_id": None, "quality_flags": [], "kind_rule": "kind.fixture"},
    ]
    inspection_sources = [
        {"inspection_id": "northumbria-inspection-2018", "source_id": SRC_A, "role": "mentioned",
         "span_start": 120, "span_end": 140},
        {"inspection_id": "northumbria-post_inspection_review-2019", "source_id": SRC_A, "role": "subject",
         "span_start": 0, "span_end": 16},
        {"inspection_id": "norfolk-inspection-2015", "source_id": SRC_B, "role": "subject",
         "span_start": 0, "span_end": 20},
    ]
    findings = [finding(i, polarity="positive" if i % 3 else "negative") for i in range(n_findings)]
    findings.append(finding(0, source_id=SRC_B, force_id="norfolk", inspection_id="norfolk-inspection-2015",
                            text="Norfolk responds well to missing children"))
    statements = [
        {"statement_id": span_id("statement", SRC_A, 300, 420), "source_id": SRC_A,
         "inspection_id": "northumbria-post_inspection_review-2019", "force_id": "northumbria",
         "speaker_name": "Phil Gormley", "speaker_role": "HM Inspector of Constabulary", "role_rule": "role.fixture",
         "text": "I am pleased with the progress.\n\nMore remains to be done.", "span_start": 300, "span_end": 420},
    ]
    contact_notes = [
        {"contact_id": span_id("contact", SRC_A, 500, 540), "source_id": SRC_A,
         "organisation": "HMICFRS press office", "kind": "office_hours", "purpose": None,
         "phone_raw": "020 3513 0600", "phone_e164": "+442035130600", "days": "Mon-Fri",
         "opens": dt.time(9, 0), "closes": dt.time(17, 0), "quality_flags": []},
        {"contact_id": span_id("contact", SRC_A, 541, 590), "source_id": SRC_A,
         "organisation": "HMICFRS press office", "kind": "out_of_hours", "purpose": "urgent media enquiries",
         "phone_raw": "07836 217 729", "phone_e164": "+447836217729", "days": None,
         "opens": None, "closes": None, "quality_flags": []},
    ]
    quarantine = [
        {"path": "seeds/broken.bin", "sha256": _hex("broken", 64), "stage": "read", "rule": "not_text",
         "reason": "seeds/broken.bin is not text."},
    ]
    return {"sources": sources, "forces": forces, "inspections": inspections,
            "inspection_sources": inspection_sources, "findings": findings, "statements": statements,
            "contact_notes": contact_notes, "duplicates": [], "quarantine": quarantine}


def write_tables(out_dir: Path, tables: dict[str, list[dict]] | None = None, models: dict | None = None) -> Path:
    """Write every table as Parquet (same writer options as the build) and return out_dir."""
    tables = copy.deepcopy(tables if tables is not None else base_tables())
    models = models or schemas.TABLES
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, model in models.items():
        schema = schemas.arrow_schema(model)
        rows = [{k: r.get(k) for k in schema.names} for r in tables.get(name, [])]
        t = pa.Table.from_pylist(rows, schema=schema)
        pq.write_table(t, out_dir / f"{name}.parquet", compression="zstd", compression_level=3,
                       use_dictionary=True, write_statistics=True, store_schema=True)
    return out_dir


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}
