"""Verify stated chemical data against the structure: every record, every stated field, one row each.

`verify(source)` -> DataFrame with exactly the columns id, check, stated, computed, status, message.
Every record gets a `structure` row first (pass: parsed; fail: unreadable, and the structure checks skip).
Records are checked in chunks on `chemprops.engine` (time limit and crash isolation per record and check);
a check with batch-wide work (OPSIN on every name) starts it first and its rows are completed after.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd

from chemprops import catalog, engine, idtables
from chemprops import checks as ck
from chemprops.engine import DEFAULT_TIME_LIMIT, Summary
from chemprops.errors import InputError, ParseError, one_line
from chemprops.records import Record, check_mapping, load
from chemprops.structure import (
    attach_variable_groups,
    mol_from_inchi,
    mol_from_molblock,
    mol_from_smiles,
    mol_from_smiles_lenient,
    to_smiles,
)

COLUMNS = ["id", "check", "stated", "computed", "status", "message"]
CHUNK = 200  # records per engine chunk
PARALLEL_FROM = 2000  # records; below this one process is faster than starting workers


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
        mol = mol_from_smiles_lenient(text) if kind == "smiles" else None
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
    mol, placed = attach_variable_groups(mol)
    if placed:
        message += (
            f"; {placed} position-variation group(s) (CXSMILES m:) placed on one of their atoms, each replacing an H"
        )
    return ck.Facts(mol, kind, lenient=lenient, fields=record.fields, variable=placed > 0), {
        **row,
        "stated": one_line(text, 200),
        "computed": to_smiles(mol),
        "status": status,
        "message": message,
    }


def _builtin_structure(record: Record) -> tuple[tuple[str, str], str] | None:
    """For a record that states no structure (a rendered infobox often links to one instead): the structure
    of the built-in record with the same CAS number, PubChem CID or name, and a message saying which."""
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
    message = (
        f"no structure stated; took the built-in record {found.get('id', found.get('name'))!r} ({source}), "
        f"matched by {label} {value}"
    )
    return ("smiles", found["smiles"]), message


# A SMILES with R groups ("[*]" with labels, CXSMILES RG: or LOG: sections) describes a family of compounds.
_GENERIC_RE = re.compile(r"\[\*\]|\|.*\b(?:RG|LOG):")


def check_record(
    record: Record,
    ctx: ck.Context,
    chosen: list[ck.Check],
    skip: dict[str, str] | None = None,
    watch: engine.Watch | None = None,
) -> list[dict]:
    """The rows of one record: its structure, then each stated field that has a check. `skip` maps a check
    to the message to report instead of running it ("*": the record could not be read at all)."""
    if watch is not None:
        watch.step(-1)
    if skip and "*" in skip:
        text = record.structure_text[1] if record.structure_text else ""
        facts, first = None, {"id": record.id, "check": "structure", "stated": one_line(text, 200), "computed": "",
                              "status": ck.FAIL, "message": skip["*"]}  # fmt: skip
    else:
        facts, first = _structure(record)
    rows = [first]
    stated = record.stated()
    for number, check in enumerate(chosen):
        if check.name not in stated:
            continue
        value = stated[check.name]
        row = {"id": record.id, "check": check.name, "stated": _stated_text(value)}
        if skip and check.name in skip:
            rows.append({**row, "computed": "", "status": ck.SKIP, "message": skip[check.name]})
            continue
        if check.needs_structure and facts is None:
            why = "no structure to compare with" if first["status"] == ck.SKIP else "the structure is unreadable"
            rows.append({**row, "computed": "", "status": ck.SKIP, "message": why})
            continue
        if watch is not None:
            watch.step(number)
        if check.name in ctx.pending:  # completed once the batch-wide work is done
            carried = {name: getattr(facts, name) for name in check.carries}
            rows.append({**row, "computed": "", "status": "", "message": "", "_carried": carried})
            continue
        try:
            out = check.function(value, facts, ctx)
        except Exception as exc:  # noqa: BLE001 - a check that breaks on odd input reports it, never crashes the batch
            out = ck.Outcome("", ck.SKIP, f"check could not run: {type(exc).__name__}: {one_line(exc, 120)}")
        rows.append({**row, "computed": out.computed, "status": out.status, "message": out.message})
    return rows


@dataclass(frozen=True)
class VerifyTask:
    """The engine's task: the rows of each record of a chunk of records."""

    ctx: ck.Context
    names: tuple[str, ...]

    @property
    def steps(self) -> list[str]:
        return list(self.names)

    def __call__(self, records: list[Record], skip, watch) -> list[list[dict]]:
        registry = ck.registry()
        chosen = [registry[n] for n in self.names]
        out = []
        for i, record in enumerate(records):
            if watch is not None:
                watch.row(i)
            out.append(check_record(record, self.ctx, chosen, (skip or {}).get(i), watch))
        if watch is not None:
            watch.idle()
        return out

    def count(self, result) -> tuple[int, int]:
        return len(result), sum(any(r["status"] == ck.FAIL for r in rows) for rows in result)

    def encode(self, result, first: bool):
        return result


