"""Compare a set of structures with a reference: descriptors, similarity, shared scaffold, R-groups, rules.

`compare("gaba", reference="baclofen")` answers: how does baclofen compare to its relatives, structurally and
in the properties that matter for a CNS drug? It returns a `Comparison` holding the tables; `report.py` turns
them into files and figures, `cli.py` into a ranked terminal table, the notebook into a story.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
from rdkit import Chem, DataStructs, rdBase
from rdkit.Chem import rdFingerprintGenerator, rdFMCS, rdMolDescriptors
from rdkit.Chem import rdRGroupDecomposition as rgd

from chemprops import catalog, engine, formats, rules
from chemprops.descriptors import select
from chemprops.errors import InputError, NotFoundError, ParseError, one_line
from chemprops.properties import properties_of
from chemprops.resolve import resolve
from chemprops.structure import parse_cell

# Built-in sets: name -> compound table in structures/.
SETS = {"gaba": "gaba_analogues.csv"}
DEFAULT_REFERENCE = {"gaba": "baclofen"}

# A built-in series (structures/series/*.toml) applies to a set when its core is in at least this fraction of the
# members; the one in most members wins.
SERIES_MIN_FRACTION = 0.5
# Without one, the set's MCS is the core of the R-groups when it is in at least this fraction of the members and
# has at least this many atoms: a rarer or smaller common part (aspirin, ibuprofen and baclofen share a benzene
# ring with an acid carbon, 3 of 5 drugs) makes no series.
MCS_CORE_MIN_FRACTION = 0.75
MCS_CORE_MIN_ATOMS = 6

# Maximum common substructure: present in at least this fraction of the set (1.0 would demand it in GHB,
# muscimol and the phosphinic/sulfonic acids too, leaving a C-C-C fragment), elements and bond orders compared.
MCS_THRESHOLD = 0.6
MCS_TIMEOUT_S = 10

_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)  # no chirality: stereo-blind
_ATOM_PAIR = rdFingerprintGenerator.GetAtomPairGenerator(fpSize=2048)


@dataclass(frozen=True)
class Position:
    """An R-group position of a series: its column (`r_c3`), its label (`C3`) and the atom map number of the
    atom carrying it in `Series.anchors` (for a core from the MCS: RDKit's R label)."""

    column: str
    label: str
    anchor: int


@dataclass(frozen=True)
class Feature:
    """A named class reported per member (`acid_head`: carboxylic acid, sulfonic acid...): the first class whose
    SMARTS matches, "" when none does."""

    column: str
    label: str
    classes: tuple[tuple[str, str], ...]  # (class, SMARTS)

    def of(self, mol: Chem.Mol) -> str:
        return next((name for name, smarts in self.classes if mol.HasSubstructMatch(_query(smarts))), "")


@dataclass(frozen=True)
class Series:
    """What a set's R-groups are reported on: a core (SMARTS), its labelled positions and features.

    Built-in ones are data (`structures/series/*.toml`, the GABA backbone among them); a set that none fits
    gets one from its MCS (`from_mcs`), whose positions are RDKit's R1, R2...
    """

    name: str
    title: str
    core: str
    description: str = ""
    anchors: str = ""  # SMARTS whose atom map numbers are the positions' anchors, matched on the decomposed core
    positions: tuple[Position, ...] = ()
    features: tuple[Feature, ...] = ()
    shown: tuple[str, ...] = ()  # columns for the terminal's ranked view
    source: str = ""  # the TOML file, or "MCS"
    labelled_core: str = ""  # an MCS core as SMILES with its positions as [*:1], [*:2]... (RDKit's R labels)

    @property
    def columns(self) -> list[str]:
        return [p.column for p in self.positions] + [f.column for f in self.features]

    @property
    def labels(self) -> dict[str, str]:
        """Column -> human label."""
        return {p.column: p.label for p in self.positions} | {f.column: f.label for f in self.features}

    @classmethod
    def from_dict(cls, entry: dict, source: str = "") -> Series:
        """A series from its TOML table; anything malformed (a core or feature that is not SMARTS, a missing
        key, a wrong type, a column that another table of compare already has) is an InputError."""
        where = source or entry.get("source_file", "series")
        try:
            return cls._from_dict(entry, where, source)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                f"{where}: malformed series ({type(exc).__name__}: {exc}); see structures/series/gaba.toml"
            ) from exc

    @classmethod
    def _from_dict(cls, entry: dict, where: str, source: str) -> Series:
        name = str(entry.get("name", Path(where).stem))
        if not entry.get("core") or not isinstance(entry["core"], str):
            raise InputError(f"{where}: a series needs a core (SMARTS)")
        smarts = [entry["core"], entry.get("anchors", "")]
        features = tuple(
            Feature(f["column"], f.get("label", f["column"]), tuple((str(k), str(v)) for k, v in f["classes"].items()))
            for f in entry.get("features", [])
        )
        smarts += [s for f in features for _, s in f.classes]
        for text in filter(None, smarts):
            with rdBase.BlockLogs():
                valid = isinstance(text, str) and Chem.MolFromSmarts(text) is not None
            if not valid:
                raise InputError(f"{where}: not valid SMARTS: {text!r}")
        series = cls(
            name=name,
            title=str(entry.get("title", name)),
            core=entry["core"],
            description=" ".join(str(entry.get("description", "")).split()),
            anchors=entry.get("anchors", ""),
            positions=tuple(
                Position(p["column"], p.get("label", p["column"]), int(p.get("anchor", 0)))
                for p in entry.get("positions", [])
            ),
            features=features,
            shown=tuple(entry.get("shown", ())),
            source=entry.get("source_file", source),
        )
        taken = reserved_columns() & set(series.columns)
        if taken or len(set(series.columns)) < len(series.columns):
            clash = sorted(taken) or [c for c in series.columns if series.columns.count(c) > 1]
            raise InputError(f"{where}: column {clash[0]!r} is taken; name the series' columns otherwise")
        return series

    @classmethod
    def from_mcs(cls, smarts: str) -> Series:
        return cls("mcs", "maximum common substructure", smarts, source="MCS")


