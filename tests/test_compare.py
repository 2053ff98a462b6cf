"""chemprops.compare on the built-in GABA set: the chemistry of the comparison, and other inputs."""

import importlib
import re
import time

import pytest
from rdkit import Chem

from chemprops.compare import Series, builtin_series, compare, load_series, read_members, ring_from_rgroup
from chemprops.errors import InputError
from tests.conftest import DATA


@pytest.fixture(scope="module")
def gaba():
    return compare("gaba", reference="baclofen")


@pytest.fixture(scope="module")
def table(gaba):
    return gaba.table().set_index("name")


def test_enantiomers_are_identical_to_baclofen_by_a_stereo_blind_fingerprint(gaba):
    # Morgan, MACCS and atom pairs ignore stereo: (R)- and (S)-baclofen are baclofen to them.
    for fp in ("morgan", "maccs", "atompair"):
        row = gaba.similarity[fp]["baclofen"]
        assert row["arbaclofen"] == 1.0 and row["(S)-baclofen"] == 1.0
    keys = {name: gaba.descriptors.set_index("name").loc[name, "inchikey"] for name in ("arbaclofen", "baclofen")}
    assert keys["arbaclofen"] != keys["baclofen"]  # yet they are different structures


@pytest.mark.parametrize("fp", ["morgan", "maccs", "atompair"])
def test_phenibuts_are_nearer_to_baclofen_than_the_gabapentinoids(gaba, fp):
    # Phenibut and 4-fluorophenibut differ from baclofen only at the para position of the C3 aryl;
    # pregabalin (isobutyl) and gabapentin (spiro cyclohexane) carry no aryl at all.
    sim = gaba.similarity[fp]["baclofen"]
    assert min(sim["phenibut"], sim["4-fluorophenibut"]) > max(sim["pregabalin"], sim["gabapentin"])


def test_ranking_starts_with_the_reference_and_its_enantiomers(gaba):
    ranked = gaba.table()
    assert list(ranked["name"][:3]) == ["baclofen", "arbaclofen", "(S)-baclofen"]
    assert list(ranked["rank"]) == list(range(len(ranked)))
    order = list(ranked["name"])
    assert order.index("phenibut") < order.index("pregabalin") < order.index("gabapentin")
    assert ranked["tanimoto_morgan"].is_monotonic_decreasing


def test_similarity_matrices_are_symmetric_with_unit_diagonal(gaba):
    for matrix in gaba.similarity.values():
        assert (matrix.to_numpy() == matrix.to_numpy().T).all()
        assert all(matrix.loc[n, n] == 1.0 for n in matrix.index)


def test_mcs_is_the_gaba_backbone(gaba):
    query = Chem.MolFromSmarts(gaba.mcs_smarts)
    assert query.GetNumAtoms() == 7  # N-C-C-C-C(=O)-O: all of GABA's heavy atoms
    gaba_mol = Chem.MolFromSmiles("NCCCC(=O)O")
    assert len(gaba_mol.GetSubstructMatch(query)) == 7
    assert gaba.mcs_count == 15
    missing = {m.name for m in gaba.members if not m.mol.HasSubstructMatch(query)}
    # no amine-chain-COOH: GHB (no N), muscimol/gaboxadol (3-hydroxyisoxazole), the P and S acids,
    # progabide (amide); the rest all carry N-C4-C3-C2-C1(=O)OH.
    assert missing == {"GHB", "muscimol", "gaboxadol", "phaclofen", "saclofen", "lesogaberan", "progabide"}


def test_rgroups(table):
    canon = Chem.CanonSmiles
    assert canon(table.loc["baclofen", "r_c3"]) == canon("*c1ccc(Cl)cc1")  # 4-chlorophenyl
    assert canon(table.loc["phenibut", "r_c3"]) == canon("*c1ccccc1")  # phenyl
    assert canon(table.loc["pregabalin", "r_c3"]) == canon("*CC(C)C")  # isobutyl
    assert canon(table.loc["GABOB", "r_c3"]) == canon("*O")  # 3-hydroxy
    assert canon(table.loc["lesogaberan", "r_c3"]) == canon("*F")  # 2-fluoro (phosphinic numbering)
    assert canon(table.loc["vigabatrin", "r_c4"]) == canon("*C=C")  # 4-vinyl
    assert table.loc["GABA", ["r_n", "r_c4", "r_c3", "r_c2"]].tolist() == ["H", "H", "H", "H"]
    assert canon(table.loc["picamilon", "r_n"]) == canon("*C(=O)c1cccnc1")  # nicotinoyl
    assert table.loc["phaclofen", "acid_head"] == "phosphonic acid"
    assert table.loc["lesogaberan", "acid_head"] == "phosphinic acid"
    assert table.loc["saclofen", "acid_head"] == "sulfonic acid"
    assert table.loc["progabide", "acid_head"] == "carboxamide"
    assert table.loc["GHB", "r_c3"] == ""  # no GABA backbone: no R-groups


