"""Recall and false alarms of `chemprops.verify` on records with exactly one corrupted field.

Clean records: tests/data/verify_clean_records.csv, 300 rows of the EPA CompTox "WIKIPEDIA" list
(tests/data/wikipedia_chemicals.csv.gz, see tests/data/README.md) whose nine fields all agree with each other under
chemprops verify (formula, molar mass, exact mass, CAS check digit, InChI, InChIKey, and the IUPAC name read by
OPSIN), sampled with pandas `sample(300, random_state=0)`.

Each clean record gets one corruption of each kind that applies to it; a corruption is caught when its field
fails; a false alarm is a fail on any other field (or on the clean record).

Run: python benchmarks/corruption.py [CLEAN.csv]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops.formula import Formula  # noqa: E402
from chemprops.identifiers import cas_check_digit  # noqa: E402
from chemprops.verify import verify  # noqa: E402

CLEAN = ROOT / "tests" / "data" / "verify_clean_records.csv"
# A heteroatom replaced by a neighbour of its group, or carbon by silicon: "one element swapped".
SWAPS = {"O": "S", "S": "O", "N": "P", "P": "N", "Cl": "Br", "Br": "Cl", "F": "Cl", "I": "Br", "C": "Si"}


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _shift(text: str, delta: float) -> str:
    return f"{float(text) + delta:.{_decimals(text)}f}"


def _swap_digits(text: str, rng: random.Random) -> str | None:
    """Two adjacent, different digits swapped (the decimal point stays where it is)."""
    pairs = [i for i in range(len(text) - 1) if text[i].isdigit() and text[i + 1].isdigit() and text[i] != text[i + 1]]
    pairs = [i for i in pairs if not (i == 0 and text[i + 1] == "0")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _formula_count(text: str, rng: random.Random) -> str:
    f = Formula.parse(text)
    key = rng.choice(sorted(f.counts))
    counts = dict(f.counts)
    counts[key] += rng.choice([-1, 1]) if counts[key] > 1 else 1
    return Formula(counts, f.charge).hill()


def _formula_swap(text: str, rng: random.Random) -> str | None:
    f = Formula.parse(text)
    options = [k for k in sorted(f.counts) if k[0] in SWAPS and (SWAPS[k[0]], 0) not in f.counts]
    if not options:
        return None
    key = rng.choice(options)
    counts = dict(f.counts)
    counts[(SWAPS[key[0]], 0)] = counts.pop(key)
    return Formula(counts, f.charge).hill()


def _wrong_cas_digit(text: str) -> str:
    body, check = text.rsplit("-", 1)
    right = cas_check_digit(body.replace("-", ""))
    return f"{body}-{(right + 1 + int(check) % 9) % 10 if (right + 1) % 10 != right else (right + 2) % 10}"


def corruptions(clean: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """One corrupted copy per clean record and corruption kind: columns of the record, plus field and kind."""
    rng = random.Random(seed)
    rows = []
    records = clean.to_dict("records")
    for i, rec in enumerate(records):
        others = records[:i] + records[i + 1 :]
        candidates = {
            ("formula", "formula count off by one"): _formula_count(rec["formula"], rng),
            ("formula", "element swapped"): _formula_swap(rec["formula"], rng),
            ("molar_mass", "molar mass + H"): _shift(rec["molar_mass"], 1.008),
            ("molar_mass", "molar mass - CH2"): _shift(rec["molar_mass"], -14.027),
            ("molar_mass", "molar mass digits swapped"): _swap_digits(rec["molar_mass"], rng),
            ("exact_mass", "exact mass + H"): _shift(rec["exact_mass"], 1.007825),
            ("exact_mass", "exact mass digits swapped"): _swap_digits(rec["exact_mass"], rng),
            ("cas", "wrong CAS check digit"): _wrong_cas_digit(rec["cas"]),
        }
        other = rng.choice([o for o in others if o["inchikey"][:14] != rec["inchikey"][:14]])
        candidates[("inchikey", "InChIKey of another compound")] = other["inchikey"]
        candidates[("inchi", "InChI of another compound")] = other["inchi"]
        other = rng.choice([o for o in others if o["inchikey"][:14] != rec["inchikey"][:14]])
        candidates[("iupac_name", "IUPAC name of another compound")] = other["iupac_name"]
        for (field, kind), value in candidates.items():
            if value is None or value == rec[field]:
                continue
            rows.append({**rec, field: value, "id": f"{rec['name']} | {kind}", "corrupted": field, "kind": kind})
    return pd.DataFrame(rows)


def evaluate(clean: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Per kind: corrupted records, caught, recall, false alarms; plus the clean records' false alarms."""
    bad = corruptions(clean, seed)
    clean_ids = clean.assign(id=clean["name"])
    report = verify(pd.concat([clean_ids, bad.drop(columns=["corrupted", "kind"])], ignore_index=True))
    fails = report[report["status"] == "fail"]
    clean_alarms = int(fails["id"].isin(set(clean_ids["id"])).sum())
    by_id = {rid: set(rows["check"]) for rid, rows in fails.groupby("id")}
    rows = []
    for kind, group in bad.groupby("kind", sort=False):
        caught = sum(r.corrupted in by_id.get(r.id, set()) for r in group.itertuples())
        alarms = sum(len(by_id.get(r.id, set()) - {r.corrupted}) > 0 for r in group.itertuples())
        rows.append(
            {
                "kind": kind,
                "records": len(group),
                "caught": caught,
                "recall": caught / len(group),
                "false_alarm_records": alarms,
            }
        )
    table = pd.DataFrame(rows)
    totals = {
        "clean_records": len(clean),
        "clean_records_with_a_fail": int(fails["id"].isin(set(clean_ids["id"])).groupby(fails["id"]).any().sum()),
        "clean_fail_rows": clean_alarms,
        "corrupted_records": len(bad),
        "caught": int(table["caught"].sum()),
        "records_with_false_alarm": int(table["false_alarm_records"].sum()),
    }
    missed = [
        (r.id, r.corrupted, r._asdict()[r.corrupted])
        for r in bad.itertuples()
        if r.corrupted not in by_id.get(r.id, set())
    ]
    totals["missed"] = missed
    totals["report"] = report
    return table, totals


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CLEAN
    clean = pd.read_csv(path, dtype=str, keep_default_na=False)
    start = time.perf_counter()
    table, totals = evaluate(clean)
    seconds = time.perf_counter() - start
    print(table.to_string(index=False, formatters={"recall": "{:.3f}".format}))
    n = totals["corrupted_records"]
    print(
        f"\ncorrupted records: {n}, caught on their field: {totals['caught']} "
        f"(recall {totals['caught'] / n:.3f}); records with a fail on another field: "
        f"{totals['records_with_false_alarm']} ({totals['records_with_false_alarm'] / n:.3f})"
    )
    print(
        f"clean records: {totals['clean_records']}, with any fail: {totals['clean_records_with_a_fail']} "
        f"(false-alarm rate {totals['clean_records_with_a_fail'] / totals['clean_records']:.3f})"
    )
    report = totals["report"]
    for rid, field, value in totals["missed"]:
        row = report[(report["id"] == rid) & (report["check"] == field)].iloc[0]
        print(f"missed: {rid} {field}={value}: {row.status}: {row.message}")
    print(f"time: {seconds:.1f} s for {n + len(clean)} records (OPSIN included)")


if __name__ == "__main__":
    main()
