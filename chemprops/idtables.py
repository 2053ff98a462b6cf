"""Offline identifier tables: which structure a CAS number, PubChem CID, InChIKey or name names, and who says so.

Sources: the built-in catalog (`structures/`), the bundled identifier table (`structures/identifiers.sqlite`,
71,347 PubChem compounds with CAS numbers, names and synonyms, built by scripts/build_identifier_table.py), and
any table the user passes (CSV/TSV/JSON lines/Parquet/TOML records with a `cas` and/or `pubchem_cid` column and a
structure or an `inchikey` column). No network, ever.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from chemprops import catalog as builtin
from chemprops.errors import InputError
from chemprops.inchi import inchi_and_key
from chemprops.structure import mol_from_inchi, mol_from_smiles

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"} | {"\u2032": "'", "\u2019": "'"})
_GREEK = {"\u03b1": "alpha", "\u03b2": "beta", "\u03b3": "gamma", "\u03b4": "delta", "\u03c9": "omega"}


# Register tags PubChem appends to synonyms: CAS Collective Index (6CI-9CI), INN, USAN, USP, JAN, BAN, DCF,
# trade name (TN), Japanese Pharmacopoeia (JP16...): "aspirin (usp)" is aspirin.
_TAG_RE = re.compile(r"\s*[\(\[](?:[6-9]ci|van|inn|usan|usp|nf|jan|ban|dcf|tn|jp\d\d|usp\d\d|ep|bp|who-dd)[\)\]]$")


def name_key(name: object) -> str:
    """A name as looked up: Unicode-normalised, case-folded, one kind of dash, single spaces, Greek letters
    spelled out (PubChem writes "alpha-tocopherol", a monograph "\u03b1-tocopherol"), register tags dropped."""
    text = unicodedata.normalize("NFKC", str(name)).translate(_DASHES).casefold()
    for letter, word in _GREEK.items():
        text = text.replace(letter, word)
    text = " ".join(text.split())
    while (stripped := _TAG_RE.sub("", text)) != text:
        text = stripped
    return text


def name_hash(key: str) -> int:
    """The 64-bit key under which the bundled table stores a name (the names themselves would double its size)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


@dataclass(frozen=True)
class Entry:
    inchikey: str
    name: str
    source: str
    smiles: str = ""
    cas: str = ""
    cid: str = ""


# --- the bundled table ------------------------------------------------------------------------------------
TABLE_FILE = "identifiers.sqlite"
TABLE_LABEL = "identifier table"
ORIGINS = {"pubchem": "PubChem", "epa": "EPA CompTox"}  # entries.origin: where an entry comes from
NAME_KINDS = ("common name", "IUPAC name", "synonym")  # names.kind 0, 1, 2: how the table carries a name


