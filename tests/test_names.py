"""IUPAC names as sources write them (chemprops.names): cleaning, conventions, relative/racemic stereo.

Cases are records of the EPA CompTox "WIKIPEDIA" list (tests/data/wikipedia_chemicals.csv.gz, by record name
and CAS number) or PubChem compounds (by CID).
"""

import pytest

from chemprops import checks as ck
from chemprops import names, opsin
from chemprops.structure import mol_from_smiles

needs_opsin = pytest.mark.skipif(bool(opsin.unavailable_reason()), reason="OPSIN (Java, py2opsin) is not available")

PPA = "rel-(1R,2S)-2-Amino-1-phenylpropan-1-ol"  # Phenylpropanolamine, CAS 14838-15-4
NOREPHEDRINE = "C[C@@H](N)[C@@H](O)C1=CC=CC=C1"  # the record's structure, (1R,2S)
NOREPHEDRINE_MIRROR = "C[C@H](N)[C@H](O)C1=CC=CC=C1"  # (1S,2R): the other enantiomer
NORPSEUDOEPHEDRINE = "C[C@H](N)[C@@H](O)C1=CC=CC=C1"  # (1R,2R): the other diastereomer (PubChem CID 162865)
PPA_FLAT = "CC(N)C(O)C1=CC=CC=C1"

DIELDRIN_NAME = (  # Dieldrin, CAS 60-57-1: a meso compound
    "rel-(1aR,2R,2aS,6R,6aR,7S,7aS)-3,4,5,6,9,9-Hexachloro-1a,2,2a,3,6,6a,7,7a-octahydro-2,7:3,6-"
    "dimethanonaphtho[2,3-b]oxirene"
)
DIELDRIN = "ClC1=C(Cl)[C@]2(Cl)[C@@H]3[C@@H]4C[C@@H]([C@H]5O[C@@H]45)[C@@H]3[C@@]1(Cl)C2(Cl)Cl"
ENDRIN_NAME = (  # Endrin, CAS 72-20-8: the endo,endo stereoisomer of dieldrin
    "rel-(1aR,2R,2aR,6S,6aS,7S,7aS)-3,4,5,6,9,9-Hexachloro-1a,2,2a,3,6,6a,7,7a-octahydro-2,7:3,6-"
    "dimethanonaphtho[2,3-b]oxirene"
)
MG_PLP_GLU_NAME = (  # Magnesium pyridoxal 5-phosphate glutamate, CAS 139319-33-8: several components
    "Magnesium (2S)-2-[(E)-({2-methyl-3-oxido-5-[(phosphonatooxy)methyl]pyridin-4-yl}methylidene)amino]"
    "pentanedioate (5/2)"
)
MG_PLP_GLU = (
    "[Mg++].[Mg++].[Mg++].[Mg++].[Mg++]."
    "[H]C(CCC([O-])=O)(\\N=C\\C1=C(COP([O-])([O-])=O)C=NC(C)=C1[O-])C([O-])=O."
    "[H]C(CCC([O-])=O)(\\N=C\\C1=C(COP([O-])([O-])=O)C=NC(C)=C1[O-])C([O-])=O"
)
DEMOXYTOCIN_NAME = (  # Demoxytocin, CAS 113-78-0: the source broke the name across lines after "}-"
    "1-{(4R,7S,10S,13S,16S)-7-(2-Amino-2-oxoethyl)-10-(3-amino-3-oxopropyl)-13-[(2S)-butan-2-yl]-16-"
    "[(4-hydroxyphenyl)methyl]-6,9,12,15,18-pentaoxo-1,2-dithia-5,8,11,14,17-pentaazacycloicosane-4-carbonyl}-\n"
    "L-prolyl-L-leucylglycinamide"
)
DEMOXYTOCIN = (
    "[H][C@]1(NC(=O)[C@H](CC2=CC=C(O)C=C2)NC(=O)CCSSC[C@H](NC(=O)[C@H](CC(N)=O)NC(=O)[C@H](CCC(N)=O)NC1=O)"
    "C(=O)N1CCC[C@H]1C(=O)N[C@@H](CC(C)C)C(=O)NCC(N)=O)[C@@H](C)CC"
)
CEFOPERAZONE_NAME = (  # Cefoperazone, CAS 62893-19-0: "carboxyl\nic acid"
    "(6R,7R)-7-{[(2R)-2-[(4-Ethyl-2,3-dioxopiperazine-1-carbonyl)amino]-2-(4-hydroxyphenyl)acetyl]amino}-3-"
    "{[(1-methyl-1H-tetrazol-5-yl)sulfanyl]methyl}-8-oxo-5-thia-1-azabicyclo[4.2.0]oct-2-ene-2-carboxyl\nic acid"
)
CEFOPERAZONE = "CCN1CCN(C(=O)N[C@@H](C(=O)N[C@H]2[C@H]3SCC(CSC4=NN=NN4C)=C(N3C2=O)C(O)=O)C2=CC=C(O)C=C2)C(=O)C1=O"
UDP_GLUCOSE_NAME = (  # Uridine diphosphate glucose, CAS 133-89-1
    "[(2R,3S,4R,5R)-5-(2,4-Dioxo-3,4-dihydropyrimidin-1(2H)-yl)-3,4-dihydroxyoxolan-2-yl]methyl "
    "(2R,3R,4S,5S,6R)-3,4,5-trihydroxy-6-(hydroxymethyl)oxan-2-yl dihydrogen diphosphate (non-preferred name)"
)
UDP_GLUCOSE = (
    "OC[C@H]1O[C@H](OP(O)(=O)OP(O)(=O)OC[C@H]2O[C@H]([C@H](O)[C@@H]2O)N2C=CC(=O)NC2=O)[C@H](O)[C@@H](O)[C@@H]1O"
)

