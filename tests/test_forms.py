"""Which form a stated value describes (chemprops.forms), on records from outside data (tests/data/README.md)."""

import pandas as pd
import pytest

from chemprops.verify import verify
from tests.conftest import DATA


@pytest.fixture(scope="module")
def report():
    records = pd.read_csv(DATA / "forms_records.csv", dtype=str, keep_default_na=False)
    stated = records[["id", "name", "smiles", "formula", "molar_mass", "inchikey"]]
    return records, verify(stated, checks=["formula", "molar_mass", "inchikey"], jobs=1)


def test_each_kind_of_form_is_named(report):
    records, rows = report
    for case in records[records["field"] != ""].itertuples():
        row = rows[(rows["id"] == case.id) & (rows["check"] == case.field)].iloc[0]
        assert row["form"].startswith(case.form), (case.id, row["form"], row["message"])
        assert row["status"] == case.status, (case.id, row["status"], row["message"])
        assert "is that of the" in row["message"]


def test_a_record_of_the_form_itself_gets_no_form(report):
    records, rows = report
    clean = set(records[records["field"] == ""]["id"])
    mine = rows[rows["id"].isin(clean)]
    assert len(mine) > 4 and set(mine["form"]) == {""} and set(mine["status"]) == {"pass"}


def test_a_value_of_no_related_form_stays_a_plain_fail():
    rows = verify({"smiles": "NCC(CC(=O)O)c1ccc(Cl)cc1", "molar_mass": "300.5"}, checks=["molar_mass"])
    row = rows[rows["check"] == "molar_mass"].iloc[0]
    assert (row["status"], row["form"]) == ("fail", "")


def test_standardize_gives_the_parent_and_what_was_stripped(tmp_path):
    # parents' formulas and masses: PubChem, see tests/data/README.md (salts.csv)
    from click.testing import CliRunner

    from chemprops.cli import cli

    out = tmp_path / "parents.csv"
    result = CliRunner().invoke(cli, ["batch", str(DATA / "salts.csv"), "-d", "none", "--standardize", "-o", str(out),
                                      "-q"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("name")
    expected = {
        "Apatinib mesylate": ("C24H23N5O", 397.5, "CH4O3S"),
        "Sodium L-thyroxine pentahydrate": ("C15H11I4NO4", 776.87, "H2O x5; Na+"),
        "4',6-Diamidino-2-phenylindole dihydrochloride": ("C16H15N5", 277.32, "HCl x2"),
        "Baclofen": ("C10H12ClNO2", 213.66, ""),
    }
    for name, (formula, mass, components) in expected.items():
        row = rows.loc[name]
        assert row["parent_formula"] == formula and float(row["parent_molar_mass"]) == pytest.approx(
            mass, abs=0.05
        )  # as PubChem rounds
        assert row["components"] == components, name
    assert rows.loc["Baclofen", "parent_inchikey"] == "KPYSYYIEGFHWSV-UHFFFAOYSA-N"  # PubChem CID 2284
    assert "parent_smiles" not in CliRunner().invoke(cli, ["batch", str(DATA / "salts.csv"), "-d", "all"]).output


def test_standardize_in_the_api():
    import chemprops

    assert chemprops.standardize("NCC(CC(=O)O)c1ccc(Cl)cc1.Cl")["components"] == "HCl"
    assert chemprops.props("O.O.CC(=O)Nc1ccc(O)cc1").formula == "C8H13NO4"  # the structure as given stays the default


def test_a_carbon13_standard_named_by_the_record():
    # caffeine-(trimethyl-13C3), 197.17 g/mol on Sigma-Aldrich's sheet; caffeine itself 194.19 (PubChem CID 2519)
    rows = verify({"id": "caffeine-13C3", "smiles": "Cn1c(=O)c2c(ncn2C)n(C)c1=O", "molar_mass": "197.17"},
                  checks=["molar_mass"])  # fmt: skip
    row = rows[rows["check"] == "molar_mass"].iloc[0]
    assert (row["status"], row["form"]) == ("warn", "13C3 (carbon-13 labelled)")
    unnamed = verify({"id": "caffeine", "smiles": "Cn1c(=O)c2c(ncn2C)n(C)c1=O", "molar_mass": "197.17"},
                     checks=["molar_mass"])  # fmt: skip
    assert unnamed[unnamed["check"] == "molar_mass"]["form"].iloc[0] == ""  # a labelled form only when named


@pytest.mark.parametrize(
    "smiles, parent_formula, components",
    [
        ("N.N.Cl[Pt]Cl", "Cl2H6N2Pt", ""),  # cisplatin is one compound, not ammonia with PtCl2 stripped
        ("[K+].[Br-]", "BrK", ""),  # an inorganic salt stays whole
        ("[2H]C([2H])([2H])O", "CHD3O", ""),  # labels kept when nothing is stripped
        ("[Na+].[O-]C(=O)c1ccccc1", "C7H6O2", "Na+"),  # sodium benzoate -> benzoic acid (PubChem CID 243)
        ("O.O.O.O.O.[Cu+2].[O-]S([O-])(=O)=O", "CuO4S", "H2O x5"),  # copper sulfate pentahydrate
    ],
)
def test_standardize_strips_only_what_is_not_the_compound(smiles, parent_formula, components):
    import chemprops

    out = chemprops.standardize(smiles)
    assert (out["parent_formula"], out["components"]) == (parent_formula, components)


def test_a_mass_without_decimals_gets_no_form():
    rows = verify({"smiles": "CC(=O)Nc1ccc(O)cc1", "molar_mass": "169"}, checks=["molar_mass"])  # monohydrate 169.18
    assert rows[rows["check"] == "molar_mass"]["form"].iloc[0] == ""
