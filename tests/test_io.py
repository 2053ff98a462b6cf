import gzip
import json

import pandas as pd
import pytest

from chemprops import io
from chemprops.batch import batch
from chemprops.errors import InputError

# Three molecules with formulas from PubChem: CID 2284 baclofen C10H12ClNO2, CID 5486971 pregabalin
# C8H17NO2, CID 3446 gabapentin C9H17NO2.
MOLECULES = pd.DataFrame(
    {
        "id": ["baclofen", "pregabalin", "gabapentin"],
        "smiles": ["NCC(CC(=O)O)c1ccc(Cl)cc1", "CC(C)C[C@H](CN)CC(=O)O", "NCC1(CC(=O)O)CCCCC1"],
    }
)
FORMULAS = ["C10H12ClNO2", "C8H17NO2", "C9H17NO2"]


def write_input(path, fmt):
    """The three molecules in one input format, written without chemprops."""
    if fmt in ("csv", "tsv"):
        MOLECULES.to_csv(path, sep="," if fmt == "csv" else "\t", index=False)
    elif fmt == "smi":
        path.write_text("".join(f"{s} {i}\n" for i, s in zip(MOLECULES["id"], MOLECULES["smiles"])))
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in MOLECULES.to_dict("records")))
    elif fmt == "parquet":
        MOLECULES.to_parquet(path, index=False)
    elif fmt in ("sdf", "sdf.gz"):
        from rdkit import Chem

        text = ""
        for name, smiles in zip(MOLECULES["id"], MOLECULES["smiles"]):
            mol = Chem.MolFromSmiles(smiles)
            mol.SetProp("_Name", name)
            text += Chem.MolToMolBlock(mol) + f">  <id>\n{name}\n\n$$$$\n"
        path.write_bytes(gzip.compress(text.encode()) if fmt == "sdf.gz" else text.encode())


@pytest.mark.parametrize("fmt", ["csv", "tsv", "smi", "jsonl", "parquet", "sdf", "sdf.gz"])
def test_every_input_format(tmp_path, fmt):
    source = tmp_path / f"in.{fmt}"
    write_input(source, fmt)
    out = tmp_path / "out.csv"
    summary = batch(str(source), str(out))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert (summary.rows, summary.failed) == (3, 0)
    assert frame["formula"].tolist() == FORMULAS
    assert frame["id" if fmt != "smi" else "name"].tolist() == MOLECULES["id"].tolist()


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet", "sdf"])
def test_every_output_format_reads_back(tmp_path, fmt):
    source = tmp_path / "in.csv"
    write_input(source, "csv")
    out = tmp_path / f"out.{fmt}"
    batch(str(source), str(out), id_col="id")
    with io.Input(out) as reader:
        frame = pd.concat(list(reader.chunks()))
    assert len(frame) == 3
    assert [str(x) for x in frame["formula"]] == FORMULAS
    assert [str(x) for x in frame["id"]] == MOLECULES["id"].tolist()
    assert [float(x) for x in frame["molar_mass"]] == [213.661, 159.229, 171.24]  # IUPAC 2021 weights
    if fmt == "sdf":
        assert frame["name"].tolist() == MOLECULES["id"].tolist()  # title line from --id-col
        assert "M  END" in frame["molblock"].tolist()[0]
    if fmt == "parquet":
        assert str(frame["hbd"].dtype) == "Int64"


def test_round_trip_csv_keeps_text_exactly(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('smiles,code,amount\nCCO,007,"1,50"\n')
    out = tmp_path / "out.csv"
    batch(str(source), str(out))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame[["code", "amount"]].values.tolist() == [["007", "1,50"]]  # no number parsing on the way


def test_smi_lines_with_cxsmiles_and_header():
    assert io.split_smi_line("C[C@H](N)C(=O)O |&1:1| alanine") == ("C[C@H](N)C(=O)O |&1:1|", "alanine")
    assert io.split_smi_line("CCO\tethanol") == ("CCO", "ethanol")
    assert io.split_smi_line("") == ("", "")
    import io as stdio

    chunks = list(io.FORMATS["smi"].reader(stdio.BytesIO(b"SMILES Name\nCCO ethanol\n\nO\n"), 10))
    assert chunks[0].values.tolist() == [["CCO", "ethanol"], ["", ""], ["O", ""]]


def test_jsonl_bad_lines_become_rows_with_reasons(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"smiles": "CCO"}\nnot json\n[1, 2]\n{"smiles": "O", "extra": 1}\n')
    out = tmp_path / "out.csv"
    summary = batch(str(source), str(out))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert summary.rows == 4 and list(frame.columns[:2]) == ["input_smiles", "extra"]
    assert frame["error"].tolist()[1].startswith("not a JSON line")
    assert frame["error"].tolist()[2] == "JSON line is not an object"
    assert frame["formula"].tolist() == ["C2H6O", "", "", "H2O"]


def test_sdf_fields_that_appear_late_are_kept(tmp_path):
    from rdkit import Chem

    block = Chem.MolToMolBlock(Chem.MolFromSmiles("O"))
    source = tmp_path / "in.sdf"
    source.write_text(block + "$$$$\n" + block + ">  <late>\nvalue\n\n$$$$\n")
    out = tmp_path / "out.csv"
    batch(str(source), str(out), chunk_size=1)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["late"].tolist() == ["", "value"] and frame["formula"].tolist() == ["H2O", "H2O"]


def test_format_errors():
    with pytest.raises(InputError, match="unknown file type '.xyz'"):
        io.format_of("a.xyz")
    assert io.format_of("a.sdf.gz").name == "sdf" and io.format_of("-").name == "csv"
    with pytest.raises(InputError, match="cannot write smi"):
        io.Output("out.smi")
    with pytest.raises(InputError, match="cannot read nofile.csv"):
        io.Input("nofile.csv")


def test_output_is_renamed_only_on_commit(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    out = io.Output(target)
    out.write(b"new\n")
    assert target.read_text() == "old\n" and out.temp.exists()
    out.abort()
    assert target.read_text() == "old\n" and not out.temp.exists()
    out = io.Output(target)
    out.write(b"new\n")
    out.commit()
    assert target.read_text() == "new\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]
