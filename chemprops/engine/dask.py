"""The Dask engine: the same `Task` on a Dask cluster, results written in input order by this process.

`scheduler="local"` starts a LocalCluster of `jobs` single-threaded worker processes (Dask's nanny sets
OMP/MKL/OpenBLAS threads to 1 in each worker); `tcp://host:port` uses a running scheduler. A chunk may be
data, or a description the task reads on the worker (a `formats.Block` of a CSV file on a shared file
system), so the client never holds more than a window of chunks.

On each worker a chunk runs under the local engine in one forked process, with the same per-step time limit and
crash isolation as a local run: a molecule that hangs or crashes RDKit costs its step, not the worker (which
Dask would otherwise retry and then end the run with KilledWorker). The LocalCluster's workers are started
non-daemonic so that they may fork; a worker of another cluster that may not (a daemonic process) runs the
chunk itself, without that protection (start such workers with `distributed.worker.daemon: false`).
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from chemprops.engine.local import Summary, Task, run_local
from chemprops.errors import DependencyError, InputError, one_line

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler


def client_for(scheduler: str | None, jobs: int):
    """A Dask client (and the LocalCluster it owns, or None for a running scheduler)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DependencyError("the dask engine needs `pip install chemprops[dask]`") from exc
    if scheduler in (None, "", "local"):
        import dask

        with dask.config.set({"distributed.worker.daemon": False}):  # workers fork a guarded process per chunk
            cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
            )
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT), None
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(exc)}") from exc


@dataclass(frozen=True)
class _Nth:
    """A task encoding its one chunk as the chunk's place in the whole run says (a header only on the first)."""

    task: Task
    first: bool

    @property
    def steps(self) -> list[str]:
        return self.task.steps

    def __call__(self, chunk, skip, watch):
        return self.task(chunk, skip, watch)

    def count(self, result) -> tuple[int, int]:
        return self.task.count(result)

    def encode(self, result, first: bool):
        return self.task.encode(result, self.first)


def _call(task: Task, chunk, first: bool, time_limit: float | None):
    """On a worker: one chunk under the local engine (a forked process, the time limit, crash isolation)."""
    if multiprocessing.current_process().daemon:  # may not fork: run here, unguarded
        time_limit = None
    out: list = []
    summary = run_local([chunk], _Nth(task, first), out.append, jobs=1, time_limit=time_limit)
    return out[0], summary.rows, summary.failed


def run_dask(
    chunks: Iterable,
    task: Task,
    write: Callable[[object], None],
    jobs: int = 1,
    scheduler: str | None = "local",
    progress: Callable[[Summary], None] | None = None,
    time_limit: float | None = None,
) -> Summary:
    """Run `task` on every chunk on a Dask cluster, a window of chunks ahead, and `write` the results in order."""
    summary = Summary()
    started = time.perf_counter()
    client, cluster = client_for(scheduler, jobs)
    try:
        ahead = 2 * max(1, len(client.ncores())) + 1
        source = iter(enumerate(chunks))
        window: deque = deque()

        def submit() -> None:
            item = next(source, None)
            if item is not None:
                index, chunk = item
                window.append(client.submit(_call, task, chunk, index == 0, time_limit, pure=False))

        for _ in range(ahead):
            submit()
        while window:
            payload, rows, bad = window.popleft().result()
            submit()
            write(payload)
            summary.rows += rows
            summary.failed += bad
            summary.seconds = time.perf_counter() - started
            if progress:
                progress(summary)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary
