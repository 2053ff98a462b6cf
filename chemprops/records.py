"""Records: a structure plus what a source states about it, read from dicts, files, tables or the catalog.

A record holds the structure text (SMILES/CXSMILES, InChI or a MOL block), the stated fields under their
canonical names (`formula`, `molar_mass`, `exact_mass`, `cas`, `pubchem_cid`, `inchi`, `inchikey`,
`iupac_name`, `stereo`, `atc`, `drugbank`, `chemspider`, `unii`) and everything else as metadata.

Sources are dispatched through a registry of loaders, one entry per format (`register_loader`); a loader
turns a path into a list of plain dicts, and `from_dict` does the rest.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chemprops.errors import InputError, ParseError, one_line
from chemprops.structure import is_file

# Canonical stated fields, in report order; `smiles`, `inchi` or `molblock` also give the structure.
STATED = (
    "formula",
    "molar_mass",
    "exact_mass",
    "cas",
    "pubchem_cid",
    "inchi",
    "inchikey",
    "iupac_name",
    "stereo",
    "atc",
    "drugbank",
    "chemspider",
    "unii",
)
STRUCTURE_FIELDS = ("smiles", "molblock")  # inchi is both a structure and a stated field
FIELDS = ("id", "name", *STRUCTURE_FIELDS, *STATED)

# Other spellings of the fields (compared after lower-casing and turning spaces, dots and hyphens into "_").
ALIASES: dict[str, str] = {
    "mw": "molar_mass",
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


def canonical_field(key: object) -> str:
    """The canonical name of a field spelling: "SMILES" -> "smiles", "Molecular weight" -> "molar_mass"."""
    k = re.sub(r"[\s.\-/]+", "_", str(key).strip().lower()).strip("_")
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
        return {k: self.fields[k] for k in STATED if k in self.fields}


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, dict, tuple)) else False
    except (TypeError, ValueError):
        return False


def from_dict(data: dict, row: int | None = None, source: str = "") -> Record:
    """A record from a mapping with any accepted spellings; unknown fields become metadata, never an error.

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
    for key, value in data.items():
        name = canonical_field(key)
        if name in FIELDS and not isinstance(value, (dict, list)):
            if not _empty(value) and name not in fields:
                fields[name] = value.strip() if isinstance(value, str) else value
        elif not _empty(value):
            metadata[str(key)] = value
    rid = fields.get("id") or fields.get("name") or (str(row) if row is not None else "")
    where = f"{source}:{row}" if source and row is not None else source
    return Record(fields, metadata, str(rid), where)


# --- numbers with units ---------------------------------------------------------------------------------
_NUMBER_RE = re.compile(r"^[~≈]?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)")
_UNITS = {"", "g/mol", "g mol-1", "gmol-1", "g·mol-1", "g/mole", "da", "u", "amu", "g", "kda", "daltons", "dalton"}


@dataclass(frozen=True)
class Quantity:
    """A stated number and its precision: `decimals` digits after the point (213.661 -> 3)."""

    value: float
    decimals: int
    text: str

    @property
    def half_unit(self) -> float:
        """Half of the last stated digit: how far rounding may have moved the true value."""
        return 0.5 * 10.0 ** (-self.decimals)


def parse_quantity(value: object) -> Quantity:
    """Read a mass as stated: 213.661, "213.661 g/mol", "213.66 g·mol⁻¹", "213.0557 Da".

    >>> parse_quantity("213.661 g/mol")
    Quantity(value=213.661, decimals=3, text='213.661 g/mol')
    """
    if isinstance(value, bool):
        raise ParseError(f"not a mass: {value!r}", repr(value))
    if isinstance(value, int):
        return Quantity(float(value), 0, str(value))
    if isinstance(value, float):
        if math.isnan(value):
            raise ParseError("no mass stated", "nan")
        text = repr(value)
    else:
        text = str(value)
    clean = text.strip().replace("−", "-").replace("⁻¹", "-1").replace("\u00a0", " ")
    m = _NUMBER_RE.match(clean)
    if not m:
        raise ParseError(f"not a mass: {one_line(text, 60)!r}", text)
    unit = clean[m.end() :].strip().lower().rstrip(".")
    if unit not in _UNITS:
        raise ParseError(f"unknown mass unit {unit!r} in {one_line(text, 60)!r}", text)
    number = m.group(1)
    mantissa = number.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(number.lower().split("e")[1]) if "e" in number.lower() else 0
    decimals = max(decimals - exponent, 0)
    scale = 1000.0 if unit == "kda" else 1.0
    if scale != 1.0:
        decimals = max(decimals - 3, 0)
    return Quantity(float(number) * scale, decimals, text)


# --- loaders: one entry per source format ---------------------------------------------------------------
@dataclass(frozen=True)
class Loader:
    """A source format: the suffixes it owns, an optional sniffer for content, and a function path -> dicts."""

    name: str
    suffixes: tuple[str, ...]
    load: Callable[[Path], list[dict]]
    sniff: Callable[[str], bool] | None = None  # given the first 4 kB of text


LOADERS: list[Loader] = []


