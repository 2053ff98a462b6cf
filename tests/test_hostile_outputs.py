"""Issue 13, data lost: outputs never destroy what chemprops did not write, never end truncated, and no value can
split an SD record or drive the terminal."""

import errno
import gzip
import os

import pandas as pd
import pytest
from click.testing import CliRunner

from chemprops import formats
from chemprops.cli import cli
from chemprops.errors import InputError
from chemprops.formats import files


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_a_full_disk_under_gzip_is_an_error_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "out.csv.gz"
    out = formats.Output(target)
    out.write_chunk(formats.Rows({"a": ["x"] * 1000}))

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(InputError, match="No space left on device"):
        out.commit()
    out.abort()
    assert list(tmp_path.iterdir()) == []


def test_gzip_output_is_complete(tmp_path):
    target = tmp_path / "out.csv.gz"
    out = formats.Output(target)
    out.write_chunk(formats.Rows({"a": [str(i) for i in range(5000)]}))
    out.commit()
    assert gzip.decompress(target.read_bytes()).decode().splitlines()[-1] == "4999"


def test_a_device_is_written_in_place_not_replaced():
    assert run("batch", "tests/data/three.smi", "-o", os.devnull, "--format", "csv", "-q").exit_code == 0
    assert not os.path.isfile(os.devnull)  # still the character device


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the reader
        with open(fifo, "rb") as handle:
            data = handle.read()
        os._exit(0 if data.startswith(b"input_smiles,name") else 1)
    result = run("batch", "tests/data/three.smi", "-o", str(fifo), "-q")
    _, status = os.waitpid(pid, 0)
    assert result.exit_code == 0 and os.waitstatus_to_exitcode(status) == 0
    assert fifo.is_fifo()


def test_a_symlink_keeps_pointing_at_its_target(tmp_path):
    target = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("batch", "tests/data/three.smi", "-o", str(link), "-q").exit_code == 0
    assert link.is_symlink() and target.read_text().startswith("input_smiles")


def test_a_value_holding_record_separators_cannot_split_an_sd_record(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame({"smiles": ["CCO", "O", "N"], "note": ["a\n$$$$\nb", "x\n\n>  <y>\nz", "plain"]}).to_csv(
        source, index=False
    )
    out = tmp_path / "out.sdf"
    assert run("batch", str(source), "-o", str(out), "-q").exit_code == 0
    text = out.read_text()
    assert text.count("\n$$$$\n") == 3
    back = run("batch", str(out), "-q", "-d", "none")
    assert back.exit_code == 0 and back.output.count("InChI=1S/") == 6  # three records, each read back


def test_control_characters_from_the_input_are_shown_escaped(tmp_path):
    source = tmp_path / "evil.csv"
    pd.DataFrame({"name": ["evil\x1b[2J"], "smiles": ["O"], "formula": ["H2O\x1b[8m"]}).to_csv(source, index=False)
    result = run("verify", str(source))
    assert "\x1b" not in result.output
    assert "evil\\x1b[2J" in result.output
