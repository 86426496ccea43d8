"""Read-only SQL over the dataset: the view definitions (views.sql), the sandbox every
`ncpi sql` query runs in (sandbox.py), output formats (output.py) and queries against a
release published over HTTP (remote.py)."""