CASES = [
    # 1. rel-: the relative configuration, either enantiomer.
    (PPA, NOREPHEDRINE, "pass", "relative stereo"),
    (PPA, NOREPHEDRINE_MIRROR, "pass", "relative stereo"),
    (PPA, NORPSEUDOEPHEDRINE, "fail", "opposite configuration"),
    (PPA, PPA_FLAT, "warn", "leaves undefined"),
    ("(1R*,2S*)-2-amino-1-phenylpropan-1-ol", NOREPHEDRINE_MIRROR, "pass", "relative stereo"),
    (  # Nemonapride, CAS 75272-39-8: rel- on a substituent only
        "N-[rel-(2R,3R)-1-Benzyl-2-methylpyrrolidin-3-yl]-5-chloro-2-methoxy-4-(methylamino)benzamide",
        "CNC1=C(Cl)C=C(C(=O)N[C@H]2CCN(CC3=CC=CC=C3)[C@H]2C)C(OC)=C1",
        "pass",
        "relative stereo",
    ),
    # Ring cis/trans without R/S is relative too (trans-2-aminocyclohexanol, PubChem CID 5712 and its mirror).
    ("trans-2-aminocyclohexan-1-ol", "N[C@@H]1CCCC[C@H]1O", "pass", "relative stereo"),
    ("trans-2-aminocyclohexan-1-ol", "N[C@H]1CCCC[C@@H]1O", "pass", "relative stereo"),
    ("trans-2-aminocyclohexan-1-ol", "N[C@@H]1CCCC[C@@H]1O", "fail", ""),
    # 2. Racemic names: the stereo is dropped; a structure showing one enantiomer is a warning, another
    # diastereomer a failure.
    ("rac-(1R,2S)-2-amino-1-phenylpropan-1-ol", PPA_FLAT, "pass", ""),
    ("rac-(1R,2S)-2-amino-1-phenylpropan-1-ol", NOREPHEDRINE_MIRROR, "warn", "racemic"),
    ("rac-(1R,2S)-2-amino-1-phenylpropan-1-ol", NORPSEUDOEPHEDRINE, "fail", "racemic"),
    ("(1RS,2SR)-2-amino-1-phenylpropan-1-ol", NOREPHEDRINE, "warn", "racemic"),
    ("(1RS,2SR)-2-amino-1-phenylpropan-1-ol", NORPSEUDOEPHEDRINE, "fail", "racemic"),
    ("(±)-(1R,2S)-2-amino-1-phenylpropan-1-ol", NOREPHEDRINE, "warn", "racemic"),
    ("(+/-)-(1R,2S)-2-amino-1-phenylpropan-1-ol", PPA_FLAT, "pass", ""),
    ("(±)-2-amino-1-phenylpropan-1-ol", NOREPHEDRINE, "warn", "racemic"),
    ("(+-)-2-amino-1-phenylpropan-1-ol", PPA_FLAT, "pass", ""),
    ("(RS)-4-amino-3-(4-chlorophenyl)butanoic acid", "NC[C@H](CC(=O)O)c1ccc(Cl)cc1", "warn", "racemic"),  # CID 2284
    # 3. An element name is the diatomic substance (records Chlorine CAS 7782-50-5, Nitrogen 7727-37-9, ...).
    ("Chlorine", "ClCl", "pass", "Cl2"),
    ("chlorine", "ClCl", "pass", "Cl2"),
    ("Nitrogen", "N#N", "pass", "N2"),
    ("Hydrogen", "[H][H]", "pass", "H2"),  # OPSIN cannot read "hydrogen" alone
    ("oxygen", "O=O", "pass", "O2"),
    ("molecular chlorine", "ClCl", "pass", ""),
    ("Chlorine", "Cl", "fail", ""),  # hydrogen chloride is not chlorine
    # 4. CAS locants: the unnumbered N of glutamine/asparagine is the amide nitrogen.
    ("N-Ethyl-L-glutamine", "CCNC(=O)CC[C@H](N)C(O)=O", "warn", "amide nitrogen"),  # Theanine, CAS 3081-61-6
    ("N-Ethyl-L-glutamine", "CCNC(=O)CC[C@@H](N)C(O)=O", "fail", ""),  # D-theanine: the other enantiomer
    ("N-Acetyl-L-glutamine", "CC(=O)N[C@@H](CCC(N)=O)C(O)=O", "pass", ""),  # PubChem CID 182230, read as written
    (  # Neboglamine, CAS 163000-63-3 (alpha-glutamine: the amide is C1)
        "N-(4,4-Dimethylcyclohexyl)-L-alpha-glutamine",
        "CC1(C)CCC(CC1)NC(=O)[C@@H](N)CCC(O)=O",
        "warn",
        "amide nitrogen",
    ),
    (  # record "N-[4-(2-Bromo-4,5-difluorophenoxy)phenyl]-L-asparagine", CAS 868359-05-1
        "N-[4-(2-Bromo-4,5-difluorophenoxy)phenyl]-L-asparagine",
        "N[C@@H](CC(=O)NC1=CC=C(OC2=CC(F)=C(F)C=C2Br)C=C1)C(O)=O",
        "warn",
        "amide nitrogen",
    ),
    (  # Tabilautide, CAS 63377-06-0 (per the record): the N- after the acyl residue is glutamine's
        "N-Dodecanoyl-L-alanyl-N-[(1S,5S)-5,6-diamino-1-carboxy-6-oxohexyl]-D-glutamine",
        "CCCCCCCCCCCC(=O)N[C@@H](C)C(=O)N[C@H](CCC(=O)N[C@@H](CCC[C@H](N)C(N)=O)C(O)=O)C(O)=O",
        "warn",
        "amide nitrogen",
    ),
    # 5. Stereo InChI's layers cannot compare: meso compounds, several components.
    (DIELDRIN_NAME, DIELDRIN, "warn", "component by component"),
    (ENDRIN_NAME, DIELDRIN, "fail", "opposite configuration"),
    (MG_PLP_GLU_NAME, MG_PLP_GLU, "warn", "component by component"),
    (  # record "(1R,8S)-10-Azoniatricyclo[6.3.1.0~2,7~]dodeca-2,4,6-triene 4-methylbenzenesulfonate": achiral
        "(1S)-2,3,4,5-Tetrahydro-1H-1,5-methano-3-benzazepin-3-ium 4-methylbenzene-1-sulfonate",
        "CC1=CC=C(C=C1)S([O-])(=O)=O.[H][C@]12C[C@]([H])(C[NH2+]C1)C1=C2C=CC=C1",
        "warn",
        "both orientations",
    ),
    # 6. What sources wrap around names.
    (  # Propatyl nitrate, CAS 2921-92-8
        "2,2-Bis[(nitrooxy)methyl]butyl nitrate (non-preferred name)",
        "CCC(CO[N+]([O-])=O)(CO[N+]([O-])=O)CO[N+]([O-])=O",
        "pass",
        "without the note",
    ),
    ("(~3~H_2_)Water", "[3H]O[3H]", "pass", "superscripts"),  # Water-T2, CAS 14940-65-9
    ("(~210~Po)Polonium", "[210Po]", "pass", "superscripts"),  # Polonium-210
    (DEMOXYTOCIN_NAME, DEMOXYTOCIN, "pass", "broken by a space"),
    (CEFOPERAZONE_NAME, CEFOPERAZONE, "pass", "broken by a space"),
    # 7. Other conventions of the corpus.
    ("2-Hydroxybenzoic acid--morpholine (1/1)", "OC(=O)C1=CC=CC=C1O.C1COCCN1", "pass", "compound with"),
    ("Borane--hafnium (2/1)", "B.B.[Hf]", "pass", "compound with"),  # Hafnium diboride, CAS 12007-23-7
    ("Cerium(4+) disulfate", "[Ce+4].[O-]S([O-])(=O)=O.[O-]S([O-])(=O)=O", "warn", "bis("),  # CAS 13590-82-4
    (  # Carbosulfan, CAS 55285-14-8
        "2,2-Dimethyl-2,3-dihydro-1-benzofuran-7-yl [(dibutylamino)sulfanyl]methylcarbamate",
        "CCCCN(CCCC)SN(C)C(=O)OC1=C2OC(C)(C)CC2=CC=C1",
        "warn",
        "N,N-disubstituted",
    ),
    (UDP_GLUCOSE_NAME, UDP_GLUCOSE, "pass", "one ester on each P"),
    (  # Bucyclic acid, CAS 38289-28-0: OPSIN cannot apply r/s
        "(1s,4r)-4-Butylcyclohexane-1-carboxylic acid",
        "CCCC[C@H]1CC[C@@H](CC1)C(O)=O",
        "warn",
        "pseudoasymmetric",
    ),
    (  # Granisetron, CAS 109889-09-0: without "3r" OPSIN places 1R,5S differently; no failure for that
        "1-Methyl-N-[(1R,3r,5S)-9-methyl-9-azabicyclo[3.3.1]nonan-3-yl]-1H-indazole-3-carboxamide",
        "CN1N=C(C(=O)N[C@@H]2C[C@@H]3CCC[C@H](C2)N3C)C2=CC=CC=C12",
        "warn",
        "pseudoasymmetric",
    ),
    # Real errors stay failures: a wrong E/Z (Sulindac, CAS 38194-50-2, is Z) and the other enantiomer
    # ((+)-beta-Selinene record).
    (
        "[(1E)-5-Fluoro-1-{[4-(methanesulfinyl)phenyl]methylidene}-2-methyl-1H-inden-3-yl]acetic acid",
        "CC1=C(CC(O)=O)C2=C(C=CC(F)=C2)\\C1=C/C1=CC=C(C=C1)S(C)=O",
        "fail",
        "",
    ),
    (
        "(4aS,7S,8aR)-4a-Methyl-1-methylidene-7-(prop-1-en-2-yl)decahydronaphthalene",
        "[H][C@@]12C[C@@H](CC[C@@]1(C)CCCC2=C)C(C)=C",
        "fail",
        "opposite configuration",
    ),
]


