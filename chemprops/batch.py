"""Batches: properties of every row of a table, streamed in chunks, on local processes or a Dask cluster.

One chunk function, `compute_chunk`, turns a chunk of input rows (a DataFrame, or `io.Rows` read from a
text file) into the same rows with the computed columns (the stable names of `chemprops props`) and `error`
added. The local engine (`run`), the Dask engine (`chemprops.cluster`) and the Python API (`compute`) all
call it, so they give the same rows. pandas is imported only when a DataFrame is in play: a batch from CSV
to CSV runs on plain lists, and starts as fast as a bare RDKit script.

Nothing is lost: rows out = rows in, in input order. A row that cannot be parsed keeps its input values and
gets a one-line message in `error`; RDKit's log is blocked, so its complaints go to `error`, not stderr.

Time limit: each worker writes into shared memory which row and step (base step or descriptor) it is on and
since when; the parent checks every quarter second. A step that runs past the limit gets its worker killed
and the chunk re-run in a fresh worker with that step of that row skipped (its columns empty, a message in
`error`). A worker that crashes on a molecule is handled the same way, with the whole row marked failed.
Normal molecules pay only a few shared-memory writes per row for this.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rdkit import Chem, rdBase

from chemprops import io, properties
from chemprops.descriptors import select
from chemprops.errors import ChempropsError, InputError, ParseError, one_line
from chemprops.structure import mol_from_molblock, mol_from_smiles

if TYPE_CHECKING:
    import pandas as pd

ERROR = "error"
INPUT_PREFIX = "input_"  # an input column whose name a computed column takes is kept under this prefix
DEFAULT_TIME_LIMIT = 60.0  # seconds per molecule and step (a descriptor, InChI, stereo perception, ...)
RECYCLE_ROWS = 100_000  # a worker is replaced by a fresh fork after this many rows: its heap cannot creep


@dataclass(frozen=True)
class Settings:
    """What the chunk function needs: where the structure is and what to compute."""

    structure: str = "smiles"  # input column holding the structure
    kind: str = "smiles"  # "smiles" (SMILES/CXSMILES) or "molblock"
    descriptors: tuple[str, ...] = field(default_factory=lambda: tuple(d.name for d in select("core")))
    molblock: bool = False  # add a `molblock` column (SDF output from SMILES)

    @property
    def chosen(self):
        return _chosen(self.descriptors)

    def computed_columns(self) -> list[str]:
        extra = [io.MOLBLOCK] if self.molblock and self.kind != "molblock" else []
        return properties.columns(self.chosen) + [ERROR] + extra


def settings_for(
    columns: Iterable[str],
    kind: str = "smiles",
    smiles_col: str | None = None,
    descriptors: str | list[str] | None = "core",
    molblock: bool = False,
) -> Settings:
    """Settings for input with these columns; InputError (listing the columns) when the SMILES one is missing."""
    columns = [c for c in columns if c != io.READ_ERROR]
    chosen = tuple(d.name for d in select(descriptors))
    if kind == "molblock":
        structure = io.find_column(columns, smiles_col or io.MOLBLOCK)
    else:
        structure = io.find_column(columns, smiles_col)
    return Settings(structure, kind, chosen, molblock)


@lru_cache(maxsize=16)
def _chosen(names: tuple[str, ...]):
    return select(list(names))


@lru_cache(maxsize=16)
def _dtypes(names: tuple[str, ...]) -> dict[str, str]:
    """Column dtypes from a reference molecule (L-alanine): integers stay integers when a row fails."""
    row, _ = properties.values(Chem.MolFromSmiles("C[C@H](N)C(=O)O"), _chosen(names))
    out = {}
    for name, value in row.items():
        if isinstance(value, bool):
            out[name] = "boolean"
        elif isinstance(value, int):
            out[name] = "Int64"
        elif isinstance(value, float):
            out[name] = "float64"
        elif isinstance(value, str):
            out[name] = "str"
        else:
            out[name] = "object"
    return out


class Watch:
    """Where a worker is, in shared memory: row, step, start time (0 when idle)."""

    def __init__(self, array):
        self.array = array

        def step(number: int, array=array, now=time.monotonic) -> None:  # called before every step: kept lean
            array[1] = number
            array[2] = now()

        self.step = step

    def row(self, number: int) -> None:
        self.array[0] = number

    def idle(self) -> None:
        self.array[2] = 0.0


def parse_cell(text: object, kind: str) -> Chem.Mol:
    """The molecule in one input cell (SMILES or MOL block); ParseError with the reason, "empty ..." for blanks."""
    if not isinstance(text, str):
        if text is None or (isinstance(text, float) and math.isnan(text)) or type(text).__name__ == "NAType":
            raise ParseError("empty SMILES" if kind == "smiles" else "empty MOL block", "")
        text = str(text)
    if kind == "molblock":
        if not text.strip():
            raise ParseError("empty MOL block", text)
        if "\x00" in text:
            raise ParseError("MOL block contains a NUL byte", text)
        return mol_from_molblock(text)
    return mol_from_smiles(text)


def compute_chunk(
    frame: pd.DataFrame | io.Rows,
    settings: Settings,
    skip: dict[int, dict[str, str]] | None = None,
    watch: Watch | None = None,
) -> pd.DataFrame | io.Rows:
    """The input rows with the computed columns and `error` added, same index, same order, same kind.

    `skip` maps a row's position to {step: message} for steps not to run ("*" fails the whole row);
    `watch` records progress for the time-limit watchdog.
    """
    plain = isinstance(frame, io.Rows)
    source = frame.data if plain else frame
    n = len(frame)
    texts = list(source[settings.structure]) if settings.structure in source else [None] * n
    read_errors = list(source[io.READ_ERROR]) if io.READ_ERROR in source else None
    columns, errors, blocks = compute_rows(texts, settings, read_errors, skip, watch)
    computed: dict[str, list] = {**columns, ERROR: errors}
    if blocks is not None:
        computed[io.MOLBLOCK] = blocks
    dtypes = {**_dtypes(settings.descriptors), ERROR: "str", io.MOLBLOCK: "str"}
    renamed = _renamed(list(source), computed)
    if plain:
        kept = {renamed.get(c, c): v for c, v in frame.data.items() if c != io.READ_ERROR}
        return io.Rows({**kept, **computed}, frame.start, {**frame.dtypes, **dtypes})
    import pandas as pd

    out = io.Rows(computed, dtypes=dtypes).frame()  # each column in its dtype, as the plain route writes it
    out.index = frame.index
    kept = frame.drop(columns=[io.READ_ERROR], errors="ignore").rename(columns=renamed)
    return pd.concat([kept, out], axis=1)


def _renamed(columns: list[str], computed: dict) -> dict[str, str]:
    """New names of the input columns that a computed column takes: `input_<name>`, prefixed again while that
    is taken too (an input may already hold `input_formula`), so no column is lost or doubled."""
    taken = set(columns) | set(computed)
    out = {}
    for column in columns:
        if column in computed:
            name = f"{INPUT_PREFIX}{column}"
            while name in taken:
                name = f"{INPUT_PREFIX}{name}"
            taken.add(name)
            out[column] = name
    return out


def compute_rows(
    texts: list,
    settings: Settings,
    read_errors: list | None = None,
    skip: dict[int, dict[str, str]] | None = None,
    watch: Watch | None = None,
) -> tuple[dict[str, list], list[str], list[str] | None]:
    """The computed columns (name -> values), the error of each row and, when asked, MOL blocks: the
    per-molecule loop of `compute_chunk`, on plain lists."""
    chosen = settings.chosen
    names = properties.columns(chosen)
    n = len(texts)
    columns: dict[str, list] = {name: [None] * n for name in names}
    errors = [""] * n
    blocks = [""] * n if settings.molblock and settings.kind != "molblock" else None
    mark = watch.step if watch is not None else None
    with rdBase.BlockLogs():
        for i, text in enumerate(texts):
            if read_errors is not None and isinstance(read_errors[i], str) and read_errors[i]:
                errors[i] = read_errors[i]
                continue
            row_skip = skip.get(i) if skip else None
            if row_skip and "*" in row_skip:
                errors[i] = row_skip["*"]
                continue
            if watch is not None:
                watch.row(i)
                watch.step(-1)
            try:
                mol = parse_cell(text, settings.kind)
            except ParseError as exc:
                errors[i] = one_line(exc)
                continue
            except Exception as exc:  # noqa: BLE001 - any parser failure is this row's message
                errors[i] = f"cannot parse: {one_line(exc)}"
                continue
            row, problems = properties.values(mol, chosen, row_skip, mark, own=True)
            for name in names:
                columns[name][i] = row[name]
            if problems:
                errors[i] = "; ".join(problems)
            if blocks is not None:
                try:
                    blocks[i] = Chem.MolToMolBlock(mol)
                except Exception as exc:  # noqa: BLE001
                    errors[i] = "; ".join(filter(None, [errors[i], f"molblock: {one_line(exc)}"]))
    if watch is not None:
        watch.idle()
    return columns, errors, blocks


def failed(frame: pd.DataFrame | io.Rows) -> int:
    """Rows of a computed chunk with an error."""
    if isinstance(frame, io.Rows):
        return sum(1 for e in frame.data[ERROR] if e)
    return int((frame[ERROR].fillna("") != "").sum())


# --- the local engine -------------------------------------------------------------------------------------
@dataclass
class Summary:
    rows: int = 0
    failed: int = 0
    seconds: float = 0.0
    timeouts: int = 0
    crashes: int = 0

    @property
    def ok(self) -> int:
        return self.rows - self.failed

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _pin_threads() -> None:
    """One thread for BLAS/OpenMP in a worker: the processes are the parallelism (no oversubscription)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = "1"  # for libraries loaded from here on
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency; env vars still cover new loads
        return
    global _LIMITS
    _LIMITS = threadpool_limits(limits=1)  # for libraries already loaded (numpy's OpenBLAS)


