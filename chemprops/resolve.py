"""What a query names: a file of structures, the structure itself (SMILES/CXSMILES, InChI, MOL block), an identifier
(CAS number, InChIKey, PubChem CID) or a name (built-in catalog, bundled identifier table, OPSIN). Offline unless
asked: PubChem only with `online` (`--online`, CHEMPROPS_ONLINE=1)."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from chemprops import catalog, formats, idtables
from chemprops.errors import AmbiguousError, ChempropsError, InputError, NotFoundError, ParseError, one_line
from chemprops.inchi import NO_STEREO_BLOCK, inchi_and_key
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


CID_RE = re.compile(r"^(?:pubchem\s*)?cid[\s:=]*(\d{1,10})$", re.I)


def _structure_of(entry: idtables.Entry, query: str, source: str) -> Structure:
    mol = mol_from_smiles(entry.smiles)
    note = "" if _has_stereo_or_none(mol) else "; no stereo given"
    return Structure(mol, query, entry.name, {"cas": entry.cas, "pubchem_cid": entry.cid}, source + note)


def _has_stereo_or_none(mol) -> bool:
    """True when the molecule has its stereo given, or has no stereocentre to give."""
    from rdkit import Chem

    info = Chem.FindPotentialStereo(mol)
    return not info or all(i.specified == Chem.StereoSpecified.Specified for i in info)


def single(entries: list[idtables.Entry], what: str) -> idtables.Entry:
    """The one structure `entries` name; several distinct structures are reported, never chosen among. An entry
    without stereo (InChIKey block UHFFFAOYSA) beside one with stereo of the same constitution is the same
    compound drawn without its stereo: the one with stereo is that structure."""
    distinct = list({e.inchikey: e for e in entries}.values())
    drawn = {e.inchikey[:14] for e in distinct if e.inchikey[15:25] != NO_STEREO_BLOCK}
    distinct = [e for e in distinct if e.inchikey[15:25] != NO_STEREO_BLOCK or e.inchikey[:14] not in drawn]
    if len(distinct) > 1 and len({e.cas for e in distinct}) == 1 and distinct[0].cas:
        # one CAS number, two drawings (PubChem's and the EPA list's tautomer of a tetracycline, say): one
        # substance; the EPA list's entry passed every check of its record, so it is the one taken
        distinct.sort(key=lambda e: "EPA" not in e.source)
        return distinct[0]
    if len(distinct) > 1:
        listed = "; ".join(f"{e.name} (CAS {e.cas or '-'}, {e.inchikey})" for e in distinct[:5])
        more = f" and {len(distinct) - 5} more" if len(distinct) > 5 else ""
        raise AmbiguousError(
            f"{what} names {len(distinct)} structures in the identifier table: {listed}{more}; "
            "give a CAS number, InChIKey or SMILES"
        )
    return distinct[0]


def by_name(text: str) -> list[idtables.Entry]:
    """The entries the bundled table gives for a name: those that carry it as their common name if any, else
    as their IUPAC name, else as a synonym (PubChem's synonyms include trade names, and many a mixture's)."""
    table = idtables.table()
    found = table.by_name(text) if table is not None else []
    for kind in idtables.NAME_KINDS:
        best = [e for e, k in found if k == kind]
        if best:
            return best
    return []


def _by_identifier(text: str) -> tuple[list[idtables.Entry], str, str, str] | None:
    """(entries, label, kind, value) for a CAS number, InChIKey or PubChem CID; None when `text` is none."""
    table = idtables.table()
    if CAS_RE.match(text):
        return (table.by_cas(text.lstrip("0")) if table else []), f"CAS {text}", "cas", text
    if INCHIKEY_RE.match(text):
        return (table.by_inchikey(text) if table else []), f"InChIKey {text}", "inchikey", text
    m = CID_RE.match(text)
    if m:
        return (table.by_cid(m.group(1)) if table else []), f"CID {m.group(1)}", "cid", m.group(1)
    return None


def _opsin(text: str) -> Structure | None:
    """A systematic name read by OPSIN, or None when OPSIN cannot read it (or cannot run: see `unavailable`)."""
    from chemprops import opsin

    if opsin.unavailable_reason() is not None or len(text) > 1000:
        return None
    parsed = opsin.parse_names([text], timeout=60)[0]
    if not parsed.smiles:
        return None
    return Structure(mol_from_smiles(parsed.smiles.split(" |")[0]), text, text, source="OPSIN (systematic name)")


def _online(kind: str, value: str, query: str, label: str) -> Structure | None:
    from chemprops import pubchem

    found = pubchem.lookup(kind, value)
    if not found:
        return None
    if len({c.inchikey for c in found}) > 1 and kind != "cid":
        listed = "; ".join(f"CID {c.cid} {c.title} ({c.inchikey})" for c in found[:5])
        raise AmbiguousError(f"{label} names {len(found)} structures in PubChem: {listed}; give a CID or SMILES")
    hit = found[0]
    return Structure(mol_from_smiles(hit.smiles), query, hit.title or query, {"pubchem_cid": str(hit.cid)},
                     f"PubChem (online): {label} -> CID {hit.cid}")  # fmt: skip


def _file(text: str) -> tuple[Path | None, bool]:
    """(the path a query names when it is an existing file, whether it looks like a file at all): a known suffix
    or a path separator. A bare word is never read as a file ("aspirin" beside a file called aspirin)."""
    if "\n" in text or len(text) >= 4096 or text.startswith("InChI="):
        return None, False
    path = Path(text)
    try:
        path = path.expanduser()
    except RuntimeError:  # "~user" of no user
        pass
    known = formats.registry.by_suffix(path) is not None or formats.registry.suffix_of(path) in _TEXT_SUFFIXES
    looks = known or "/" in text or "\\" in text
    return (path if looks and formats.is_file(path) else None), known


def resolve_many(query: str, online: bool | None = None, use_opsin: bool = True, files: bool = True) -> list[Structure]:
    """All structures a query names, tried in this order: a file (a known suffix or a path separator); the
    structure itself (InChI, MOL block, SMILES/CXSMILES); an identifier (CAS number, InChIKey, `CID 2244`) in the
    built-in catalog, then the bundled identifier table; a name in the catalog, then the table, then OPSIN
    (systematic names); then, only when `online` (or CHEMPROPS_ONLINE=1), PubChem. Each Structure says in
    `source` where it came from. `files=False`: never read a file (a column of names from someone else's file)."""
    if not isinstance(query, str):
        raise ParseError(f"expected a string, got {type(query).__name__}", repr(query))
    text = query.strip()
    if not text:
        raise ParseError("empty query: give a SMILES, InChI, file, name, CAS number or InChIKey", query)
    path, known = _file(text) if files else (None, False)
    if path is not None:
        return read_structures(path)
    if known:
        raise InputError(f"no such file: {text}")
    if text.startswith("InChI=") or "M  END" in text:
        kind = "InChI" if text.startswith("InChI=") else "MOL block"
        return [Structure(parse_text(text), text, source=kind)]
    try:  # read once: the structure, or the reason it is none (said if nothing else names the query)
        return [Structure(parse_text(text), text, source="SMILES")]
    except ParseError as exc:
        unparsed = exc
    record = builtin(text)
    if record is not None:
        where = f"built-in catalog ({record.get('source_file', record.get('id'))})"
        return [Structure(mol_from_smiles(record["smiles"]), text, record.get("name"), record, where)]
    wanted = pubchem_online(online)
    identifier = _by_identifier(text)
    if identifier is not None:
        entries, label, kind, value = identifier
        if entries:
            entry = single(entries, label)
            return [_structure_of(entry, text, f"{entry.source}: {label}")]
        found = _online(kind, value, text, label) if wanted else None
        if found is None:
            raise NotFoundError(f"{label} is in no offline table{_online_hint(wanted)}")
        return [found]
    entries = by_name(text)
    if entries:
        entry = single(entries, f"name {text!r}")
        return [_structure_of(entry, text, f"{entry.source}: name {text!r}")]
    smiles_like = _smiles_like(text)
    if smiles_like and not wanted:  # a broken SMILES: its own reason is the useful one
        raise unparsed
    found = _opsin(text) if use_opsin and not smiles_like else None
    if found is None and wanted:
        found = _online("name", text, text, f"name {text!r}")
    if found is not None:
        return [found]
    raise NotFoundError(_not_found(text, wanted, unparsed))


_SMILES_CHARS = re.compile(r"^[A-Za-z0-9@+\-\[\]()=#$:/\\%.*~]+$")


def _smiles_like(text: str) -> bool:
    """Whether a query that did not parse was meant as a SMILES rather than a name: SMILES characters only, and
    a bond, branch, bracket or ring-closure digit after an atom ("C1CC1(", "CN(C)(C)(C)C"), or a NUL byte."""
    if "\x00" in text:
        return True
    if not _SMILES_CHARS.match(text) or re.search(r"[a-z]{4,}", text):
        return False
    return bool(re.search(r"[=#\[\]@]|[A-Za-z\])][0-9%]|\(", text))


def resolve_names(texts: list, online: bool = False) -> list[Structure | str]:
    """For each text (a name, identifier or structure; a batch's name column): its one Structure, or the reason
    there is none. Systematic names that nothing else knows go to OPSIN in one run for all of them."""
    out: list[Structure | str] = []
    misses: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            out.append("empty name")
            continue
        try:
            found = resolve_many(text, online=False, use_opsin=False, files=False)
            out.append(found[0] if len(found) == 1 else f"{text} names {len(found)} structures")
        except NotFoundError as exc:
            out.append(one_line(exc))
            if not isinstance(exc, AmbiguousError) and not _smiles_like(text.strip()):
                misses.setdefault(" ".join(text.split()), []).append(i)  # as OPSIN gives the name back
        except Exception as exc:  # noqa: BLE001 - one odd cell is that row's error, never the chunk's
            out.append(one_line(exc) if isinstance(exc, ChempropsError) else f"{type(exc).__name__}: {one_line(exc)}")
    if misses:
        from chemprops import opsin

        if opsin.unavailable_reason() is None:
            for parsed in opsin.parse_names(list(misses)):
                if parsed.smiles:
                    try:
                        mol = mol_from_smiles(parsed.smiles.split(" |")[0])
                    except ParseError:
                        continue
                    for i in misses.pop(parsed.name, []):
                        out[i] = Structure(mol, parsed.name, parsed.name, source="OPSIN (systematic name)")
        if online:
            for text, places in misses.items():
                try:
                    found = _online("name", text, text, f"name {text!r}")
                except ChempropsError as exc:
                    found = one_line(exc)
                for i in places:
                    out[i] = found if found is not None else out[i]
    return out


def pubchem_online(online: bool | None) -> bool:
    """Whether PubChem may be asked: the option when given, else the CHEMPROPS_ONLINE setting."""
    if online is not None:
        return online
    return os.environ.get("CHEMPROPS_ONLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _online_hint(online: bool) -> str:
    return " nor in PubChem" if online else " (add --online to ask PubChem)"


def _not_found(text: str, online: bool, unparsed: ParseError) -> str:
    """Why nothing was found: what was tried, in one line."""
    from chemprops import opsin

    tried = "not a SMILES/InChI (" + one_line(unparsed, 80) + "), not a name in the catalog or identifier table"
    if "/" in text or "\\" in text:
        tried = "no such file, " + tried
    why = opsin.unavailable_reason()
    tried += f", and OPSIN cannot run ({why})" if why else ", and OPSIN cannot read it as a systematic name"
    return f"{text!r}: {tried}{_online_hint(online)}"


def resolve(query: str, online: bool | None = None) -> Structure:
    """The one structure a query names (the first of a file only if the file holds exactly one)."""
    found = resolve_many(query, online)
    if len(found) != 1:
        raise InputError(f"{query} holds {len(found)} structures; use resolve_many() or chemprops.compute()")
    return found[0]