@pytest.fixture(scope="module")
def found():
    """Every case's name through the registry's batch work, in one OPSIN run (as `verify` does it)."""
    check = ck.registry()["iupac_name"]
    keys = sorted({ck.stated_key(name) for name, *_ in CASES})
    return dict(check.read(item) for item in check.start(keys).result())


def outcome(name, smiles, found):
    facts = ck.Facts(mol_from_smiles(smiles))
    return ck.check_iupac_name(name, facts, ck.Context(found={"iupac_name": found}))


@needs_opsin
@pytest.mark.parametrize("name, smiles, status, words", CASES)
def test_names_against_structures(name, smiles, status, words, found):
    out = outcome(name, smiles, found)
    assert out.status == status, out
    assert words in out.message, out


@needs_opsin
def test_a_name_opsin_reads_is_not_rewritten(found):
    # N~1~,N~1~ is read as written; no note (cleaning only when OPSIN cannot read a name).
    name = "N~1~,N~1~-Dimethyl-N~2~-(pyridin-2-yl)-N~2~-[(thiophen-2-yl)methyl]ethane-1,2-diamine"
    check = ck.registry()["iupac_name"]
    [(key, reading)] = [check.read(item) for item in check.start([name]).result()]
    assert key == name and reading.note == "" and reading.inchi


