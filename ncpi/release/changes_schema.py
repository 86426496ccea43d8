"""CHANGES.parquet — one row per record that changed since the previous release.

Declared like the dataset's own tables (schemas/), so its Arrow schema, its data
dictionary entry and its manifest resource are generated the same way.
"""
import pandera.pandas as pa
from pandera.typing import Series

CHANGE_TYPES = ["added", "removed", "modified"]


class Changes(pa.DataFrameModel):
    table: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The table the record belongs to, e.g. findings.")
    key: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The record's primary key: the value itself for a one-column key, a JSON array of the values for a composite key (quarantine).")
    change_type: Series[str] = pa.Field(isin=CHANGE_TYPES, metadata={"arrow": "string", "enum": CHANGE_TYPES},
        description="added (key new in this release), removed (key gone) or modified (same key, other values).")
    changed_columns: Series[object] = pa.Field(metadata={"arrow": "list<string>"},
        description="For modified records, the columns whose values changed, in table order; empty for added and removed records.")
    churn_key: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="ID churn: for a removed record whose content reappeared under another key, that new key; for the added record, the key it replaced. Null otherwise.")

    class Config:
        strict = True
        metadata = {
            "name": "changes",
            "description": "One row per record added, removed or modified since the previous release, with ID churn marked.",
            "primary_key": ["table", "key", "change_type"],
        }
