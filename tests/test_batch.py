import os
import signal
import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chemprops import batch as batch_module
from chemprops import compute, engine
from chemprops import formats as io
from chemprops.batch import BatchTask, Settings, batch, compute_chunk, settings_for
from chemprops.descriptors import Descriptor, registry
from chemprops.errors import InputError
from chemprops.properties import props
from tests.conftest import DATA

BAD = DATA / "bad_input.csv"

# Expected per row of tests/data/bad_input.csv: (formula or None, start of the error message or "").
# Formulas: PubChem CID 702 ethanol C2H6O, CID 5234 sodium chloride ClNa, CID 5950 alanine C3H7NO2,
# CID 2519 caffeine C8H10N4O2.
EXPECTED = [
    ("C2H6O", ""),
    (None, "cannot parse SMILES 'C1CC1(': SMILES syntax error"),
    (None, "SMILES contains a NUL byte"),
    (None, "empty SMILES"),
    (None, "cannot parse SMILES 'C(C)(C)(C)(C)C': Explicit valence for atom # 0 C, 5, is greater than permitted"),
    (None, "cannot parse SMILES 'c1ccccc1garbage': SMILES syntax error"),
    (None, "SMILES contains a non-ASCII character '\ufffd' at position 2"),
    ("ClNa", ""),
    ("C3H7NO2", ""),
    (None, "empty SMILES"),
    (None, "empty SMILES"),
    (None, "SMILES contains a non-ASCII character '☃' at position 1"),
    ("C8H10N4O2", ""),
]


def check_bad_rows(frame: pd.DataFrame) -> None:
    assert len(frame) == len(EXPECTED)
    for (_, row), (formula, error) in zip(frame.iterrows(), EXPECTED):
        assert (row["formula"] if isinstance(row["formula"], str) else None) == formula
        assert str(row["error"]) == error if not error else str(row["error"]).startswith(error)
    assert frame["note"].tolist()[0] == "ethanol (PubChem CID 702)"
    assert frame["id"].tolist() == ["1", "2", "3", "", "5", "6", "7", "8", "9", "10", "", "12", "13"]


def read_bad(chunk_size=4):
    with io.Input(BAD, chunk_size=chunk_size) as source:
        return list(source.chunks())


def test_chunk_function_keeps_every_row_in_order_with_messages(capfd):
    chunks = read_bad()
    settings = settings_for(chunks[0].columns)
    frame = pd.concat([compute_chunk(c, settings) for c in chunks])
    check_bad_rows(frame)
    assert frame.loc[8, "cip"] == "C2:rac" and frame.loc[8, "undefined_stereocentres"] == 1
    # PubChem CID 702 ethanol: MW 46.07, monoisotopic mass 46.041864811
    assert round(frame.loc[0, "molar_mass"], 2) == 46.07 and abs(frame.loc[0, "exact_mass"] - 46.041865) < 1e-6
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # RDKit's complaints are in `error`, not on stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_local_engine_same_rows_as_chunk_function(jobs):
    chunks = read_bad(chunk_size=3)
    settings = settings_for(chunks[0].columns)
    parts: list[pd.DataFrame] = []
    summary = engine.run(iter(chunks), BatchTask(settings), parts.append, jobs=jobs, time_limit=30)
    frame = pd.concat(parts)
    check_bad_rows(frame)
    assert (summary.rows, summary.failed) == (13, 9)


def test_columns_match_props_and_input_columns_are_kept():
    frame = compute(pd.DataFrame({"smiles": ["CCO"], "formula": ["stated"], "name": ["ethanol"]}))
    expected = props("CCO").to_dict()
    expected.pop("name")
    expected.pop("source")  # where props found the structure; a batch row's is its input row
    assert list(frame.columns) == ["input_smiles", "input_formula", "name", *expected, "error"]
    row = frame.iloc[0]
    assert row["input_formula"] == "stated" and row["name"] == "ethanol" and row["error"] == ""
    for key, value in expected.items():
        assert row[key] == value, key