@needs_opsin
def test_readings_are_stored_under_the_stated_key(found):
    # A name broken across lines is looked up by its stated (white-space normalised) text.
    assert ck.stated_key(DEMOXYTOCIN_NAME) in found
    # OPSIN reads it as stated (to another structure): the joined spelling is an alternative.
    reading = found[ck.stated_key(DEMOXYTOCIN_NAME)]
    assert reading.note == "" and any("broken by a space" in r.note for r in reading.alternatives)


@needs_opsin
def test_unreadable_names_give_the_reason_left_after_cleaning():
    check = ck.registry()["iupac_name"]
    name = "Maytansine (non-preferred name)"
    [(key, reading)] = [check.read(item) for item in check.start([name]).result()]
    assert key == name and "Maytansine" in reading.error and "without the note" in reading.error


def test_spellings_leave_plain_names_alone():
    assert names.spellings("ethanol") == [names.Spelling("ethanol")]
    assert [s.text for s in names.spellings("acetic acid")] == ["acetic acid"]


def test_cleanings():
    texts = [s.text for s in names.cleanings("propan-2-ol (non-preferred name)")]
    assert texts == ["propan-2-ol"]
    texts = [s.text for s in names.cleanings("2-Hydroxybenzoic acid--morpholine (1/1)")]
    assert texts == ["2-Hydroxybenzoic acid compound with morpholine (1:1)"]
    assert names.cleanings("(~2~H_6_)Propan-2-one")[0].text == "(2H6)Propan-2-one"
    assert names.cleanings("(R,S)-2-phenylpropanoic acid")[0].text == "(RS)-2-phenylpropanoic acid"
    # Von Baeyer superscripts, which OPSIN reads, are kept.
    assert names._untilde("tricyclo[3.3.1.1~3,7~]decane") == "tricyclo[3.3.1.1~3,7~]decane"
    assert names._untilde("N~2~-acetyl-L-lysine") == "N2-acetyl-L-lysine"


