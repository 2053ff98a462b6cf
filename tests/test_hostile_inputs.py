"""Issue 13, tracebacks and silent wrong values: hostile inputs give one clear line, never a traceback."""

import json

from click.testing import CliRunner

from chemprops.cli import cli
from chemprops.rules import log_d


def run(*args):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result, text):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert text in result.output and "Traceback" not in result.output


def test_record_files_nested_too_deeply(tmp_path):
    for name, text in [
        ("deep.json", "[" * 5000 + "]" * 5000),
        ("deep.yaml", "a: " + "[" * 5000 + "]" * 5000),
        ("deep.toml", "a = " + "[" * 5000 + "]" * 5000),
    ]:
        path = tmp_path / name
        path.write_text(text)
        result = run("verify", str(path))
        assert result.exit_code == 2 and "Traceback" not in result.output, (name, result.output)


def test_a_json_line_nested_too_deeply_keeps_its_row(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"smiles": "O"}) + "\n" + "[" * 5000 + "]" * 5000 + "\n" + json.dumps({"smiles": "N"}))
    result = run("batch", str(path), "-q", "-d", "none")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 4 and "nested too deeply" in lines[2]


def test_a_huge_integer_in_json_is_one_line(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"smiles": "O", "pubchem_cid": ' + "9" * 5000 + "}")
    assert_one_line_error(run("verify", str(path)), "invalid JSON")


def test_a_utf16_file_says_so(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("smiles\nCCO\n".encode("utf-16"))
    assert_one_line_error(run("batch", str(path)), "UTF-16")


def test_an_empty_record_file_is_bad_input(tmp_path):
    for name, text in [("empty.json", "[]"), ("empty.toml", ""), ("empty.csv", "smiles,formula\n")]:
        path = tmp_path / name
        path.write_text(text)
        assert_one_line_error(run("verify", str(path)), "no records")


def test_an_absurd_pka_does_not_overflow():
    # a stated pKa of 400 overflowed 10**x in logD (compare)
    assert log_d(1.0, None, 400.0) < -390 and log_d(1.0, 400.0, None) == 1.0


def test_wikitext_with_tens_of_thousands_of_unclosed_tags_is_refused_fast(tmp_path):
    import time

    path = tmp_path / "page.wiki"
    path.write_text("{{Infobox drug | name = x | CAS_number = 50-78-2 " + "<ref>" * 40000 + "}}")
    started = time.perf_counter()
    assert_one_line_error(run("verify", str(path)), "tags, more than a page holds")
    assert time.perf_counter() - started < 10


def test_the_jvm_never_outlives_an_interrupted_run():
    import pytest

    from chemprops import opsin

    if opsin.unavailable_reason():
        pytest.skip(opsin.unavailable_reason())
    run_ = opsin.start(["ethanol"] * 20000)
    run_.stop()  # what Ctrl-C, an error or the end of the program now do
    assert run_._proc.poll() is not None


def test_a_huge_line_in_a_small_gz_is_skipped_with_its_reason(tmp_path, monkeypatch):
    import gzip

    from chemprops.formats import rows

    monkeypatch.setattr(rows, "MAX_LINE_BYTES", 1_000_000)  # the real bound is 64 MB; the same code path
    path = tmp_path / "in.smi.gz"
    path.write_bytes(gzip.compress(b"CCO ethanol\n" + b"C" * 5_000_000 + b" huge\nO water\n"))
    result = run("batch", str(path), "-q", "-d", "none")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 4 and "a line of 5,000,006 bytes, longer than 1,000,000: not read" in lines[2]
    assert lines[3].startswith("O,water,H2O")


def test_a_huge_csv_line_keeps_its_row_with_the_reason(tmp_path, monkeypatch):
    # the same bound for CSV/TSV: one line of gigabytes is read past, its row kept empty with the reason
    from chemprops.formats import delimited

    monkeypatch.setattr(delimited, "MAX_LINE_BYTES", 1_000_000)  # the real bound is 64 MB; the same code path
    path = tmp_path / "in.csv"
    path.write_bytes(b"smiles,name\nCCO,ethanol\n" + b"C" * 3_000_000 + b",huge\nO,water\n")
    result = run("batch", str(path), "-q", "-d", "none")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 4 and "line 3: 3,000,006 characters, longer than 1,000,000: not read" in lines[2]
    assert lines[3].startswith("O,water,H2O")


def test_a_quote_never_closed_is_said_before_it_fills_the_memory(tmp_path):
    import csv

    old = csv.field_size_limit(100_000)  # the real bound is 64 MB; the same code path
    try:
        path = tmp_path / "in.csv"
        path.write_bytes(b'smiles,name\nCCO,"ethanol\n' + b"CC,ethane\n" * 20_000)
        result = run("batch", str(path), "-q", "-d", "none")
    finally:
        csv.field_size_limit(old)
    assert_one_line_error(result, "field larger than field limit")


def test_binary_parquet_cells_say_so(tmp_path):
    import pandas as pd

    path = tmp_path / "bin.parquet"
    pd.DataFrame({"smiles": [b"\x00\x01CCO", "O"]}).to_parquet(path)
    result = run("batch", str(path), "-q", "-d", "none")
    assert result.exit_code == 0 and "binary data, not text" in result.output


def test_a_long_line_inside_a_quoted_field_keeps_rows_out_equal_rows_in(tmp_path, monkeypatch):
    # the skipped line leaves the quote it opened: the next line still closes the field, no phantom row
    from chemprops.formats import delimited

    monkeypatch.setattr(delimited, "MAX_LINE_BYTES", 1_000)
    path = tmp_path / "in.csv"
    path.write_text('id,smiles\na,CCO\nb,"' + "C" * 5_000 + '\nmore",x\nc,O\n')
    result = run("batch", str(path), "-q", "-d", "none", "--smiles-col", "smiles")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0 and len(lines) == 4
    assert lines[1].startswith("a,CCO") and lines[3].startswith("c,O") and "not read" in lines[2]


def test_verify_keeps_a_record_it_could_not_read(tmp_path, monkeypatch):
    from chemprops.formats import delimited

    monkeypatch.setattr(delimited, "MAX_LINE_BYTES", 1_000)
    path = tmp_path / "recs.csv"
    path.write_text("id,smiles,formula\na,O,H2O\nb," + "C" * 5_000 + ",CH4\nc,C,CH4\n")
    result = run("verify", str(path), "--format", "csv")
    rows = [line.split(",")[:5] for line in result.output.strip().splitlines()[1:]]
    assert [r[0] for r in rows] == ["a", "a", "2", "c", "c"]  # b (record 2) kept; its id was on that line
    assert rows[2][4] == "fail" and "not read" in result.output


def test_batch_reads_a_pipe_to_the_end(tmp_path):
    # the row estimate must not read ahead on a pipe (it took the rows away)
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("smiles\n" + "CCO\n" * 300))
    writer.start()
    result = run("batch", str(fifo), "--input-format", "csv", "-q", "-d", "none")
    writer.join()
    assert result.exit_code == 0 and len(result.output.strip().splitlines()) == 301
