"""Built-in structures: the records in `structures/` (one TOML file per compound, plus compound tables).

Looked up by name, synonym or CAS number, case-insensitively (by InChIKey through `chemprops.resolve`, which
computes them). The folder ships inside the wheel as
`chemprops/structures`; in a source checkout it is the top-level `structures/`.
"""

from __future__ import annotations

import csv
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path


def structures_dir() -> Path:
    """Where the built-in records live: inside the installed package, else in the source checkout."""
    packaged = Path(str(resources.files("chemprops"))) / "structures"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "structures"


def _key(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


def _csv_records(path: Path) -> list[dict]:
    out = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            record = {k: v for k, v in row.items() if v not in (None, "")}
            if "synonyms" in record:
                record["synonyms"] = [s.strip() for s in record["synonyms"].split(";") if s.strip()]
            record["source_file"] = path.name
            out.append(record)
    return out


@lru_cache(maxsize=1)
def records() -> dict[str, dict]:
    """Every built-in record by id (TOML files first; compound tables add what is not there yet)."""
    folder = structures_dir()
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("*.toml")):
        with open(path, "rb") as handle:
            record = tomllib.load(handle)
        record.setdefault("id", path.stem)
        record["source_file"] = path.name
        out[record["id"]] = record
    for path in sorted(folder.glob("*.csv")):
        for record in _csv_records(path):
            rid = record.get("id") or record["name"]
            out.setdefault(rid, record)
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for rid, record in records().items():
        keys = [rid, record.get("name", ""), record.get("cas", ""), record.get("inchikey", "")]
        keys += list(record.get("synonyms", []))
        for key in keys:
            if key:
                index.setdefault(_key(key), rid)
    return index


def lookup(query: str) -> dict | None:
    """The built-in record a name, synonym or CAS number (or an InChIKey a record states) names, or None;
    `chemprops.resolve.builtin` also finds records by the InChIKey of their structure."""
    rid = _index().get(_key(query))
    return dict(records()[rid]) if rid else None


def series() -> dict[str, dict]:
    """Built-in series definitions by name (`structures/series/*.toml`): a core, its R-group positions and the
    features to report per member; `chemprops.compare` reads them."""
    out: dict[str, dict] = {}
    for path in sorted((structures_dir() / "series").glob("*.toml")):
        with open(path, "rb") as handle:
            entry = tomllib.load(handle)
        entry.setdefault("name", path.stem)
        entry["source_file"] = f"structures/series/{path.name}"
        out[entry["name"]] = entry
    return out


def listing() -> list[dict]:
    """One row per built-in record: id, name, CAS number, synonyms, source file."""
    out = []
    for rid, record in records().items():
        synonyms = record.get("synonyms", [])
        out.append(
            {
                "id": rid,
                "name": record.get("name", rid),
                "cas": record.get("cas", ""),
                "synonyms": "; ".join(synonyms) if isinstance(synonyms, list) else str(synonyms),
                "file": f"structures/{record.get('source_file', '')}",
            }
        )
    return out


def table(name: str) -> Path:
    """Path of a built-in compound table, e.g. `gaba_analogues.csv`."""
    return structures_dir() / name
