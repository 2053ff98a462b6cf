"""Records: a structure plus what a source states about it, read from dicts, files, tables or the catalog.

A record holds the structure text (SMILES/CXSMILES, InChI or a MOL block), the stated fields under their
canonical names (one per check: `formula`, `molar_mass`, `cas`, ...) and everything else as metadata.

Files are read through `chemprops.formats` (every format it registers: tables, record files, the published
forms of `chemprops.importers`); `from_dict` turns each row into a record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chemprops import catalog, formats, importers  # noqa: F401 - importers registers the published forms
from chemprops.checks import registry as _checks
from chemprops.errors import InputError

STRUCTURE_FIELDS = ("smiles", "molblock")  # inchi is both a structure and a stated field


def stated_fields() -> tuple[str, ...]:
    """The stated fields, in report order: one per check (`chemprops.checks`), so a new check is one registry
    entry. `smiles`, `inchi` or `molblock` also give the structure."""
    return tuple(_checks())


def known_fields() -> tuple[str, ...]:
    return ("id", "name", *STRUCTURE_FIELDS, *stated_fields())


# Other spellings of the fields (compared after lower-casing, dropping a unit in brackets and turning every run of
# other characters into "_": "Mol. wt." -> mol_wt, "CAS RN" -> cas_rn, "Std. InChIKey" -> std_inchikey).
ALIASES: dict[str, str] = {
    "mw": "molar_mass",
    "m_w": "molar_mass",
    "mr": "molar_mass",  # relative molecular mass, numerically the molar mass in g/mol
    "m_r": "molar_mass",
    "mol_formula": "formula",
    "formula_hill": "formula",
    "hill_formula": "formula",
    "smiles_canonical": "smiles",
    "smiles_isomeric": "smiles",
    "inchi_standard": "inchi",
    "cas_nr": "cas",
    "cas_num": "cas",
    "mol_wt": "molar_mass",
    "mol_weight": "molar_mass",
    "molecular_wt": "molar_mass",
    "molar_mass_g_mol": "molar_mass",
    "fw": "molar_mass",
    "f_w": "molar_mass",
    "formula_wt": "molar_mass",
    "relative_molecular_mass": "molar_mass",
    "exact_molecular_weight": "exact_mass",
    "exact_mw": "exact_mass",
    "monoisotopic_molecular_weight": "exact_mass",
    "monoisotopic": "exact_mass",
    "formula_molecular": "formula",
    "sum_formula": "formula",
    "empirical_formula": "formula",
    "cas": "cas",
    "cas_reg_no": "cas",
    "cas_registry_no": "cas",
    "cas_id": "cas",
    "pubchem_id": "pubchem_cid",
    "pubchem_compound_id": "pubchem_cid",
    "inchikey_standard": "inchikey",
    "std_inchi_key": "inchikey",
    "standard_inchi_key": "inchikey",
    "iupac_names": "iupac_name",
    "preferred_iupac_name": "iupac_name",
    "unii_id": "unii",
    "drugbank_accession": "drugbank",
    "drugbank_accession_number": "drugbank",
    "molecular_weight": "molar_mass",
    "molecular_mass": "molar_mass",
    "mol_mass": "molar_mass",
    "molar_weight": "molar_mass",
    "average_mass": "molar_mass",
    "avg_mass": "molar_mass",
    "formula_weight": "molar_mass",
    "monoisotopic_mass": "exact_mass",
    "mono_mass": "exact_mass",
    "monoisotopic_weight": "exact_mass",
    "exactmass": "exact_mass",
    "molecular_formula": "formula",
    "chemical_formula": "formula",
    "mf": "formula",
    "canonical_smiles": "smiles",
    "isomeric_smiles": "smiles",
    "cxsmiles": "smiles",
    "smiles_string": "smiles",
    "std_inchi": "inchi",
    "stdinchi": "inchi",
    "standard_inchi": "inchi",
    "std_inchikey": "inchikey",
    "stdinchikey": "inchikey",
    "standard_inchikey": "inchikey",
    "inchi_key": "inchikey",
    "cas_number": "cas",
    "cas_no": "cas",
    "casrn": "cas",
    "cas_rn": "cas",
    "cas_registry_number": "cas",
    "cid": "pubchem_cid",
    "pubchem": "pubchem_cid",
    "iupac": "iupac_name",
    "iupacname": "iupac_name",
    "systematic_name": "iupac_name",
    "chirality": "stereo",
    "stereochemistry": "stereo",
    "atc_code": "atc",
    "atc_prefix": "atc",
    "drugbank_id": "drugbank",
    "chemspiderid": "chemspider",
    "chemspider_id": "chemspider",
    "unii_code": "unii",
    "mol": "molblock",
    "molfile": "molblock",
    "mol_block": "molblock",
    "identifier": "id",
    "record_id": "id",
}


# A unit at the end of a header, in brackets: "Molar mass (g/mol)", "Monoisotopic mass [Da]", "MW (kDa)".
_HEADER_UNIT = re.compile(
    r"\s*[(\[]\s*(g\s*/\s*mol|g\s*mol\s*[-−⁻]\s*1|g\s*·\s*mol\s*[-−⁻]\s*1|g\s*mol⁻¹|g·mol⁻¹|k?da|daltons?|amu|u)\s*[)\]]\s*$",
    re.IGNORECASE,
)


def header_unit(key: object) -> tuple[str, str]:
    """A header without its unit, and the unit (normalised: "g/mol", "Da", "kDa", "u"; "" when none)."""
    text = str(key).strip()
    m = _HEADER_UNIT.search(text)
    if not m:
        return text, ""
    unit = m.group(1).lower().replace(" ", "")
    unit = {"da": "Da", "kda": "kDa", "dalton": "Da", "daltons": "Da", "amu": "u", "u": "u"}.get(unit, "g/mol")
    return text[: m.start()], unit


def canonical_field(key: object) -> str:
    """The canonical name of a field spelling: "SMILES" -> "smiles", "Molar mass (g/mol)" -> "molar_mass",
    "CAS Registry Number" -> "cas"."""
    name, _ = header_unit(key)
    k = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
    return ALIASES.get(k, k)


@dataclass
class Record:
    """A structure and what a source states about it."""

    fields: dict[str, object]  # canonical stated fields (and smiles/inchi/molblock), non-empty values only
    metadata: dict[str, object] = field(default_factory=dict)
    id: str = ""  # record id, else name, else row number
    source: str = ""  # where it was read from: file, file:row, catalog name

    @property
    def name(self) -> str | None:
        value = self.fields.get("name")
        return str(value) if value is not None else None

    @property
    def structure_text(self) -> tuple[str, str] | None:
        """(kind, text) of the structure: SMILES first, then MOL block, then InChI."""
        for kind in ("smiles", "molblock", "inchi"):
            value = self.fields.get(kind)
            if value is not None and str(value).strip():
                return kind, str(value)
        return None

    def stated(self) -> dict[str, object]:
        """The stated fields that checks look at, in report order."""
        return {k: self.fields[k] for k in stated_fields() if k in self.fields}


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return type(value).__name__ in ("NAType", "NaTType")  # pandas' missing values


MASS_FIELDS = ("molar_mass", "exact_mass")
_BARE_NUMBER = re.compile(r"^[~≈]?\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def check_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    """A user's COLUMN -> FIELD map, each field checked against the known ones."""
    known = known_fields()
    for column, target in (mapping or {}).items():
        if target not in known:
            raise InputError(f"cannot map {column!r} to {target!r}: the fields are {', '.join(known)}")
    return dict(mapping or {})


