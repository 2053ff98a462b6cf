import pytest
from rdkit import Chem

from chemprops import opsin
from chemprops.errors import AmbiguousError, InputError, NotFoundError, ParseError
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
        ("10-00-4", NotFoundError, "CAS 10-00-4 is in no offline table"),
        ("ZZZZZZZZZZZZZZ-UHFFFAOYSA-N", NotFoundError, "InChIKey ZZZZZZZZZZZZZZ-UHFFFAOYSA-N is in no offline table"),
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


def test_an_inchikey_outside_the_catalog_is_found_in_the_identifier_table():
    # caffeine, PubChem CID 2519, is not built in; the bundled identifier table has it
    found = resolve("RYYVLZVUVIJVGH-UHFFFAOYSA-N")
    assert key(found) == "RYYVLZVUVIJVGH-UHFFFAOYSA-N" and found.source.startswith("identifier table (")


# --- names, identifiers and the bundled identifier table (issue 12) ---------------------------------------
@pytest.mark.parametrize(
    "query, inchikey, source",
    [
        # PubChem: aspirin CID 2244, ibuprofen CID 3672, acetaminophen CID 1983, caffeine CID 2519
        ("aspirin", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N", "name 'aspirin'"),
        ("ibuprofen", "HEFNNWSXXWATRW-UHFFFAOYSA-N", "name 'ibuprofen'"),
        ("paracetamol", "RZVAJINKPMORJF-UHFFFAOYSA-N", "name 'paracetamol'"),
        ("caffeine", "RYYVLZVUVIJVGH-UHFFFAOYSA-N", "name 'caffeine'"),
        ("2-acetoxybenzoic acid", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N", "name '2-acetoxybenzoic acid'"),
        ("50-78-2", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N", "CAS 50-78-2"),
        ("BSYNRYMUTXBXSQ-UHFFFAOYSA-N", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N", "InChIKey BSYNRYMUTXBXSQ-UHFFFAOYSA-N"),
        ("CID 2244", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N", "CID 2244"),
    ],
)
def test_names_and_identifiers_resolve_offline_and_say_from_where(query, inchikey, source):
    found = resolve(query)
    assert key(found) == inchikey
    assert found.source.startswith("identifier table (") and source in found.source


def test_a_structure_is_tried_first_and_a_built_in_name_before_the_table():
    assert resolve("CCO").source == "SMILES"
    assert resolve("baclofen").source.startswith("built-in catalog")


def test_a_name_two_structures_carry_is_reported_not_guessed():
    # thiamine: CAS 59-43-8 (the chloride, PubChem CID 6042) and 67-03-8 (hydrochloride) in the table
    with pytest.raises(AmbiguousError, match="names 2 structures in the identifier table: .*59-43-8"):
        resolve("Thiamine")


def test_one_cas_drawn_twice_is_one_substance():
    # tetracycline, CAS 60-54-8: PubChem's and the EPA list's drawings are tautomers (InChI keeps them apart)
    found = resolve("tetracycline")
    assert "EPA" in found.source and found.mol.GetNumAtoms() == 32


def test_a_typo_of_a_file_name_says_no_such_file():
    with pytest.raises(InputError, match="no such file: aspirn.csv"):
        resolve("aspirn.csv")
    with pytest.raises(NotFoundError, match="'data/x': no such file, not a SMILES"):
        resolve("data/x")


def test_a_bare_word_is_a_name_even_beside_a_file_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aspirin").write_text("CCO\n")
    assert key(resolve("aspirin")) == "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"  # PubChem CID 2244, not the file's ethanol
    assert key(resolve("./aspirin")) == "LFQSCWFLJHTTHZ-UHFFFAOYSA-N"  # a path is a file: ethanol


def test_a_name_with_a_slash_is_looked_up():
    # the EPA list names the combination "Trimethoprim/sulfamethoxazole"
    assert resolve("Trimethoprim/sulfamethoxazole").source.startswith("identifier table (")


def test_a_tilde_of_no_user_is_a_one_line_error():
    with pytest.raises(NotFoundError, match="'~nouserhere'"):
        resolve("~nouserhere")


@pytest.mark.skipif(bool(opsin.unavailable_reason()), reason="OPSIN (Java, py2opsin) is not available")
def test_a_systematic_name_outside_the_table_goes_to_opsin():
    # 3-ethyl-2,4-dimethylheptan-4-ol: C11H24O, read by OPSIN (no PubChem synonym carries it)
    found = resolve("3-ethyl-2,4-dimethylheptan-4-ol")
    assert found.source == "OPSIN (systematic name)"
    assert Chem.MolToSmiles(found.mol) == Chem.MolToSmiles(Chem.MolFromSmiles("CCCC(C)(O)C(CC)C(C)C"))


def test_an_unknown_name_says_what_was_tried(monkeypatch):
    monkeypatch.setattr(opsin, "JAVA", "no-java-here")
    with pytest.raises(NotFoundError, match="not a name in the catalog or identifier table, and OPSIN cannot run"):
        resolve("zzqxnotachemical")
