import json

import pytest
from click.testing import CliRunner

from chemprops.cli import cli
from tests.conftest import BACLOFEN_INCHIKEY


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("query", ["NCC(CC(=O)O)c1ccc(Cl)cc1", "baclofen", "1134-47-0"])
def test_props_json(query):
    result = run("props", query, "--format", "json")
    assert result.exit_code == 0
    (row,) = json.loads(result.output)
    assert row["formula"] == "C10H12ClNO2"
    assert round(row["molar_mass"], 3) == 213.661
    assert round(row["exact_mass"], 4) == 213.0557
    assert row["inchikey"] == BACLOFEN_INCHIKEY
    assert row["undefined_stereocentres"] == 1


def test_props_table_shows_units():
    result = run("props", "baclofen")
    assert result.exit_code == 0
    assert "molar_mass (g/mol)" in result.output and "213.661" in result.output
    assert "tpsa (Å²)" in result.output


def test_props_csv_many(data_dir):
    result = run("props", str(data_dir / "three.smi"), "O", "--format", "csv", "--descriptors", "none")
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("name,source,formula,molar_mass")
    assert len(lines) == 5 and lines[-1].startswith(",SMILES,H2O,18.015")


def test_props_tsv():
    result = run("props", "O", "--format", "tsv", "-d", "tpsa")
    assert result.output.splitlines()[0].split("\t")[-1] == "tpsa"


@pytest.mark.parametrize(
    "args, message",
    [
        (["props", "C1CC1("], "Error: cannot parse SMILES 'C1CC1(': SMILES syntax error\n"),
        (["props", ""], "Error: empty query: give a SMILES, InChI, file, name, CAS number or InChIKey\n"),
        (["props", "10-00-4"], "Error: CAS 10-00-4 is in no offline table (add --online to ask PubChem)\n"),
        (["props", "nofile.sdf"], "Error: no such file: nofile.sdf\n"),
        (
            ["props", "O", "--descriptors", "bogus"],
            "Error: unknown descriptor 'bogus'; `chemprops descriptors` lists them\n",
        ),
    ],
)
def test_props_errors_are_one_line_exit_2(args, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert "Traceback" not in result.output


def test_props_bad_option_is_usage_error():
    result = CliRunner().invoke(cli, ["props", "O", "--format", "xml"])
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.stderr


def test_props_needs_a_query():
    result = CliRunner().invoke(cli, ["props"])
    assert result.exit_code == 2 and "Missing argument" in result.stderr


def test_unreadable_file(tmp_path):
    bad = tmp_path / "bad.sdf"
    bad.write_text("not a molfile\n\n\nM  END\n")
    result = CliRunner().invoke(cli, ["props", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "cannot parse MOL block" in result.stderr


def test_descriptors_lists_registry():
    result = run("descriptors", "--group", "core", "--format", "json")
    rows = json.loads(result.output)
    assert {"name": "tpsa", "units": "Å²", "group": "core"}.items() <= rows[2].items()
    assert len(json.loads(run("descriptors", "--format", "json").output)) > 200


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help, name


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "chemprops", "props", "O", "--format", "csv", "-d", "none"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ",H2O," in out.stdout


def test_props_writes_any_output_format(tmp_path):
    out = tmp_path / "props.jsonl"
    result = run("props", "baclofen", "O", "-o", str(out), "-d", "tpsa")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    # PubChem CID 2284 baclofen, CID 962 water
    assert [r["formula"] for r in lines] == ["C10H12ClNO2", "H2O"] and lines[0]["tpsa"] == 63.32


def test_conflicting_options_are_refused_in_one_line(tmp_path):
    result = run("props", "O", "-o", str(tmp_path / "x.csv"), "--format", "parquet")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: {tmp_path / 'x.csv'} has the suffix of csv, not parquet: rename it or drop the format\n"
    )
    result = run("props", "O", "-o", str(tmp_path / "x.csv"), "--format", "table")
    assert result.exit_code == 2 and "--format table is for the terminal" in result.stderr


@pytest.mark.slow
def test_props_contains_a_molecule_that_crashes_a_step():
    # a 20,000-carbon chain overflows the stack of RDKit's SMILES writer: the step is cut, the rest computed
    result = run("props", "C" * 20000, "-d", "none", "--format", "csv")
    assert result.exit_code == 0
    assert "smiles crashed the worker; left empty" in result.stderr
    assert ",C20000H40002,280542.016," in result.stdout


def test_props_keeps_the_good_results_when_one_query_fails():
    # PubChem: aspirin CID 2244 (C9H8O4), caffeine CID 2519 (C8H10N4O2)
    result = run("props", "aspirin", "zzqxnotachemical", "caffeine", "--format", "csv", "-d", "none")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].split(",")[-1] == "error" and len(lines) == 4
    assert lines[1].startswith("Aspirin,identifier table (") and ",C9H8O4," in lines[1]
    assert ",0,13,0,0," in lines[1]  # integers stay integers beside the failed row's empty cells
    assert lines[2].startswith("zzqxnotachemical,,,") and "not a name in the catalog or identifier table" in lines[2]
    assert ",C8H10N4O2," in lines[3]
    assert "Error: 'zzqxnotachemical'" in result.stderr


def test_names_lists_the_built_in_records():
    result = run("names", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "id,name,cas,synonyms,file"
    assert any(line.startswith("baclofen,baclofen,1134-47-0,Lioresal;") for line in lines)
    assert len(lines) == 1 + 22  # baclofen.toml and the 21 other GABA analogues