def from_dict(data: dict, row: int | None = None, source: str = "", mapping: dict[str, str] | None = None) -> Record:
    """A record from a mapping with any accepted spellings; unknown fields become metadata, never an error.
    `mapping` names the field of other columns (COLUMN -> FIELD); a unit in a mass column's header applies to
    a bare number (`Molar mass (kDa)`: 0.2137 -> "0.2137 kDa").

    >>> r = from_dict({"SMILES": "O", "MW": "18.015 g/mol", "colour": "none"})
    >>> r.fields["molar_mass"], r.metadata
    ('18.015 g/mol', {'colour': 'none'})
    """
    if isinstance(data, Record):
        return data
    if not isinstance(data, dict):
        raise InputError(f"a record must be a mapping of fields, got {type(data).__name__}")
    fields: dict[str, object] = {}
    metadata: dict[str, object] = {}
    known = known_fields()
    for key, value in data.items():
        name = mapping[key] if mapping and key in mapping else canonical_field(key)
        if name in known and not isinstance(value, (dict, list)):
            if not _empty(value) and name not in fields:
                value = value.strip() if isinstance(value, str) else value
                unit = header_unit(key)[1] if name in MASS_FIELDS else ""
                if unit and _BARE_NUMBER.match(str(value).strip()):
                    value = f"{value} {unit}"
                fields[name] = value
        elif not _empty(value):
            metadata[str(key)] = value
    rid = fields.get("id") or fields.get("name") or (str(row) if row is not None else "")
    where = f"{source}:{row}" if source and row is not None else source
    return Record(fields, metadata, str(rid), where)