@cache
def reserved_columns() -> frozenset[str]:
    """The columns compare's tables have whatever the series: a series column must not take one."""
    rules_columns = rules.evaluate(Chem.MolFromSmiles("CCO"))
    fixed = {"name", "rank", "class", "cas", "smiles", "tanimoto_morgan", "tanimoto_maccs", "tanimoto_atompair"}
    return frozenset(fixed | set(rules_columns) | {d.name for d in select("all")})


def builtin_series() -> dict[str, Series]:
    """The built-in series by name (`gaba`)."""
    return {name: Series.from_dict(entry) for name, entry in catalog.series().items()}


def load_series(spec: str) -> Series:
    """A built-in series by name, or a series TOML file."""
    known = builtin_series()
    if spec.lower() in known:
        return known[spec.lower()]
    path = Path(spec)
    if not path.is_file():
        raise InputError(f"{spec!r} is neither a built-in series ({', '.join(known)}) nor a file")
    try:
        with open(path, "rb") as handle:
            entry = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    return Series.from_dict(entry, source=path.name)


def choose_series(mols: list[Chem.Mol], candidates: tuple[Series, ...], mcs: tuple[str, int] | None) -> Series | None:
    """The series of a set: the candidate whose core most members contain, if at least SERIES_MIN_FRACTION do;
    else the MCS when it is in at least MCS_CORE_MIN_FRACTION of them with MCS_CORE_MIN_ATOMS atoms; else None."""
    counts = [(sum(m.HasSubstructMatch(_query(s.core)) for m in mols), -i, s) for i, s in enumerate(candidates)]
    if counts:
        count, _, best = max(counts, key=lambda c: c[:2])
        if count and count >= SERIES_MIN_FRACTION * len(mols):
            return best
    if mcs and mcs[0] and len(mols) >= 3 and mcs[1] >= MCS_CORE_MIN_FRACTION * len(mols):
        if _query(mcs[0]).GetNumAtoms() >= MCS_CORE_MIN_ATOMS:
            return Series.from_mcs(mcs[0])
    return None


@dataclass
class Member:
    """One compound of the set: its name, molecule and the record it came from (pKa, class, CAS...)."""

    name: str
    mol: Chem.Mol
    record: dict = field(default_factory=dict)


