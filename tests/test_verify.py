import importlib
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chemprops
from benchmarks.corruption import evaluate
from chemprops import opsin
from chemprops.errors import InputError
from chemprops.verify import COLUMNS, summary, verify
from tests.conftest import DATA


def test_baclofen_passes_every_computable_field():
    # structures/baclofen.toml: the monograph's infobox (structures/baclofen_wikipedia.txt)
    report = chemprops.verify("baclofen")
    assert list(report.columns) == COLUMNS
    assert set(report["status"]) <= {"pass", "unverified", "skip"}
    assert set(report[report["status"] == "unverified"]["check"]) == {"atc", "drugbank", "chemspider"}
    assert set(report["check"]) >= {"structure", "formula", "molar_mass", "cas", "iupac_name", "stereo", "atc"}
    skipped = report[report["status"] == "skip"]
    assert all(skipped["message"].str.len() > 0)


def test_rows_per_record_and_ids(data_dir):
    report = verify(data_dir / "verify_mixed.csv")
    assert list(dict.fromkeys(report["id"])) == ["baclofen", "ammonium", "bad baclofen", "broken"]
    bad = report[report["id"] == "bad baclofen"].set_index("check")["status"]
    assert bad.to_dict() == {
        "structure": "pass",
        "formula": "fail",
        "molar_mass": "fail",
        "cas": "fail",
        "inchikey": "fail",
    }
    broken = report[report["id"] == "broken"].set_index("check")["status"]
    assert broken.to_dict() == {"structure": "fail", "formula": "skip", "molar_mass": "skip"}
    table = summary(report).set_index("check")
    assert table.loc["formula"].to_dict() == {"pass": 1, "fail": 1, "warn": 1, "unverified": 0, "skip": 1}


def test_dict_dataframe_and_many_sources(data_dir):
    one = verify({"smiles": "O", "formula": "H2O", "molecular_weight": 18.015})
    assert one["status"].tolist() == ["pass", "pass", "pass"] and one["id"].tolist() == ["", "", ""]
    frame = pd.DataFrame({"smiles": ["O", "N"], "formula": ["H2O", "NH3"]})
    assert verify(frame)["id"].tolist() == ["1", "1", "2", "2"]
    both = verify("baclofen", data_dir / "caffeine_record.json")
    assert set(both["id"]) == {"baclofen", "caffeine"}


def test_identifier_table_is_used(tmp_path):
    # Caffeine CAS 58-08-2 (PubChem CID 2519) claimed for theophylline (PubChem CID 2153) is caught offline.
    table = tmp_path / "ids.csv"
    table.write_text("cas,smiles\n58-08-2,CN1C=NC2=C1C(=O)N(C(=O)N2C)C\n", encoding="utf-8")
    report = verify(
        {"name": "theophylline", "smiles": "CN1C2=C(C(=O)N(C1=O)C)NC=N2", "cas": "58-08-2"}, identifiers=[table]
    )
    row = report.set_index("check").loc["cas"]
    assert row["status"] == "fail" and str(table) in row["message"]


def test_without_java_names_are_skipped(monkeypatch):
    monkeypatch.setattr(opsin, "JAVA", "no-such-java-here")
    report = verify("baclofen").set_index("check")
    assert report.loc["iupac_name", "status"] == "skip"
    assert report.loc["iupac_name", "message"] == (
        "cannot parse names here: Java is not installed (OPSIN needs a Java runtime on PATH)"
    )


def test_without_py2opsin_names_are_skipped(monkeypatch):
    monkeypatch.setitem(sys.modules, "py2opsin", None)
    row = verify("baclofen").set_index("check").loc["iupac_name"]
    assert row["status"] == "skip" and "py2opsin is not installed" in row["message"]


def test_opsin_runs_once_per_batch(monkeypatch):
    calls = []
    real = opsin.start

    def counting(names, *args, **kwargs):
        calls.append(len(names))
        return real(names, *args, **kwargs)

    monkeypatch.setattr(opsin, "start", counting)
    records = [
        {"smiles": "CCO", "iupac_name": "ethanol"},
        {"smiles": "CC(=O)O", "iupac_name": "acetic acid"},
        {"smiles": "CCO", "iupac_name": "methanol"},
    ]
    report = verify(records)
    assert calls == [3]
    assert report[report["check"] == "iupac_name"]["status"].tolist() == ["pass", "pass", "fail"]


