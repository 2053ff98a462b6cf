"""Verify stated chemical data against the structure: every record, every stated field, one row each.

`verify(source)` -> DataFrame with exactly the columns id, check, stated, computed, status, message, form
(`form`: the related form a failing value belongs to, see chemprops.forms).
Every record gets a `structure` row first (pass: parsed; fail: unreadable, and the structure checks skip).
Records are checked in chunks on `chemprops.engine` (time limit and crash isolation per record and check),
streamed from a table file and to the report (`verify_to`): memory stays flat for any number of records. A check
with batch-wide work (OPSIN on every distinct name, found in a first pass) starts it first; the rows that need
it wait (at most HOLD_RECORDS records) and are completed when it is done.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from chemprops import catalog, engine, formats, forms, idtables
from chemprops import checks as ck
from chemprops.engine import DEFAULT_TIME_LIMIT, Summary
from chemprops.errors import ChempropsError, InputError, ParseError, one_line
from chemprops.formula import uncharged_formula
from chemprops.names import Reading as NameReading
from chemprops.records import Record, check_mapping, chunks, is_table_file, load
from chemprops.resolve import by_name, single
from chemprops.structure import (
    METALS,
    attach_variable_groups,
    mol_from_inchi,
    mol_from_molblock,
    mol_from_smiles,
    mol_from_smiles_lenient,
    to_smiles,
)

COLUMNS = ["id", "check", "stated", "computed", "status", "message", "form"]
CHUNK = 200  # records per engine chunk
PARALLEL_FROM = 2000  # records; below this one process is faster than starting workers


def _stated_text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split())


def _structure(record: Record, ctx: ck.Context | None = None) -> tuple[ck.Facts | None, dict]:
    found = record.structure_text
    row = {"id": record.id, "check": "structure"}
    status, message, lenient, origin = ck.PASS, "", False, ""
    if found is None:
        resolved = derived_structure(record, ctx)
        if resolved is None:
            return None, {
                **row,
                "stated": "",
                "computed": "",
                "status": ck.SKIP,
                "message": "no structure (SMILES, InChI or MOL block), and none found for its CAS number, CID, "
                "IUPAC name or name",
            }
        found, message, origin = resolved
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
    facts = ck.Facts(mol, kind, lenient=lenient, fields=record.fields, variable=placed > 0)
    facts.origin = origin
    return facts, {
        **row,
        "stated": one_line(text, 200),
        "computed": to_smiles(mol),
        "status": status,
        "message": message,
    }


# The order in which a record without a structure takes one from its other fields: identifiers first (a CAS
# number or CID names one substance), then the systematic name (OPSIN reads what it says), then the name.
DERIVED_FROM = ("cas", "pubchem_cid", "iupac_name", "name")


def derived_structure(record: Record, ctx: ck.Context | None = None) -> tuple[tuple[str, str], str, str] | None:
    """For a record that states no structure: ((kind, text), message, field) of the first of DERIVED_FROM that
    names one: the user's tables and the built-in records, the bundled identifier table, OPSIN's reading of the
    IUPAC name (read once for the batch, in `ctx.derived`) and, in an online run, PubChem. An ambiguous name gives
    nothing. When another of the record's identifiers names a compound of another formula (or other elements),
    the message says so: the checks then show which fields follow the structure taken."""
    fields = record.fields
    found_by: list[tuple[str, str, str, str]] = []  # (field, value, smiles, where)
    for key in DERIVED_FROM:
        value = fields.get(key)
        if value in (None, "") or not str(value).strip():
            continue
        text = str(value).strip().removesuffix(".0") if key == "pubchem_cid" else " ".join(str(value).split())
        try:
            found = _derive(key, text, ctx)
        except Exception:  # noqa: BLE001 - an odd identifier names nothing; its own check reports it
            found = None
        if found is not None:
            found_by.append((key, text, *found))
    if not found_by:
        return None
    key, text, smiles, where = found_by[0]
    label = {"cas": "CAS", "pubchem_cid": "PubChem CID", "iupac_name": "IUPAC name"}.get(key, key)
    message = f"no structure stated; took {where}, found by its {label} {one_line(text, 80)}"
    first = _composition(smiles)
    for other, other_text, other_smiles, other_where in found_by[1:]:
        second = _composition(other_smiles)
        if first and second and _disagree(first, second):
            other_label = {"cas": "CAS", "pubchem_cid": "PubChem CID", "iupac_name": "IUPAC name"}.get(other, other)
            message += (f"; but its {other_label} {one_line(other_text, 60)} names {other_where}, {second[0]}: the "
                        "record's identifiers disagree")  # fmt: skip
            break
    return ("smiles", smiles), message, key


def _composition(smiles: str) -> tuple[str, frozenset, bool] | None:
    """(formula without charge, heavy elements, organic) of a SMILES; None when it cannot be read."""
    try:
        mol = mol_from_smiles(smiles)
    except Exception:  # noqa: BLE001 - no structure: no comparison
        return None
    formula = uncharged_formula(mol)
    elements = frozenset(a.GetSymbol() for a in mol.GetAtoms() if a.GetAtomicNum() > 1)
    organic = "C" in elements and not elements & METALS
    return formula, elements, organic


def _disagree(first: tuple, second: tuple) -> bool:
    """Two compounds that cannot be one substance drawn two ways: other elements, or (both organic) another
    formula. Isomer names of mixtures and PubChem's drawings of salts and inorganics pass."""
    return first[1] != second[1] or (first[2] and second[2] and first[0] != second[0])


