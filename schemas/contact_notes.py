"""contact_notes — one row per press-office contact printed in a release's Notes."""
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import HEX16


class ContactNotes(pa.DataFrameModel):
    contact_id: Series[str] = pa.Field(unique=True, str_matches=HEX16, metadata={"arrow": "string"},
        description="Stable hash of source_id and span; primary key.")
    source_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The document; foreign key to sources.")
    organisation: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Whose press office, e.g. HMICFRS press office.")
    kind: Series[str] = pa.Field(isin=["office_hours", "out_of_hours"], metadata={"arrow": "string", "enum": ["office_hours", "out_of_hours"]},
        description="office_hours or out_of_hours.")
    purpose: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="What the line is for, e.g. urgent media enquiries.")
    phone_raw: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The number as printed.")
    phone_e164: Series[str] = pa.Field(str_matches=r"^\+\d{8,15}$", metadata={"arrow": "string"},
        description="The number in E.164 form, e.g. +442035130600.")
    days: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="Days the line is staffed, e.g. Mon-Fri.")
    opens: Series[object] = pa.Field(nullable=True, metadata={"arrow": "time32[ms]"},
        description="Opening time, e.g. 09:00.")
    closes: Series[object] = pa.Field(nullable=True, metadata={"arrow": "time32[ms]"},
        description="Closing time, e.g. 17:00.")
    quality_flags: Series[object] = pa.Field(metadata={"arrow": "list<string>"},
        description="Problems with this line, e.g. office_hours_uses_out_of_hours_number.")

    class Config:
        strict = True
        metadata = {
            "name": "contact_notes",
            "description": "One row per press-office contact printed in a release's Notes.",
            "primary_key": ["contact_id"],
            "foreign_keys": [
                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
            ],
        }
