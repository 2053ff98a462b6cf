"""The local engine: a pool of forked worker processes with a per-step time limit, crash recovery and
worker recycling, running any `Task` over chunks and giving the results back in input order.

Time limit: each worker writes into shared memory which row and step it is on and since when; the parent
checks every quarter second. A step that runs past the limit gets its worker killed and the chunk re-run in
a fresh worker with that step of that row skipped (the task reports it). A worker that crashes on a row is
handled the same way, with the whole row marked failed after three crashes. Normal rows pay only a few
shared-memory writes for this. Every worker is replaced by a fresh fork after RECYCLE_ROWS rows.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from rdkit import rdBase

from chemprops.errors import ChempropsError, one_line

DEFAULT_TIME_LIMIT = 60.0  # seconds per row and step (a descriptor, InChI, stereo perception, a check, ...)
RECYCLE_ROWS = 100_000  # a worker is replaced by a fresh fork after this many rows: its heap cannot creep


class Task(Protocol):
    """What an engine runs: picklable, called on one chunk at a time."""

    steps: list[str]  # names of the steps the watch numbers (a timed-out step is named in the message)

    def __call__(self, chunk, skip: dict[int, dict[str, str]], watch: Watch | None): ...

    def count(self, result) -> tuple[int, int]: ...  # (rows, failed rows) of a result

    def encode(self, result, first: bool): ...  # what `write` receives (bytes for a file, or the result)


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


def _worker(conn, array, task: Task, encode: bool, parent: int) -> None:
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
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, frame, skip, first = message
        try:
            result = task(frame, skip, watch)
            rows, bad = task.count(result)
            conn.send((index, task.encode(result, first) if encode else result, rows, bad, None))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            conn.send((index, None, 0, 0, f"{type(exc).__name__}: {one_line(exc)}"))


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with RDKit and pandas already imported
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _Slot:
    """One worker process and the chunk it is working on."""

    def __init__(self, ctx, task, encode):
        self.array = ctx.Array("d", [0.0, 0.0, 0.0], lock=False)
        self.conn, child = ctx.Pipe()
        args = (child, self.array, task, encode, os.getpid())
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


def _step_name(task: Task, number: int) -> str:
    if number < 0:
        return "parse"
    names = task.steps
    return names[number] if number < len(names) else "?"


def run_local(
    chunks: Iterable,
    task: Task,
    write: Callable[[object], None],
    jobs: int = 1,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Run `task` on every chunk in `jobs` worker processes and hand `task.encode(result, first)` to `write`,
    in input order. With one job and no time limit the chunks are run in this process."""
    summary = Summary()
    started = time.perf_counter()
    if jobs <= 1 and not time_limit:
        with rdBase.BlockLogs():
            for index, frame in enumerate(chunks):
                result = task(frame, {}, None)
                rows, bad = task.count(result)
                summary.rows += rows
                summary.failed += bad
                write(task.encode(result, index == 0))
                summary.seconds = time.perf_counter() - started
                if progress:
                    progress(summary)
        summary.seconds = time.perf_counter() - started
        return summary

    from multiprocessing.connection import wait

    ctx = _context()
    # With one worker this process has a core to spare: it encodes the output, the worker only computes.
    encode_here = jobs <= 1
    slots = [_Slot(ctx, task, not encode_here) for _ in range(max(1, jobs))]
    source: Iterator = iter(chunks)
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
                    _restart(slots, slot, ctx, task, not encode_here, retry, crashes, "crashed the worker")
                    continue
                if problem is not None:
                    raise ChempropsError(f"chunk {index} failed: {problem}")
                slot.task = None
                slot.rows += rows
                done[index] = (payload, rows, bad)
                if slot.rows >= RECYCLE_ROWS and (not exhausted or retry):
                    slot.stop()
                    slots[slots.index(slot)] = _Slot(ctx, task, not encode_here)
            fill()  # workers start their next chunk before this process encodes and writes the last ones
            while next_write in done:
                payload, rows, bad = done.pop(next_write)
                write(task.encode(payload, next_write == 0) if encode_here else payload)
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
                        _restart(slots, slot, ctx, task, not encode_here, retry, crashes, reason)
    finally:
        for slot in slots:
            if slot.task is None:
                slot.stop()
            else:
                slot.kill()
    summary.seconds = time.perf_counter() - started
    return summary


def _restart(slots, slot, ctx, task, encode, retry, crashes, reason) -> None:
    """Replace a killed or dead worker; its chunk goes back in the queue with the culprit step skipped."""
    row, number = int(slot.array[0]), int(slot.array[1])
    was_working = slot.array[2] != 0.0
    index, frame, skip, first = slot.task
    slot.kill()
    slots[slots.index(slot)] = _Slot(ctx, task, encode)
    if not was_working:
        raise ChempropsError(f"a worker died outside any molecule (chunk {index}); giving up")
    step = _step_name(task, number)
    key = (index, row, step)
    crashes[key] = crashes.get(key, 0) + 1
    skip = {r: dict(s) for r, s in skip.items()}
    # Each slow or crashing step of a row is skipped on its own (the row keeps every other value, and its
    # message names each step cut); only parsing, or a step that fails again once skipped, fails the row.
    if step != "parse" and crashes[key] < 2:
        skip.setdefault(row, {})[step] = f"{step} {reason}; left empty"
    else:
        what = "parsing" if step == "parse" else step
        skip.setdefault(row, {})["*"] = "; ".join([*skip.get(row, {}).values(), f"{what} {reason}"])
    retry.appendleft((index, frame, skip, first))