def _derive(key: str, text: str, ctx: ck.Context | None) -> tuple[str, str] | None:
    """(SMILES, where from) for one field's value, or None."""
    if key in ("cas", "name"):
        record = catalog.lookup(text)
        if record is not None and record.get("smiles"):
            return record[
                "smiles"
            ], f"the built-in record {record.get('id', record.get('name'))!r} ({record.get('source_file')})"
    if key == "pubchem_cid":
        record = next((r for r in catalog.records().values() if str(r.get("pubchem_cid", "")) == text), None)
        if record is not None and record.get("smiles"):
            return record["smiles"], f"the built-in record {record.get('id')!r} ({record.get('source_file')})"
    if key == "iupac_name":
        smiles = (ctx.derived if ctx is not None else {}).get(text)
        return (smiles, "OPSIN's reading of the IUPAC name") if smiles else None
    index = ctx.identifiers if ctx is not None else idtables.build()
    if key in ("cas", "pubchem_cid"):
        entries = index.lookup(key, text.lstrip("0") if key == "cas" else text)
    else:
        entries = by_name(text) if index.bundled else []
    if not entries and ctx is not None and ctx.online:
        entries = idtables.online_entries({"pubchem_cid": "cid"}.get(key, key), text)
    entries = [e for e in entries if e.smiles]
    if not entries:
        return None
    try:
        entry = single(entries, key)
    except ChempropsError:  # two structures carry it: no guess
        return None
    return entry.smiles, f"{entry.name!r} from the {entry.source}"


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
    unread = record.metadata.get(formats.READ_ERROR)
    if unread:  # the reader kept the row with its reason (a line too long to read): every check says why
        skip = {**(skip or {}), "*": f"cannot read this record: {one_line(unread, 200)}"}
    if skip and "*" in skip:
        text = record.structure_text[1] if record.structure_text else ""
        facts, first = None, {"id": record.id, "check": "structure", "stated": one_line(text, 200), "computed": "",
                              "status": ck.FAIL, "message": skip["*"]}  # fmt: skip
    else:
        facts, first = _structure(record, ctx)
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
        if facts is not None and getattr(facts, "origin", "") == check.name:
            why = "the structure was taken from this field, so it is not checked against it"
            rows.append({**row, "computed": "", "status": ck.UNVERIFIED, "message": why})
            continue
        if check.name in ctx.pending:  # completed once the batch-wide work is done
            carried = {name: getattr(facts, name) for name in check.carries}
            rows.append({**row, "computed": "", "status": "", "message": "", "_carried": carried})
            continue
        try:
            out = check.function(value, facts, ctx)
        except Exception as exc:  # noqa: BLE001 - a check that breaks on odd input reports it, never crashes the batch
            out = ck.Outcome("", ck.SKIP, f"check could not run: {type(exc).__name__}: {one_line(exc, 120)}")
        status, message, form = out.status, out.message, ""
        if status == ck.FAIL and check.name in forms.FIELDS:
            found = forms.explain(check, value, facts, ctx)
            if found is not None:  # another form of the compound: a warn when the record names it
                form = found.name
                status = ck.WARN if forms.named(found, {**record.fields, **record.metadata}) else ck.FAIL
                message = f"{forms.describe(found, check.name, value)}; {message}"
        rows.append({**row, "computed": out.computed, "status": status, "message": message, "form": form})
    for row in rows:
        row.setdefault("form", "")
    return rows


