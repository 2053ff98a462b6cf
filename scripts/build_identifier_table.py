"""Build chemprops' bundled identifier table, `structures/identifiers.sqlite`, from open data.

Source: the PubChem-derived identifier tables of the `chemicals` package (Caleb Bell, MIT licence): "chemical
identifiers pubchem small/large.tsv", "chemical identifiers example user db.tsv" and "Inorganic db.tsv" (PubChem
CID, CAS number, formula, SMILES, InChI, InChIKey, IUPAC name, common name and synonyms). The script downloads the
pinned wheel with pip unless --folder gives the unpacked tables.

And the US EPA CompTox Chemicals Dashboard list "WIKIPEDIA" (v2.2.1; public domain, as a work of the US
government), in the repository as tests/data/wikipedia_chemicals.csv.gz: 19,239 chemicals with Wikipedia
articles, with their stereo, names and IUPAC names.

Curated by chemprops itself: every entry is verified (`chemprops.verify`: structure, formula, InChI, InChIKey,
CAS check digit); an entry whose own fields disagree (a SMILES that is not its InChIKey, a formula of another
compound) is dropped, a CAS number with a wrong check digit is dropped from its entry. Stored as SQLite with an
index on every looked-up key, so a lookup reads a few pages instead of loading the table.

    python scripts/build_identifier_table.py            # writes structures/identifiers.sqlite
"""

from __future__ import annotations

import argparse
import csv
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops import idtables, verify  # noqa: E402
from chemprops.errors import ChempropsError  # noqa: E402
from chemprops.idtables import name_hash, name_key  # noqa: E402
from chemprops.inchi import inchi_and_key  # noqa: E402
from chemprops.structure import mol_from_smiles  # noqa: E402

PACKAGE = "chemicals==1.5.2"
FOLDER = "chemicals/Identifiers"
MEMBERS = (  # first listed wins a PubChem CID that two tables hold
    "chemical identifiers pubchem small.tsv",
    "chemical identifiers pubchem large.tsv",
    "chemical identifiers example user db.tsv",
    "Inorganic db.tsv",
)
OUT = ROOT / "structures" / "identifiers.sqlite"
CURATED = ("structure", "formula", "inchi", "inchikey", "molar_mass", "exact_mass")  # a fail drops the entry
EPA = ROOT / "tests" / "data" / "wikipedia_chemicals.csv.gz"
ORIGINS = {"pubchem": "PubChem, via chemicals 1.5.2", "epa": "EPA CompTox WIKIPEDIA list"}
CAS_RE = re.compile(r"^\d{2,7}-\d{2}-\d$")
# Supplier catalogue numbers and database codes among PubChem's synonyms ("stk366316", "agn-pc-00hn7a",
# "zinc1234", "akos005..."): nobody asks by them, and they are most of the table's size.
_CODE_RE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEEP_CODE_RE = re.compile(r"^(nsc|cid|chembl|chebi|db|unii|hsdb|ccris|einecs|brn)")
SCHEMA = """
CREATE TABLE entries (id INTEGER PRIMARY KEY, cid INTEGER, cas TEXT, inchikey TEXT, smiles TEXT,
                      formula TEXT, name TEXT, origin TEXT);
CREATE TABLE names (key INTEGER, entry INTEGER, kind INTEGER, PRIMARY KEY (key, entry)) WITHOUT ROWID;
CREATE TABLE about (field TEXT PRIMARY KEY, value TEXT);
CREATE INDEX entries_cas ON entries (cas);
CREATE INDEX entries_inchikey ON entries (inchikey);
CREATE INDEX entries_cid ON entries (cid);
"""
PRIMARY, COMMON, SYNONYM = 0, 1, 2  # names.kind: the entry's common name, its IUPAC name, another synonym