@dataclass
class Comparison:
    """The result of `compare`: every table the report, the CLI and the notebook show."""

    reference: str
    members: list[Member]
    descriptors: pd.DataFrame  # name + formula, masses, core descriptors
    similarity: dict[str, pd.DataFrame]  # fingerprint -> square Tanimoto matrix (names x names)
    mcs_smarts: str  # maximum common substructure of the set
    mcs_count: int  # how many members contain it
    rgroups: pd.DataFrame  # name + the series' columns (GABA: r_n, r_c4, r_c3, r_c2, acid_head); name alone: none
    rules: pd.DataFrame  # name + rule verdicts, CNS MPO, BOILED-Egg class
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason) of unreadable input
    series: Series | None = None  # what the R-groups are reported on; None: no series fits the set

    @property
    def series_count(self) -> int:
        """How many members hold the series' core (those with R-groups)."""
        if self.series is None or not self.series.positions:
            return 0
        return int(self.rgroups[self.series.positions[0].column].astype(bool).sum())

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def table(self) -> pd.DataFrame:
        """One row per compound, nearest to the reference first (what compare.csv holds)."""
        ref = self.reference
        sims = pd.DataFrame({f"tanimoto_{fp}": matrix[ref] for fp, matrix in self.similarity.items()})
        sims.index.name = "name"
        info = pd.DataFrame(
            {
                "name": self.names,
                "class": [m.record.get("class", "") for m in self.members],
                "cas": [m.record.get("cas", "") for m in self.members],
            }
        )
        out = (
            info.merge(self.descriptors, on="name")
            .merge(sims.reset_index(), on="name")
            .merge(self.rules, on="name")
            .merge(self.rgroups, on="name", how="left")
        )
        out = out.sort_values(["tanimoto_morgan", "tanimoto_atompair"], ascending=False, kind="stable").reset_index(
            drop=True
        )
        # the reference itself first, then by similarity
        is_ref = out["name"] == ref
        out = pd.concat([out[is_ref], out[~is_ref]]).reset_index(drop=True)
        out.insert(1, "rank", range(len(out)))  # name first, as compare.csv promises
        return out

    def ranked(self) -> pd.DataFrame:
        """The short ranked view for the terminal: the series' chosen columns, a class column when members have one."""
        table = self.table()
        cols = ["rank", "name", "class", "tanimoto_morgan", "tanimoto_maccs", "cns_mpo", "boiled_egg"]
        if not table["class"].astype(bool).any():
            cols.remove("class")
        return table[cols + [c for c in (self.series.shown if self.series else ()) if c in table.columns]]