@pytest.mark.slow
def test_one_corrupted_field_fails_alone(data_dir):
    """300 clean EPA records (tests/data/README.md), each corrupted once per kind (benchmarks/corruption.py)."""
    clean = pd.read_csv(data_dir / "verify_clean_records.csv", dtype=str, keep_default_na=False)
    table, totals = evaluate(clean)
    assert totals["clean_records_with_a_fail"] == 0
    assert totals["records_with_false_alarm"] == 0
    assert totals["corrupted_records"] > 3000
    recall = table.set_index("kind")["recall"]
    swaps = {"molar mass digits swapped", "exact mass digits swapped"}
    assert (recall.drop(list(swaps)) == 1.0).all()
    assert (recall[list(swaps)] > 0.9).all()
    report = totals["report"]
    for rid, field, _ in totals["missed"]:
        # the only misses: swaps that stay inside the range the IUPAC intervals (or nuclide tables) allow
        row = report[(report["id"] == rid) & (report["check"] == field)].iloc[0]
        assert row["status"] == "pass" and (
            "inside the IUPAC 2021 range" in row["message"] or "nuclide" in row["message"]
        )


def test_choose_checks_and_unknown_check():
    report = verify("baclofen", checks=["formula", "cas"])
    assert report["check"].tolist() == ["structure", "formula", "cas"]
    with pytest.raises(InputError, match="unknown check 'colour'"):
        verify("baclofen", checks=["colour"])


CLEAN_SMILES = pd.read_csv(DATA / "verify_clean_records.csv", dtype=str, keep_default_na=False)["smiles"].tolist()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(CLEAN_SMILES))
def test_a_record_built_from_its_structure_verifies(smiles):
    p = chemprops.props(smiles, descriptors="none")
    record = {
        "smiles": smiles,
        "formula": p.formula,
        "molar_mass": round(p.molar_mass, 3),
        "exact_mass": f"{p.exact_mass:.6f}",
        "inchi": p.inchi,
        "inchikey": p.inchikey,
    }
    report = verify(record)
    assert set(report["status"]) == {"pass"}, report.to_dict("records")


@pytest.mark.slow
def test_a_molecule_that_crashes_rdkit_does_not_end_the_run():
    # a 20,000-carbon chain overflows the stack of RDKit's SMILES writer (exit 139 in-process): on the engine its
    # record fails with the reason and the others are checked
    report = verify(
        [{"name": "chain", "smiles": "C" * 20000, "formula": "C20000H40002"}, {"smiles": "O", "formula": "H2O"}]
    )
    rows = report.set_index(["id", "check"])
    assert rows.loc[("chain", "structure"), "status"] == "fail"
    assert "crashed the worker" in rows.loc[("chain", "structure"), "message"]
    assert rows.loc[("2", "formula"), "status"] == "pass"


def test_verify_to_streams_the_same_rows_and_counts(data_dir, tmp_path):
    from chemprops.verify import verify_to

    out = tmp_path / "report.csv"
    outcome = verify_to(out, data_dir / "verify_mixed.csv", keep=2, jobs=1)
    report = verify(data_dir / "verify_mixed.csv", jobs=1)
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written.values.tolist() == report.astype(str).replace("nan", "").values.tolist()
    assert outcome.records == 4 and outcome.rows == len(report)
    assert outcome.summary().values.tolist() == summary(report).values.tolist()
    assert outcome.failed
    assert list(dict.fromkeys(r["id"] for r in outcome.head)) == ["baclofen", "ammonium"]  # the first `keep`


class _SlowWork:
    """A batch-wide job (OPSIN's stand-in) that is never done until asked for its result."""

    def __init__(self):
        self.asked = False

    def done(self):
        return False

    def result(self):
        self.asked = True
        return ["a", "b", "c"]


