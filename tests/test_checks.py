import pytest

from chemprops import checks as ck
from chemprops.idtables import Entry, IdentifierIndex
from chemprops.structure import mol_from_smiles
from tests.conftest import BACLOFEN_INCHIKEY, BACLOFEN_SMILES

# PubChem CID 2284 (baclofen), CID 2519 (caffeine), CID 223 (ammonium), CID 5950 (L-alanine).
CAFFEINE_KEY = "RYYVLZVUVIJVGH-UHFFFAOYSA-N"
BACLOFEN_INCHI = "InChI=1S/C10H12ClNO2/c11-9-3-1-7(2-4-9)8(6-12)5-10(13)14/h1-4,8H,5-6,12H2,(H,13,14)"
L_ALANINE = "C[C@@H](C(=O)O)N"


def run(name, stated, smiles=BACLOFEN_SMILES, ctx=None):
    return ck.registry()[name].function(stated, ck.Facts(mol_from_smiles(smiles)), ctx or ck.Context())


def test_every_check_runs_on_baclofen():
    # Values from the monograph (structures/baclofen_wikipedia.txt) and PubChem CID 2284.
    stated = {
        "formula": "C10H12ClNO2",
        "molar_mass": "213.661 g/mol",
        "exact_mass": "213.0557",
        "cas": "1134-47-0",
        "pubchem_cid": 2284,
        "inchi": BACLOFEN_INCHI,
        "inchikey": BACLOFEN_INCHIKEY,
        "iupac_name": "x",
        "stereo": "racemate",
        "atc": "M03BX01",
        "drugbank": "APRD00551",
        "chemspider": "2197",
        "unii": "H789N3FKE8",
    }
    ctx = ck.Context(found={"iupac_name": {"x": ck.NameReading(inchi=BACLOFEN_INCHI)}})
    for check in ck.CHECKS:
        out = run(check.name, stated[check.name], ctx=ctx)
        assert out.status in ("pass", "unverified", "skip"), (check.name, out)


@pytest.mark.parametrize(
    "stated, status",
    [
        ("C10H12ClNO2", "pass"),
        ("C₁₀H₁₂ClNO₂", "pass"),
        ("C10 H12 Cl N O2", "pass"),
        ("ClC10H12NO2", "pass"),
        ("C10H13ClNO2", "fail"),
        ("C10H12BrNO2", "fail"),
        ("C10H12ClNO2+", "fail"),
        ("C10H12Cl", "fail"),
        ("C1O(", "fail"),
    ],
)
def test_formula(stated, status):
    assert run("formula", stated).status == status


def test_formula_charge_readings_and_omitted_charge():
    # PubChem CID 223: ammonium H4N+; CID 1117: sulfate O4S-2
    assert run("formula", "NH4+", "[NH4+]").status == "pass"
    assert run("formula", "SO4 2-", "[O-]S(=O)(=O)[O-]").status == "pass"
    assert run("formula", "Cu2+", "[Cu+2]").status == "pass"  # textbook reading of the charge
    out = run("formula", "H4N", "[NH4+]")
    assert out.status == "warn" and out.message == "element counts agree; the stated formula omits the charge +1"
    assert run("formula", "(C2H4O)n", "OCCO").status == "fail"
    assert run("formula", "(C2H4O)n", "CCO").status == "fail"
    assert run("formula", "(C2H4O)n", "C1CO1").status == "warn"


@pytest.mark.parametrize(
    "stated, status",
    # monograph 213.661; 213.66 is the same value rounded; +H = 214.669, +CH2 = 227.688, swapped digits 231.661/213.616
    [
        ("213.661 g/mol", "pass"),
        ("213.66", "pass"),
        (213.661, "pass"),
        ("213.7", "pass"),
        ("214.669", "fail"),
        ("227.688", "fail"),
        ("231.661", "fail"),
        ("213.616", "fail"),
        ("heavy", "fail"),
    ],
)
def test_molar_mass(stated, status):
    assert run("molar_mass", stated).status == status


