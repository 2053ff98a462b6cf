import pytest

from chemprops import compute, props
from tests.conftest import BACLOFEN_INCHIKEY, BACLOFEN_SMILES


def test_baclofen_against_monograph_and_pubchem():
    p = props("baclofen")
    assert p.formula == "C10H12ClNO2"  # monograph infobox, PubChem CID 2284
    assert round(p.molar_mass, 3) == 213.661  # monograph infobox "Mol. mass 213.661 g/mol"
    assert round(p.molar_mass, 2) == 213.66  # PubChem "Molecular Weight 213.66 g/mol"
    assert p.exact_mass == pytest.approx(213.0556563, abs=1e-6)  # PubChem "Monoisotopic Mass 213.0556563 Da"
    assert p.inchikey == BACLOFEN_INCHIKEY
    assert p.inchi == "InChI=1S/C10H12ClNO2/c11-9-3-1-7(2-4-9)8(6-12)5-10(13)14/h1-4,8H,5-6,12H2,(H,13,14)"
    assert (p.stereocentres, p.undefined_stereocentres) == (1, 1)
    assert p.formal_charge == 0 and p.heavy_atoms == 14
    # PubChem CID 2284 computed properties: TPSA 63.3 Å², 2 H-bond donors (Cactvs) but 3 NH+OH (Lipinski),
    # 4 rotatable bonds
    assert round(p.descriptors["tpsa"], 1) == 63.3
    assert p.descriptors["hbd"] == 3 and p.descriptors["hba"] == 3
    assert p.descriptors["rotatable_bonds"] == 4


@pytest.mark.parametrize(
    "smiles, molar_mass, exact_mass",
    [
        # PubChem CID 2519 caffeine: MW 194.19, monoisotopic 194.08037557
        ("CN1C=NC2=C1C(=O)N(C(=O)N2C)C", 194.19, 194.08037557),
        # PubChem CID 962 water: MW 18.015, monoisotopic 18.010564683
        ("O", 18.015, 18.010564683),
        # PubChem CID 175 acetate: MW 59.04; monoisotopic mass by hand from AME2020 nuclide masses,
        # without electron-mass correction (PubChem's convention, cf. ammonium CID 223: 18.034374)
        ("CC(=O)[O-]", 59.04, 2 * 12 + 3 * 1.00782503207 + 2 * 15.99491461956),
    ],
)
def test_masses_against_pubchem(smiles, molar_mass, exact_mass):
    p = props(smiles, descriptors="none")
    digits = len(str(molar_mass).split(".")[1])
    assert round(p.molar_mass, digits) == molar_mass
    assert p.exact_mass == pytest.approx(exact_mass, abs=1e-6)


def test_compute_keeps_order_and_errors():
    frame = compute([BACLOFEN_SMILES, "C1CC1(", "O"])
    assert list(frame["formula"].fillna("")) == ["C10H12ClNO2", "", "H2O"]
    assert frame["error"].tolist()[1].startswith("cannot parse SMILES")


def test_descriptor_selection():
    p = props("baclofen", descriptors="tpsa,logp")
    assert list(p.descriptors) == ["tpsa", "logp"]
    assert set(props("baclofen", descriptors="all").descriptors) > {"tpsa", "num_h_donors", "qed"}


def test_racemic_cxsmiles_has_the_racemate_inchikey():
    # "&1" marks C3 racemic: the InChIKey is racemic baclofen's (PubChem CID 2284), not arbaclofen's
    # (KPYSYYIEGFHWSV-QMMMGPOBSA-N, the configuration merely drawn)
    p = props("NC[C@H](CC(=O)O)c1ccc(Cl)cc1 |&1:2|", descriptors="none")
    assert p.inchikey == BACLOFEN_INCHIKEY
    assert p.cip == "C3:rac" and p.undefined_stereocentres == 1


def test_descriptor_values_are_rounded_to_twelve_significant_digits_in_one_pass():
    from chemprops.properties import rounded

    values = [1.8570000000000002, 1 / 3, 2.5e-14 / 3, 7.38905609893065e30, 3, None, float("nan"), 0.0, -2 / 3]
    assert rounded(values) == [1.857, 0.333333333333, 8.33333333333e-15, 7.38905609893e30, 3, None, None, 0.0,
                               -0.666666666667]  # fmt: skip
    assert isinstance(rounded(values)[4], int)  # counts keep their type
    assert rounded([1, 2]) == [1, 2]


def test_a_descriptor_with_a_shared_intermediate_computes_alone_too():
    from rdkit.Chem import Descriptors

    from chemprops.descriptors import registry
    from chemprops.resolve import resolve

    mol = resolve("baclofen").mol
    table = registry()
    for name, rdkit in (("ipc", Descriptors.Ipc), ("max_e_state_index", Descriptors.MaxEStateIndex),
                        ("qed", Descriptors.qed), ("fr_benzene", Descriptors.fr_benzene)):  # fmt: skip
        assert table[name].shared  # computed from an intermediate in a batch
        assert table[name].compute(mol) == rdkit(mol)


def test_rounding_keeps_values_too_small_to_scale():
    from chemprops.properties import rounded

    assert rounded([1e-300, 5e-324, -2e-305]) == [1e-300, 5e-324, -2e-305]
