"""Pure extraction: call parse_document(text) in a REPL; nothing here imports Prefect."""
