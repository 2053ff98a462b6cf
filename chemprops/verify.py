"""Verify stated chemical data against the structure: every record, every stated field, one row each.

`verify(source)` -> DataFrame with exactly the columns id, check, stated, computed, status, message.
Every record gets a `structure` row first (pass: parsed; fail: unreadable, and the structure checks skip).
Names are parsed by OPSIN in one JVM call for the whole batch; records are checked in worker processes
when the batch is large.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace

import pandas as pd
from rdkit import Chem, rdBase

from chemprops import checks as ck
from chemprops import idtables, opsin
from chemprops.errors import InputError, ParseError, one_line
from chemprops.records import Record, load
from chemprops.structure import mol_from_inchi, mol_from_molblock, mol_from_smiles

COLUMNS = ["id", "check", "stated", "computed", "status", "message"]
PARALLEL_FROM = 2000  # records; below this one process is faster than starting workers
CHUNK = 500


def _stated_text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split())


def _structure(record: Record) -> tuple[ck.Facts | None, dict]:
    found = record.structure_text
    row = {"id": record.id, "check": "structure"}
    status, message, lenient = ck.PASS, "", False
    if found is None:
        resolved = _builtin_structure(record)
        if resolved is None:
            return None, {
                **row,
                "stated": "",
                "computed": "",
                "status": ck.SKIP,
                "message": "no structure (SMILES, InChI or MOL block), and no built-in record has its CAS, CID or name",
            }
        found, message = resolved
        status = ck.WARN
    kind, text = found
    reader = {"smiles": mol_from_smiles, "inchi": mol_from_inchi, "molblock": mol_from_molblock}[kind]
    message = message or f"structure read from {kind}"
    try:
        mol = reader(text)
    except ParseError as exc:
        if kind == "smiles" and _GENERIC_RE.search(text):
            why = "a generic structure (R groups or attachment points), not one compound: nothing to compare"
            return None, {**row, "stated": one_line(text, 200), "computed": "", "status": ck.SKIP, "message": why}
        mol = _lenient_mol(text) if kind == "smiles" else None
        if mol is None:
            return None, {
                **row,
                "stated": one_line(text, 200),
                "computed": "",
                "status": ck.FAIL,
                "message": one_line(exc),
            }
        status, lenient = ck.WARN, True
        reason = str(exc).split(": ", 1)[-1]
        message = f"RDKit's valence/aromaticity rules reject it ({one_line(reason, 90)}); read without them"
    except Exception as exc:  # noqa: BLE001 - RDKit may raise on exotic input; the record still gets its row
        return None, {
            **row,
            "stated": one_line(text, 200),
            "computed": "",
            "status": ck.FAIL,
            "message": f"cannot read the structure: {one_line(exc, 120)}",
        }
    return ck.Facts(mol, kind, lenient=lenient, fields=record.fields), {
        **row,
        "stated": one_line(text, 200),
        "computed": _smiles(mol),
        "status": status,
        "message": message,
    }


def _builtin_structure(record: Record) -> tuple[tuple[str, str], str] | None:
    """For a record that states no structure (a rendered infobox often links to one instead): the structure
    of the built-in record with the same CAS number, PubChem CID or name, and a message saying which."""
    from chemprops import catalog

    fields = record.fields
    found, label, value = None, "", ""
    for field, name in (("cas", "CAS"), ("name", "name")):
        label, value = name, fields.get(field)
        found = catalog.lookup(str(value)) if value not in (None, "") else None
        if found is not None:
            break
    if found is None:
        label, value = "PubChem CID", str(fields.get("pubchem_cid", "")).strip().removesuffix(".0")
        found = next((r for r in catalog.records().values() if value and str(r.get("pubchem_cid", "")) == value), None)
    if found is None or not found.get("smiles"):
        return None
    source = found.get("source_file", found.get("id"))
    message = (f"no structure stated; took the built-in record {found.get('id', found.get('name'))!r} ({source}), "
               f"matched by {label} {value}")
    return ("smiles", found["smiles"]), message


# A SMILES with R groups ("[*]" with labels, CXSMILES RG: or LOG: sections) describes a family of compounds.
_GENERIC_RE = re.compile(r"\[\*\]|\|.*\b(?:RG|LOG):")


def _lenient_mol(smiles: str) -> Chem.Mol | None:
    """Organometallics and hypervalent species RDKit's valence model rejects: atoms and bonds as written."""
    params = Chem.SmilesParserParams()
    params.sanitize = False
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles.strip(), params)
        if mol is None:
            return None
        try:
            mol.UpdatePropertyCache(strict=False)
            flags = Chem.SanitizeFlags
            Chem.SanitizeMol(
                mol, flags.SANITIZE_ALL ^ flags.SANITIZE_PROPERTIES ^ flags.SANITIZE_KEKULIZE, catchErrors=True
            )
        except (RuntimeError, ValueError):
            return None
    return mol


def _smiles(mol: Chem.Mol) -> str:
    with rdBase.BlockLogs():
        try:
            return Chem.MolToSmiles(mol)
        except (RuntimeError, ValueError):
            return ""