def test_records_wait_for_batch_wide_work_only_up_to_a_bound(monkeypatch):
    # memory stays flat: once HOLD_RECORDS records wait for OPSIN, reading waits for OPSIN instead
    module = importlib.import_module("chemprops.verify")  # chemprops.verify is also the API function
    from chemprops.checks import Context

    monkeypatch.setattr(module, "HOLD_RECORDS", 3)
    monkeypatch.setattr(module, "READ_CHUNK", 2)
    work, expected = _SlowWork(), {}
    feed = module._feed(([i] for i in range(6)), {"iupac_name": work}, Context(), expected)
    order = [("items", tuple(x.items)) if isinstance(x, module.BatchItems) else x[0] for x in feed]
    assert order == [0, 1, 2, ("items", ("a", "b")), ("items", ("c",)), 3, 4, 5]
    assert work.asked and expected == {"iupac_name": 2}


def test_records_after_finished_work_are_not_held(monkeypatch):
    module = importlib.import_module("chemprops.verify")  # chemprops.verify is also the API function
    from chemprops.checks import Context

    class Done(_SlowWork):
        def done(self):
            return True

    expected = {}
    feed = module._feed(([i] for i in range(3)), {"iupac_name": Done()}, Context(), expected)
    order = ["items" if isinstance(x, module.BatchItems) else x[0] for x in feed]
    assert order == ["items", 0, 1, 2]


def test_a_record_without_a_structure_takes_one_from_its_cas_iupac_name_or_name():
    # PubChem: aspirin CID 2244 (CAS 50-78-2, C9H8O4); ibuprofen CID 3672 (CAS 15687-27-1, C13H18O2)
    report = verify({"name": "aspirin", "cas": "50-78-2", "formula": "C9H8O4"}).set_index("check")
    assert report.loc["structure", "status"] == "warn"
    assert "found by its CAS 50-78-2" in report.loc["structure", "message"]
    assert report.loc["formula", "status"] == "pass"
    # the field the structure came from is not counted as verified
    assert report.loc["cas", "status"] == "unverified" and "taken from this field" in report.loc["cas", "message"]
    by_name = verify({"name": "ibuprofen", "formula": "C13H18O2"}).set_index("check")
    assert "found by its name ibuprofen" in by_name.loc["structure", "message"]
    assert by_name.loc["formula", "status"] == "pass"


def test_a_cas_number_of_another_structure_fails_and_names_it():
    record = {"name": "aspirin", "smiles": "CC(=O)Oc1ccccc1C(=O)O", "cas": "15687-27-1"}
    row = verify(record).set_index("check").loc["cas"]
    assert row["status"] == "fail"
    assert "names ibuprofen" in row["message"] and "CAS 50-78-2" in row["message"]


def test_identifiers_that_disagree_are_said_in_the_structure_row():
    # CAS 50-78-2 is aspirin (PubChem CID 2244, C9H8O4); the name says caffeine (CID 2519, C8H10N4O2)
    report = verify({"name": "caffeine", "cas": "50-78-2", "formula": "C8H10N4O2"}).set_index("check")
    assert report.loc["structure", "status"] == "warn"
    message = report.loc["structure", "message"]
    assert "found by its CAS 50-78-2" in message and "but its name caffeine names" in message
    assert "the record's identifiers disagree" in message
    assert report.loc["formula", "status"] == "fail"  # against the structure the CAS number gave
    # one substance drawn two ways is no disagreement: PubChem's cobalt sulfide, by CAS and by name
    same = verify({"name": "Cobalt sulfide", "cas": "12653-56-4"}).set_index("check")
    assert "disagree" not in same.loc["structure", "message"]


def test_an_odd_cid_is_its_own_fail_and_loses_no_row(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("name,pubchem_cid,iupac_name,formula\nbig,123456789012345678901,ethanol,C2H6O\n")
    report = verify(str(path)).set_index("check")
    assert report.loc["pubchem_cid", "status"] == "fail" and "too long" in report.loc["pubchem_cid", "message"]
    assert report.loc["formula", "status"] == "pass"  # the structure came from the IUPAC name (OPSIN) or name


def test_a_name_with_extra_spaces_is_read_by_opsin(tmp_path):
    from chemprops import opsin

    if opsin.unavailable_reason():
        pytest.skip(opsin.unavailable_reason())
    report = verify({"iupac_name": "3-ethyl-2,4-dimethyl  heptan-4-ol", "formula": "C11H24O"}).set_index("check")
    assert "OPSIN's reading" in report.loc["structure", "message"]
    assert report.loc["formula", "status"] == "pass"
