-- One view per table over the current build. Paths are relative to the warehouse
-- folder: every connection is opened with file_search_path set to it (ncpi.warehouse.connect),
-- so the views work from any working directory.
CREATE OR REPLACE VIEW sources AS SELECT * FROM read_parquet('tables/sources.parquet');
CREATE OR REPLACE VIEW forces AS SELECT * FROM read_parquet('tables/forces.parquet');
CREATE OR REPLACE VIEW inspections AS SELECT * FROM read_parquet('tables/inspections.parquet');
CREATE OR REPLACE VIEW inspection_sources AS SELECT * FROM read_parquet('tables/inspection_sources.parquet');
CREATE OR REPLACE VIEW findings AS SELECT * FROM read_parquet('tables/findings.parquet');
CREATE OR REPLACE VIEW statements AS SELECT * FROM read_parquet('tables/statements.parquet');
CREATE OR REPLACE VIEW contact_notes AS SELECT * FROM read_parquet('tables/contact_notes.parquet');
-- Counted once: findings, statements and contact_notes hold one row per point; every other
-- place a point was read (a copy of the article, a story restating it) is in duplicates.
CREATE OR REPLACE VIEW duplicates AS SELECT * FROM read_parquet('tables/duplicates.parquet');
CREATE OR REPLACE VIEW quarantine AS SELECT * FROM read_parquet('tables/quarantine.parquet');
