"""reports — the inspectorate's own catalogue of NCPI reports (reference table).

Curated in raw/reference/ncpi_reports.csv with its sources in ncpi_reports.md beside it.
"""
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import SLUG
from schemas.inspections import KINDS

REPORT_KINDS = [k for k in KINDS if k != "unknown"]
PRECISIONS = ["day", "month", "year"]


class Reports(pa.DataFrameModel):
    report_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9-]+-[a-z_]+-\d{4}(?:-\d+)?$", metadata={"arrow": "string"},
        description="force_id-kind-year of publication, e.g. derbyshire-re_inspection-2022; a second report of the same force, kind and year ends -2; primary key.")
    force_id: Series[str] = pa.Field(str_matches=SLUG, metadata={"arrow": "string"},
        description="The inspected force; foreign key to forces.")
    title: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The report's title as the inspectorate publishes it; null when it could not be read from an inspectorate page.")
    kind: Series[str] = pa.Field(isin=REPORT_KINDS, metadata={"arrow": "string", "enum": REPORT_KINDS},
        description="inspection, post_inspection_review, assessment_of_progress or re_inspection, as the inspectorate names the report.")
    published_date: Series[object] = pa.Field(metadata={"arrow": "date32"},
        description="When the report was published (first day of the month or year when only those are known, see published_precision).")
    published_precision: Series[str] = pa.Field(isin=PRECISIONS, metadata={"arrow": "string", "enum": PRECISIONS},
        description="Precision of published_date: day, month or year.")
    fieldwork_start: Series[object] = pa.Field(nullable=True, metadata={"arrow": "date32"},
        description="First day of the fieldwork the report states ('in May 2022' gives 2022-05-01).")
    fieldwork_end: Series[object] = pa.Field(nullable=True, metadata={"arrow": "date32"},
        description="Last day of the fieldwork the report states ('in May 2022' gives 2022-05-31).")
    lead_inspector: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The HM Inspector named for the report, name only, where a source states it.")
    url: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The report's page on the inspectorate's website.")
    source_url: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Where the row's facts were read (the report page itself when confirmed).")
    confirmed: Series[bool] = pa.Field(metadata={"arrow": "bool"},
        description="True when title, url and day of publication were read on the inspectorate's own report page.")
    note: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="What is unconfirmed or unusual about the row, and where the other facts come from.")

    class Config:
        strict = True
        metadata = {
            "name": "reports",
            "description": "Reference table: the inspectorate's catalogue of NCPI reports, one row per published report.",
            "primary_key": ["report_id"],
            "foreign_keys": [
                {"fields": ["force_id"], "reference": {"resource": "forces", "fields": ["force_id"]}},
            ],
        }
