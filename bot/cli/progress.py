"""Progress bars for long command-line operations (exports of many cycles, email replay).

On standard error and only on a terminal, so piped output (`export > file`) stays clean and
CI logs stay readable. Operations report `(done, total)`; the bar appears on the first report
of a long enough operation and is removed when it ends.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class ProgressReporter:
    """Call it with (done, total); use it as a context manager so the bar is always closed."""

    def __init__(self, description: str, *, console: Console | None = None,
                 min_total: int = 5) -> None:
        self.description = description
        self.console = console or Console(stderr=True)
        self.min_total = min_total
        self.reports = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    @property
    def active(self) -> bool:
        return self._progress is not None

    def __call__(self, done: int, total: int) -> None:
        self.reports += 1
        if self._progress is None:
            if not self.console.is_terminal or total < self.min_total:
                return
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=self.console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
