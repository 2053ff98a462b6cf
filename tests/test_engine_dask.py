"""The Dask engine against the local engine, on real `distributed` clusters on loopback."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from chemprops.batch import batch
from chemprops.engine import dask as cluster
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The bad-input rows, repeated so there are several partitions, with a line of one field too many in the
    middle (a row with its reason on both engines)."""
    path = tmp_path_factory.mktemp("dask") / "in.csv"
    text = (DATA / "bad_input.csv").read_bytes()
    header, body = text.split(b"\n", 1)
    path.write_bytes(header + b"\n" + body * 10 + b"99,CCO,stray field,extra\n" + body * 10)
    return path


@pytest.fixture(scope="module")
def expected(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "local.csv"
    batch(str(source), str(out), chunk_size=20, time_limit=None)
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_local_cluster_equals_local_engine(source, expected, tmp_path):
    out = tmp_path / "dask.csv"
    summary = batch(str(source), str(out), jobs=2, chunk_size=20, scheduler="local", engine_name="dask")
    assert (summary.rows, summary.failed) == (261, 181)
    assert "line 132: 4 fields where the header has 3 (extra: 'extra')" in set(read(out)["error"])
    pd.testing.assert_frame_equal(read(out), expected)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scheduler_and_worker_as_separate_processes(source, expected, tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    dask = Path(sys.executable).with_name("dask")
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), *common],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(dask), "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1", *common],
        env={**env, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
        out = tmp_path / "remote.csv"
        started = time.perf_counter()
        summary = batch(str(source), str(out), chunk_size=20, scheduler=address, engine_name="dask")
        assert summary.rows == 261 and time.perf_counter() - started < 60
        pd.testing.assert_frame_equal(read(out), expected)
        folder = tmp_path / "dataset"  # a Parquet dataset, one file per partition
        summary = batch(str(source), str(folder) + "/", chunk_size=20, scheduler=address, engine_name="dask")
        frame = pd.read_parquet(folder)
        assert (summary.rows, summary.failed) == (261, 181) and len(list(folder.iterdir())) > 1
        assert frame["id"].tolist() == expected["id"].tolist()
        assert frame["formula"].fillna("").tolist() == expected["formula"].tolist()
        assert not list(tmp_path.glob(".*"))
        # a worker started as docs/batch.md says may fork: a crash costs one step, not the worker
        from chemprops import engine
        from tests.test_engine import Squares

        parts = []
        engine.run([[2, "crash"]], Squares(), parts.append, engine="dask", scheduler=address, time_limit=5)
        assert parts == [[4, "square crashed the worker; left empty"]]
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=20)


def test_unreachable_scheduler_is_one_line_error(source, monkeypatch):
    from chemprops.errors import InputError

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:"):
        batch(str(source), None, scheduler=f"tcp://127.0.0.1:{_free_port()}", engine_name="dask")


def test_dask_engine_reads_any_format_on_the_client(tmp_path):
    path = tmp_path / "x.smi"
    path.write_text("C methane\nC1CC1( broken\n")
    batch(str(path), str(tmp_path / "local.csv"), jobs=1)
    summary = batch(str(path), str(tmp_path / "dask.csv"), jobs=1, engine_name="dask")
    assert (summary.rows, summary.failed) == (2, 1)
    pd.testing.assert_frame_equal(read(tmp_path / "dask.csv"), read(tmp_path / "local.csv"))


def test_a_crash_or_a_hang_on_a_worker_costs_only_its_step():
    # the reproducers of the hostile-input audit: a segfault ended the run in KilledWorker, a hang never ended
    from chemprops import engine
    from tests.test_engine import Squares

    parts = []
    started = time.perf_counter()
    summary = engine.run([[1, "hang", 3], [4, "crash", 6], [7]], Squares(), parts.append, engine="dask", jobs=2,
                         time_limit=1.0)  # fmt: skip
    values = [v for part in parts for v in part]
    assert time.perf_counter() - started < 60
    assert values == [1, "square took longer than 1 s (time limit); left empty", 9, 16,
                      "square crashed the worker; left empty", 36, 49]  # fmt: skip
    assert (summary.rows, summary.failed) == (7, 2)
