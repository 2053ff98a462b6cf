"""The Dask engine: the same `Task` on a Dask cluster, results written in input order by this process.

`scheduler="local"` starts a LocalCluster of `jobs` single-threaded worker processes (Dask's nanny sets
OMP/MKL/OpenBLAS threads to 1 in each worker); `tcp://host:port` uses a running scheduler. A chunk may be
data, or a description the task reads on the worker (a `formats.Block` of a CSV file on a shared file
system), so the client never holds more than a window of chunks. The per-step time limit is the local
engine's; on Dask a hung task is Dask's to handle (`distributed.scheduler.allowed-failures`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

from chemprops.engine.local import Summary, Task
from chemprops.errors import DependencyError, InputError, one_line

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler


def client_for(scheduler: str | None, jobs: int):
    """A Dask client (and the LocalCluster it owns, or None for a running scheduler)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DependencyError("the dask engine needs `pip install chemprops[dask]`") from exc
    if scheduler in (None, "", "local"):
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT), None
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(exc)}") from exc


def _call(task: Task, chunk, first: bool):
    result = task(chunk, {}, None)
    rows, bad = task.count(result)
    return task.encode(result, first), rows, bad


def run_dask(
    chunks: Iterable,
    task: Task,
    write: Callable[[object], None],
    jobs: int = 1,
    scheduler: str | None = "local",
    progress: Callable[[Summary], None] | None = None,
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
                window.append(client.submit(_call, task, chunk, index == 0, pure=False))

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
