"""forces — the 43 territorial police forces of England and Wales (reference table)."""
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import SLUG


class Forces(pa.DataFrameModel):
    force_id: Series[str] = pa.Field(unique=True, str_matches=SLUG, metadata={"arrow": "string"},
        description="Lower-case slug of the short name, e.g. northumbria, devon-and-cornwall; primary key.")
    name: Series[str] = pa.Field(unique=True, metadata={"arrow": "string"},
        description="Official name, e.g. Northumbria Police, Norfolk Constabulary.")
    short_name: Series[str] = pa.Field(unique=True, metadata={"arrow": "string"},
        description="Short name, e.g. Northumbria.")
    aliases: Series[object] = pa.Field(metadata={"arrow": "list<string>"},
        description="Other names releases use for the force (MPS, the Met, GMP, Devon & Cornwall ...).")
    country: Series[str] = pa.Field(isin=["England", "Wales"], metadata={"arrow": "string", "enum": ["England", "Wales"]},
        description="England or Wales.")
    region: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="ONS region of England, or Wales.")
    ons_code: Series[str] = pa.Field(unique=True, str_matches=r"^(E23|W15)\d{6}$", metadata={"arrow": "string"},
        description="ONS police force area code, E23000xxx or W15000xxx.")

    class Config:
        strict = True
        metadata = {
            "name": "forces",
            "description": "Reference table: every territorial police force of England and Wales, mentioned or not.",
            "primary_key": ["force_id"],
        }