class Table:
    """The bundled identifier table: read-only SQLite, opened on first use (in each process: a connection
    must not cross a fork), every lookup through an index."""

    def __init__(self, path: Path):
        self.path = path
        self._db = None  # a sqlite3.Connection, opened on first use
        self._pid = 0

    @property
    def db(self):
        import sqlite3  # only a lookup by name or identifier pays for it

        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._db

    def _entries(self, where: str, value: object) -> list[Entry]:
        rows = self.db.execute(
            f"SELECT inchikey, name, smiles, cas, cid, origin FROM entries WHERE {where} = ?", (value,)
        )
        return [self._entry(*row) for row in rows]

    @staticmethod
    def _entry(inchikey, name, smiles, cas, cid, origin) -> Entry:
        source = f"{TABLE_LABEL} ({ORIGINS.get(origin, origin)})"
        return Entry(inchikey, name, source, smiles, cas or "", str(cid) if cid else "")

    def by_cas(self, cas: str) -> list[Entry]:
        return self._entries("cas", cas)

    def by_cid(self, cid: str) -> list[Entry]:
        text = str(cid).strip()
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:  # SQLite's INTEGER range
            return []
        return self._entries("cid", int(text))

    def by_inchikey(self, key: str) -> list[Entry]:
        return self._entries("inchikey", key)

    def by_name(self, name: str) -> list[tuple[Entry, str]]:
        """(entry, how the table carries the name), best first: common names, then IUPAC names, then synonyms."""
        rows = self.db.execute(
            "SELECT e.inchikey, e.name, e.smiles, e.cas, e.cid, e.origin, n.kind FROM names n "
            "JOIN entries e ON e.id = n.entry WHERE n.key = ? ORDER BY n.kind, e.id",
            (name_hash(name_key(name)),),
        )
        return [(self._entry(*row[:6]), NAME_KINDS[row[6]]) for row in rows]

    def about(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT field, value FROM about"))


def online_entries(kind: str, value: str) -> list[Entry]:
    """What PubChem says a name, CAS number, InChIKey or CID names, as entries; none when it cannot be reached
    (the caller's offline reason stands)."""
    from chemprops import pubchem
    from chemprops.errors import DependencyError

    try:
        found = pubchem.lookup(kind, value)
    except DependencyError:
        return []
    return [Entry(c.inchikey, c.title or f"CID {c.cid}", "PubChem (online)", c.smiles, cid=str(c.cid)) for c in found]


_TABLE: list[Table | None] = []


def table() -> Table | None:
    """The bundled identifier table, or None where it is not installed."""
    if not _TABLE:
        path = builtin.structures_dir() / TABLE_FILE
        _TABLE.append(Table(path) if path.is_file() else None)
    return _TABLE[0]


@dataclass
class IdentifierIndex:
    """(kind, identifier) -> entries; kind is "cas" or "pubchem_cid"."""

    entries: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    bundled: bool = True  # also look in the bundled identifier table

    def add(self, kind: str, identifier: object, entry: Entry) -> None:
        key = (kind, _normal(kind, identifier))
        if key[1]:
            self.entries.setdefault(key, []).append(entry)

    def lookup(self, kind: str, identifier: object) -> list[Entry]:
        """The user's and the catalog's entries first, then the bundled table's."""
        value = _normal(kind, identifier)
        found = list(self.entries.get((kind, value), []))
        bundled = table() if self.bundled else None
        if bundled is not None and value:
            found += bundled.by_cas(value) if kind == "cas" else bundled.by_cid(value)
        return found


def _normal(kind: str, value: object) -> str:
    text = str(value).strip()
    if kind == "pubchem_cid" and text.endswith(".0"):
        text = text[:-2]
    if kind == "cas":
        text = text.lstrip("0")
    return text


def _key_of(fields: dict) -> str:
    if fields.get("inchikey"):
        return str(fields["inchikey"]).strip()
    try:
        if fields.get("smiles"):
            return inchi_and_key(mol_from_smiles(str(fields["smiles"])))[1]
        if fields.get("inchi"):
            return inchi_and_key(mol_from_inchi(str(fields["inchi"])))[1]
    except Exception:  # noqa: BLE001 - an unreadable structure simply gives no entry
        return ""
    return ""


def build(
    tables: list[tuple[str, list[dict]]] | None = None, catalog: bool = True, bundled: bool = True
) -> IdentifierIndex:
    """Index of the built-in catalog (unless catalog=False) and of each table given as (label, rows), backed by
    the bundled table (unless bundled=False); a row has a `cas` and/or `pubchem_cid` field and a structure
    (`smiles`, `inchi`) or an `inchikey`."""
    index = IdentifierIndex(bundled=bundled)
    if catalog:
        for rid, record in builtin.records().items():
            key = _key_of(record)
            where = f"built-in catalog (structures/{record.get('source_file', rid)})"
            for kind in ("cas", "pubchem_cid"):
                if record.get(kind) and key:
                    entry = Entry(key, str(record.get("name", rid)), where, str(record.get("smiles", "")))
                    index.add(kind, record[kind], entry)
        index.sources.append("built-in catalog")
    for label, rows in tables or []:
        added = 0
        for number, fields in enumerate(rows, 1):
            key = _key_of(fields)
            for kind in ("cas", "pubchem_cid"):
                if fields.get(kind) and key:
                    who = fields.get("name") or fields.get("smiles") or fields.get("inchi") or f"row {number}"
                    index.add(kind, fields[kind], Entry(key, str(who), label, str(fields.get("smiles") or "")))
                    added += 1
        if not added:
            raise InputError(f"{label}: no rows with a cas or pubchem_cid column and a structure or inchikey")
        index.sources.append(label)
    if bundled and table() is not None:
        index.sources.append(TABLE_LABEL)
    return index