def register_loader(
    name: str,
    suffixes: Iterable[str],
    load: Callable[[Path], list[dict]],
    sniff: Callable[[str], bool] | None = None,
    first: bool = False,
) -> Loader:
    """Add a source format (e.g. the infobox and wikitext importers); `first` puts it before the others."""
    loader = Loader(name, tuple(s.lower() for s in suffixes), load, sniff)
    LOADERS[:] = [x for x in LOADERS if x.name != name]
    LOADERS.insert(0, loader) if first else LOADERS.append(loader)
    return loader


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {path}: not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _one_or_many(data: object, path: Path) -> list[dict]:
    if isinstance(data, list) and all(isinstance(x, dict) for x in data):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("records"), list):
            return list(data["records"])
        return [data]
    raise InputError(f"cannot read {path}: expected a record (mapping) or a list of records")


def _load_toml(path: Path) -> list[dict]:
    try:
        return _one_or_many(tomllib.loads(_read_text(path)), path)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"cannot read {path}: invalid TOML ({one_line(exc, 100)})") from exc


def _load_json(path: Path) -> list[dict]:
    try:
        return _one_or_many(json.loads(_read_text(path)), path)
    except json.JSONDecodeError as exc:
        raise InputError(f"cannot read {path}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc


def _load_yaml(path: Path) -> list[dict]:
    import yaml

    try:
        return _one_or_many(yaml.safe_load(_read_text(path)), path)
    except yaml.YAMLError as exc:
        raise InputError(f"cannot read {path}: invalid YAML ({one_line(exc, 100)})") from exc


def _frame_records(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records")


def _load_delimited(path: Path, sep: str) -> list[dict]:
    # Everything as text: "213.660" keeps its stated precision.
    try:
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read {path}: {one_line(exc, 120)}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return _frame_records(frame)


def _load_jsonl(path: Path) -> list[dict]:
    out = []
    for i, line in enumerate(_read_text(path).splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line, parse_float=str))
            except json.JSONDecodeError as exc:
                raise InputError(f"cannot read {path}: invalid JSON on line {i} ({exc.msg})") from exc
    return out


def _load_parquet(path: Path) -> list[dict]:
    try:
        return _frame_records(pd.read_parquet(path))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {one_line(exc, 120)}") from exc


register_loader("toml", [".toml"], _load_toml)
register_loader("json", [".json"], _load_json, sniff=lambda t: t.lstrip().startswith(("{", "[")))
register_loader("yaml", [".yaml", ".yml"], _load_yaml)
register_loader("csv", [".csv"], lambda p: _load_delimited(p, ","))
register_loader("tsv", [".tsv", ".tab"], lambda p: _load_delimited(p, "\t"))
register_loader("jsonl", [".jsonl", ".ndjson"], _load_jsonl)
register_loader("parquet", [".parquet", ".pq"], _load_parquet)
# Published forms (chemprops.importers): Infobox drug/Drugbox/Chembox wikitext, and a rendered infobox as text.
register_loader("wikitext", [".wiki", ".wikitext", ".mediawiki"], lambda p: [_importers().import_file(p)],
                sniff=lambda t: _importers().is_wikitext(t))
register_loader("infobox", [], lambda p: [_importers().import_file(p)], sniff=lambda t: _importers().is_infobox_text(t))


def _importers():
    from chemprops import importers

    return importers


def loader_for(path: Path) -> Loader:
    """The loader a file's suffix names, else the first whose sniffer accepts its content."""
    suffix = path.suffix.lower()
    for loader in LOADERS:
        if suffix in loader.suffixes:
            return loader
    head = _read_text(path)[:4096] if path.stat().st_size else ""
    for loader in LOADERS:
        if loader.sniff is not None and loader.sniff(head):
            return loader
    known = ", ".join(s for x in LOADERS for s in x.suffixes)
    raise InputError(f"cannot read {path}: unknown record format (known: {known})")


def _records_from(rows: list[dict], source: str, table: bool) -> list[Record]:
    return [from_dict(row, i if table or len(rows) > 1 else None, source) for i, row in enumerate(rows, 1)]


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def load(source: object) -> list[Record]:
    """Records from a dict, a Record, a DataFrame, a list of these, a file path or a built-in name."""
    from chemprops import catalog

    if isinstance(source, Record):
        return [source]
    if isinstance(source, dict):
        return [from_dict(source)]
    if isinstance(source, pd.DataFrame):
        return _records_from(_frame_records(source), "", table=True)
    if isinstance(source, (list, tuple)):
        out: list[Record] = []
        if all(isinstance(x, dict) for x in source):
            return _records_from(list(source), "", table=True)
        for item in source:
            out.extend(load(item))
        return out
    if not isinstance(source, (str, Path)):
        raise InputError(f"cannot verify a {type(source).__name__}: give a record, table, file or built-in name")
    text = str(source).strip()
    if not text:
        raise InputError("empty source: give a record file, a table or a built-in name")
    path = Path(text).expanduser()
    if is_file(path):
        loader = loader_for(path)
        rows = loader.load(path)
        if not rows:
            raise InputError(f"no records in {path}")
        return _records_from(rows, str(path), table=loader.name in ("csv", "tsv", "jsonl", "parquet"))
    if _is_dir(path):
        raise InputError(f"cannot read {path}: is a directory")
    record = catalog.lookup(text)
    if record is not None:
        return [from_dict(record, source=f"built-in {record.get('source_file', record.get('id'))}")]
    if path.suffix:
        raise InputError(f"no such file: {text}")
    raise InputError(f"{text!r} is neither a file nor a built-in record name")
