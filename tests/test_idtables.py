"""The bundled identifier table (structures/identifiers.sqlite) and name keys.

Expected values: PubChem (CID 2244 aspirin, CAS 50-78-2, BSYNRYMUTXBXSQ-UHFFFAOYSA-N; CID 3672 ibuprofen,
15687-27-1; CID 1983 acetaminophen, 103-90-2; CID 2519 caffeine, 58-08-2, RYYVLZVUVIJVGH-UHFFFAOYSA-N).
"""

import time

import pytest

from chemprops import idtables
from chemprops.idtables import name_hash, name_key


def test_the_table_holds_more_than_50000_structures_with_its_provenance():
    about = idtables.table().about()
    assert int(about["structures"]) >= 50_000
    assert "chemicals==1.5.2" in about["source"] and "wikipedia_chemicals" in about["source"]
    assert "MIT" in about["licence"] and "public domain" in about["licence"]


@pytest.mark.parametrize(
    "name, inchikey",
    [
        ("aspirin", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"),
        ("Acetylsalicylic acid", "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"),
        ("paracetamol", "RZVAJINKPMORJF-UHFFFAOYSA-N"),
        ("CAFFEINE", "RYYVLZVUVIJVGH-UHFFFAOYSA-N"),
    ],
)
def test_names_and_synonyms_in_any_case(name, inchikey):
    assert inchikey in {e.inchikey for e, _ in idtables.table().by_name(name)}


def test_cas_cid_and_inchikey_lookups():
    table = idtables.table()
    assert {e.name.lower() for e in table.by_cas("15687-27-1")} == {"ibuprofen"}
    assert any(e.cas == "50-78-2" for e in table.by_inchikey("BSYNRYMUTXBXSQ-UHFFFAOYSA-N"))
    assert table.by_cid("2244")[0].inchikey == "BSYNRYMUTXBXSQ-UHFFFAOYSA-N"
    assert table.by_cid("not a number") == [] and table.by_cas("10-00-4") == []


def test_a_lookup_reads_an_index_in_milliseconds():
    table = idtables.table()
    table.by_name("aspirin")  # opened
    started = time.perf_counter()
    for _ in range(200):
        table.by_name("ibuprofen")
        table.by_cas("58-08-2")
    assert (time.perf_counter() - started) / 400 < 0.05  # the bound for a whole `props NAME`


def test_name_key_folds_case_dashes_greek_and_register_tags():
    assert name_key("  α\u2013Tocopherol ") == "alpha-tocopherol"
    assert name_key("Aspirin (USP)") == name_key("aspirin [INN]") == "aspirin"
    assert name_key("cobalt(II) chloride") == "cobalt(ii) chloride"  # an oxidation state is no tag
    assert name_hash("aspirin") == name_hash(name_key("ASPIRIN")) != name_hash("aspirine")


def test_the_index_asks_the_bundled_table_after_the_users_tables():
    index = idtables.build([("mine", [{"cas": "50-78-2", "smiles": "CCO", "name": "not aspirin"}])])
    found = index.lookup("cas", "50-78-2")
    assert found[0].source == "mine" and found[1].source.startswith("identifier table")
    assert idtables.build(bundled=False).lookup("cas", "50-78-2") == []
