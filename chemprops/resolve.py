"""What a query names: a built-in name, synonym, CAS number or InChIKey, a file of structures, or the
structure itself written as SMILES/CXSMILES, InChI or a MOL block. Offline: no network, ever."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from chemprops import catalog, formats
from chemprops.errors import InputError, NotFoundError, ParseError
from chemprops.inchi import inchi_and_key
from chemprops.structure import Structure, mol_from_smiles, parse_cell, parse_text

CAS_RE = re.compile(r"^\d{2,7}-\d{2}-\d$")
INCHIKEY_RE = re.compile(r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$")
_TEXT_SUFFIXES = (".txt", ".inchi")  # files of structures recognised by content
_NAME_COLUMNS = ("name", "title", "id", "compound", "molecule")


@lru_cache(maxsize=1)
def _inchikeys() -> dict[str, str]:
    """InChIKey -> built-in record id, computed from the records' SMILES once."""
    out: dict[str, str] = {}
    for rid, record in catalog.records().items():
        key = record.get("inchikey")
        if not key:
            try:
                key = inchi_and_key(mol_from_smiles(record["smiles"]))[1]
            except (ParseError, KeyError):  # a broken record is reported by its own test, not here
                continue
        out.setdefault(key, rid)
    return out


def builtin(query: str) -> dict | None:
    """The built-in record a name, synonym, CAS number or InChIKey names, or None."""
    found = catalog.lookup(query)
    if found is None and INCHIKEY_RE.match(query.strip()):
        rid = _inchikeys().get(query.strip())
        found = dict(catalog.records()[rid]) if rid else None
    return found


def read_structures(path: str | Path, fmt: str | None = None) -> list[Structure]:
    """Every structure of a file of any readable format (SMILES, SDF/MOL, CSV/TSV with a SMILES column, ...):
    one per row, with the row's name; blank rows and `#` comment lines are passed over."""
    path = str(path)
    out: list[Structure] = []
    with formats.Input(path, fmt) as source:
        kind = source.format.structure
        line_based = source.format.name in ("smi", "csv", "tsv")
        offset = 2 if source.format.name in ("csv", "tsv") else 1
        number = 0
        for chunk in source.chunks(plain=True):
            columns = [c for c in chunk.columns if c != formats.READ_ERROR]
            column = formats.MOLBLOCK if kind == formats.MOLBLOCK else formats.find_column(columns, None)
            lower = {str(c).lower(): c for c in columns}
            name_col = next((lower[n] for n in _NAME_COLUMNS if n in lower), None)
            for row in formats.records(chunk):
                where = f"{path}:{number + offset}" if line_based else f"{path}#{number + 1}"
                number += 1
                text = row.get(column)
                if isinstance(text, str) and (not text.strip() or text.lstrip().startswith("#")) and kind != "molblock":
                    continue
                if row.get(formats.READ_ERROR):
                    raise InputError(f"{where}: {row[formats.READ_ERROR]}")
                try:
                    mol = parse_cell(text, kind)
                except ParseError as exc:
                    raise ParseError(f"{where}: {exc}", exc.text) from exc
                name = row.get(name_col) if name_col else None
                name = str(name).strip() if name is not None and str(name).strip() else None
                out.append(Structure(mol, where, name, source=f"file {where}"))
    if not out:
        raise InputError(f"no structure in {path}")
    return out


def resolve_many(query: str) -> list[Structure]:
    """All structures a query names: a built-in name, synonym, CAS number or InChIKey, a file, or the
    structure itself (InChI, MOL block, SMILES/CXSMILES)."""
    if not isinstance(query, str):
        raise ParseError(f"expected a string, got {type(query).__name__}", repr(query))
    text = query.strip()
    if not text:
        raise ParseError("empty query: give a SMILES, InChI, file, built-in name or CAS number", query)
    record = builtin(text)
    if record is not None:
        where = f"built-in catalog ({record.get('source_file', record.get('id'))})"
        return [Structure(mol_from_smiles(record["smiles"]), text, record.get("name"), record, where)]
    if "\n" not in text and len(text) < 4096:
        path = Path(text).expanduser()
        if formats.is_file(path):
            return read_structures(path)
        known = formats.registry.by_suffix(path) is not None or formats.registry.suffix_of(path) in _TEXT_SUFFIXES
        if known and not path.exists():
            raise InputError(f"no such file: {text}")
    if CAS_RE.match(text):
        raise NotFoundError(f"CAS number {text} is not in the built-in catalog (no network lookup)")
    if INCHIKEY_RE.match(text):
        raise NotFoundError(f"InChIKey {text} is not in the built-in catalog (no network lookup)")
    kind = "InChI" if text.startswith("InChI=") else ("MOL block" if "M  END" in text else "SMILES")
    return [Structure(parse_text(text), text, source=kind)]


def resolve(query: str) -> Structure:
    """The one structure a query names (the first of a file only if the file holds exactly one)."""
    found = resolve_many(query)
    if len(found) != 1:
        raise InputError(f"{query} holds {len(found)} structures; use resolve_many() or chemprops.compute()")
    return found[0]