@dataclass(frozen=True)
class VerifyTask:
    """The engine's task. A chunk is a list of records (-> the rows of each record), or `BatchItems`: items of a
    check's batch-wide work (OPSIN's structures of names) to turn into (stated value, reading) pairs."""

    ctx: ck.Context
    names: tuple[str, ...]

    @property
    def steps(self) -> list[str]:
        return [*self.names, "read"]

    def __call__(self, chunk, skip, watch):
        if isinstance(chunk, BatchItems):
            read = ck.registry()[chunk.check].read
            pairs = []
            for i, item in enumerate(chunk.items):
                if watch is not None:
                    watch.row(i)
                    watch.step(len(self.names))
                if skip and i in skip:  # a name whose structure hangs or crashes RDKit: no reading, with the reason
                    pairs.append((item.key, NameReading(error="; ".join(skip[i].values()))))
                    continue
                pairs.append(read(item))
            if watch is not None:
                watch.idle()
            return BatchItems(chunk.check, pairs)
        registry = ck.registry()
        chosen = [registry[n] for n in self.names]
        out = []
        for i, record in enumerate(chunk):
            if watch is not None:
                watch.row(i)
            out.append(check_record(record, self.ctx, chosen, (skip or {}).get(i), watch))
        if watch is not None:
            watch.idle()
        return out

    def count(self, result) -> tuple[int, int]:
        if isinstance(result, BatchItems):
            return 0, 0
        return len(result), sum(any(r["status"] == ck.FAIL for r in rows) for rows in result)

    def encode(self, result, first: bool):
        return result


@dataclass(frozen=True)
class BatchItems:
    """A chunk of a check's batch-wide items, and then the (stated value, reading) pairs made of them."""

    check: str
    items: list


@dataclass
class Outcome:
    """What a verify run found: counts by check and status, the unchecked columns, the first records' rows."""

    records: int = 0
    rows: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # check -> status -> rows, in report order
    unchecked: list[str] = field(default_factory=list)
    head: list[dict] = field(default_factory=list)  # every row of the first `keep` records
    keep: int = 0

    def add(self, record_rows: list[list[dict]]) -> None:
        for rows in record_rows:
            if self.records < self.keep:
                self.head.extend(rows)
            self.records += 1
            self.rows += len(rows)
            for row in rows:
                by_status = self.counts.setdefault(row["check"], {})
                by_status[row["status"]] = by_status.get(row["status"], 0) + 1

    @property
    def failed(self) -> bool:
        return any(c.get(ck.FAIL) for c in self.counts.values())

    def status_counts(self) -> dict[str, int]:
        return {s: sum(c.get(s, 0) for c in self.counts.values()) for s in ck.STATUSES}

    def summary(self) -> pd.DataFrame:
        """Counts by check and status, as `summary(report)` gives them."""
        table = [{"check": name, **{s: c.get(s, 0) for s in ck.STATUSES}} for name, c in self.counts.items()]
        return pd.DataFrame(table, columns=["check", *ck.STATUSES])

    def report(self) -> pd.DataFrame:
        """The rows kept (`head`) as a report."""
        frame = pd.DataFrame(self.head, columns=COLUMNS)
        frame.attrs["unchecked"] = self.unchecked
        return frame


def _first_pass(
    record_chunks: Iterable[list[Record]], names: list[str]
) -> tuple[int, list[str], dict[str, set], set[str]]:
    """Count the records, find the unchecked columns, collect the distinct values of each check with
    batch-wide work (every name, for one OPSIN run) and the IUPAC names of records whose structure must come
    from OPSIN: one streamed pass, nothing held but these."""
    registry = ck.registry()
    starting = [n for n in names if registry[n].start]
    total, columns, values, derive = 0, {}, {n: set() for n in starting}, set()
    for records in record_chunks:
        total += len(records)
        for record in records:
            columns.update(dict.fromkeys(k for k in record.metadata if not k.startswith("_")))
            has = record.structure_text is not None
            if not has and record.fields.get("iupac_name"):
                found = derived_structure(record)
                has = found is not None
                if found is None or found[2] == "name":
                    derive.add(" ".join(str(record.fields["iupac_name"]).split()))
            elif not has:
                has = any(record.fields.get(k) not in (None, "") for k in DERIVED_FROM)
            for name in starting:
                if name in record.fields and has:
                    values[name].add(ck.stated_key(record.fields[name]))
    return total, list(columns), values, derive


def _read_names(names: set[str], ctx: ck.Context) -> None:
    """OPSIN's structures of the IUPAC names records without a structure take theirs from (one JVM run)."""
    from chemprops import opsin

    if not names or opsin.unavailable_reason() is not None:
        return
    try:
        parsed = opsin.parse_names(sorted(names))
    except ChempropsError:
        return
    ctx.derived.update({p.name: p.smiles.split(" |")[0] for p in parsed if p.smiles})