def test_gabapentin_rgroup_is_the_spiro_cyclohexane(table):
    r_c3 = table.loc["gabapentin", "r_c3"]
    assert r_c3.count("*") == 2  # one group, two bonds to C3
    assert ring_from_rgroup(r_c3) == "C1CCCCC1"
    assert ring_from_rgroup(table.loc["gabapentin enacarbil", "r_c3"]) == "C1CCCCC1"
    assert table.loc["gabapentin", "r_c4"] == "H"


def test_rules_and_mpo_in_the_table(table):
    assert table.loc["baclofen", "cns_mpo"] == pytest.approx(4.69, abs=1e-3)  # see tests/test_rules.py
    assert table.loc["baclofen", "pka_method"] == "record"
    assert table.loc["mirogabalin", "pka_method"].startswith("group table")
    assert table["lipinski"].all()  # every GABA analogue is small and polar
    assert set(table["boiled_egg"]) <= {"yolk", "white", "grey"}
    assert table.loc["baclofen", "formula"] == "C10H12ClNO2"


def test_reference_outside_the_set_is_added(tmp_path):
    path = tmp_path / "two.smi"
    path.write_text("NCCCC(=O)O GABA\nOCCCC(=O)O GHB\n")
    result = compare(str(path), reference="NCC(CC(=O)O)c1ccc(Cl)cc1")
    assert len(result.members) == 3 and result.names[0] == result.reference
    assert compare(str(path)).reference == "GABA"  # a file's first structure by default


def test_reference_by_synonym_or_structure_finds_the_member():
    # "Lioresal" is a synonym in structures/baclofen.toml, not in the CSV: the structure decides.
    assert compare("gaba", reference="Lioresal").reference == "baclofen"
    assert compare("gaba", reference="148553-50-8").reference == "pregabalin"  # CAS
    result = compare("gaba", reference="CC(C)C[C@H](CN)CC(=O)O")
    assert result.reference == "pregabalin" and len(result.members) == 22


def test_read_csv_smi_sdf_and_skip_bad_rows(tmp_path):
    csv_path = tmp_path / "set.csv"
    csv_path.write_text("name,SMILES,pka_base\nGABA,NCCCC(=O)O,10.556\nbroken,C1CC(,\n")
    members, skipped = read_members(csv_path)
    assert [m.name for m in members] == ["GABA"] and members[0].record["pka_base"] == "10.556"
    assert len(skipped) == 1 and "set.csv:3 broken" in skipped[0][0]

    sdf = tmp_path / "set.sdf"
    writer = Chem.SDWriter(str(sdf))
    for smiles, name in [("NCCCC(=O)O", "GABA"), ("OCCCC(=O)O", "GHB")]:
        mol = Chem.MolFromSmiles(smiles)
        mol.SetProp("_Name", name)
        writer.write(mol)
    writer.close()
    members, skipped = read_members(sdf)
    assert [m.name for m in members] == ["GABA", "GHB"] and skipped == []


def test_bad_sources(tmp_path):
    with pytest.raises(InputError, match="neither a built-in set"):
        compare("no-such-set")
    (tmp_path / "no_smiles.csv").write_text("name,formula\nGABA,C4H9NO2\n")
    with pytest.raises(InputError, match="no SMILES column found; the columns are: name, formula"):
        read_members(tmp_path / "no_smiles.csv")
    (tmp_path / "empty.smi").write_text("# nothing\n")
    with pytest.raises(InputError, match="no structures"):
        compare(str(tmp_path / "empty.smi"))
    (tmp_path / "x.pdb").write_text("ATOM\n")
    with pytest.raises(InputError, match="unknown file type '.pdb'"):
        compare(str(tmp_path / "x.pdb"))