def test_molar_mass_reports_difference_and_legacy_weights():
    out = run("molar_mass", "214.669")
    assert out.computed == "213.661" and "+1.0080 g/mol (about +one H)" in out.message
    # Uranium hexafluoride: RDKit's old F weight 18.998 vs IUPAC 2021 18.998403162 (Prohaska 2022) moves
    # UF6 from 352.0193 to 352.017, outside the narrow 2021 range (U and F have no interval).
    smiles = "F[U](F)(F)(F)(F)F"
    legacy = f"{ck.Formula.from_mol(mol_from_smiles(smiles)).legacy_molar_mass:.3f}"
    out = run("molar_mass", legacy, smiles)
    assert out.status == "warn" and out.message.startswith("matches only older atomic weights")
    assert run("molar_mass", "352.019", smiles).status == "pass"


def test_ion_masses_with_electrons():
    # Fluoride: 18.998403162 + electron 0.000548580 (CODATA 2018) = 18.998951742, as the EPA list states it.
    assert run("molar_mass", "18.998951743", "[F-]").status == "pass"
    assert run("exact_mass", "18.998951743", "[F-]").status == "pass"
    assert run("exact_mass", "18.998403", "[F-]").status == "pass"


@pytest.mark.parametrize(
    "stated, status",
    # PubChem CID 2284 exact mass 213.0556563
    [("213.0556563", "pass"), ("213.0557", "pass"), ("213.056", "pass"), ("214.0635", "fail"), ("213.0565", "fail")],
)
def test_exact_mass(stated, status):
    assert run("exact_mass", stated).status == status


def test_cas_and_offline_tables():
    assert run("cas", "1134-47-1").message == "CAS check digit is 1, should be 0"
    assert run("cas", "NOCAS_1027450").status == "skip"
    index = IdentifierIndex()
    index.add("cas", "58-08-2", Entry(CAFFEINE_KEY, "caffeine", "test table"))
    index.add("pubchem_cid", "2519", Entry(CAFFEINE_KEY, "caffeine", "test table"))
    out = run("cas", "58-08-2", ctx=ck.Context(identifiers=index))
    assert out.status == "fail" and "names caffeine" in out.message and "test table" in out.message
    assert run("cas", "58-08-2", "CN1C=NC2=C1C(=O)N(C(=O)N2C)C", ck.Context(identifiers=index)).status == "pass"
    assert run("pubchem_cid", "2519", ctx=ck.Context(identifiers=index)).status == "fail"
    # the bundled identifier table (PubChem-derived) has CID 2284, baclofen, and no CID 999999999
    assert run("pubchem_cid", "2284").status == "pass"
    assert run("pubchem_cid", "999999999").status == "unverified"
    assert run("pubchem_cid", "2284", ctx=ck.Context(identifiers=IdentifierIndex(bundled=False))).status == "unverified"
    assert run("pubchem_cid", "-4").status == "fail"


def test_inchi_and_key_layers():
    assert run("inchi", BACLOFEN_INCHI).status == "pass"
    # (R)-baclofen, PubChem CID 44602: stereo layer /t8-/m0/s1
    r = run("inchi", BACLOFEN_INCHI + "/t8-/m0/s1")
    assert r.status == "fail" and "differs only in the stereo layer" in r.message
    assert "structure leaves undefined" in r.message
    # ammonium (PubChem CID 223) vs ammonia: only the protonation layer
    p = run("inchi", "InChI=1S/H3N/h1H3", "[NH4+]")
    assert p.status == "fail" and "protonation" in p.message
    assert run("inchikey", "KPYSYYIEGFHWSV-UHFFFAOYSA-N").status == "pass"
    assert run("inchikey", CAFFEINE_KEY).message == "a different structure (the connectivity block differs)"
    # L- and D-alanine (PubChem CID 5950, 71080) share the first block
    d = run("inchikey", "QNAYBMKLOCPYGJ-UWTATZPHSA-N", L_ALANINE)
    assert d.status == "fail" and "stereo" in d.message
    assert run("inchikey", "QGZKDVFQNNGYKY-UHFFFAOYSA-N", "[NH4+]").message.endswith("protonation flag (N vs O)")
    assert run("inchikey", "not-a-key").status == "fail"


def test_non_standard_inchi_relative_stereo():
    # A relative-stereo non-standard InChI (/s2) agrees with either enantiomer: DL-threonine, EPA list.
    nonstd = "InChI=1/C4H9NO3/c1-2(6)3(5)4(7)8/h2-3,6H,5H2,1H3,(H,7,8)/t2-,3+/s2"
    assert run("inchi", nonstd, "C[C@@H](O)[C@H](N)C(=O)O").status == "pass"
    assert run("inchi", nonstd, "C[C@H](O)[C@@H](N)C(=O)O").status == "pass"


