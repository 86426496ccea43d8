"""Progress for long fetches: a rich bar on a terminal, quiet log lines otherwise."""
from __future__ import annotations

import logging
import sys
from typing import Protocol

log = logging.getLogger("ncpi.fetch")


class Progress(Protocol):
    def start(self, total: int, description: str) -> None: ...
    def advance(self, label: str) -> None: ...
    def stop(self) -> None: ...


class QuietProgress:
    """No bar: one DEBUG line per URL, so logs stay readable when nothing is wrong."""

    def __init__(self, logger: logging.Logger = log):
        self.logger = logger
        self.total = 0
        self.done = 0

    def start(self, total: int, description: str) -> None:
        self.total, self.done = total, 0
        self.logger.debug("%s: %d URL(s)", description, total)

    def advance(self, label: str) -> None:
        self.done += 1
        self.logger.debug("[%d/%d] %s", self.done, self.total, label)

    def stop(self) -> None:
        pass


class RichProgress:
    """A transient rich progress bar on stderr (only used when stderr is a terminal)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as _P, TextColumn, TimeElapsedColumn

        self._progress = _P(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[label]}", style="dim"),
            console=Console(stderr=True), transient=True,
        )
        self._task = None

    def start(self, total: int, description: str) -> None:
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(description, total=total, label="")
        else:
            self._progress.update(self._task, description=description, total=total, completed=0, label="")

    def advance(self, label: str) -> None:
        if self._task is not None:
            self._progress.update(self._task, advance=1, label=label[-60:])

    def stop(self) -> None:
        if self._task is not None:
            self._progress.stop()
            self._task = None


def make_progress(enabled: bool | None = None) -> Progress:
    """A rich bar if `enabled` (default: stderr is a terminal), else quiet logging."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    return RichProgress() if enabled else QuietProgress()