def check_record(record: Record, ctx: ck.Context, chosen: list[ck.Check]) -> list[dict]:
    """The rows of one record: its structure, then each stated field that has a check."""
    facts, first = _structure(record)
    rows = [first]
    stated = record.stated()
    for check in chosen:
        if check.name not in stated:
            continue
        value = stated[check.name]
        row = {"id": record.id, "check": check.name, "stated": _stated_text(value)}
        if check.needs_structure and facts is None:
            why = "no structure to compare with" if first["status"] == ck.SKIP else "the structure is unreadable"
            rows.append({**row, "computed": "", "status": ck.SKIP, "message": why})
            continue
        if check.name == "iupac_name" and ctx.defer_names:
            rows.append(
                {
                    **row,
                    "computed": "",
                    "status": "",
                    "message": "",
                    "_inchi": facts.inchi,
                    "_why": facts.no_inchi_reason,
                }
            )
            continue
        try:
            out = check.function(value, facts, ctx)
        except Exception as exc:  # noqa: BLE001 - a check that breaks on odd input reports it, never crashes the batch
            out = ck.Outcome("", ck.SKIP, f"check could not run: {type(exc).__name__}: {one_line(exc, 120)}")
        rows.append({**row, "computed": out.computed, "status": out.status, "message": out.message})
    return rows


def _check_chunk(args: tuple[list[Record], ck.Context, list[str]]) -> list[dict]:
    records, ctx, names = args
    registry = ck.registry()
    chosen = [registry[n] for n in names]
    out: list[dict] = []
    for r in records:
        out.extend(check_record(r, ctx, chosen))
    return out


def _read_names(parsed: list[opsin.ParsedName]) -> list[ck.NameReading]:
    return [ck.name_reading(p) for p in parsed]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _pool(jobs: int) -> ProcessPoolExecutor:
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else None
    return ProcessPoolExecutor(jobs, mp_context=mp.get_context(method))


def _start_names(names: list[str]) -> tuple[opsin.Run | None, str]:
    """Start OPSIN on the batch's distinct names, or say why names cannot be parsed here."""
    if not names:
        return None, ""
    reason = opsin.unavailable_reason()
    if reason:
        return None, reason
    try:
        return opsin.start(names), ""
    except Exception as exc:  # noqa: BLE001 - OPSIN failing as a whole makes every name a skip with the reason
        return None, one_line(exc, 160)


def _finish_names(run: opsin.Run, jobs: int) -> tuple[dict[str, ck.NameReading], str]:
    try:
        parsed = run.result()
    except Exception as exc:  # noqa: BLE001 - as above
        return {}, one_line(exc, 160)
    if jobs > 1 and len(parsed) >= PARALLEL_FROM:
        with _pool(jobs) as pool:
            readings = [r for part in pool.map(_read_names, _chunks(parsed, CHUNK)) for r in part]
    else:
        readings = _read_names(parsed)
    return {p.name: r for p, r in zip(parsed, readings)}, ""


def verify(
    *sources: object,
    identifiers: Iterable | None = None,
    checks: Iterable[str] | None = None,
    jobs: int | None = None,
) -> pd.DataFrame:
    """Check every stated field of every record against its structure.

    Sources: a record dict, a `Record`, a DataFrame (one record per row), a list of these, a record file
    (TOML/JSON/YAML), a table (CSV/TSV/JSON lines/Parquet) or a built-in name. `identifiers`: extra offline
    tables of CAS numbers/CIDs with structures. `checks`: names of the checks to run (default: all).

    >>> verify({"smiles": "O", "formula": "H2O"})[["check", "status"]].values.tolist()
    [['structure', 'pass'], ['formula', 'pass']]
    """
    if not sources:
        raise InputError("nothing to verify: give a record, a table, a file or a built-in name")
    records: list[Record] = []
    for source in sources:
        records.extend(load(source))
    registry = ck.registry()
    names = list(registry) if checks is None else list(checks)
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise InputError(f"unknown check {unknown[0]!r}; known: {', '.join(registry)}")
    jobs = jobs if jobs is not None else (min(os.cpu_count() or 1, 8) if len(records) >= PARALLEL_FROM else 1)
    ctx = ck.Context(identifiers=idtables.build(list(identifiers or [])))
    run = None
    if "iupac_name" in names:
        # OPSIN works in the background while the other checks run; the name rows are completed after.
        wanted = sorted(
            {
                " ".join(str(r.fields["iupac_name"]).split())
                for r in records
                if "iupac_name" in r.fields and (r.structure_text or _builtin_structure(r))
            }
        )
        run, ctx.names_unavailable = _start_names(wanted)
        ctx.defer_names = run is not None
    if jobs > 1 and len(records) >= PARALLEL_FROM:
        parts = _chunks(records, CHUNK)
        with _pool(jobs) as pool:
            rows = [
                row for chunk in pool.map(_check_chunk, [(p, _ctx_for(ctx, p), names) for p in parts]) for row in chunk
            ]
    else:
        rows = _check_chunk((records, ctx, names))
    if run is not None:
        ctx.names, ctx.names_unavailable = _finish_names(run, jobs)
        ctx.defer_names = False
        for row in rows:
            if "_inchi" in row:
                facts = SimpleNamespace(inchi=row.pop("_inchi"), no_inchi_reason=row.pop("_why"))
                out = ck.check_iupac_name(row["stated"], facts, ctx)
                row.update(computed=out.computed, status=out.status, message=out.message)
    return pd.DataFrame(rows, columns=COLUMNS)


def _ctx_for(ctx: ck.Context, records: list[Record]) -> ck.Context:
    """The context a worker needs: only the names of its own records travel to it."""
    wanted = {" ".join(str(r.fields["iupac_name"]).split()) for r in records if "iupac_name" in r.fields}
    names = {n: ctx.names[n] for n in wanted if n in ctx.names}
    return ck.Context(ctx.identifiers, names, ctx.names_unavailable, ctx.defer_names)


def summary(report: pd.DataFrame) -> pd.DataFrame:
    """Counts by check and status (checks in report order, statuses pass/fail/warn/skip)."""
    order = list(dict.fromkeys(report["check"]))
    table = pd.crosstab(report["check"], report["status"]).reindex(index=order, columns=list(ck.STATUSES), fill_value=0)
    return table.reset_index().rename_axis(None, axis=1)
