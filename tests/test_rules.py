"""Drug-likeness rules, CNS MPO and BOILED-Egg against published definitions and hand-checked values."""

import math

import pytest

from chemprops import rules
from chemprops.structure import mol_from_smiles

BACLOFEN = "NCC(CC(=O)O)c1ccc(Cl)cc1"
GABAPENTIN_ENACARBIL = "CC(C)C(=O)OC(C)OC(=O)NCC1(CC(=O)O)CCCCC1"


def test_every_rule_has_a_reference_and_runs():
    profile = rules.profile(mol_from_smiles(BACLOFEN))
    for rule in rules.RULES:
        assert rule.reference and any(ch.isdigit() for ch in rule.reference)  # a year
        assert isinstance(rule.passes(profile), bool)
    assert set(rules.registry()) == {"lipinski", "veber", "ghose", "egan"}


def test_baclofen_passes_lipinski_veber_ghose_egan():
    # Hand-checked: C10H12ClNO2, MW 213.66 (PubChem CID 2284), donors NH2 + OH = 3 (Lipinski counts NH and OH),
    # acceptors N + 2 O = 3, rotatable bonds 4, TPSA 63.3 Å² (PubChem), 26 atoms with H (10 C + 12 H + Cl + N
    # + 2 O), Crippen logP 1.86 and MR 55.5 (within Ghose's -0.4..5.6 and 40..130).
    row = rules.evaluate(mol_from_smiles(BACLOFEN))
    assert row["lipinski"] and row["veber"] and row["ghose"] and row["egan"]
    assert row["lipinski_violations"] == row["ghose_violations"] == ""


def test_gaba_fails_ghose_three_times():
    # GABA, C4H9NO2: MW 103.12 < 160, 16 atoms < 20, Crippen MR 25.9 < 40 (Ghose 1999 qualifying ranges).
    row = rules.evaluate(mol_from_smiles("NCCCC(=O)O"))
    assert not row["ghose"]
    assert row["ghose_violations"].split("; ") == ["40 <= MR <= 130", "160 <= MW <= 480", "20 <= atoms <= 70"]
    assert row["lipinski"] and row["veber"]


def test_tetracontane_breaks_lipinski_and_veber():
    # n-C40H82: MW 563.1 > 500 and logP > 5 is two Lipinski violations (one is allowed); 37 rotatable bonds > 10.
    row = rules.evaluate(mol_from_smiles("C" * 40))
    assert not row["lipinski"]
    assert row["lipinski_violations"] == "MW <= 500; logP <= 5"
    assert not row["veber"] and row["veber_violations"] == "rotatable bonds <= 10"


def test_one_lipinski_violation_is_allowed():
    # n-C24H50: MW 338.7 fine, logP > 5: one violation, still passes (Lipinski 1997: "more than one").
    row = rules.evaluate(mol_from_smiles("C" * 24))
    assert row["lipinski"] and row["lipinski_violations"] == "logP <= 5"


@pytest.mark.parametrize(
    ("function", "x", "expected"),
    [
        # Wager et al. 2010, Table 1: monotonic decreasing, ClogP 3 -> 5, MW 360 -> 500, HBD 0.5 -> 3.5,
        # pKa 8 -> 10, ClogD 2 -> 4; the TPSA hump 20 -> 40 ... 90 -> 120.
        ("clogp", 3.0, 1.0),
        ("clogp", 4.0, 0.5),
        ("clogp", 5.0, 0.0),
        ("clogp", -2.0, 1.0),
        ("mw", 360, 1.0),
        ("mw", 430, 0.5),
        ("mw", 500, 0.0),
        ("hbd", 0, 1.0),
        ("hbd", 2, 0.5),
        ("hbd", 4, 0.0),
        ("pka", 8.0, 1.0),
        ("pka", 9.0, 0.5),
        ("pka", 10.5, 0.0),
        ("clogd", 2.0, 1.0),
        ("clogd", 3.0, 0.5),
        ("clogd", 4.0, 0.0),
        ("tpsa", 10, 0.0),
        ("tpsa", 30, 0.5),
        ("tpsa", 40, 1.0),
        ("tpsa", 90, 1.0),
        ("tpsa", 105, 0.5),
        ("tpsa", 125, 0.0),
    ],
)
def test_desirability_functions(function, x, expected):
    bounds = {"clogp": (3, 5), "clogd": (2, 4), "mw": (360, 500), "hbd": (0.5, 3.5), "pka": (8, 10)}
    if function == "tpsa":
        assert rules._tpsa_hump(x) == pytest.approx(expected)
    else:
        assert rules._decreasing(x, *bounds[function]) == pytest.approx(expected)


def test_cns_mpo_baclofen_by_hand():
    # Baclofen with its measured pKa values 3.87 (acid) and 9.62 (amine), Ahuja 1985:
    #   ClogP  1.857 (Crippen)             <= 3            -> 1
    #   ClogD  1.857 - log10(1 + 10^(7.4-3.87)) - log10(1 + 10^(9.62-7.4))
    #        = 1.857 - 3.5301 - 2.2227 = -3.896  <= 2      -> 1
    #   MW     213.66 (PubChem)            <= 360          -> 1
    #   TPSA   63.32 (PubChem 63.3)        in 40..90       -> 1
    #   HBD    2 donor atoms (NH2, OH)     (3.5 - 2) / 3   -> 0.5
    #   pKa    9.62                        (10 - 9.62) / 2 -> 0.19
    #   total  1 + 1 + 1 + 1 + 0.5 + 0.19 = 4.69
    p = rules.profile(mol_from_smiles(BACLOFEN), pka_acid=3.87, pka_base=9.62)
    expected_logd = 1.857 - math.log10(1 + 10 ** (7.4 - 3.87)) - math.log10(1 + 10 ** (9.62 - 7.4))
    assert p.logd == pytest.approx(expected_logd, abs=1e-3)
    assert p.logd == pytest.approx(-3.896, abs=1e-3)
    assert rules.cns_mpo(p) == pytest.approx(4.69, abs=1e-9)
    assert p.pka_method == "record"


