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
-- The inspectorate's catalogue of NCPI reports (reference data, raw/reference/ncpi_reports.csv).
CREATE OR REPLACE VIEW reports AS SELECT * FROM read_parquet('tables/reports.parquet');
-- Coverage: every force x every catalogued report, and what the dataset holds for it.
-- status: first_hand (a release by the inspectorate reports on it), news_only (only news,
-- force, PCC or other copies do), nothing (no source reports on it yet), and
-- no_report_catalogued for a force the catalogue has no report of (report columns null).
-- A source counts when inspection_sources says it reports on (role subject) an inspection
-- reconciled to the report.
CREATE OR REPLACE VIEW coverage AS
WITH reporting AS (
    SELECT i.report_id, s.source_id, s.source_type
    FROM inspections i
    JOIN inspection_sources l ON l.inspection_id = i.inspection_id AND l.role = 'subject'
    JOIN sources s ON s.source_id = l.source_id
    WHERE i.report_id IS NOT NULL
), per_report AS (
    SELECT report_id,
           count(DISTINCT source_id) FILTER (WHERE source_type = 'inspectorate') AS first_hand_sources,
           count(DISTINCT source_id) FILTER (WHERE source_type <> 'inspectorate') AS other_sources
    FROM reporting
    GROUP BY report_id
)
SELECT f.force_id, f.name AS force_name, r.report_id, r.kind, r.title, r.published_date,
       r.published_precision, r.confirmed,
       coalesce(p.first_hand_sources, 0) AS first_hand_sources,
       coalesce(p.other_sources, 0) AS other_sources,
       CASE WHEN r.report_id IS NULL THEN 'no_report_catalogued'
            WHEN coalesce(p.first_hand_sources, 0) > 0 THEN 'first_hand'
            WHEN coalesce(p.other_sources, 0) > 0 THEN 'news_only'
            ELSE 'nothing' END AS status
FROM forces f
LEFT JOIN reports r ON r.force_id = f.force_id
LEFT JOIN per_report p ON p.report_id = r.report_id;
