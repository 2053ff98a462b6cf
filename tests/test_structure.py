import pytest
from rdkit import Chem

from chemprops.errors import InputError, NotFoundError, ParseError
from chemprops.resolve import resolve as parse
from chemprops.resolve import resolve_many as parse_many
from chemprops.stereo import stereocentres
from chemprops.stereo import stereoisomers as enantiomers
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
    assert key(parse(query)) == BACLOFEN_INCHIKEY


def test_mol_file_and_block(data_dir):
    path = data_dir / "baclofen.mol"
    assert key(parse(str(path))) == BACLOFEN_INCHIKEY
    assert key(parse(path.read_text())) == BACLOFEN_INCHIKEY


def test_smiles_file_keeps_names_and_skips_blank_lines(data_dir):
    found = parse_many(str(data_dir / "three.smi"))
    assert [s.name for s in found] == ["baclofen", "pregabalin", "gabapentin"]


def test_builtin_record_is_attached():
    s = parse("baclofen")
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
def test_parse_errors_name_the_input(query, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(query)


def test_racemic_baclofen_has_one_undefined_stereocentre():
    centres = stereocentres(parse("baclofen").mol)
    assert len(centres) == 1
    assert centres[0].status == "undefined" and centres[0].label is None


def test_cxsmiles_racemic_mark():
    centres = stereocentres(parse("NC[C@H](CC(=O)O)c1ccc(Cl)cc1 |&1:2|").mol)
    assert [c.status for c in centres] == ["racemic"]


def test_cip_labels_of_arbaclofen():
    # Arbaclofen is (R)-baclofen: PubChem CID 44602, (3R)-4-amino-3-(4-chlorophenyl)butanoic acid
    centres = stereocentres(parse("NC[C@H](CC(=O)O)c1ccc(Cl)cc1").mol)
    assert [(c.status, c.label) for c in centres] == [("defined", "R")]


def test_enantiomers_of_baclofen():
    isomers = enantiomers(parse("baclofen").mol)
    labels = sorted(stereocentres(m)[0].label for m in isomers)
    assert labels == ["R", "S"]
    # PubChem: arbaclofen (R) KPYSYYIEGFHWSV-QMMMGPOBSA-N, (S)-baclofen KPYSYYIEGFHWSV-MRVPVSSYSA-N
    assert {Chem.MolToInchiKey(m) for m in isomers} == {"KPYSYYIEGFHWSV-QMMMGPOBSA-N", "KPYSYYIEGFHWSV-MRVPVSSYSA-N"}


def test_enantiomers_keep_defined_centres():
    # Pregabalin is (S); nothing to enumerate
    assert len(enantiomers(parse("CC(C)C[C@H](CN)CC(=O)O").mol)) == 1


def test_phosphinic_acid_is_no_stereocentre():
    # Lesogaberan, (2R)-3-amino-2-fluoropropylphosphinic acid (PubChem CID 9883933): one stereocentre (C2);
    # its P(H)(=O)OH is not one (the InChI has a single /t layer entry)
    centres = stereocentres(parse("NC[C@@H](F)C[PH](=O)O").mol)
    assert [c.symbol for c in centres] == ["C"]
    # a sulfoxide keeps its sulfur stereocentre (esomeprazole-like S(=O) with one terminal O)
    assert [c.symbol for c in stereocentres(parse("C[S@@](=O)c1ccccc1").mol)] == ["S"]


def test_long_smiles_is_not_mistaken_for_a_path():
    # longer than a file name may be (ENAMETOOLONG): read as SMILES, not an OSError
    smiles = "C" * 300
    assert parse(smiles).mol.GetNumAtoms() == 300