def test_cns_mpo_gabapentin_enacarbil_by_hand():
    # Gabapentin enacarbil (no basic centre: its N is a carbamate; acid pKa estimated 4.76, acetic acid):
    #   ClogP  2.683 (Crippen)                           <= 3  -> 1
    #   ClogD  2.683 - log10(1 + 10^(7.4-4.76)) = 0.042   <= 2  -> 1
    #   MW     329.39 (PubChem)                          <= 360 -> 1
    #   TPSA   101.93 (PubChem 102)   (120 - 101.93) / 30 = 0.6023
    #   HBD    2 (carbamate NH, acid OH)  (3.5 - 2) / 3  -> 0.5
    #   pKa    no basic centre                           -> 1
    #   total  1 + 1 + 1 + 0.6023 + 0.5 + 1 = 5.1023
    p = rules.profile(mol_from_smiles(GABAPENTIN_ENACARBIL))
    assert p.pka_base is None and p.pka_acid == 4.76
    assert p.logd == pytest.approx(2.683 - math.log10(1 + 10 ** (7.4 - 4.76)), abs=1e-3)
    assert rules.cns_mpo(p) == pytest.approx(1 + 1 + 1 + (120 - 101.93) / 30 + 0.5 + 1, abs=1e-3)


def test_pka_estimate_names_its_groups():
    estimate = rules.estimate_pka(mol_from_smiles("NCCCC(=O)O"))
    assert (estimate.acid, estimate.base) == (4.76, 10.66)  # acetic acid, methylamine (CRC)
    assert "primary aliphatic amine" in estimate.method and "carboxylic acid" in estimate.method
    assert rules.estimate_pka(mol_from_smiles("c1ccncc1")).base == 5.23  # pyridine (CRC)
    assert rules.estimate_pka(mol_from_smiles("NC(=O)C")).base is None  # an amide N is not basic
    assert rules.estimate_pka(mol_from_smiles("NCc1cc(O)no1")).acid == 5.92  # muscimol's 3-hydroxyisoxazole


def test_stated_pka_wins_over_the_estimate():
    p = rules.profile(mol_from_smiles("NCCCC(=O)O"), pka_acid="4.031", pka_base="10.556")
    assert (p.pka_acid, p.pka_base) == (4.031, 10.556)
    p = rules.profile(mol_from_smiles("NCCCC(=O)O"), pka_acid="", pka_base=float("nan"))
    assert (p.pka_acid, p.pka_base) == (4.76, 10.66)


# Boundary points of the two ellipses as tabulated in the Supporting Information of Daina & Zoete,
# ChemMedChem 11, 1117 (2016) (TPSA, WLOGP), as transcribed in the pyBOILEDegg program (B. F. Milne 2021).
WHITE_BOUNDARY = [
    (0.0247, 3.5427),
    (142.0301, 1.0464),
    (52.7027, 6.8366),
    (93.6234, -2.2462),
    (120.1341, -1.7447),
    (21.9206, 6.3338),
]
YOLK_BOUNDARY = [
    (-2.9617, 3.2759),
    (79.0990, 3.0940),
    (37.7428, 5.9634),
    (40.9702, 0.4063),
    (75.0553, 4.2857),
    (5.0659, 1.6254),
]


@pytest.mark.parametrize("point", WHITE_BOUNDARY)
def test_egg_white_matches_the_published_boundary(point):
    assert rules.EGG_WHITE.radius(*point) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("point", YOLK_BOUNDARY)
def test_egg_yolk_matches_the_published_boundary(point):
    assert rules.EGG_YOLK.radius(*point) == pytest.approx(1.0, abs=0.01)


def test_boiled_egg_classes():
    def cls(tpsa, wlogp):
        return rules.boiled_egg(rules.Profile(300, wlogp, 80, tpsa, tpsa, 1, 1, 1, 1, 30, None, None, ""))

    assert cls(38, 3.2) == "yolk"
    assert cls(110, 0.0) == "white"
    assert cls(160, 0.0) == "grey"
    assert cls(30, 7.5) == "grey"


def test_a_rule_is_one_registry_entry_and_a_name_only_once():
    # Ro3 (Congreve et al., Drug Discov. Today 8, 876 (2003)): fragments with MW < 300
    extra = rules.register(rules.Rule("ro3_mw", "Congreve et al. 2003", {"MW < 300": lambda p: p.mw < 300}))
    try:
        with pytest.raises(ValueError, match="already registered"):
            rules.register(extra)
        row = rules.evaluate(mol_from_smiles(BACLOFEN))  # 213.66 g/mol (PubChem CID 2284)
        assert row["ro3_mw"] is True and row["ro3_mw_violations"] == ""
    finally:
        rules.RULES.remove(extra)