def _start(check: ck.Check, values: set, ctx: ck.Context):
    """Start a check's batch-wide work on the distinct values the records state, or say why it cannot run."""
    if not values:
        return None
    try:
        handle = check.start(sorted(values))
    except Exception as exc:  # noqa: BLE001 - batch-wide work failing makes each of its rows a skip with the reason
        ctx.unavailable[check.name] = one_line(exc, 160)
        return None
    ctx.pending.add(check.name)
    return handle


# Records checked while batch-wide work (OPSIN) still runs wait for it in memory, at most this many; then
# reading stops until it is done. Enough for the work to overlap on any real file, small enough to stay flat.
HOLD_RECORDS = 20_000
READ_CHUNK = 500  # batch-wide items per engine chunk


def _feed(record_chunks: Iterable[list[Record]], started: dict, ctx: ck.Context, expected: dict[str, int]):
    """The engine's chunks: the records, and each check's batch-wide items as soon as its work is done (or
    when HOLD_RECORDS records wait for it), so that the rows held back for it can be completed and written."""
    waiting = dict(started)
    waited = 0  # records read since the work started

    def ready(block: bool):
        for name, handle in list(waiting.items()):
            if not block and not getattr(handle, "done", lambda: True)():
                continue
            del waiting[name]
            try:
                items = handle.result()
            except Exception as exc:  # noqa: BLE001 - as in _start: its rows become skips with the reason
                ctx.unavailable[name] = one_line(exc, 160)
                expected[name] = 0
                continue
            parts = [items[i : i + READ_CHUNK] for i in range(0, len(items), READ_CHUNK)]
            expected[name] = len(parts)
            yield from (BatchItems(name, part) for part in parts)

    for records in record_chunks:
        if waiting:
            yield from ready(block=waited >= HOLD_RECORDS)
            waited += len(records)
        yield records
    yield from ready(block=True)


def _stream(
    sources: tuple,
    write: Callable[[list[list[dict]]], None],
    *,
    identifiers: Iterable | None = None,
    checks: Iterable[str] | None = None,
    jobs: int | None = None,
    mapping: dict[str, str] | None = None,
    engine_name: str = "local",
    scheduler: str | None = "local",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    progress: Callable[[Summary, float | None], None] | None = None,
    keep: int = 0,
    online: bool = False,
) -> Outcome:
    """Verify every record of `sources`, handing the rows of each chunk of records to `write` in input order."""
    if not sources:
        raise InputError("nothing to verify: give a record, a table, a file or a built-in name")
    mapping = check_mapping(mapping)
    registry = ck.registry()
    names = list(registry) if checks is None else list(checks)
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise InputError(f"unknown check {unknown[0]!r}; known: {', '.join(registry)}")
    loaded = [s if is_table_file(s) else list(chunks(s, mapping, CHUNK)) for s in sources]

    def record_chunks():
        for source in loaded:
            yield from (chunks(source, mapping, CHUNK) if not isinstance(source, list) else source)

    total, columns, values, derive = _first_pass(record_chunks(), names)
    ctx = ck.Context(identifiers=idtables.build(_identifier_tables(identifiers or [])), online=online)
    _read_names(derive, ctx)
    # Batch-wide work (OPSIN) runs in the background while the records are checked; rows that need it are
    # held until it is done and completed here.
    started = {n: h for n, v in values.items() for h in [_start(registry[n], v, ctx)] if h is not None}
    options = {"engine": engine_name, "jobs": jobs, "time_limit": time_limit, "scheduler": scheduler}
    if total < PARALLEL_FROM and engine_name == "local":
        options.update(jobs=1)  # one worker still: a record that crashes or hangs RDKit must not end the run
    outcome = Outcome(unchecked=columns, keep=keep)
    expected: dict[str, int] = {}
    arrived: dict[str, int] = {}
    held: list[list[list[dict]]] = []

    def flush() -> None:
        for name in started:
            ctx.pending.discard(name)
        for done in held:
            _complete(done, ctx, registry)
            outcome.add(done)
            write(done)
        held.clear()

    def take(part) -> None:
        if isinstance(part, BatchItems):
            ctx.found.setdefault(part.check, {}).update(part.items)
            arrived[part.check] = arrived.get(part.check, 0) + 1
        else:
            held.append(part)
        if all(arrived.get(n, 0) >= expected.get(n, 1) for n in started if n not in ctx.unavailable):
            flush()

    def report(summary: Summary) -> None:
        if progress:
            progress(summary, summary.rows / total if total else None)

    task = VerifyTask(ctx, tuple(names))
    engine.run(_feed(record_chunks(), started, ctx, expected), task, take, progress=report, **options)
    flush()  # the readings come last at the latest: nothing is left here
    return outcome