@pytest.mark.parametrize(
    "text, joined",
    [
        ("pyridine-2-carboxyli c acid", "pyridine-2-carboxylic acid"),
        ("4-methyl- 19-(2-methylpropyl)", "4-methyl-19-(2-methylpropyl)"),
        ("carbonyl}- L-prolyl", "carbonyl}-L-prolyl"),
        ("2-(hydroxymet hyl)oxane", "2-(hydroxymethyl)oxane"),
        ("beta-D-ribo-hexopyr anoside", "beta-D-ribo-hexopyranoside"),
        # Real word breaks stay.
        ("benzoic acid", "benzoic acid"),
        ("sodium chloride", "sodium chloride"),
        ("bis(2-ethylhexyl) phthalate", "bis(2-ethylhexyl) phthalate"),
        ("methyl (2S)-2-aminopropanoate", "methyl (2S)-2-aminopropanoate"),
        ("calcium bis(dihydrogen phosphate)", "calcium bis(dihydrogen phosphate)"),
    ],
)
def test_words_broken_by_a_space(text, joined):
    assert names._join_broken(text) == joined


def test_cas_amide_nitrogen_spellings():
    texts = [s.text for s in names._amide_nitrogen("N-Dodecanoyl-L-alanyl-N-[(1S)-1-carboxyethyl]-D-glutamine")]
    assert "N-Dodecanoyl-L-alanyl-N'-[(1S)-1-carboxyethyl]-D-glutamine" in texts
    assert names._amide_nitrogen("N-ethyl-L-alanine") == []  # no amide to move to
    assert [s.text for s in names._amide_nitrogen("N,N-dimethyl-L-asparagine")] == ["N',N'-dimethyl-L-asparagine"]


def test_pseudoasymmetric_descriptors_dropped():
    assert names._drop_pseudoasymmetric("(1R,3r,5S)-8-methyl-x") == ("(1R,5S)-8-methyl-x", ["3r"])
    assert names._drop_pseudoasymmetric("N-[(1r,4r)-4-hydroxycyclohexyl]urea") == (
        "N-[4-hydroxycyclohexyl]urea",
        ["1r", "4r"],
    )
    assert names._drop_pseudoasymmetric("(2R,3S)-butane-2,3-diol") == ("(2R,3S)-butane-2,3-diol", [])


def test_stereo_by_component():
    # Two components with a multiplier (2*) and per-component /m flags: decided component by component.
    a = "InChI=1S/2C3H7NO2.Mg/c2*1-2(4)3(5)6;/h2*2H,4H2,1H3,(H,5,6);/q;;+2/p-2/t2*2-;/m00./s1"
    b = "InChI=1S/2C3H7NO2.Mg/c2*1-2(4)3(5)6;/h2*2H,4H2,1H3,(H,5,6);/q;;+2/p-2/t2*2-;/m10./s1"
    assert names._by_component(a, a)[0] == "same"
    relation, atoms, _ = names._by_component(a, b)
    assert relation == "conflict" and atoms == ["1:2"]


def test_name_reading_of_a_single_opsin_answer():
    # checks.name_reading keeps working on one OPSIN answer (racemic: stereo dropped, relative kept).
    parsed = opsin.ParsedName("rac-x", "NC[C@H](CC(=O)O)c1ccc(Cl)cc1 |r|", racemic=True)
    reading = ck.name_reading(parsed)
    assert "/t" not in reading.inchi and reading.racemic and len(reading.relative) == 2
