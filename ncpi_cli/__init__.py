"""The `ncpi` command line: the layer above both `ncpi/` (plain functions) and `flows/`
(Prefect). It is the only place that starts flows, so `ncpi/` never imports Prefect."""
