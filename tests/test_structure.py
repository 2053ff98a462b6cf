import pytest
from rdkit import Chem

from chemprops.errors import ParseError
from chemprops.structure import mol_from_inchi, mol_from_molblock, mol_from_smiles, parse_cell, parse_text
from tests.conftest import BACLOFEN_INCHIKEY


def test_parse_text_reads_inchi_molblock_and_smiles(data_dir):
    inchi = "InChI=1S/C10H12ClNO2/c11-9-3-1-7(2-4-9)8(6-12)5-10(13)14/h1-4,8H,5-6,12H2,(H,13,14)"
    block = (data_dir / "baclofen.mol").read_text()
    for text in (inchi, block, "NCC(CC(=O)O)c1ccc(Cl)cc1"):
        assert Chem.MolToInchiKey(parse_text(text)) == BACLOFEN_INCHIKEY


@pytest.mark.parametrize(
    "cell, kind, message",
    [
        (None, "smiles", "empty SMILES"),
        (float("nan"), "smiles", "empty SMILES"),
        ("", "molblock", "empty MOL block"),
        ("x\x00y", "molblock", "MOL block contains a NUL byte"),
        ("C☃", "smiles", "non-ASCII character '☃' at position 2"),
    ],
)
def test_parse_cell_says_why(cell, kind, message):
    with pytest.raises(ParseError, match=message):
        parse_cell(cell, kind)


def test_parsers_raise_parse_errors_naming_the_input():
    with pytest.raises(ParseError, match="cannot parse InChI 'InChI=1S/x'"):
        mol_from_inchi("InChI=1S/x")
    with pytest.raises(ParseError, match="cannot parse MOL block 'junk'"):
        mol_from_molblock("junk\n")
    with pytest.raises(ParseError, match="Explicit valence"):
        mol_from_smiles("C(C)(C)(C)(C)C")


@pytest.mark.parametrize(
    "smiles, message",
    [
        ("[CH260]", "260 hydrogens"),  # RDKit would read CH4
        ("[NH259]", "259 hydrogens"),  # NH3
        ("[C+256]", r"charge \+256"),  # neutral C
        ("[C+99999]", r"charge \+99999"),  # C-97
        ("[999999C]", "mass number 999999"),  # 16959C
        ("[CH128]", "128 hydrogens"),  # an RDKit assertion
    ],
)
def test_values_rdkit_would_wrap_in_silence_are_refused(smiles, message):
    with pytest.raises(ParseError, match=message):
        mol_from_smiles(smiles)


def test_ordinary_bracket_atoms_still_parse():
    for smiles in ("[13CH4]", "[NH4+]", "[O--]", "[Fe+3]", "[2H]O[2H]", "[C@@H](F)(Cl)Br", "[294Og]"):
        assert mol_from_smiles(smiles).GetNumAtoms() >= 1
