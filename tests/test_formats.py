import gzip
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chemprops import formats as io
from chemprops.batch import batch
from chemprops.errors import InputError
from chemprops.formats import delimited

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
    assert chunks[0].data == {"smiles": ["CCO", "", "O"], "name": ["ethanol", "", ""]}
    assert chunks[0].frame().values.tolist() == [["CCO", "ethanol"], ["", ""], ["O", ""]]


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


# --- the plain route (CSV/TSV/.smi read into Rows, no pandas) writes what the DataFrame route writes -------
def _both_routes(path, descriptors, fmt="csv", chunk_size=3):
    from chemprops.batch import compute_chunk, settings_for

    out = {}
    for plain in (True, False):
        with io.Input(path, chunk_size=chunk_size) as source:
            chunks = list(source.chunks(plain=plain))
        settings = settings_for(chunks[0].columns, descriptors=descriptors)
        results = [compute_chunk(c, settings) for c in chunks]
        if plain:  # every column is written by the csv module, none handed back to pandas
            for result in results:
                for name, values in result.data.items():
                    assert delimited._text_cells(values, result.dtypes.get(name, "str")) is not None, name
        out[plain] = b"".join(io.encode(r, i == 0, fmt) for i, r in enumerate(results))
    return out[True], out[False]


@pytest.mark.parametrize("descriptors", ["core", "all"])
@pytest.mark.parametrize("name", ["bad_input.csv", "awkward.csv", "three.smi"])
def test_plain_route_writes_the_same_bytes_as_pandas(name, descriptors):
    from tests.conftest import DATA

    plain, frames = _both_routes(DATA / name, descriptors)
    assert plain == frames
    plain, frames = _both_routes(DATA / name, descriptors, fmt="tsv")
    assert plain == frames


def test_plain_route_on_real_records():
    """150 records of tests/data/wikipedia_chemicals.csv.gz (real SMILES, stereo, salts, metals), every
    RDKit descriptor: the csv-module route and the pandas route write the same bytes."""
    import gzip

    from tests.conftest import CORPUS

    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        sample = handle.read().splitlines(keepends=True)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.csv"
        path.write_text("".join(sample[:1] + sample[1:3000:20]), encoding="utf-8")
        plain, frames = _both_routes(path, "all", chunk_size=64)
    assert plain == frames and plain.count(b"\n") > 150


def test_awkward_csv_is_read_like_pandas(tmp_path):
    """Quoted commas, doubled quotes and line breaks, repeated and blank header names, a short and a blank
    line, a BOM: the columns and cells pandas.read_csv(dtype=str) gives."""
    from tests.conftest import DATA

    source = tmp_path / "bom.csv"
    source.write_bytes(b"\xef\xbb\xbf" + (DATA / "awkward.csv").read_bytes())
    with io.Input(source) as reader:
        rows = next(reader.chunks(plain=True))
    expected = pd.read_csv(DATA / "awkward.csv", dtype=str, keep_default_na=False, na_filter=False,
                           skip_blank_lines=False)  # fmt: skip
    assert rows.columns == list(expected.columns) == ["id", "smiles", "note", "note.1", "Unnamed: 4"]
    assert rows.frame().values.tolist() == expected.values.tolist()
    assert rows.data["note"][:2] == ['ethanol, "absolute"', "formic\nacid, two lines"]


def test_a_line_with_too_many_fields_keeps_its_row_with_the_reason(tmp_path):
    source = tmp_path / "long.csv"
    source.write_text("id,smiles\n1,CCO,extra\n2,O\n")
    out = tmp_path / "out.csv"
    summary = batch(str(source), str(out), descriptors="none")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert (summary.rows, summary.failed) == (2, 1)
    assert frame["id"].tolist() == ["1", "2"] and frame["formula"].tolist() == ["", "H2O"]  # PubChem CID 962
    assert frame["error"][0] == "line 2: 3 fields where the header has 2 (extra: 'extra')"