def test_compute_api_on_strings_lists_and_series():
    assert compute("O")["formula"].tolist() == ["H2O"]  # PubChem CID 962 water
    frame = compute(["CCO", "nonsense", "O"], descriptors="tpsa", jobs=2, chunk_size=1)
    assert frame["formula"].fillna("").tolist() == ["C2H6O", "", "H2O"]
    # PubChem CID 702 ethanol TPSA 20.2 Å²; CID 962 water 1 O-H donor group, TPSA 1 O = 31.5 Å² (Ertl 2000 table)
    assert frame["tpsa"].round(1).tolist()[0] == 20.2
    assert list(compute(pd.Series(["C"], name="smi")).columns)[:2] == ["smi", "formula"]


def test_integer_columns_stay_integers_when_rows_fail():
    frame = compute(["CCO", "C1CC1("])
    assert str(frame["hbd"].dtype) == "Int64" and frame["hbd"].tolist()[0] == 1
    assert ",1,1,0,0,0,1.0,\n" in io.encode(frame, True, "csv").decode()


def test_missing_smiles_column_lists_columns():
    with pytest.raises(InputError, match=r"no SMILES column found; the columns are: id, name; name the SMILES column"):
        compute(pd.DataFrame({"id": [1], "name": ["x"]}))
    with pytest.raises(InputError, match=r"no column 'smi'; the columns are: smiles"):
        compute(pd.DataFrame({"smiles": ["C"]}), smiles_col="smi")


def test_huge_molecule_and_multicomponent_do_not_stop_the_batch():
    chain = "C" * 5000  # pentacontahectane-like n-alkane, 5,000 carbons: C5000H10002
    frame = compute([chain, "CCO.O.[Na+].[Cl-]", "CCO"], descriptors="core", jobs=1)
    assert frame["formula"].tolist() == ["C5000H10002", "C2H8ClNaO2", "C2H6O"]
    assert frame["heavy_atoms"].tolist()[0] == 5000


# --- time limit and crashes: test-only descriptors injected into the registry --------------------------
def _slow_on_big(mol):
    if mol.GetNumAtoms() > 20:
        time.sleep(60)
    return 1.0


def _crash_on_iodine(mol):
    if any(a.GetSymbol() == "I" for a in mol.GetAtoms()):
        os.kill(os.getpid(), signal.SIGSEGV)
    return 2


@pytest.fixture
def test_descriptors():
    table = registry()
    table["slow_test"] = Descriptor("slow_test", _slow_on_big, "", "sleeps on molecules over 20 atoms", "test")
    table["crash_test"] = Descriptor("crash_test", _crash_on_iodine, "", "segfaults on iodine", "test")
    yield
    del table["slow_test"], table["crash_test"]


@pytest.mark.slow
def test_time_limit_empties_the_slow_value_and_keeps_the_rest(test_descriptors):
    smiles = ["CCO", "C" * 30, "CCN", "CCI", "O"]
    started = time.perf_counter()
    frame = compute(smiles, descriptors="tpsa,slow_test,crash_test", jobs=2, chunk_size=5, time_limit=1.0)
    assert time.perf_counter() - started < 20
    assert frame["formula"].tolist() == ["C2H6O", "C30H62", "C2H7N", "C2H5I", "H2O"]
    assert frame["slow_test"].tolist()[0] == 1.0 and pd.isna(frame["slow_test"].tolist()[1])
    assert frame["tpsa"].notna().all() and pd.isna(frame["crash_test"].tolist()[3])
    errors = frame["error"].tolist()
    assert errors[1] == "slow_test took longer than 1 s (time limit); left empty"
    assert errors[3] == "crash_test crashed the worker; left empty"
    assert errors[0] == errors[2] == errors[4] == ""


def test_settings_for_sdf_uses_the_molblock_column():
    assert settings_for(["name", "molblock"], kind="molblock").structure == "molblock"
    assert Settings().structure == "smiles"


def test_batch_function_writes_and_counts(tmp_path):
    out = tmp_path / "out.csv"
    summary = batch(str(BAD), str(out), jobs=1, chunk_size=5)
    assert (summary.rows, summary.ok, summary.failed) == (13, 4, 9)
    check_bad_rows(pd.read_csv(out, dtype=str, keep_default_na=False).replace({"formula": {"": None}}))
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_batch_removes_the_temporary_file_on_error(tmp_path, monkeypatch):
    out = tmp_path / "out.csv"

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module.engine, "run", boom)
    with pytest.raises(KeyboardInterrupt):
        batch(str(BAD), str(out))
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=12), st.sampled_from(["CCO", "c1ccccc1", "C[C@H](N)C(=O)O |&1:1|", "[Na+].[Cl-]"])),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=5),
)
def test_rows_out_equal_rows_in(smiles, chunk_size):
    frame = compute(pd.DataFrame({"smiles": smiles}), descriptors="none", chunk_size=chunk_size)
    assert frame["input_smiles"].tolist() == smiles
    assert ((frame["error"] == "") == frame["formula"].notna()).all()


def test_workers_are_recycled_without_losing_rows(monkeypatch):
    monkeypatch.setattr(batch_module.engine.local, "RECYCLE_ROWS", 3)
    smiles = ["C" * n for n in range(1, 16)]  # the n-alkanes CnH2n+2
    frame = compute(smiles, descriptors="none", jobs=2, chunk_size=2, time_limit=30)
    assert frame["formula"].tolist() == [f"C{n if n > 1 else ''}H{2 * n + 2}" for n in range(1, 16)]


def test_chunk_sizes_keep_every_worker_busy_on_small_inputs(tmp_path, monkeypatch):
    from chemprops.batch import auto_chunk_size

    assert auto_chunk_size(1_000, 2) == 125  # 8 chunks: both workers busy to the end
    assert auto_chunk_size(5_000, 2) == 625
    assert auto_chunk_size(1_000_000, 8) == 1_000 and auto_chunk_size(None, 2) == 1_000
    assert auto_chunk_size(30, 2) == 50
    path = tmp_path / "in.csv"
    path.write_text("smiles\n" + "CCO\n" * 1_000)
    sizes = []
    real = engine.run

    def spy(chunks, *args, **kwargs):
        def seen():
            for chunk in chunks:
                sizes.append(len(chunk))
                yield chunk

        return real(seen(), *args, **kwargs)

    monkeypatch.setattr(batch_module.engine, "run", spy)
    summary = batch(str(path), str(tmp_path / "out.csv"), jobs=2, descriptors="none")
    assert summary.rows == 1_000 and sizes == [125] * 8
    sizes.clear()
    batch(str(path), str(tmp_path / "out2.csv"), jobs=2, descriptors="none", chunk_size=300)  # the user's size wins
    assert sizes == [300, 300, 300, 100]


def test_estimated_rows_of_inputs(tmp_path):
    import gzip

    big = tmp_path / "big.csv.gz"
    with gzip.open(big, "wt") as handle:
        handle.write("id,smiles\n" + "".join(f"m{i},CCO\n" for i in range(300_000)))
    estimate = io.Input(big).estimated_rows()
    assert 270_000 < estimate < 330_000  # from the first MB and gzip's size trailer
    assert io.Input(DATA / "three.smi").estimated_rows() == 4
    sdf = tmp_path / "two.sdf"
    sdf.write_text("a\n\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n$$$$\n" * 2)
    assert io.Input(sdf).estimated_rows() == 2
    frame = pd.DataFrame({"smiles": ["C"] * 7})
    frame.to_parquet(tmp_path / "t.parquet")
    assert io.Input(tmp_path / "t.parquet").estimated_rows() == 7