def _complete(part: list[list[dict]], ctx: ck.Context, registry: dict) -> None:
    """Finish the rows that waited for batch-wide work, from the facts they carried."""
    for record_rows in part:
        for row in record_rows:
            if "_carried" in row:
                facts = SimpleNamespace(**row.pop("_carried"))
                try:
                    out = registry[row["check"]].function(row["stated"], facts, ctx)
                except Exception as exc:  # noqa: BLE001 - as in check_record: a skip with the reason, never a traceback
                    out = ck.Outcome("", ck.SKIP, f"check could not run: {type(exc).__name__}: {one_line(exc, 120)}")
                row.update(computed=out.computed, status=out.status, message=out.message)


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
    online: bool = False,
) -> pd.DataFrame:
    """Check every stated field of every record against its structure.

    Sources: a record dict, a `Record`, a DataFrame (one record per row), a list of these, a record file
    (TOML/JSON/YAML), a table (CSV/TSV/JSON lines/Parquet) or a built-in name. `identifiers`: extra offline
    tables of CAS numbers/CIDs with structures (the built-in catalog and the bundled identifier table are always
    used); `online`: ask PubChem for identifiers and names in no offline table. `checks`: the checks to run
    (default: all).
    `mapping`: the field of columns whose header is not a known spelling ({"Weight": "molar_mass"}).
    Columns that map to no field are listed in `report.attrs["unchecked"]`, never dropped in silence.
    The whole report is held in memory; `verify_to` streams it to a file instead.

    >>> verify({"smiles": "O", "formula": "H2O"})[["check", "status"]].values.tolist()
    [['structure', 'pass'], ['formula', 'pass']]
    """
    rows: list[dict] = []
    outcome = _stream(sources, lambda part: rows.extend(r for rows_ in part for r in rows_), identifiers=identifiers,
                      checks=checks, jobs=jobs, mapping=mapping, engine_name=engine_name, scheduler=scheduler,
                      time_limit=time_limit, progress=progress, online=online)  # fmt: skip
    report = pd.DataFrame(rows, columns=COLUMNS)
    report.attrs["unchecked"] = outcome.unchecked
    return report


def verify_rows(*sources: object, write: Callable[[list[list[dict]]], None], **options) -> Outcome:
    """Verify like `verify`, handing the rows of each chunk of records (a list per record) to `write` in input
    order, holding none of them: for pages and summaries built as the rows come."""
    return _stream(sources, write, **options)


def verify_to(
    output: str | Path | None,
    *sources: object,
    fmt: str | None = None,
    keep: int = 0,
    preamble: Callable[[Outcome], str] | None = None,
    **options,
) -> Outcome:
    """Verify like `verify` and write every row to `output` ("-": stdout; None: nowhere, only counted) as it
    comes, in constant memory whatever the number of records; a Markdown report (`preamble(outcome)`, a
    summary, first) is written at the end. Returns the counts, and the rows of the first `keep` records."""
    out = formats.Output(output, fmt, inputs=sources) if output is not None else None
    whole = out is not None and out.format.name == "md"
    rows: list[dict] = []

    def write(part: list[list[dict]]) -> None:
        flat = [r for record_rows in part for r in record_rows]
        if whole:
            rows.extend(flat)
        elif flat and out is not None:
            out.write_chunk(pd.DataFrame(flat, columns=COLUMNS))

    try:
        outcome = _stream(sources, write, keep=keep, **options)
        if out is not None:
            first = out.first
            if whole and preamble is not None:
                out.write(preamble(outcome).encode("utf-8"))
            if whole or first:
                out.write(out.encode(pd.DataFrame(rows, columns=COLUMNS), True))
            out.commit()
    except BaseException:
        if out is not None:
            out.abort()
        raise
    return outcome


def summary(report: pd.DataFrame) -> pd.DataFrame:
    """Counts by check and status (checks in report order, statuses pass/fail/warn/skip)."""
    order = list(dict.fromkeys(report["check"]))
    table = pd.crosstab(report["check"], report["status"]).reindex(index=order, columns=list(ck.STATUSES), fill_value=0)
    return table.reset_index().rename_axis(None, axis=1)