# --- input --------------------------------------------------------------------------------------------------
def read_members(path: str | Path) -> tuple[list[Member], list[tuple[str, str]]]:
    """Structures from any file `chemprops batch` reads (CSV/TSV with a SMILES column and optional `name`,
    .smi, SDF, JSON lines, Parquet), through the same readers.

    Returns (members, skipped): entries that do not parse are skipped with their reason, never raised.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    members: list[Member] = []
    skipped: list[tuple[str, str]] = []
    with formats.Input(path) as source:
        kind = source.format.structure
        header = 2 if source.format.name in ("csv", "tsv") else 1  # where the first record sits
        number = 0
        for chunk in source.chunks():
            columns = [c for c in chunk.columns if c != formats.READ_ERROR]
            column = formats.MOLBLOCK if kind == "molblock" else formats.find_column(columns, None)
            for row in chunk.to_dict("records"):
                where = number + header
                number += 1
                record = {
                    str(k).lower(): v for k, v in row.items() if k != formats.READ_ERROR and isinstance(v, str) and v
                }
                name = record.get("name") or record.get("id") or f"record {where}"
                if row.get(formats.READ_ERROR):
                    skipped.append((f"{path.name}:{where} {name}", str(row[formats.READ_ERROR])))
                    continue
                try:
                    mol = parse_cell(row.get(column), kind)
                except ParseError as exc:
                    skipped.append((f"{path.name}:{where} {name}", one_line(exc)))
                    continue
                record.pop(formats.MOLBLOCK, None)
                members.append(Member(name, mol, record))
    return members, skipped


def load(source: str) -> tuple[list[Member], list[tuple[str, str]]]:
    """The members of a built-in set (`gaba`) or of a file."""
    if source.lower() in SETS:
        members, skipped = read_members(catalog.table(SETS[source.lower()]))
        if skipped:  # a built-in record that does not parse is a bug, not an input problem
            raise ParseError(f"built-in set {source}: {skipped[0][0]}: {skipped[0][1]}", source)
        return members, []
    if not Path(source).exists():
        raise InputError(f"{source!r} is neither a built-in set ({', '.join(SETS)}) nor a file")
    return read_members(source)


def _unique_names(members: list[Member]) -> None:
    """Every member a name of its own: a repeated name gets " (2)", " (3)"... whichever is not taken yet."""
    taken = {m.name for m in members}
    seen: set[str] = set()
    for m in members:
        if m.name in seen:
            number = 2
            while f"{m.name} ({number})" in taken:
                number += 1
            m.name = f"{m.name} ({number})"
            taken.add(m.name)
        seen.add(m.name)


def _named_reference(members: list[Member], reference: str | None) -> str | None:
    """The member `reference` names (name, id, CAS or synonym), the first member when None, else None."""
    if reference is None:
        return members[0].name
    key = reference.strip().lower()
    for m in members:
        keys = {m.name.lower(), str(m.record.get("id", "")).lower(), str(m.record.get("cas", "")).lower()}
        synonyms = m.record.get("synonyms", "")
        keys |= {s.strip().lower() for s in str(synonyms).split(";") if s.strip()}
        if key in keys:
            return m.name
    return None


# --- computations -------------------------------------------------------------------------------------------
# Atom pairs cost the square of the atom count (20,000 atoms: about 15 minutes); a larger molecule gets an empty
# atom-pair fingerprint (similarity 0), said in the comparison's notes.
ATOM_PAIR_MAX_ATOMS = 1000


FINGERPRINTS = ("morgan", "maccs", "atompair")


def fingerprints(mols: list[Chem.Mol]) -> dict[str, list]:
    """Morgan r=2 2048 bits (Rogers & Hahn 2010), MACCS 166 keys and atom pairs (Carhart 1985), stereo-blind."""
    empty = DataStructs.ExplicitBitVect(2048)
    return {
        "morgan": [_MORGAN.GetFingerprint(m) for m in mols],
        "maccs": [rdMolDescriptors.GetMACCSKeysFingerprint(m) for m in mols],
        "atompair": [_ATOM_PAIR.GetFingerprint(m) if m.GetNumAtoms() <= ATOM_PAIR_MAX_ATOMS else empty for m in mols],
    }


def similarity_matrix(fps: list, names: list[str]) -> pd.DataFrame:
    """Square Tanimoto matrix."""
    rows = [DataStructs.BulkTanimotoSimilarity(fp, fps) for fp in fps]
    return pd.DataFrame(rows, index=pd.Index(names, name="name"), columns=names).round(4)


def find_mcs(mols: list[Chem.Mol]) -> tuple[str, int]:
    """SMARTS of the maximum common substructure in >= MCS_THRESHOLD of the molecules, and how many hold it."""
    result = rdFMCS.FindMCS(
        mols,
        timeout=MCS_TIMEOUT_S,
        threshold=MCS_THRESHOLD,
        atomCompare=rdFMCS.AtomCompare.CompareElements,
        bondCompare=rdFMCS.BondCompare.CompareOrder,
        ringMatchesRingOnly=False,  # gabapentin's C3 is a ring atom, GABA's is not: both are the backbone
    )
    if not result.smartsString:
        return "", 0
    query = Chem.MolFromSmarts(result.smartsString)
    return result.smartsString, sum(m.HasSubstructMatch(query) for m in mols)


def _rgroup_text(group: Chem.Mol) -> str:
    """An R-group as SMILES with `*` for the attachment point(s), "H" for hydrogen."""
    group = Chem.Mol(group)
    for atom in group.GetAtoms():
        atom.SetAtomMapNum(0)
    smiles = Chem.MolToSmiles(group)
    return "H" if smiles in ("[H]*", "*[H]", "") else smiles


@lru_cache(maxsize=256)
def _query(smarts: str) -> Chem.Mol:
    return Chem.MolFromSmarts(smarts)


def decompose(members: list[Member], series: Series) -> tuple[Series, pd.DataFrame]:
    """R-groups at the series' positions and its features for each member (RDKit R-group decomposition).

    Returns the series (for an MCS core: with the positions RDKit labelled) and name + one column per position
    and feature; a member without the core has "" at every position. A ring closing on one core atom
    (gabapentin's spiro cyclohexane) is one R-group with two attachment points, e.g. `*CCCCC*`;
    `ring_from_rgroup` closes it.
    """
    params = rgd.RGroupDecompositionParameters()
    params.onlyMatchAtRGroups = False
    params.removeHydrogensPostMatch = True
    params.timeout = MCS_TIMEOUT_S
    decomposition = rgd.RGroupDecomposition([_query(series.core)], params)
    matched = []
    with rdBase.BlockLogs():
        for m in members:
            if decomposition.Add(m.mol) >= 0:
                matched.append(m.name)
        decomposition.Process()
        rows = decomposition.GetRGroupsAsRows(asSmiles=False) if matched else []
    if not series.positions:  # an MCS core: RDKit's R labels are the positions
        labels = sorted({int(k[1:]) for row in rows for k in row if k.startswith("R")})
        with rdBase.BlockLogs():
            cores = decomposition.GetRGroupsAsColumns(asSmiles=False)["Core"] if rows else []
        labelled = Chem.MolToSmiles(cores[0]) if cores else ""
        positions = tuple(Position(f"r{n}", f"R{n}", n) for n in labels)
        series = replace(series, positions=positions, labelled_core=labelled)
    by_anchor = {p.anchor: p.column for p in series.positions}
    out = {
        m.name: {**dict.fromkeys(by_anchor.values(), ""), **{f.column: f.of(m.mol) for f in series.features}}
        for m in members
    }
    anchors = _query(series.anchors) if series.anchors else None
    for name, row in zip(matched, rows):
        where = dict(by_anchor)  # R label -> column
        if anchors is not None:  # the series names its positions by the atoms that carry them
            core_mol = row["Core"]
            match = core_mol.GetSubstructMatch(anchors)
            anchor_of = {
                match[a.GetIdx()]: a.GetAtomMapNum() for a in anchors.GetAtoms() if match and a.GetAtomMapNum()
            }
            where = {}
            for atom in core_mol.GetAtoms():
                if atom.GetAtomicNum() == 0 and atom.GetAtomMapNum():
                    anchor = anchor_of.get(atom.GetNeighbors()[0].GetIdx())
                    if anchor in by_anchor:
                        where[atom.GetAtomMapNum()] = by_anchor[anchor]
        values: dict[str, list[str]] = {column: [] for column in by_anchor.values()}
        for key, group in row.items():
            if key.startswith("R") and where.get(int(key[1:])) in values:
                values[where[int(key[1:])]].append(_rgroup_text(group))
        out[name].update({column: ".".join(v) or "H" for column, v in values.items()})
    frame = pd.DataFrame.from_dict(out, orient="index").reindex(columns=series.columns)
    frame.index.name = "name"
    return series, frame.reset_index()


def ring_from_rgroup(smiles: str) -> str:
    """Canonical SMILES of the ring an R-group closes when its two attachment points are one atom.

    `*CCCCC*` (gabapentin's C3) -> `C1CCCCC1`: the spiro cyclohexane.
    """
    mol = Chem.RWMol(Chem.MolFromSmiles(smiles))
    dummies = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() == 0]
    if len(dummies) != 2:
        return ""
    keep, drop = dummies
    for neighbour in mol.GetAtomWithIdx(drop).GetNeighbors():
        mol.AddBond(keep, neighbour.GetIdx(), Chem.BondType.SINGLE)
    mol.RemoveAtom(drop)
    atom = mol.GetAtomWithIdx(keep)
    atom.SetAtomicNum(6)
    atom.SetAtomMapNum(0)
    atom.SetNoImplicit(False)
    atom.SetNumExplicitHs(0)
    Chem.SanitizeMol(mol)
    return Chem.MolToSmiles(Chem.MolFromSmiles(Chem.MolToSmiles(mol)))


@dataclass(frozen=True)
class MemberTask:
    """The engine's task: each member's properties and rule panel (the per-molecule work of a comparison),
    so that one molecule that hangs or crashes loses its own values only, with the reason."""

    descriptors: str = "core"
    steps: tuple[str, ...] = ("properties", "rules")

    def __call__(self, members: list[Member], skip, watch) -> list[tuple[dict, dict, str]]:
        chosen = select(self.descriptors)
        out = []
        for i, m in enumerate(members):
            if watch is not None:
                watch.row(i)
            row_skip = (skip or {}).get(i, {})
            props, verdicts, errors = {"name": m.name}, {"name": m.name}, [row_skip.get("*", "")]
            if "*" not in row_skip:
                if "properties" in row_skip:
                    errors.append(row_skip["properties"])
                else:
                    if watch is not None:
                        watch.step(0)
                    props = properties_of(m.mol, chosen, m.name).to_dict()
                if "rules" in row_skip:
                    errors.append(row_skip["rules"])
                else:
                    if watch is not None:
                        watch.step(1)
                    verdicts.update(rules.evaluate(m.mol, m.record.get("pka_acid"), m.record.get("pka_base")))
            out.append((props, verdicts, "; ".join(filter(None, errors))))
        if watch is not None:
            watch.idle()
        return out

    def count(self, result) -> tuple[int, int]:
        return len(result), sum(bool(error) for _, _, error in result)

    def encode(self, result, first: bool):
        return result


def member_tables(members: list[Member], descriptors: str = "core", jobs: int | None = 1, time_limit=60.0):
    """The descriptor table, the rules table and the problems (name, reason) of the members, computed on the
    engine with a time limit per molecule and step."""
    parts: list = []
    chunks = [members[i : i + 50] for i in range(0, len(members), 50)]
    engine.run(chunks, MemberTask(descriptors), parts.append, jobs=jobs, time_limit=time_limit)
    rows = [row for part in parts for row in part]
    frame = pd.DataFrame([props for props, _, _ in rows])
    frame = frame.drop(columns=[c for c in ("inchi", "cip") if c in frame.columns])
    problems = [(props["name"], error) for props, _, error in rows if error]
    verdicts = pd.DataFrame([verdicts for _, verdicts, _ in rows])
    # every rules column, even when every member's rules step was cut (a set of one huge molecule)
    columns = ["name", *[c for c in rules.evaluate(Chem.MolFromSmiles("CCO")) if c != "name"]]
    verdicts = verdicts.reindex(columns=list(dict.fromkeys([*columns, *verdicts.columns])))
    return frame, verdicts, problems


def rules_table(members: list[Member]) -> pd.DataFrame:
    return member_tables(members, time_limit=None)[1]


def descriptor_table(members: list[Member], descriptors: str = "core") -> pd.DataFrame:
    return member_tables(members, descriptors, time_limit=None)[0]


@dataclass(frozen=True)
class SetTask:
    """The engine's task for the work over the whole set (one chunk, one row: the set): fingerprints, MCS and
    R-groups, so that a member that crashes or hangs RDKit there costs that step, with the reason.

    The R-groups are on `series` when given, else on the candidate or MCS core `choose_series` picks; the step's
    value is (series, table), or None when no series fits the set."""

    steps: tuple[str, ...] = ("fingerprints", "mcs", "rgroups")
    series: Series | None = None
    candidates: tuple[Series, ...] = ()

    def __call__(self, chunk: list[list[Member]], skip, watch) -> list[dict]:
        members = chunk[0]
        mols = [m.mol for m in members]
        work = {
            "fingerprints": lambda: fingerprints(mols),
            "mcs": lambda: find_mcs(mols) if len(mols) > 1 else (Chem.MolToSmarts(mols[0]), 1),
            "rgroups": lambda: self._rgroups(members, out.get("mcs")),
        }
        out: dict = {}
        cut = (skip or {}).get(0, {})
        if watch is not None:
            watch.row(0)
        for number, step in enumerate(self.steps):
            if step in cut or "*" in cut:
                out[step] = cut.get(step) or cut["*"]  # the reason, a str
                continue
            if watch is not None:
                watch.step(number)
            out[step] = work[step]()
        if watch is not None:
            watch.idle()
        return [out]

    def _rgroups(self, members: list[Member], mcs) -> tuple[Series, pd.DataFrame] | None:
        mols = [m.mol for m in members]
        series = self.series or choose_series(mols, self.candidates, mcs if isinstance(mcs, tuple) else None)
        return decompose(members, series) if series else None

    def count(self, result) -> tuple[int, int]:
        return 1, int(any(isinstance(v, str) for v in result[0].values()))

    def encode(self, result, first: bool):
        return result


def set_work(members: list[Member], time_limit: float | None, series: Series | None = None) -> dict:
    """SetTask's results on the engine (one worker: it is one task): step -> its value, or the reason it was cut.
    `series` None: the built-in series that fits the set, else its MCS."""
    parts: list = []
    task = SetTask(series=series, candidates=tuple(builtin_series().values()))
    engine.run([[members]], task, parts.append, jobs=1, time_limit=time_limit)
    return parts[0][0]


def compare(
    source: str = "gaba",
    reference: str | None = None,
    descriptors: str = "core",
    jobs: int | None = 1,
    time_limit: float | None = 60.0,
    series: str | None = None,
) -> Comparison:
    """Compare the structures of `source` (a built-in set name or a CSV/SMILES/SDF file) with `reference`.

    `reference` names a member (name, id, synonym or CAS); a structure outside the set (built-in name,
    SMILES...) is added to it, unless a member has its canonical SMILES. None: the set's default (baclofen
    for `gaba`), else the first member. `series` names the core the R-groups are reported on (a built-in series
    or a TOML file like `structures/series/gaba.toml`); None: the built-in series whose core is in at least half of
    the members, else the set's MCS if it is in most of them, else none. Every step that runs RDKit on the members runs on the engine
    (per-step time limit, crash isolation); what it had to cut is listed in `skipped` with the reason.
    """
    chosen = load_series(series) if series else None
    members, skipped = load(source)
    if not members:
        raise InputError(f"{source}: no structures to compare")
    if reference is None:
        reference = DEFAULT_REFERENCE.get(source.lower())
    _unique_names(members)
    ref = _named_reference(members, reference)
    added = ref is None
    if added:  # a structure outside the set's names: first, unless a member is the same structure
        try:
            structure = resolve(str(reference))
        except NotFoundError as exc:
            names = ", ".join(m.name for m in members[:30]) + (", ..." if len(members) > 30 else "")
            raise NotFoundError(f"{exc}; the set's members: {names}") from exc
        members.insert(0, Member(structure.name or reference, structure.mol, dict(structure.record)))
    # canonical SMILES come from the engine too (RDKit's SMILES writer can crash on a 20,000-atom chain)
    descriptor_rows, rule_rows, problems = member_tables(members, descriptors, jobs, time_limit)
    smiles = descriptor_rows["smiles"].fillna("").tolist() if "smiles" in descriptor_rows else []
    same = [i for i, s in enumerate(smiles[1:], 1) if added and s and s == smiles[0]]
    if same:  # the member with the reference's structure is the reference; the added copy goes
        ref = members[same[0]].name
        removed = members.pop(0).name
        descriptor_rows = descriptor_rows.iloc[1:].reset_index(drop=True)
        rule_rows = rule_rows.iloc[1:].reset_index(drop=True)
        problems = [p for p in problems if p[0] != removed]
    elif added:  # a new member: a name of its own, the set's names unchanged
        taken, base, k = {m.name for m in members[1:]}, members[0].name, 1
        while members[0].name in taken:
            k += 1
            members[0].name = f"{base} ({k})"
        ref = descriptor_rows.loc[0, "name"] = rule_rows.loc[0, "name"] = members[0].name
    names = [m.name for m in members]
    found = set_work(members, time_limit, chosen)
    notes = [("the set", value) for value in found.values() if isinstance(value, str)]
    fps = found["fingerprints"] if not isinstance(found["fingerprints"], str) else None
    similarity = (
        {fp: similarity_matrix(values, names) for fp, values in fps.items()}
        if fps is not None
        else {fp: pd.DataFrame(0.0, index=pd.Index(names, name="name"), columns=names) for fp in FINGERPRINTS}
    )
    mcs_smarts, mcs_count = found["mcs"] if not isinstance(found["mcs"], str) else ("", 0)
    series_used, rgroups = (
        found["rgroups"]
        if found["rgroups"] and not isinstance(found["rgroups"], str)
        else (None, pd.DataFrame({"name": names}))
    )
    too_big = [
        (
            m.name,
            f"atom-pair fingerprint not computed for {m.mol.GetNumAtoms():,} atoms (at most {ATOM_PAIR_MAX_ATOMS:,})",
        )
        for m in members
        if m.mol.GetNumAtoms() > ATOM_PAIR_MAX_ATOMS
    ]
    return Comparison(
        reference=ref,
        members=members,
        descriptors=descriptor_rows,
        similarity=similarity,
        mcs_smarts=mcs_smarts,
        mcs_count=mcs_count,
        rgroups=rgroups,
        rules=rule_rows,
        skipped=skipped + problems + notes + too_big,
        series=series_used,
    )