_LIMITS = None


def _die_with(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (PR_SET_PDEATHSIG), even in a long computation."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG (prctl(2))
    except (OSError, AttributeError):  # not Linux: the poll loop in _worker still notices
        pass
    if os.getppid() != parent:
        os._exit(0)


def _worker(conn, array, settings: Settings, fmt: str | None, title: str | None, parent: int) -> None:
    """A worker process: receive chunks, send back encoded results; quiet on stderr, deaf to Ctrl-C."""
    import faulthandler
    import signal

    faulthandler.disable()  # a crash is reported by the parent, in the row's `error`
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # C++ libraries writing to stderr directly (RDKit's own log is blocked anyway)
    _pin_threads()
    _die_with(parent)
    watch = Watch(array)
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # the parent was killed (kill -9): do not linger
                    return
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, frame, skip, first = task
        try:
            result = compute_chunk(frame, settings, skip, watch)
            payload = io.encode(result, first, fmt, title) if fmt else result
            conn.send((index, payload, len(result), failed(result), None))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            conn.send((index, None, 0, 0, f"{type(exc).__name__}: {one_line(exc)}"))


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with RDKit and pandas already imported
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _Slot:
    """One worker process and the chunk it is working on."""

    def __init__(self, ctx, settings, fmt, title):
        self.array = ctx.Array("d", [0.0, 0.0, 0.0], lock=False)
        self.conn, child = ctx.Pipe()
        args = (child, self.array, settings, fmt, title, os.getpid())
        self.process = ctx.Process(target=_worker, args=args, daemon=True)
        self.process.start()
        child.close()
        self.task = None
        self.rows = 0  # rows computed by this worker

    def send(self, task) -> None:
        self.array[2] = 0.0
        self.task = task
        self.conn.send(task)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _step_name(settings: Settings, number: int) -> str:
    if number < 0:
        return "parse"
    names = properties.steps(settings.chosen)
    return names[number] if number < len(names) else "?"


def run(
    chunks: Iterable[pd.DataFrame | io.Rows],
    settings: Settings,
    write: Callable[[object], None],
    jobs: int = 1,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    fmt: str | None = None,
    title: str | None = None,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Compute every chunk on `jobs` worker processes and hand the results to `write`, in input order.

    Results are `io.encode(frame, first, fmt, title)` (bytes, or the frame for Parquet) or, with fmt None,
    the computed DataFrames. With one job and no time limit the chunks are computed in this process.
    """
    summary = Summary()
    started = time.perf_counter()
    if jobs <= 1 and not time_limit:
        with rdBase.BlockLogs():
            for index, frame in enumerate(chunks):
                result = compute_chunk(frame, settings)
                summary.rows += len(result)
                summary.failed += failed(result)
                write(io.encode(result, index == 0, fmt, title) if fmt else result)
                summary.seconds = time.perf_counter() - started
                if progress:
                    progress(summary)
        summary.seconds = time.perf_counter() - started
        return summary

    from multiprocessing.connection import wait

    ctx = _context()
    # With one worker this process has a core to spare: it encodes the output, the worker only computes.
    encode_here = jobs <= 1 and fmt is not None
    worker_fmt = None if encode_here else fmt
    slots = [_Slot(ctx, settings, worker_fmt, title) for _ in range(max(1, jobs))]
    source: Iterator[pd.DataFrame | io.Rows] = iter(chunks)
    retry: deque = deque()  # chunks to run again (after a timeout or a crash), before new ones
    done: dict[int, tuple] = {}  # finished chunks waiting for their turn to be written
    next_index = 0  # next chunk to read
    next_write = 0  # next chunk to write
    exhausted = False
    limit_ahead = 2 * len(slots) + 2  # chunks read but not yet written: bounds memory
    crashes: dict[tuple[int, int], int] = {}

    def fill() -> None:
        """Give every idle worker a chunk: one to retry first, else the next one read."""
        nonlocal exhausted, next_index
        for slot in slots:
            if slot.task is not None:
                continue
            if retry:
                slot.send(retry.popleft())
            elif not exhausted and next_index - next_write < limit_ahead:
                try:
                    frame = next(source)
                except StopIteration:
                    exhausted = True
                    continue
                slot.send((next_index, frame, {}, next_index == 0))
                next_index += 1

    try:
        while True:
            fill()
            busy = [s for s in slots if s.task is not None]
            if not busy and not retry and exhausted:
                break
            for conn in wait([s.conn for s in busy], timeout=0.25):
                slot = next(s for s in busy if s.conn is conn)
                try:
                    index, payload, rows, bad, problem = conn.recv()
                except (EOFError, OSError):
                    summary.crashes += 1
                    _restart(slots, slot, ctx, settings, worker_fmt, title, retry, crashes, "crashed the worker")
                    continue
                if problem is not None:
                    raise ChempropsError(f"chunk {index} failed: {problem}")
                slot.task = None
                slot.rows += rows
                done[index] = (payload, rows, bad)
                if slot.rows >= RECYCLE_ROWS and (not exhausted or retry):
                    slot.stop()
                    slots[slots.index(slot)] = _Slot(ctx, settings, worker_fmt, title)
            fill()  # workers start their next chunk before this process encodes and writes the last ones
            while next_write in done:
                payload, rows, bad = done.pop(next_write)
                write(io.encode(payload, next_write == 0, fmt, title) if encode_here else payload)
                summary.rows += rows
                summary.failed += bad
                next_write += 1
                summary.seconds = time.perf_counter() - started
                if progress:
                    progress(summary)
            if time_limit:
                now = time.monotonic()
                for slot in slots:
                    since = slot.array[2]
                    if slot.task is not None and since and now - since > time_limit:
                        summary.timeouts += 1
                        reason = f"took longer than {time_limit:g} s (time limit)"
                        _restart(slots, slot, ctx, settings, worker_fmt, title, retry, crashes, reason)
    finally:
        for slot in slots:
            if slot.task is None:
                slot.stop()
            else:
                slot.kill()
    summary.seconds = time.perf_counter() - started
    return summary


def _restart(slots, slot, ctx, settings, fmt, title, retry, crashes, reason) -> None:
    """Replace a killed or dead worker; its chunk goes back in the queue with the culprit step skipped."""
    row, number = int(slot.array[0]), int(slot.array[1])
    was_working = slot.array[2] != 0.0
    index, frame, skip, first = slot.task
    slot.kill()
    slots[slots.index(slot)] = _Slot(ctx, settings, fmt, title)
    if not was_working:
        raise ChempropsError(f"a worker died outside any molecule (chunk {index}); giving up")
    key = (index, row)
    crashes[key] = crashes.get(key, 0) + 1
    step = _step_name(settings, number)
    skip = {r: dict(s) for r, s in skip.items()}
    if step != "parse" and crashes[key] < 3:
        skip.setdefault(row, {})[step] = f"{step} {reason}; left empty"
    else:
        what = "parsing" if step == "parse" else step
        skip.setdefault(row, {})["*"] = f"{what} {reason}"
    retry.appendleft((index, frame, skip, first))


def _chain(first, rest):
    yield first
    yield from rest


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
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    progress: Callable[[Summary, float | None], None] | None = None,
) -> Summary:
    """Read `source` in chunks, compute, write `output` (stdout when None) through a temporary file."""
    if jobs < 1:
        raise InputError("--jobs must be at least 1")
    with io.Input(source, input_format, chunk_size) as reader:
        out_format = io.format_of(output or "-", output_format).name
        # Plain rows from CSV/TSV/.smi to CSV/TSV: no pandas anywhere in the run.
        chunks = reader.chunks(plain=io.FORMATS[out_format].plain)
        first = next(chunks, None)
        columns = list(first.columns) if first is not None else []
        if first is None:
            settings = Settings(descriptors=tuple(d.name for d in select(descriptors)))
        else:
            settings = settings_for(columns, reader.format.structure, smiles_col, descriptors, out_format == "sdf")
        if id_col is not None:
            io.find_column(columns, id_col, "id")
        writer = io.Output(output, out_format, title=id_col)

        read = [0, False]  # rows read so far, all read

        def all_chunks():
            if first is not None:
                for chunk in _chain(first, chunks):
                    read[0] += len(chunk)
                    yield chunk
            read[1] = True

        def report(summary: Summary) -> None:
            # Share done: rows written over the total, known once all is read, else estimated from the
            # bytes read (unknown while the reader's buffer holds the end of the file).
            if not progress:
                return
            share = reader.fraction
            total = read[0] if read[1] else (read[0] / share if share and share < 1 else None)
            progress(summary, min(1.0, summary.rows / total) if total else None)

        try:
            if first is None:
                writer.write(writer.encode(compute_chunk(io.Rows({"smiles": []}), settings), True))
                summary = Summary()
            else:
                summary = run(all_chunks(), settings, writer.write, jobs, time_limit, out_format, id_col, report)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
    return summary


# --- the Python API ---------------------------------------------------------------------------------------
def compute(
    data,
    descriptors: str | list[str] | None = "core",
    jobs: int = 1,
    smiles_col: str | None = None,
    chunk_size: int = 1000,
    time_limit: float | None = None,
) -> pd.DataFrame:
    """Properties of SMILES (a string, a list, a Series) or of a DataFrame's SMILES column, as a DataFrame.

    Same chunk function and columns as `chemprops batch`; rows out = rows in, failures in `error`.

    >>> compute(["CCO", "C1CC1("])["error"].tolist()
    ['', "cannot parse SMILES 'C1CC1(': SMILES syntax error"]
    """
    import pandas as pd

    if isinstance(data, str):
        data = [data]
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "smiles")
    if not isinstance(data, pd.DataFrame):
        data = pd.DataFrame({"smiles": list(data)})
    if jobs < 1:
        raise InputError("jobs must be at least 1")
    settings = settings_for(data.columns, smiles_col=smiles_col, descriptors=descriptors)
    chunk_size = max(1, int(chunk_size))
    chunks = (data.iloc[i : i + chunk_size] for i in range(0, len(data), chunk_size))
    parts: list[pd.DataFrame] = []
    run(chunks, settings, parts.append, jobs=jobs, time_limit=time_limit)
    if not parts:
        return compute_chunk(data.iloc[:0], settings)
    return pd.concat(parts)