def test_an_unclosed_quote_is_a_clear_error(tmp_path):
    source = tmp_path / "open.csv"
    source.write_text('id,smiles\n1,"CCO\n2,O\n3,N\n')
    with pytest.raises(InputError, match="a quoted field opened on line 2 is not closed before the end of the file"):
        batch(str(source), str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_blocks_for_a_cluster_read_what_the_local_reader_reads(tmp_path):
    """`delimited_blocks` cuts at line ends; the blocks, read on their own, give the local reader's rows,
    line numbers in messages included."""
    from tests.conftest import DATA

    source = tmp_path / "in.csv"
    header, body = (DATA / "bad_input.csv").read_bytes().split(b"\n", 1)
    source.write_bytes(header + b"\n" + body * 5 + b"99,CCO,note,extra\n" + body * 5)
    columns, blocks = io.delimited_blocks(str(source), ",", 300)
    assert len(blocks) > 5 and blocks[-1].last and blocks[-1].end == source.stat().st_size
    assert all(a.end == b.begin for a, b in zip(blocks, blocks[1:]))
    cluster = pd.concat([io.read_block(b, columns).frame() for b in blocks], ignore_index=True)
    with io.Input(source) as reader:
        local = pd.concat(list(reader.chunks()), ignore_index=True)
    local[io.READ_ERROR] = local[io.READ_ERROR].fillna("")
    pd.testing.assert_frame_equal(cluster, local[cluster.columns], check_dtype=False)
    assert "line 67: 4 fields where the header has 3 (extra: 'extra')" in set(cluster[io.READ_ERROR])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.integers(min_value=-(2**62), max_value=2**62)),
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), st.text(max_size=8)),
        ),
        max_size=12,
    ),
    st.sampled_from([",", "\t"]),
)
def test_plain_encoder_writes_what_pandas_writes(rows, sep):
    """Any text (quotes, separators, line breaks, unicode), floats (NaN, inf, -0.0, extremes), big integers,
    booleans and missing values: the csv-module encoder and DataFrame.to_csv give the same bytes."""
    columns = list(zip(*rows)) if rows else [()] * 5
    plain = io.Rows(
        {"text": list(columns[0]), "x": list(columns[1]), "n": list(columns[2]), "b": list(columns[3]),
         "error": list(columns[4])},
        dtypes={"x": "float64", "n": "Int64", "b": "boolean", "error": "str"},
    )  # fmt: skip
    assert all(delimited._text_cells(v, plain.dtypes.get(k, "str")) is not None for k, v in plain.data.items())
    encode = delimited._encode_delimited(sep)
    assert encode(plain, True) == encode(plain.frame(), True)


def _blocks_and_local(source, size):
    columns, blocks = io.delimited_blocks(str(source), ",", size)
    cluster = pd.concat([io.read_block(b, columns).frame() for b in blocks], ignore_index=True)
    with io.Input(source) as reader:
        local = pd.concat(list(reader.chunks()), ignore_index=True)
    if io.READ_ERROR not in local:
        local[io.READ_ERROR] = ""
    local[io.READ_ERROR] = local[io.READ_ERROR].fillna("")
    return blocks, cluster, local[cluster.columns]


@pytest.mark.parametrize(
    "text",
    [
        b"id,smiles\r1,CCO\r2,O,extra\r3,N\r",  # bare CR line ends (old Mac)
        b'id,smiles,size"\n1,CCO,a\n2,O,b\n3,N,c\n',  # a stray quote in the header
        b'id,smiles,note\n1,CCO,5"\n2,O,"two\nlines"\n3,N,x\n4,C,y,extra\n',  # stray quote, then a quoted break
        b'id,smiles\n1,"a\rb"\n2,O\n3,N\n4,C,x\n',  # a CR inside a quoted field
        b"\xef\xbb\xbfid,smiles\r\n1,CCO\r\n2,O,extra\r\n",  # BOM and CRLF
    ],
)
@pytest.mark.parametrize("size", [1, 8, 1000])
def test_blocks_read_what_the_local_reader_reads_on_awkward_files(tmp_path, text, size):
    """Found by review: a stray quote made the header swallow the rows, or a cut split a quoted field; a CR
    in a quoted field shifted line numbers. Cut points now come from the csv parser itself."""
    source = tmp_path / "in.csv"
    source.write_bytes(text)
    blocks, cluster, local = _blocks_and_local(source, size)
    pd.testing.assert_frame_equal(cluster, local, check_dtype=False)
    assert blocks[-1].last and all(a.end == b.begin for a, b in zip(blocks, blocks[1:]))


