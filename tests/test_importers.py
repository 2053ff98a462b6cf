import json
import tomllib

import pytest
from click.testing import CliRunner

from chemprops.cli import cli
from chemprops.errors import ParseError
from chemprops.importers import import_file, parse_infobox_text, parse_wikitext
from tests.conftest import DATA

MONOGRAPH = DATA.parents[1] / "structures" / "baclofen_wikipedia.txt"


def test_rendered_infobox_of_the_monograph():
    record = import_file(MONOGRAPH)
    # structures/baclofen_wikipedia.txt, the infobox at the top of the article
    assert record["name"] == "Baclofen"
    assert record["stereo"] == "1 : 1 mixture (racemate)"
    assert record["iupac_name"] == "(RS)-4-amino-3-(4-chlorophenyl)butanoic acid"
    assert record["cas"] == "1134-47-0"
    assert record["atc"] == "M03BX01"
    assert record["pubchem_cid"] == "2284"
    assert record["drugbank"] == "APRD00551"
    assert record["chemspider"] == "2197"
    assert record["formula"] == "C 10H12ClNO2"
    assert record["molar_mass"] == "213.661 g/mol"
    assert record["half_life"] == "1.5 to 4 hours"
    assert record["routes"] == "Oral, intrathecal"
    # the rendering kept only the link labels where the SMILES was
    assert "smiles" not in record and record["smiles_note"] == "eMolecules & PubChem"
    # the prose after the infobox is not read as fields
    assert "legal_status" not in record


def test_infobox_drug_wikitext(data_dir):
    record = import_file(data_dir / "baclofen_infobox_drug.wiki")
    assert record["name"] == "Baclofen"  # the page's bold title
    assert record["formula"] == "C10H12ClNO2"  # from | C=10 | H=12 | Cl=1 | N=1 | O=2
    assert record["molar_mass"] == "213.661 g/mol"  # {{val|213.661|u=g/mol}} with its <ref> dropped
    assert record["atc"] == "M03BX01"  # ATC_prefix + ATC_suffix
    assert record["cas"] == "1134-47-0" and record["pubchem_cid"] == "2284" and record["chemspider"] == "2197"
    assert record["iupac_name"] == "(RS)-4-amino-3-(4-chlorophenyl)butanoic acid"  # italics markup removed
    assert record["inchi"].startswith("InChI=1S/C10H12ClNO2/")
    assert record["inchikey"] == "KPYSYYIEGFHWSV-UHFFFAOYSA-N"
    assert record["routes"] == "By mouth, intrathecal"  # piped links as their labels
    assert record["stereo"] == "Racemic mixture"


def test_chembox_sections(data_dir):
    record = import_file(data_dir / "ethanol_chembox.wiki")
    assert record["name"] == "Ethanol" and record["iupac_name"] == "Ethanol"
    assert record["cas"] == "64-17-5" and record["smiles"] == "CCO"
    assert record["formula"] == "C2H6O"
    assert record["molar_mass"].startswith("46.069")
    assert record["inchikey"] == "LFQSCWFLJHTTHZ-UHFFFAOYSA-N"


def test_drugbox_with_charge():
    text = "{{Drugbox | drug_name = Ammonium | N=1 | H=4 | charge = +1 | CAS_number = 14798-03-9 }}"
    record = parse_wikitext(text)
    assert record["formula"] == "H4N+" and record["name"] == "Ammonium"


@pytest.mark.parametrize(
    "function, text, message",
    [
        (parse_wikitext, "'''Baclofen''' is a drug. {{cite web|url=x}}", "no {{Infobox drug}}"),
        (parse_infobox_text, "Just prose without any labels.\n", "no infobox fields"),
    ],
)
def test_errors(function, text, message):
    with pytest.raises(ParseError, match=message.replace("{", r"\{").replace("}", r"\}")):
        function(text)


def test_cli_import_writes_toml(tmp_path):
    out = tmp_path / "baclofen.toml"
    result = CliRunner().invoke(cli, ["import", str(MONOGRAPH), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    record = tomllib.loads(out.read_text())
    assert record["cas"] == "1134-47-0" and record["molar_mass"] == "213.661 g/mol"


def test_cli_import_json_and_stdout(tmp_path, data_dir):
    out = tmp_path / "ethanol.json"
    CliRunner().invoke(cli, ["import", str(data_dir / "ethanol_chembox.wiki"), "-o", str(out)], catch_exceptions=False)
    assert json.loads(out.read_text())["smiles"] == "CCO"
    result = CliRunner().invoke(cli, ["import", str(data_dir / "ethanol_chembox.wiki")])
    assert 'smiles = "CCO"' in result.output


def test_cli_import_errors(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot read")
    prose = tmp_path / "prose.txt"
    prose.write_text("Nothing here.\n")
    result = CliRunner().invoke(cli, ["import", str(prose)])
    assert result.exit_code == 2
    assert result.stderr == "Error: no infobox fields (e.g. 'CAS number', 'Formula', 'Mol. mass') found in the text\n"


def test_verify_reads_the_monograph_directly():
    """`verify` accepts the rendered infobox as it is; its missing SMILES comes from the built-in record by CAS."""
    from chemprops import verify

    report = verify(str(MONOGRAPH)).set_index("check")
    assert report.loc["structure", "status"] == "warn"
    assert "found by its CAS 1134-47-0" in report.loc["structure", "message"]
    for check in (
        "formula",
        "molar_mass",
        "cas",
        "pubchem_cid",
        "iupac_name",
        "stereo",
        "atc",
        "drugbank",
        "chemspider",
    ):
        # the CAS number gave the structure, so it is not checked against it
        expected = "unverified" if check in ("atc", "drugbank", "chemspider", "cas") else "pass"
        assert report.loc[check, "status"] == expected, check


def test_verify_reads_wikitext_directly(data_dir):
    from chemprops import verify

    report = verify(str(data_dir / "baclofen_infobox_drug.wiki"))
    assert set(report["status"]) == {"pass", "unverified"}  # unverified: UNII, ATC, DrugBank formats only
    assert set(report[report["status"] == "unverified"]["check"]) <= {"unii", "atc", "drugbank", "chemspider"}
    assert {"formula", "molar_mass", "inchikey", "iupac_name", "stereo", "unii"} <= set(report["check"])


def test_corrupted_wikitext_fails_on_that_field(tmp_path, data_dir):
    from chemprops import verify

    text = (data_dir / "baclofen_infobox_drug.wiki").read_text().replace("| Cl=1", "| Cl=2")
    page = tmp_path / "corrupt.wiki"
    page.write_text(text)
    report = verify(str(page)).set_index("check")["status"]
    assert report["formula"] == "fail"
    assert report.drop("formula").isin(["pass", "unverified"]).all()