@dataclass(frozen=True)
class ReadTask:
    """The engine's task for a check's batch-wide items (OPSIN's structures of names -> InChIs)."""

    check: str
    steps: tuple[str, ...] = ("read",)

    def __call__(self, items: list, skip, watch) -> list:
        read = ck.registry()[self.check].read
        return [read(item) for item in items]

    def count(self, result) -> tuple[int, int]:
        return len(result), 0

    def encode(self, result, first: bool):
        return result


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _start(check: ck.Check, records: list[Record], ctx: ck.Context):
    """Start a check's batch-wide work on the distinct values the records state, or say why it cannot run."""
    values = sorted(
        {ck.stated_key(r.fields[check.name]) for r in records
         if check.name in r.fields and (r.structure_text or _builtin_structure(r))}
    )  # fmt: skip
    if not values:
        return None
    try:
        handle = check.start(values)
    except Exception as exc:  # noqa: BLE001 - batch-wide work failing makes each of its rows a skip with the reason
        ctx.unavailable[check.name] = one_line(exc, 160)
        return None
    ctx.pending.add(check.name)
    return handle


def _finish(check: ck.Check, handle, ctx: ck.Context, options: dict) -> None:
    ctx.pending.discard(check.name)
    try:
        items = handle.result()
    except Exception as exc:  # noqa: BLE001 - as above
        ctx.unavailable[check.name] = one_line(exc, 160)
        return
    parts: list[list] = []
    run_options = options if len(items) >= PARALLEL_FROM else {**options, "jobs": 1, "time_limit": None}
    engine.run(_chunks(items, 1000), ReadTask(check.name), parts.append, **run_options)
    ctx.found[check.name] = dict(pair for part in parts for pair in part)


def _identifier_tables(identifiers: Iterable) -> list[tuple[str, list[dict]]]:
    out = []
    for table in identifiers:
        label = str(table) if not isinstance(table, list) else "identifier table"
        out.append((label, [r.fields for r in load(table)]))
    return out


def verify(
    *sources: object,
    identifiers: Iterable | None = None,
    checks: Iterable[str] | None = None,
    jobs: int | None = None,
    mapping: dict[str, str] | None = None,
    engine_name: str = "local",
    scheduler: str | None = "local",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    progress: Callable[[Summary, float | None], None] | None = None,
) -> pd.DataFrame:
    """Check every stated field of every record against its structure.

    Sources: a record dict, a `Record`, a DataFrame (one record per row), a list of these, a record file
    (TOML/JSON/YAML), a table (CSV/TSV/JSON lines/Parquet) or a built-in name. `identifiers`: extra offline
    tables of CAS numbers/CIDs with structures. `checks`: names of the checks to run (default: all).
    `mapping`: the field of columns whose header is not a known spelling ({"Weight": "molar_mass"}).
    Columns that map to no field are listed in `report.attrs["unchecked"]`, never dropped in silence.

    >>> verify({"smiles": "O", "formula": "H2O"})[["check", "status"]].values.tolist()
    [['structure', 'pass'], ['formula', 'pass']]
    """
    if not sources:
        raise InputError("nothing to verify: give a record, a table, a file or a built-in name")
    records: list[Record] = []
    mapping = check_mapping(mapping)
    for source in sources:
        records.extend(load(source, mapping))
    registry = ck.registry()
    names = list(registry) if checks is None else list(checks)
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise InputError(f"unknown check {unknown[0]!r}; known: {', '.join(registry)}")
    ctx = ck.Context(identifiers=idtables.build(_identifier_tables(identifiers or [])))
    # Batch-wide work (OPSIN) runs in the background while the other checks run.
    started = {n: h for n in names if registry[n].start for h in [_start(registry[n], records, ctx)] if h is not None}
    options = {"engine": engine_name, "jobs": jobs, "time_limit": time_limit, "scheduler": scheduler}
    if len(records) < PARALLEL_FROM and engine_name == "local":
        options.update(jobs=1)  # one worker still: a record that crashes or hangs RDKit must not end the run
    parts: list[list[list[dict]]] = []
    total = len(records)

    def report(summary: Summary) -> None:
        if progress:
            progress(summary, summary.rows / total if total else None)

    engine.run(_chunks(records, CHUNK), VerifyTask(ctx, tuple(names)), parts.append, progress=report, **options)
    rows = [row for part in parts for record_rows in part for row in record_rows]
    for name, handle in started.items():
        _finish(registry[name], handle, ctx, options)
        for row in rows:
            if row["check"] == name and "_carried" in row:
                facts = SimpleNamespace(**row.pop("_carried"))
                out = registry[name].function(row["stated"], facts, ctx)
                row.update(computed=out.computed, status=out.status, message=out.message)
    report = pd.DataFrame(rows, columns=COLUMNS)
    report.attrs["unchecked"] = unchecked(records)
    return report


def unchecked(records: list[Record]) -> list[str]:
    """The columns (fields) of the records that map to no checked field, in order of first appearance."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(k for k in record.metadata if not k.startswith("_")))
    return list(seen)


def summary(report: pd.DataFrame) -> pd.DataFrame:
    """Counts by check and status (checks in report order, statuses pass/fail/warn/skip)."""
    order = list(dict.fromkeys(report["check"]))
    table = pd.crosstab(report["check"], report["status"]).reindex(index=order, columns=list(ck.STATUSES), fill_value=0)
    return table.reset_index().rename_axis(None, axis=1)
