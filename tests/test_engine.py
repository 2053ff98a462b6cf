"""The local engine on tasks of its own (no chemistry): order, time limit, crashes, recycling; and verify on it."""

import os
import signal
import time
from dataclasses import dataclass

import pandas as pd
import pytest

from chemprops import checks as ck
from chemprops import engine
from chemprops.errors import InputError
from chemprops.verify import verify


@dataclass(frozen=True)
class Squares:
    """A toy task: squares its numbers; 'hang' sleeps, 'crash' kills its process; skipped rows give None."""

    steps: tuple[str, ...] = ("square",)

    def __call__(self, chunk, skip, watch):
        out = []
        for i, value in enumerate(chunk):
            if watch is not None:
                watch.row(i)
                watch.step(0)
            if skip and i in skip:
                out.append(next(iter(skip[i].values())))
                continue
            if value == "hang":
                time.sleep(60)
            if value == "crash":
                os.kill(os.getpid(), signal.SIGSEGV)
            out.append(value * value)
        if watch is not None:
            watch.idle()
        return out

    def count(self, result):
        return len(result), sum(isinstance(v, str) for v in result)

    def encode(self, result, first):
        return result


def run(chunks, **options):
    parts = []
    summary = engine.run(chunks, Squares(), parts.append, **options)
    return [v for part in parts for v in part], summary


@pytest.mark.parametrize("jobs, time_limit", [(1, None), (1, 30), (2, 30)])
def test_results_come_back_in_input_order(jobs, time_limit):
    chunks = [list(range(i, i + 3)) for i in range(0, 30, 3)]
    values, summary = run(chunks, jobs=jobs, time_limit=time_limit)
    assert values == [n * n for n in range(30)]
    assert (summary.rows, summary.failed) == (30, 0)


@pytest.mark.slow
def test_a_hung_step_is_stopped_and_only_its_row_is_lost():
    started = time.perf_counter()
    values, summary = run([[1, "hang", 3], [4, "crash", 6]], jobs=2, time_limit=1.0)
    assert time.perf_counter() - started < 20
    assert values[0] == 1 and values[2] == 9 and values[3] == 16 and values[5] == 36
    assert values[1] == "square took longer than 1 s (time limit); left empty"
    assert values[4] == "square crashed the worker; left empty"
    assert (summary.timeouts, summary.crashes) == (1, 1)


def test_workers_are_recycled(monkeypatch):
    monkeypatch.setattr(engine.local, "RECYCLE_ROWS", 4)
    values, _ = run([[n, n + 1] for n in range(0, 20, 2)], jobs=2, time_limit=30)
    assert values == [n * n for n in range(20)]


def test_bad_options_are_refused():
    with pytest.raises(InputError, match="jobs must be at least 1"):
        run([[1]], jobs=0)
    with pytest.raises(InputError, match="unknown engine 'spark'"):
        run([[1]], engine="spark")


# --- verify on the engine: one record that hangs a check does not take the run down ------------------------
def _slow_check(stated, facts, ctx):
    if stated == "slow":
        time.sleep(60)
    return ck.Outcome(str(stated), ck.PASS, "a test check")


@pytest.fixture
def slow_check():
    check = ck.register(ck.Check("slow_field", _slow_check, False, "sleeps on 'slow'"))
    yield check
    ck.CHECKS.remove(check)


@pytest.mark.slow
def test_verify_isolates_a_hung_check(slow_check):
    records = pd.DataFrame(
        {"smiles": ["O", "CCO", "N"], "formula": ["H2O", "C2H6O", "H3N"], "slow_field": ["a", "slow", "b"]}
    )
    report = verify(records, time_limit=1.0)
    rows = report.set_index(["id", "check"])
    assert rows.loc[("2", "slow_field"), "status"] == "skip"
    assert rows.loc[("2", "slow_field"), "message"] == "slow_field took longer than 1 s (time limit); left empty"
    assert rows.loc[("2", "formula"), "status"] == "pass"  # the rest of the record is checked
    assert (rows.xs("slow_field", level="check")["status"].tolist()) == ["pass", "skip", "pass"]


@dataclass(frozen=True)
class TwoSlowSteps:
    """A toy task with three steps per row; steps 0 and 2 hang on the value 'slow'."""

    steps: tuple[str, ...] = ("first", "second", "third")

    def __call__(self, chunk, skip, watch):
        out = []
        for i, value in enumerate(chunk):
            row_skip = (skip or {}).get(i, {})
            if watch is not None:
                watch.row(i)
            values = []
            for number, step in enumerate(self.steps):
                if step in row_skip:
                    values.append(row_skip[step])
                    continue
                if watch is not None:
                    watch.step(number)
                if value == "slow" and step in ("first", "third"):
                    time.sleep(60)
                values.append(f"{step}:{value}")
            out.append(values)
        if watch is not None:
            watch.idle()
        return out

    def count(self, result):
        return len(result), 0

    def encode(self, result, first):
        return result


@pytest.mark.slow
def test_a_row_with_several_slow_steps_keeps_the_rest():
    parts = []
    engine.run([["ok", "slow"]], TwoSlowSteps(), parts.append, jobs=1, time_limit=1.0)
    slow = parts[0][1]
    assert slow[1] == "second:slow"  # computed, kept
    assert slow[0] == "first took longer than 1 s (time limit); left empty"
    assert slow[2] == "third took longer than 1 s (time limit); left empty"