def download(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(folder), PACKAGE], check=True)
    wheel = next(folder.glob("chemicals-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for member in MEMBERS:
            archive.extract(f"{FOLDER}/{member}", folder)
    return folder / FOLDER


def read(folder: Path) -> list[list[str]]:
    """The rows of every table, one per compound: a CID already read (or, without a CID, an InChIKey and CAS
    number already read) is passed over."""
    csv.field_size_limit(1 << 30)
    rows, seen = [], set()
    for member in MEMBERS:
        with open(folder / member, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 7 or not row[4]:
                    continue
                key = row[0] if row[0].isdigit() else (row[6], row[1])
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
    return rows


def read_epa(path: Path) -> list[list[str]]:
    """The EPA list's records in the PubChem tables' column order (no CID; name and IUPAC name, no synonyms),
    with the stated masses after them for the curation. A generic structure (R groups, position variation,
    polymer brackets: a family, not one compound) is left out; a record without an InChIKey gets the one chemprops
    computes from its SMILES."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for r in frame.itertuples():
        if not r.smiles or "*" in r.smiles or "|" in r.smiles:
            continue
        key = r.inchikey
        if not key:
            try:
                key = inchi_and_key(mol_from_smiles(r.smiles))[1]
            except ChempropsError:
                continue
        rows.append([
            "", r.cas, r.formula, r.molar_mass, r.smiles, r.inchi, key, r.iupac_name, r.name, "", r.exact_mass
        ])  # fmt: skip
    return rows


def curate(rows: list[list[str]], jobs: int, masses: bool = False) -> tuple[set[int], set[int], pd.DataFrame]:
    """Row numbers to drop (own fields disagree) and row numbers whose CAS number is malformed."""
    frame = pd.DataFrame(
        {
            "id": [str(i) for i in range(len(rows))],
            "cas": [r[1] for r in rows],
            "formula": [r[2] for r in rows],
            "smiles": [r[4] for r in rows],
            "inchi": [r[5] if r[5].startswith("InChI=") or not r[5] else "InChI=1S/" + r[5] for r in rows],
            "inchikey": [r[6] for r in rows],
        }
    )
    checks = ["formula", "inchi", "inchikey", "cas"]
    if masses:  # the EPA list states its masses with IUPAC weights; PubChem's table with weights of its own
        frame["molar_mass"] = [r[3] for r in rows]
        frame["exact_mass"] = [r[10] for r in rows]
        checks += ["molar_mass", "exact_mass"]
    idtables._TABLE[:] = [None]  # the table being built is checked against the catalog, not an older self
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entries.csv"
        frame.to_csv(path, index=False)
        report = verify(str(path), checks=checks, jobs=jobs)
    counts = report.groupby(["check", "status"]).size().unstack(fill_value=0)
    print(counts.to_string(), file=sys.stderr)
    failed = report[report["status"] == "fail"]
    drop = {int(i) for i in failed[failed["check"].isin(CURATED)]["id"]}
    bad_cas = {int(i) for i in failed[failed["check"] == "cas"]["id"]}
    return drop, bad_cas, failed


def _synonyms(row: list[str]) -> list[str]:
    out = []
    for name in row[9:]:
        key = name_key(name)
        if not key or CAS_RE.match(key) or (_CODE_RE.match(key) and not _KEEP_CODE_RE.match(key)):
            continue
        out.append(key)
    return out


def write(rows: list[list[str]], origins: list[str], drop: set[int], bad_cas: set[int], out: Path, source: str) -> dict:
    out.unlink(missing_ok=True)
    db = sqlite3.connect(out)
    db.executescript(SCHEMA)
    kept, names = 0, 0
    for number, row in enumerate(rows):
        if number in drop:
            continue
        cid = int(row[0]) if row[0].lstrip("-").isdigit() and int(row[0]) > 0 else None
        cas = row[1] if CAS_RE.match(row[1]) and number not in bad_cas else None
        common = name_key(row[8]) if len(row) > 8 else ""
        if CAS_RE.match(common) or _CODE_RE.match(common):  # no common name: PubChem's title is its CAS number
            common = ""
        db.execute(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                cid,
                cas,
                row[6],
                row[4],
                row[2],
                (row[8].strip() if common else "") or row[7].strip(),
                origins[number],
            ),
        )
        seen = {}
        synonyms = _synonyms(row) if origins[number] == "pubchem" else []
        for kind, key in [(PRIMARY, common), (COMMON, name_key(row[7]))] + [(SYNONYM, s) for s in synonyms]:
            if key and key not in seen:
                seen[key] = kind
        db.executemany(
            "INSERT OR IGNORE INTO names VALUES (?, ?, ?)", [(name_hash(k), number, v) for k, v in seen.items()]
        )
        kept += 1
        names += len(seen)
    structures = db.execute("SELECT COUNT(DISTINCT inchikey) FROM entries").fetchone()[0]
    about = {
        "source": source,
        "licence": "MIT (the chemicals package, Caleb Bell; data derived from PubChem); public domain (EPA list)",
        "built_by": "scripts/build_identifier_table.py",
        "built": time.strftime("%Y-%m-%d"),
        "entries": str(kept),
        "structures": str(structures),
        "names": str(names),
        "dropped": str(len(drop)),
        "cas_dropped": str(len(bad_cas - drop)),
    }
    db.executemany("INSERT INTO about VALUES (?, ?)", list(about.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    return about


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, help="the chemicals package's Identifiers folder (default: download)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dropped", type=Path, help="write the failing rows of the curation here (CSV)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pubchem = read(args.folder or download(Path(tmp)))
        epa = read_epa(EPA)
        rows, origins = pubchem + epa, ["pubchem"] * len(pubchem) + ["epa"] * len(epa)
        started = time.perf_counter()
        drop, bad_cas, failed = curate(pubchem, args.jobs)
        drop_epa, bad_epa, failed_epa = curate(epa, args.jobs, masses=True)
        drop |= {i + len(pubchem) for i in drop_epa}
        bad_cas |= {i + len(pubchem) for i in bad_epa}
        failed = pd.concat([failed, failed_epa.assign(id=failed_epa["id"].astype(int) + len(pubchem))])
        print(f"verified {len(rows)} entries in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.dropped:
            failed.to_csv(args.dropped, index=False)
        about = write(rows, origins, drop, bad_cas, args.out, f"{PACKAGE}: " + ", ".join(MEMBERS) + "; " + EPA.name)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB): " + ", ".join(f"{k} {v}" for k, v in about.items()))


if __name__ == "__main__":
    main()