def test_reads_every_batch_input_format(tmp_path):
    """compare reads through batch's io registry: JSON lines and Parquet too."""
    import pandas as pd

    frame = pd.DataFrame({"name": ["GABA", "GHB", "broken"], "smiles": ["NCCCC(=O)O", "OCCCC(=O)O", "C1CC("]})
    frame.to_json(tmp_path / "set.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "set.parquet")
    for path in (tmp_path / "set.jsonl", tmp_path / "set.parquet"):
        members, skipped = read_members(path)
        assert [m.name for m in members] == ["GABA", "GHB"]
        assert skipped and "SMILES syntax error" in skipped[0][1]


@pytest.mark.slow
def test_one_member_that_hangs_loses_only_its_own_values(tmp_path, monkeypatch):
    from chemprops import rules

    real = rules.evaluate

    def slow_on_iodine(mol, *args):
        if any(a.GetSymbol() == "I" for a in mol.GetAtoms()):
            time.sleep(60)
        return real(mol, *args)

    monkeypatch.setattr(rules, "evaluate", slow_on_iodine)  # the forked worker inherits it
    path = tmp_path / "set.smi"
    path.write_text("NCCCC(=O)O GABA\nNCC(CC(=O)O)c1ccc(I)cc1 iodo-phenibut\nNCC(CC(=O)O)c1ccccc1 phenibut\n")
    started = time.perf_counter()
    result = compare(str(path), time_limit=1.0)
    assert time.perf_counter() - started < 30
    assert ("iodo-phenibut", "rules took longer than 1 s (time limit); left empty") in result.skipped
    table = result.table().set_index("name")
    assert table.loc["GABA", "lipinski"] and table.loc["phenibut", "lipinski"]
    assert table.loc["iodo-phenibut", "formula"] == "C10H12INO2"  # its properties are kept


@pytest.mark.slow
def test_a_huge_member_does_not_take_the_comparison_down(tmp_path):
    # a 20,000-carbon chain: atom pairs would take some 15 minutes, its SMILES writer overflows the stack
    path = tmp_path / "set.csv"
    path.write_text("name,smiles\nGABA,NCCCC(=O)O\nchain," + "C" * 20000 + "\nbaclofen,NCC(CC(=O)O)c1ccc(Cl)cc1\n")
    started = time.perf_counter()
    result = compare(str(path))
    assert time.perf_counter() - started < 120
    assert any("atom-pair fingerprint not computed" in reason for _, reason in result.skipped)
    table = result.table().set_index("name")
    assert table.loc["baclofen", "formula"] == "C10H12ClNO2"  # PubChem CID 2284


@pytest.mark.slow
def test_a_reference_given_as_smiles_is_found_beside_a_huge_member(tmp_path):
    # the reference's canonical SMILES is compared on the engine: the chain's SMILES writer crashed compare here
    path = tmp_path / "set.csv"
    path.write_text("name,smiles\nGABA,NCCCC(=O)O\nchain," + "C" * 20000 + "\nbaclofen,NCC(CC(=O)O)c1ccc(Cl)cc1\n")
    result = compare(str(path), reference="C1=CC(=CC=C1C(CC(=O)O)CN)Cl")  # PubChem CID 2284's SMILES
    assert result.reference == "baclofen" and result.names == ["GABA", "chain", "baclofen"]


def test_a_hung_set_step_is_cut_and_the_rest_kept(monkeypatch):
    module = importlib.import_module("chemprops.compare")  # chemprops.compare is also the API function

    def hang(mols):
        time.sleep(60)

    monkeypatch.setattr(module, "find_mcs", hang)
    started = time.perf_counter()
    result = compare("gaba", time_limit=1.0)
    assert time.perf_counter() - started < 30
    assert ("the set", "mcs took longer than 1 s (time limit); left empty") in result.skipped
    assert result.mcs_smarts == "" and result.similarity["morgan"].loc["baclofen", "arbaclofen"] == 1.0
    assert result.rgroups.set_index("name").loc["phenibut", "r_c3"] == "*c1ccccc1"


SULFONAMIDES = (
    "name,smiles\nbenzenesulfonamide,NS(=O)(=O)c1ccccc1\ntosylamide,Cc1ccc(cc1)S(N)(=O)=O\n"
    "sulfanilamide,Nc1ccc(cc1)S(N)(=O)=O\n4-chlorobenzenesulfonamide,Clc1ccc(cc1)S(N)(=O)=O\n"
    "3-nitrobenzenesulfonamide,O=[N+]([O-])c1cccc(c1)S(N)(=O)=O\nmethanesulfonamide,CS(N)(=O)=O\n"
)


def test_the_gaba_series_is_data(gaba):
    series = builtin_series()["gaba"]
    assert series.core == "N-[#6]-[#6]-[#6]-[#6,P,S](=O)[O,N]" and series.source == "structures/series/gaba.toml"
    assert series.columns == ["r_n", "r_c4", "r_c3", "r_c2", "acid_head"]
    assert gaba.series == series and gaba.series_count == 19  # all but GHB, muscimol and gaboxadol
    assert list(gaba.ranked().columns[-2:]) == ["r_c3", "acid_head"]


def test_a_set_without_a_series_has_no_series_columns():
    # aspirin, ibuprofen, paracetamol, caffeine, baclofen: one GABA backbone in five, an MCS in three
    result = compare("tests/data/five_drugs.csv")
    assert result.series is None and list(result.rgroups.columns) == ["name"]
    columns = set(result.table().columns)
    assert not columns & {"r_n", "r_c3", "acid_head"} and "tanimoto_morgan" in columns
    assert "class" not in result.ranked().columns  # no member states a class


def test_the_mcs_is_the_core_of_an_analogue_series(tmp_path):
    # five benzenesulfonamides and methanesulfonamide: the benzenesulfonamide (10 atoms) is in 5 of 6
    path = tmp_path / "sulfonamides.csv"
    path.write_text(SULFONAMIDES)
    result = compare(str(path))
    assert result.series.source == "MCS" and result.series_count == 5
    assert Chem.MolFromSmarts(result.series.core).GetNumAtoms() == 10
    rows = result.rgroups.set_index("name")
    para = next(c for c in result.series.columns if rows.loc["tosylamide", c] == "*C")
    assert rows.loc["sulfanilamide", para] == "*N" and rows.loc["4-chlorobenzenesulfonamide", para] == "*Cl"
    assert rows.loc["benzenesulfonamide"].tolist() == ["H"] * len(result.series.columns)
    assert rows.loc["methanesulfonamide"].tolist() == [""] * len(result.series.columns)  # no benzene: no core
    labelled = Chem.MolFromSmiles(result.series.labelled_core)  # the core with its positions, for the report
    assert labelled.HasSubstructMatch(Chem.MolFromSmarts(result.series.core))
    assert sorted(a.GetAtomMapNum() for a in labelled.GetAtoms() if a.GetAtomicNum() == 0) == [1, 2]


def test_a_series_file_names_the_core(tmp_path):
    path = tmp_path / "sulfonamides.csv"
    path.write_text(SULFONAMIDES)
    (tmp_path / "sulfonamide.toml").write_text(
        'name = "sulfonamide"\ntitle = "primary sulfonamide"\ncore = "[NH2]S(=O)=O"\n'
        'anchors = "[NH2][S:1](=O)=O"\n[[positions]]\ncolumn = "r_s"\nlabel = "S"\nanchor = 1\n'
        '[[features]]\ncolumn = "carbon"\nlabel = "S-carbon"\n[features.classes]\naryl = "NS(=O)(=O)c"\nalkyl = "NS(=O)(=O)C"\n'
    )
    result = compare(str(path), series=str(tmp_path / "sulfonamide.toml"))
    rows = result.rgroups.set_index("name")
    assert result.series.title == "primary sulfonamide" and result.series_count == 6
    assert rows.loc["methanesulfonamide"].tolist() == ["*C", "alkyl"]
    assert Chem.CanonSmiles(rows.loc["tosylamide", "r_s"]) == Chem.CanonSmiles("*c1ccc(C)cc1")
    assert rows.loc["tosylamide", "carbon"] == "aryl"


def test_bad_series(tmp_path):
    with pytest.raises(InputError, match="neither a built-in series"):
        load_series("no-such-series")
    (tmp_path / "bad.toml").write_text('core = "C(("\n')
    with pytest.raises(InputError, match="not valid SMARTS"):
        load_series(str(tmp_path / "bad.toml"))
    with pytest.raises(InputError, match="needs a core"):
        Series.from_dict({"name": "x"})


def test_a_users_set_without_a_gaba_backbone_gets_metformin_as_a_strong_base():
    # tests/data/user_drugs.csv: aspirin, paracetamol, ibuprofen, caffeine, metformin (PubChem CID 4091);
    # metformin's basic pKa 12.4 (US label), a biguanide: strongly basic, not "no ionisable group"
    result = compare(str(DATA / "user_drugs.csv"), reference="aspirin")
    rules = result.rules.set_index("name")
    assert rules.loc["metformin", "pka_base"] == pytest.approx(12.4, abs=1.0)
    assert "biguanide" in rules.loc["metformin", "pka_method"]
    assert rules.loc["caffeine", "pka_method"].endswith("no ionisable group")
    table = result.table()
    assert "r_c3" not in table and "acid_head" not in table


@pytest.mark.parametrize(
    "text, message",
    [
        ('name = "x"\ncore = "c1ccccc1"\n[[features]]\ncolumn = "f"\n', "malformed series (KeyError: 'classes')"),
        ('name = "x"\ncore = "c1ccccc1"\npositions = "x"\n', "malformed series (TypeError"),
        ('name = "x"\ncore = 5\n', "a series needs a core"),
        (
            'name = "x"\ncore = "c1ccccc1"\n[[features]]\ncolumn = "cns_mpo"\n[features.classes]\na = "c"\n',
            "column 'cns_mpo' is taken",
        ),
    ],
)
def test_a_malformed_series_file_is_one_input_error(tmp_path, text, message):
    path = tmp_path / "series.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=re.escape(message)):
        load_series(str(path))


def test_repeated_names_become_unique_without_taking_another_members_name(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("name,smiles\na,CCO\na,CCN\na (2),CCC\n")
    result = compare(str(path))
    assert sorted(result.names) == ["a", "a (2)", "a (3)"] and len(result.table()) == 3