# --- loading ----------------------------------------------------------------------------------------------
def _rows_of(path: Path) -> tuple[list[dict], bool]:
    """The rows of a record file or table (every format chemprops reads), and whether it is a table."""
    with formats.Input(path) as source:
        rows = [row for chunk in source.chunks(plain=True) for row in formats.records(chunk)]
        return rows, source.format.table


def _records_from(rows: list[dict], source: str, table: bool, mapping: dict[str, str] | None = None) -> list[Record]:
    return [from_dict(row, i if table or len(rows) > 1 else None, source, mapping) for i, row in enumerate(rows, 1)]


def _is_row(row: dict) -> bool:
    return any(not _empty(v) for v in row.values())  # a row read with only its reason (a 64 MB line) stays


def is_table_file(source: object) -> bool:
    """Whether a source is a table file (CSV, TSV, JSON lines, Parquet...): read a chunk at a time, and again
    for each pass, rather than held."""
    if not isinstance(source, (str, Path)) or not str(source).strip():
        return False
    path = Path(str(source).strip()).expanduser()
    try:
        return formats.is_file(path) and formats.input_format(path).table
    except InputError:
        return False  # load() says why


def chunks(source: object, mapping: dict[str, str] | None = None, size: int = 1000) -> Iterator[list[Record]]:
    """The records of a source in lists of at most `size`, as `load` gives them: a table file is read one
    chunk at a time (memory stays flat however long it is), anything else is loaded whole."""
    if not is_table_file(source):
        loaded = load(source, mapping)
        for i in range(0, len(loaded), size):
            yield loaded[i : i + size]
        return
    path = Path(str(source).strip()).expanduser()
    batch: list[Record] = []
    number = 0
    with formats.Input(path, chunk_size=size) as reader:
        for chunk in reader.chunks(plain=True):
            for row in formats.records(chunk):
                if _is_row(row):
                    number += 1
                    batch.append(from_dict(row, number, str(path), mapping))
            while len(batch) >= size:
                yield batch[:size]
                batch = batch[size:]
    if batch:
        yield batch
    elif not number:
        raise InputError(f"no records in {path}")


def load(source: object, mapping: dict[str, str] | None = None) -> list[Record]:
    """Records from a dict, a Record, a DataFrame, a list of these, a file path or a built-in name;
    `mapping` names the field of columns whose header is not a known spelling (COLUMN -> FIELD)."""
    if isinstance(source, Record):
        return [source]
    if isinstance(source, dict):
        return [from_dict(source, mapping=mapping)]
    if type(source).__name__ == "DataFrame":
        return _records_from(source.to_dict("records"), "", True, mapping)
    if isinstance(source, (list, tuple)):
        if all(isinstance(x, dict) for x in source):
            return _records_from(list(source), "", True, mapping)
        out: list[Record] = []
        for item in source:
            out.extend(load(item, mapping))
        return out
    if not isinstance(source, (str, Path)):
        raise InputError(f"cannot verify a {type(source).__name__}: give a record, table, file or built-in name")
    text = str(source).strip()
    if not text:
        raise InputError("empty source: give a record file, a table or a built-in name")
    path = Path(text).expanduser()
    if formats.is_file(path):
        rows, table = _rows_of(path)
        rows = [r for r in rows if _is_row(r)]
        if not rows:
            raise InputError(f"no records in {path}")
        return _records_from(rows, str(path), table, mapping)
    if path.is_dir():
        raise InputError(f"cannot read {path}: is a directory")
    record = catalog.lookup(text)
    if record is not None:
        record.pop("source_file", None)  # where the catalog found it, not something the record states
        return [from_dict(record, source=f"built-in {record.get('id')}")]
    if path.suffix:
        raise InputError(f"no such file: {text}")
    raise InputError(f"{text!r} is neither a file nor a built-in record name")
