import csv
import io
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from chemprops.cli import cli
from tests.conftest import BACLOFEN_INCHIKEY, BACLOFEN_SMILES, DATA

ROOT = Path(__file__).resolve().parents[1]


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_bad_input_file_rows_out_equal_rows_in(tmp_path):
    out = tmp_path / "out.csv"
    result = run("batch", str(DATA / "bad_input.csv"), "-o", str(out), "--chunk-size", "4", "--jobs", "2")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(frame) == 13 and frame["id"].tolist()[-1] == "13"
    assert frame["formula"].tolist()[-1] == "C8H10N4O2"  # caffeine, PubChem CID 2519
    assert (frame["error"] != "").sum() == 9
    assert result.stderr.startswith("chemprops batch: 13 rows, 4 ok, 9 failed, ")
    assert result.stderr.rstrip().endswith(f"-> {out}") and result.stderr.count("\n") == 1


def test_strict_exits_1_when_a_row_failed(tmp_path):
    out = tmp_path / "out.csv"
    assert run("batch", str(DATA / "bad_input.csv"), "-o", str(out), "--strict", "-q").exit_code == 1
    assert out.exists()
    good = tmp_path / "good.smi"
    good.write_text(f"{BACLOFEN_SMILES} baclofen\n")
    result = run("batch", str(good), "--strict", "-q")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[1].startswith(f"{BACLOFEN_SMILES},baclofen,C10H12ClNO2,213.661,")
    assert BACLOFEN_INCHIKEY in result.stdout


def test_missing_smiles_column_exit_2_lists_columns(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,structure_text\n1,CCO\n")
    result = run("batch", str(source))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no SMILES column found; the columns are: id, structure_text; name the SMILES column, or give "
        "--name-col for a column of names, CAS numbers or InChIKeys\n"
    )
    result = run("batch", str(source), "--smiles-col", "structure_text", "-q")
    assert result.exit_code == 0 and ",C2H6O," in result.stdout
    result = run("batch", str(source), "--smiles-col", "smiles", "-q")
    assert result.exit_code == 2 and "no column 'smiles'; the columns are: id, structure_text" in result.stderr


def test_stdin_and_formats():
    result = run("batch", "-", "--input-format", "smi", "--format", "jsonl", "-q", input="O water\n")
    assert result.exit_code == 0
    assert '"name":"water","formula":"H2O"' in result.stdout  # PubChem CID 962


def test_unreadable_input_is_one_line():
    result = run("batch", "nofile.csv")
    assert result.exit_code == 2 and result.stderr == "Error: cannot read nofile.csv: No such file or directory\n"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_run_leaves_no_file_under_the_output_name(tmp_path, sig):
    source = tmp_path / "in.csv"
    source.write_text("smiles\n" + f"{BACLOFEN_SMILES}\n" * 30000)
    out = tmp_path / "out.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "chemprops", "batch", str(source), "-o", str(out), "--jobs", "2", "--chunk-size", "200"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some output has been written
        parts = list(tmp_path.glob(".out.csv.*.part"))
        if parts and parts[0].stat().st_size > 10000:
            break
        time.sleep(0.05)
    else:
        pytest.fail("no partial output appeared")
    import psutil

    workers = psutil.Process(process.pid).children()
    process.send_signal(sig)
    process.wait(timeout=30)
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []  # no orphaned worker, even after kill -9
    assert process.returncode != 0
    assert not out.exists()
    if sig != signal.SIGKILL:  # a catchable signal also removes the temporary file
        assert list(tmp_path.glob(".out.csv*")) == []
        assert b"Traceback" not in process.stderr.read()


def test_csv_to_csv_runs_without_pandas(tmp_path):
    """The plain route: `chemprops batch` from CSV to CSV never imports pandas (half a second of start-up)."""
    out = tmp_path / "out.csv"
    code = (
        "import sys; from chemprops.cli import cli\n"
        f"try: cli(['batch', {str(DATA / 'bad_input.csv')!r}, '-o', {str(out)!r}, '-q'])\n"
        "except SystemExit as exit: assert exit.code in (0, None), exit.code\n"
        "print('pandas' in sys.modules, 'pyarrow' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False False", result.stderr
    assert len(pd.read_csv(out, dtype=str, keep_default_na=False)) == 13


def test_batch_refuses_to_overwrite_its_input_and_a_full_folder(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("smiles\nCCO\n")
    result = run("batch", str(source), "-o", str(source))
    assert result.exit_code == 2 and "is the input" in result.output
    assert source.read_text() == "smiles\nCCO\n"
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    result = run("batch", str(source), "-o", str(folder) + "/")
    assert result.exit_code == 2 and "is a folder that is not empty" in result.output
    assert (folder / "keep.txt").read_text() == "mine"


def test_batch_writes_a_parquet_dataset_into_a_new_folder(tmp_path):
    import pandas as pd

    source = tmp_path / "in.csv"
    source.write_text("smiles\nCCO\nO\nC1CC1(\n")
    result = run("batch", str(source), "-o", str(tmp_path / "out") + "/", "--chunk-size", "2", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["part.0.parquet", "part.1.parquet"]
    frame = pd.read_parquet(tmp_path / "out")
    assert frame["formula"].tolist()[:2] == ["C2H6O", "H2O"] and frame["error"].tolist()[2].startswith("cannot parse")


def test_batch_resolves_a_column_of_names_when_there_is_no_structure(tmp_path):
    # PubChem: aspirin CID 2244 (CAS 50-78-2, BSYNRYMUTXBXSQ-UHFFFAOYSA-N), caffeine CID 2519
    source = tmp_path / "names.csv"
    source.write_text("drug,dose\naspirin,100\nzzqxnotachemical,1\n50-78-2,2\nCAFFEINE,3\n,4\n")
    result = CliRunner().invoke(cli, ["batch", str(source), "--name-col", "drug", "-d", "none"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["drug"] for r in rows] == ["aspirin", "zzqxnotachemical", "50-78-2", "CAFFEINE", ""]
    assert rows[0]["inchikey"] == rows[2]["inchikey"] == "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"
    assert rows[0]["source"].startswith("identifier table (") and "CAS 50-78-2" in rows[2]["source"]
    assert rows[3]["inchikey"] == "RYYVLZVUVIJVGH-UHFFFAOYSA-N"
    assert "not a name in the catalog or identifier table" in rows[1]["error"] and rows[1]["source"] == ""
    assert rows[4]["error"] == "empty name"
    without = CliRunner().invoke(cli, ["batch", str(source)])
    assert without.exit_code == 2 and "give --name-col" in without.output


def test_batch_names_are_never_read_as_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aspirin").write_text("CCO\n")
    (tmp_path / "e.csv").write_text("smiles,name\nCCO,ethanol\n")
    (tmp_path / "n.csv").write_text("name\naspirin\ne.csv\n/etc/hostname\n~nouserhere\n")
    result = CliRunner().invoke(cli, ["batch", "n.csv", "--name-col", "name", "-d", "none", "-q"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["inchikey"] == "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"  # aspirin (PubChem CID 2244), not the file
    assert all(r["inchikey"] == "" and r["error"] for r in rows[1:])
    assert not any("file" in r["source"] for r in rows)
