import pytest
from rdkit import Chem

from chemprops.errors import InputError, NotFoundError, ParseError
from chemprops.resolve import resolve, resolve_many
from tests.conftest import BACLOFEN_INCHIKEY, BACLOFEN_SMILES


def key(structure):
    return Chem.MolToInchiKey(structure.mol)


@pytest.mark.parametrize(
    "query",
    [
        BACLOFEN_SMILES,
        f"  {BACLOFEN_SMILES}\n",
        "C1=CC(=CC=C1C(CC(=O)O)CN)Cl",  # PubChem CID 2284 canonical SMILES
        "InChI=1S/C10H12ClNO2/c11-9-3-1-7(2-4-9)8(6-12)5-10(13)14/h1-4,8H,5-6,12H2,(H,13,14)",
        "baclofen",
        "Baclofen",
        "Lioresal",
        "1134-47-0",
        BACLOFEN_INCHIKEY,
    ],
)
def test_every_way_to_name_baclofen(query):
    assert key(resolve(query)) == BACLOFEN_INCHIKEY


def test_mol_file_and_block(data_dir):
    path = data_dir / "baclofen.mol"
    assert key(resolve(str(path))) == BACLOFEN_INCHIKEY
    assert key(resolve(path.read_text())) == BACLOFEN_INCHIKEY


def test_smiles_file_keeps_names_and_skips_blank_lines(data_dir):
    found = resolve_many(str(data_dir / "three.smi"))
    assert [s.name for s in found] == ["baclofen", "pregabalin", "gabapentin"]


def test_builtin_record_is_attached():
    s = resolve("baclofen")
    assert s.name == "baclofen"
    assert s.record["cas"] == "1134-47-0"


@pytest.mark.parametrize(
    "query, error, message",
    [
        ("", ParseError, "empty query"),
        ("   ", ParseError, "empty query"),
        ("C1CC1(", ParseError, "cannot parse SMILES 'C1CC1(': SMILES syntax error"),
        ("CN(C)(C)(C)C", ParseError, "Explicit valence for atom # 1 N"),
        ("InChI=1S/garbage", ParseError, "cannot parse InChI"),
        ("C\x00C", ParseError, "NUL byte"),
        ("50-00-0", NotFoundError, "CAS number 50-00-0 is not in the built-in catalog"),
        ("missing.sdf", InputError, "no such file: missing.sdf"),
    ],
)
def test_resolve_errors_name_the_input(query, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve(query)


def test_long_smiles_is_not_mistaken_for_a_path():
    # longer than a file name may be (ENAMETOOLONG): read as SMILES, not an OSError
    smiles = "C" * 300
    assert resolve(smiles).mol.GetNumAtoms() == 300


def test_smi_line_keeps_its_cxsmiles_extension_and_its_name(tmp_path):
    # One reader for every command: `props` on a .smi file reads what `batch` reads (the racemic mark
    # `&1:1` belongs to the SMILES, the name follows it)
    path = tmp_path / "alanine.smi"
    path.write_text("C[C@H](N)C(=O)O |&1:1| alanine\n# a comment\n\n", encoding="utf-8")
    (found,) = resolve_many(str(path))
    assert found.name == "alanine"
    assert len(found.mol.GetStereoGroups()) == 1  # the racemic group is kept
    assert found.source == f"file {path}:1"


def test_a_csv_of_structures_is_read_with_its_names(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("name,smiles\nwater,O\nbaclofen,NCC(CC(=O)O)c1ccc(Cl)cc1\n", encoding="utf-8")
    assert [s.name for s in resolve_many(str(path))] == ["water", "baclofen"]


def test_a_bad_row_names_its_file_and_line(tmp_path):
    path = tmp_path / "bad.smi"
    path.write_text("CCO ethanol\nC1CC1( broken\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"bad.smi:2: cannot parse SMILES"):
        resolve_many(str(path))


def test_where_a_structure_came_from():
    assert resolve("O").source == "SMILES"
    assert resolve("InChI=1S/H2O/h1H2").source == "InChI"
    assert resolve("baclofen").source == "built-in catalog (baclofen.toml)"


@pytest.mark.parametrize("query", ["missing.txt", "missing.smi", "missing.csv"])
def test_a_missing_file_is_said_to_be_missing(query):
    with pytest.raises(InputError, match=f"no such file: {query}"):
        resolve(query)


def test_an_unknown_inchikey_is_not_found():
    # caffeine (PubChem CID 2519) is not built in
    with pytest.raises(NotFoundError, match="InChIKey RYYVLZVUVIJVGH-UHFFFAOYSA-N is not in the built-in catalog"):
        resolve("RYYVLZVUVIJVGH-UHFFFAOYSA-N")