def test_a_field_longer_than_the_csv_module_default_is_read(tmp_path):
    source = tmp_path / "long.csv"
    source.write_text("id,smiles,note\n1,CCO," + "x" * 140_000 + "\n2,O,y\n")
    with io.Input(source) as reader:
        rows = next(reader.chunks(plain=True))
    assert len(rows.data["note"][0]) == 140_000 and rows.data["smiles"] == ["CCO", "O"]


def test_an_input_column_named_like_a_renamed_one_is_kept(tmp_path):
    """`formula` becomes `input_formula`; an input that already has `input_formula` keeps it, and the renamed
    one moves on to `input_input_formula`: no column lost, none doubled, same bytes on both routes."""
    source = tmp_path / "coll.csv"
    source.write_text("smiles,formula,input_formula\nCCO,F1,F2\n")
    plain, frames = _both_routes(source, "none")
    assert plain == frames
    header, row = plain.decode().splitlines()
    assert header.startswith("input_smiles,input_input_formula,input_formula,formula,") and row.startswith(
        "CCO,F1,F2,C2H6O,"
    )


@pytest.mark.parametrize(
    "text, unclosed",
    [
        ('id,smiles\n1,"CCO\n', True),
        ('id,smiles\n1,"CCO', True),
        ('id,smiles\n1,"CCO\n2,O\n', True),
        ('id,smiles,note,size\n1,CCO,"two\nlines",5"\n', False),  # closed, then a literal quote: pandas reads it
        ('id,smiles,size\n1,CCO,5"\n', False),
    ],
)
def test_only_a_quote_left_open_at_the_end_is_an_error(tmp_path, text, unclosed):
    source = tmp_path / "q.csv"
    source.write_text(text)
    with io.Input(source) as reader:
        if unclosed:
            with pytest.raises(InputError, match="is not closed before the end of the file"):
                list(reader.chunks(plain=True))
        else:
            assert len(next(reader.chunks(plain=True))) == 1


def test_block_cuts_never_fall_inside_a_quoted_line_break(tmp_path):
    """awkward.csv holds a quoted field with a line break; cut into 40-byte blocks (one or two lines each),
    the blocks still give the local reader's rows."""
    from tests.conftest import DATA

    header, body = (DATA / "awkward.csv").read_bytes().split(b"\n", 1)
    source = tmp_path / "in.csv"
    source.write_bytes(header + b"\n" + body * 30)
    columns, blocks = io.delimited_blocks(str(source), ",", 40)
    cluster = pd.concat([io.read_block(b, columns).frame() for b in blocks], ignore_index=True)
    with io.Input(source) as reader:
        local = pd.concat(list(reader.chunks()), ignore_index=True)
    assert len(blocks) > 30 and len(cluster) == len(local) == 30 * 6
    assert cluster["note"].tolist() == local["note"].tolist()
    assert cluster["note"].tolist().count("formic\nacid, two lines") == 30


def test_a_very_wide_header_is_read_in_linear_time():
    import time

    from chemprops.formats.rows import header

    started = time.perf_counter()
    names = header(["a"] * 100_000 + [""] * 3)
    assert len(set(names)) == 100_003 and names[:3] == ["a", "a.1", "a.2"]
    assert time.perf_counter() - started < 5
