from chemprops import catalog
from chemprops.formula import Formula
from chemprops.structure import mol_from_smiles


def test_baclofen_record_transcribes_the_monograph():
    record = catalog.lookup("baclofen")
    # structures/baclofen_wikipedia.txt, infobox
    assert record["iupac_name"] == "(RS)-4-amino-3-(4-chlorophenyl)butanoic acid"
    assert record["cas"] == "1134-47-0" and record["atc"] == "M03BX01"
    assert record["pubchem_cid"] == 2284 and record["drugbank"] == "APRD00551" and record["chemspider"] == "2197"
    assert record["molar_mass"] == "213.661 g/mol"
    assert record["stereo"] == "1:1 mixture (racemate)"
    assert record["pharmacokinetics"]["protein_binding"] == "30%"
    assert record["routes"] == ["oral", "intrathecal"]


def test_lookup_is_case_insensitive_and_knows_cas():
    assert catalog.lookup("BACLOFEN")["id"] == "baclofen"
    assert catalog.lookup("1134-47-0")["id"] == "baclofen"
    assert catalog.lookup("no such thing") is None


def test_every_record_smiles_matches_its_formula():
    for rid, record in catalog.records().items():
        if "formula" in record:
            mol = mol_from_smiles(record["smiles"])
            assert Formula.from_mol(mol) == Formula.parse(record["formula"]), rid
