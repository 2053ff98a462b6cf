"""The Dask engine: the same chunk function on the partitions of a dask.dataframe, on any Dask cluster.

`scheduler="local"` starts a LocalCluster of `jobs` single-threaded worker processes (Dask's nanny sets
OMP/MKL/OpenBLAS threads to 1 in each worker); `tcp://host:port` uses a running scheduler. The input (CSV,
TSV or Parquet) is read by the workers in partitions; the output is a Parquet dataset when OUTPUT is a
folder (no suffix, or ending in /), else one file written in input order by this process.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import deque
from pathlib import Path

import pandas as pd

from chemprops import io
from chemprops.batch import ERROR, Settings, Summary, compute_chunk, failed, settings_for
from chemprops.errors import DependencyError, InputError, one_line

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler


def _client(scheduler: str, jobs: int):
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


def read(source: str, input_format: str | None = None, chunk_size: int = 1000):
    """The input as a dask DataFrame, every value as text, read as the local engine reads it."""
    import dask.dataframe as dd

    fmt = io.format_of(source, input_format)
    if source == "-" or fmt.name not in ("csv", "tsv", "parquet"):
        raise InputError("the dask engine reads CSV, TSV or Parquet files; use --engine local for the rest")
    if not Path(source).exists():
        raise InputError(f"cannot read {source}: no such file")
    if fmt.name == "parquet":
        return dd.read_parquet(source)
    # CSV/TSV: cut at record ends and parsed by the local engine's own reader, so that every line gives the
    # same row (a line with too many fields keeps its row with the reason, as locally).
    columns, blocks = io.delimited_blocks(source, "," if fmt.name == "csv" else "\t", max(1024, chunk_size * 100))
    meta = pd.DataFrame({c: pd.Series(dtype="str") for c in [*columns, io.READ_ERROR]})
    return dd.from_map(io.read_block, blocks, columns=columns, meta=meta, enforce_metadata=False)


def batch(
    source: str,
    output: str | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    smiles_col: str | None = None,
    id_col: str | None = None,
    descriptors: str | list[str] | None = "core",
    jobs: int = 1,
    chunk_size: int = 1000,
    scheduler: str = "local",
    progress=None,
) -> Summary:
    """Like `chemprops.batch.batch`, on a Dask cluster; the same rows, in the same order."""
    frame = read(source, input_format, chunk_size)
    folder = output is not None and (output.endswith(("/", os.sep)) or Path(output).is_dir())
    out_format = "parquet" if folder else io.format_of(output or "-", output_format).name
    settings = settings_for(list(frame.columns), "smiles", smiles_col, descriptors, out_format == "sdf")
    if id_col is not None:
        io.find_column(list(frame.columns), id_col, "id")
    meta = compute_chunk(frame._meta, settings)
    computed = frame.map_partitions(compute_chunk, settings, meta=meta)
    started = time.perf_counter()
    client, cluster = _client(scheduler, jobs)
    try:
        if folder:
            summary = _to_folder(computed, Path(output), client)
        else:
            summary = _to_file(computed, settings, output, out_format, id_col, client, progress, len(client.ncores()))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _to_folder(computed, path: Path, client) -> Summary:
    """A Parquet dataset (part.0.parquet, ... in input order), written beside and renamed at the end."""
    temp = path.with_name(f".{path.name.rstrip('/')}.{os.getpid()}.part")
    try:
        computed.to_parquet(str(temp), write_index=False, compute=True)
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        errors = pq.read_table(str(temp), columns=[ERROR])[ERROR]
        rows, bad = len(errors), int(pc.sum(pc.not_equal(pc.fill_null(errors, ""), "")).as_py() or 0)
        if path.exists():
            shutil.rmtree(path)
        os.replace(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return Summary(rows=rows, failed=bad)


def _to_file(computed, settings: Settings, output, out_format, id_col, client, progress, workers) -> Summary:
    """Partitions computed on the cluster, a few ahead, and written in order through `io.Output`."""
    writer = io.Output(output, out_format, title=id_col)
    summary = Summary()
    started = time.perf_counter()
    parts = iter(computed.to_delayed())
    window: deque = deque()
    try:
        for _ in range(2 * workers + 1):
            part = next(parts, None)
            if part is not None:
                window.append(client.compute(part))
        first = True
        while window:
            result = window.popleft().result()
            part = next(parts, None)
            if part is not None:
                window.append(client.compute(part))
            writer.write(writer.encode(result, first))
            first = False
            summary.rows += len(result)
            summary.failed += failed(result)
            summary.seconds = time.perf_counter() - started
            if progress:
                progress(summary, None)
        if first:
            writer.write(writer.encode(compute_chunk(pd.DataFrame({settings.structure: []}), settings), True))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return summary