def test_iupac_name_comparisons():
    named = ck.name_reading(type("P", (), {"smiles": "NC[C@H](CC(=O)O)c1ccc(Cl)cc1 |r|", "racemic": True, "error": ""}))
    assert named.inchi == BACLOFEN_INCHI  # "(RS)-" reading: stereo dropped
    r_inchi = BACLOFEN_INCHI + "/t8-/m0/s1"
    s_inchi = BACLOFEN_INCHI + "/t8-/m1/s1"
    ctx = ck.Context(
        found={
            "iupac_name": {
                "r": ck.NameReading(inchi=r_inchi),
                "s": ck.NameReading(inchi=s_inchi),
                "bad": ck.NameReading(error="OPSIN: unparsable"),
            }
        }
    )
    r_smiles = "NC[C@@H](CC(=O)O)c1ccc(Cl)cc1"
    assert run("iupac_name", "r", r_smiles, ctx).status in ("pass", "fail")
    statuses = {run("iupac_name", n, r_smiles, ctx).status for n in ("r", "s")}
    assert statuses == {"pass", "fail"}  # one enantiomer matches, the other is the opposite configuration
    assert run("iupac_name", "r", BACLOFEN_SMILES, ctx).status == "warn"  # name more specific than the structure
    assert run("iupac_name", "bad", ctx=ctx).status == "skip"
    assert run("iupac_name", "x", ctx=ck.Context(unavailable={"iupac_name": "Java is not installed"})).message == (
        "cannot parse names here: Java is not installed"
    )


@pytest.mark.parametrize(
    "stated, smiles, status",
    [
        ("1:1 mixture (racemate)", BACLOFEN_SMILES, "pass"),
        ("(RS)", BACLOFEN_SMILES, "pass"),
        ("racemic", "NC[C@@H](CC(=O)O)c1ccc(Cl)cc1", "fail"),
        ("racemate", "CCO", "fail"),
        ("S", L_ALANINE, "pass"),
        ("R", L_ALANINE, "fail"),
        ("(S)", BACLOFEN_SMILES, "fail"),
        ("achiral", "CCO", "pass"),
        ("achiral", L_ALANINE, "fail"),
        ("meso", "C[C@@H](O)[C@H](C)O", "pass"),  # meso-2,3-butanediol (PubChem CID 220010)
        ("(2R,3R)", "C[C@@H](O)[C@@H](C)O", "pass"),  # (2R,3R)-butanediol (PubChem CID 225936)
        ("unclear", "CCO", "skip"),
    ],
)
def test_stereo(stated, smiles, status):
    assert run("stereo", stated, smiles).status == status


@pytest.mark.parametrize(
    "name, value, status",
    [
        ("atc", "M03BX01", "unverified"),
        ("atc", "M3BX01", "fail"),
        ("drugbank", "DB00181", "unverified"),
        ("drugbank", "DB181", "fail"),
        ("unii", "H789N3FKE8", "unverified"),
        ("unii", "H789", "fail"),
        ("chemspider", "2197", "unverified"),
        ("chemspider", "x", "fail"),
    ],
)
def test_format_only_checks(name, value, status):
    assert ck.registry()[name].function(value, None, ck.Context()).status == status


def test_inchi_of_another_inchi_version_and_moved_protons():
    # EPA Wikipedia list (tests/data/wikipedia_chemicals.csv.gz): lithium chlorate's stated InChI, written by an
    # older InChI version, and ammonium iodate's InChI as iodic acid + ammonia.
    chlorate = run("inchi", "InChI=1S/ClHO3.Li/c2-1(3)4;/h(H,2,3,4);/q;+1/p-1", "[Li+].[O-][Cl](=O)=O")
    assert chlorate.status == "warn" and chlorate.message.startswith("the same structure: read and written again")
    iodate = run("inchi", "InChI=1S/HIO3.H3N/c2-1(3)4;/h(H,2,3,4);1H3", "[NH4+].[O-][I](=O)=O")
    assert iodate.status == "warn" and iodate.message.startswith("the same composition")
    assert run("inchi", "InChI=1S/H3N/h1H3", "[NH4+]").status == "fail"  # ammonia is not ammonium
