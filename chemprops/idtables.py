"""Offline identifier tables: which structure (InChIKey) a CAS number or PubChem CID names, and who says so.

Sources: the built-in catalog (`structures/`), and any table the user passes (CSV/TSV/JSON lines/Parquet/TOML
records with a `cas` and/or `pubchem_cid` column and a structure or an `inchikey` column). No network, ever.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chemprops import catalog as builtin
from chemprops.errors import InputError
from chemprops.inchi import inchi_and_key
from chemprops.structure import mol_from_inchi, mol_from_smiles


@dataclass(frozen=True)
class Entry:
    inchikey: str
    name: str
    source: str


@dataclass
class IdentifierIndex:
    """(kind, identifier) -> entries; kind is "cas" or "pubchem_cid"."""

    entries: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def add(self, kind: str, identifier: object, entry: Entry) -> None:
        key = (kind, _normal(kind, identifier))
        if key[1]:
            self.entries.setdefault(key, []).append(entry)

    def lookup(self, kind: str, identifier: object) -> list[Entry]:
        return self.entries.get((kind, _normal(kind, identifier)), [])


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


def build(tables: list[tuple[str, list[dict]]] | None = None, catalog: bool = True) -> IdentifierIndex:
    """Index of the built-in catalog (unless catalog=False) and of each table given as (label, rows); a row
    has a `cas` and/or `pubchem_cid` field and a structure (`smiles`, `inchi`) or an `inchikey`."""
    index = IdentifierIndex()
    if catalog:
        for rid, record in builtin.records().items():
            key = _key_of(record)
            where = f"built-in catalog (structures/{record.get('source_file', rid)})"
            for kind in ("cas", "pubchem_cid"):
                if record.get(kind) and key:
                    index.add(kind, record[kind], Entry(key, str(record.get("name", rid)), where))
        index.sources.append("built-in catalog")
    for label, rows in tables or []:
        added = 0
        for number, fields in enumerate(rows, 1):
            key = _key_of(fields)
            for kind in ("cas", "pubchem_cid"):
                if fields.get(kind) and key:
                    who = fields.get("name") or fields.get("smiles") or fields.get("inchi") or f"row {number}"
                    index.add(kind, fields[kind], Entry(key, str(who), label))
                    added += 1
        if not added:
            raise InputError(f"{label}: no rows with a cas or pubchem_cid column and a structure or inchikey")
        index.sources.append(label)
    return index
