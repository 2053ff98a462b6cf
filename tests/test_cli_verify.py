import json

import pytest
from click.testing import CliRunner

from chemprops.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_baclofen_exit_0_with_table_and_summary():
    result = run("verify", "baclofen")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("baclofen\ncheck")
    assert "molar_mass   213.661 g/mol" in result.output
    assert "1 record, 10 rows: 7 pass, 0 fail, 0 warn, 3 unverified, 0 skip" in result.output


def test_failing_record_exit_1_and_json(data_dir):
    result = run("verify", str(data_dir / "verify_mixed.csv"), "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert list(rows[0]) == ["id", "check", "stated", "computed", "status", "message", "form"]
    assert {r["id"] for r in rows if r["status"] == "fail"} == {"bad baclofen", "broken"}


@pytest.mark.parametrize("suffix", ["csv", "json", "md"])
def test_output_files(tmp_path, data_dir, suffix):
    out = tmp_path / f"report.{suffix}"
    result = run("verify", str(data_dir / "caffeine_record.json"), "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "caffeine" in text and f"report written to {out}" in result.output
    if suffix == "csv":
        assert text.splitlines()[0] == "id,check,stated,computed,status,message,form"


def test_many_records_give_a_summary_by_check(data_dir):
    result = run("verify", str(data_dir / "verify_clean_records.csv"), "--jobs", "1")
    assert result.exit_code == 0
    assert "by check and status:" in result.output and "iupac_name" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("300 records, ")


def test_csv_format_to_stdout():
    result = run("verify", "baclofen", "--format", "csv")
    assert result.output.splitlines()[0] == "id,check,stated,computed,status,message,form"


@pytest.mark.parametrize(
    "args, message",
    [
        (["verify", "nofile.csv"], "Error: no such file: nofile.csv\n"),
        (["verify", "unobtainium"], "Error: 'unobtainium' is neither a file nor a built-in record name\n"),
        (
            ["verify", "baclofen", "-o", "r.xlsx"],
            "Error: unknown file type '.xlsx' for r.xlsx; known: csv, tsv, jsonl, json, parquet, toml, yaml, md, sdf, "
            "smi, wikitext, infobox\n",
        ),
    ],
)
def test_unreadable_input_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output == message


def test_bad_file_exit_2(tmp_path):
    bad = tmp_path / "r.toml"
    bad.write_text("name = ", encoding="utf-8")
    result = run("verify", str(bad))
    assert result.exit_code == 2 and result.output.startswith(f"Error: cannot read {bad}: invalid TOML")


def test_identifiers_option(tmp_path):
    # Caffeine's CAS 58-08-2 (PubChem CID 2519) stated for theophylline (CID 2153): caught by the offline table.
    table = tmp_path / "ids.csv"
    table.write_text("cas,smiles\n58-08-2,CN1C=NC2=C1C(=O)N(C(=O)N2C)C\n", encoding="utf-8")
    record = tmp_path / "theophylline.toml"
    record.write_text(
        'name = "theophylline"\nsmiles = "CN1C2=C(C(=O)N(C1=O)C)NC=N2"\ncas = "58-08-2"\n', encoding="utf-8"
    )
    result = run("verify", str(record), "--identifiers", str(table), "--format", "csv")
    assert result.exit_code == 1 and "names CN1C=NC2=C1C(=O)N(C(=O)N2C)C (RYYVLZVUVIJVGH-UHFFFAOYSA-N)" in result.output


def test_verify_refuses_to_overwrite_its_input(tmp_path, data_dir):
    source = tmp_path / "records.csv"
    source.write_bytes((data_dir / "verify_mixed.csv").read_bytes())
    result = run("verify", str(source), "-o", str(source))
    assert result.exit_code == 2 and "is the input" in result.output
    assert source.read_bytes() == (data_dir / "verify_mixed.csv").read_bytes()


def test_verify_writes_a_markdown_report_with_its_summary(tmp_path):
    out = tmp_path / "report.md"
    result = run("verify", "baclofen", "-o", str(out), "-q")
    assert result.exit_code == 0
    text = out.read_text()
    assert text.startswith("# chemprops verify\n\n1 record, 10 rows: 7 pass, 0 fail, 0 warn, 3 unverified")
    assert "| id | check | stated | computed | status | message |" in text
