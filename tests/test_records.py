import pandas as pd
import pytest

from chemprops import formats
from chemprops.errors import InputError
from chemprops.formats import Format, Rows
from chemprops.records import canonical_field, chunks, from_dict, load


@pytest.mark.parametrize(
    "spelling, field",
    [
        ("MW", "molar_mass"),
        ("molecular_weight", "molar_mass"),
        ("Monoisotopic mass", "exact_mass"),
        ("SMILES", "smiles"),
        ("CAS number", "cas"),
        ("StdInChIKey", "inchikey"),
        ("IUPAC_name", "iupac_name"),
    ],
)
def test_aliases(spelling, field):
    assert canonical_field(spelling) == field


def test_from_dict_keeps_unknown_fields_as_metadata():
    r = from_dict({"SMILES": "O", "MW": "18.015 g/mol", "colour": "none", "routes": ["oral"]})
    assert r.fields == {"smiles": "O", "molar_mass": "18.015 g/mol"}
    assert r.metadata == {"colour": "none", "routes": ["oral"]}
    assert r.structure_text == ("smiles", "O")


def test_id_is_id_else_name_else_row():
    assert from_dict({"id": "x", "name": "y"}).id == "x"
    assert from_dict({"name": "y"}).id == "y"
    assert from_dict({"smiles": "O"}, row=7).id == "7"


def test_built_in_name_toml_json_yaml_csv(data_dir):
    # structures/baclofen.toml transcribes the monograph; the fixtures cite PubChem (tests/data/README.md)
    (bac,) = load("baclofen")
    assert bac.id == "baclofen" and bac.fields["molar_mass"] == "213.661 g/mol"
    assert "pharmacokinetics" in bac.metadata
    (caf,) = load(data_dir / "caffeine_record.json")
    assert caf.fields["formula"] == "C₈H₁₀N₄O₂" and caf.fields["pubchem_cid"] == 2519
    (ala,) = load(str(data_dir / "alanine_record.yaml"))
    assert ala.fields["molar_mass"] == 89.09 and ala.fields["stereo"] == "S"
    rows = load(data_dir / "verify_mixed.csv")
    assert [r.id for r in rows] == ["baclofen", "ammonium", "bad baclofen", "broken"]
    assert rows[0].metadata == {"colour": "white"} and "cas" not in rows[1].fields


def test_tables_tsv_jsonl_parquet(tmp_path):
    frame = pd.DataFrame({"smiles": ["O", "N"], "formula": ["H2O", "H3N"], "mw": ["18.015", "17.031"]})
    frame.to_csv(tmp_path / "t.tsv", sep="\t", index=False)
    frame.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "t.parquet")
    for name in ("t.tsv", "t.jsonl", "t.parquet"):
        records = load(tmp_path / name)
        assert [r.id for r in records] == ["1", "2"], name
        assert records[1].fields["molar_mass"] == "17.031", name
    assert len(load(frame)) == 2 and len(load(frame.to_dict("records"))) == 2


def test_loader_registry_dispatches_by_suffix_and_content(tmp_path):
    path = tmp_path / "baclofen.infobox"
    path.write_text("Formula C10H12ClNO2\n", encoding="utf-8")

    def read(handle, chunk_size):
        yield Rows.from_records([{"name": "x", "formula": handle.read().decode().split()[1]}])

    formats.register(Format("infobox-test", (".infobox",), "a test format", read, table=False))
    try:
        (r,) = load(path)
        assert r.fields["formula"] == "C10H12ClNO2"
        sniffed = tmp_path / "record.txt"
        sniffed.write_text('{"smiles": "O"}', encoding="utf-8")
        assert load(sniffed)[0].fields["smiles"] == "O"  # the JSON loader's sniffer
    finally:
        del formats.FORMATS["infobox-test"]


@pytest.mark.parametrize(
    "source, message",
    [
        ("nosuch.csv", "no such file: nosuch.csv"),
        ("not a compound", "'not a compound' is neither a file nor a built-in record name"),
        ("", "empty source: give a record file, a table or a built-in name"),
    ],
)
def test_unreadable_sources(source, message):
    with pytest.raises(InputError) as info:
        load(source)
    assert str(info.value) == message


def test_bad_json_and_unknown_format(tmp_path):
    bad = tmp_path / "r.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON"):
        load(bad)
    odd = tmp_path / "r.xyz"
    odd.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="unknown file type"):
        load(odd)


def test_chunks_stream_a_table_as_load_reads_it(tmp_path):
    # empty lines are not records: ids count the records, as load() numbers them
    path = tmp_path / "t.csv"
    path.write_text("smiles,formula\nO,H2O\n,\nC,CH4\nCC,C2H6\nCCC,C3H8\nCCCC,C4H10\n")
    parts = list(chunks(path, size=2))
    assert [len(p) for p in parts] == [2, 2, 1]
    streamed = [r for p in parts for r in p]
    assert [(r.id, r.fields) for r in streamed] == [(r.id, r.fields) for r in load(path)]


def test_chunks_of_an_empty_table_say_so(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("smiles,formula\n,\n")
    with pytest.raises(InputError, match="no records"):
        list(chunks(path))
