"""One engine for every many-molecule job (batch, verify, compare, the Python API): `run()` takes chunks and a
`Task`, runs it on local worker processes (time limit, crash recovery, recycling) or on a Dask cluster, and
hands the results to `write` in input order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from chemprops.engine.local import DEFAULT_TIME_LIMIT, RECYCLE_ROWS, Summary, Task, Watch, run_local
from chemprops.errors import InputError

ENGINES = ("local", "dask")

__all__ = ["DEFAULT_TIME_LIMIT", "ENGINES", "RECYCLE_ROWS", "Summary", "Task", "Watch", "default_jobs", "run"]


def default_jobs() -> int:
    """The one default for --jobs: every core, up to 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def run(
    chunks: Iterable,
    task: Task,
    write: Callable[[object], None],
    *,
    engine: str = "local",
    jobs: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    scheduler: str | None = "local",
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Run `task` on every chunk with `engine` ("local" or "dask") and `jobs` workers (default: every core,
    up to 8); `time_limit` seconds per row and step (None: no limit), on either engine."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise InputError("jobs must be at least 1")
    if engine == "local":
        return run_local(chunks, task, write, jobs, time_limit, progress)
    if engine == "dask":
        from chemprops.engine.dask import run_dask

        return run_dask(chunks, task, write, jobs, scheduler, progress, time_limit)
    raise InputError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
