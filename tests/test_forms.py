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
