import pytest

from chemprops.inchi import inchi_and_key, inchi_difference, inchi_layers, protons_moved, stereo_relation
from chemprops.structure import mol_from_smiles
from tests.conftest import BACLOFEN_INCHIKEY, BACLOFEN_SMILES

# Standard InChI of racemic baclofen, PubChem CID 2284; (R)-baclofen (arbaclofen, CID 44602) adds /t8-/m0/s1
BACLOFEN = "InChI=1S/C10H12ClNO2/c11-9-3-1-7(2-4-9)8(6-12)5-10(13)14/h1-4,8H,5-6,12H2,(H,13,14)"
R_BACLOFEN = BACLOFEN + "/t8-/m0/s1"
S_BACLOFEN = BACLOFEN + "/t8-/m1/s1"


def test_inchi_and_key_of_baclofen():
    assert inchi_and_key(mol_from_smiles(BACLOFEN_SMILES)) == (BACLOFEN, BACLOFEN_INCHIKEY)


def test_racemic_cxsmiles_gives_the_racemate_inchi():
    assert inchi_and_key(mol_from_smiles("NC[C@H](CC(=O)O)c1ccc(Cl)cc1 |&1:2|"))[0] == BACLOFEN


def test_layers():
    layers = inchi_layers(R_BACLOFEN)
    assert layers["formula"] == "C10H12ClNO2" and layers["t"] == "8-" and layers["m"] == "0"


@pytest.mark.parametrize(
    "first, second, kind",
    [
        (BACLOFEN, BACLOFEN, ""),
        (BACLOFEN, R_BACLOFEN, "stereo"),
        # ammonia vs ammonium (PubChem CID 222 / 223): the /p layer
        ("InChI=1S/H3N/h1H3", "InChI=1S/H3N/h1H3/p+1", "protonation"),
        (BACLOFEN, "InChI=1S/H2O/h1H2", "structure"),
    ],
)
def test_difference(first, second, kind):
    assert inchi_difference(first, second) == kind


def test_stereo_relation():
    assert stereo_relation(R_BACLOFEN, S_BACLOFEN)[0] == "conflict"
    assert stereo_relation(BACLOFEN, R_BACLOFEN)[0] == "first-less"
    assert stereo_relation(R_BACLOFEN, BACLOFEN)[0] == "second-less"


def test_protons_moved_between_components():
    # ammonium iodate written as iodic acid + ammonia (the EPA list's InChI) against the salt drawn as
    # [NH4+].[O-][I](=O)=O: same atoms, hydrogens and charge; only where the proton sits differs
    stated = "InChI=1S/HIO3.H3N/c2-1(3)4;/h(H,2,3,4);1H3"
    assert protons_moved(stated, inchi_and_key(mol_from_smiles("[NH4+].[O-][I](=O)=O"))[0])
    assert not protons_moved("InChI=1S/H3N/h1H3", "InChI=1S/H3N/h1H3/p+1")
