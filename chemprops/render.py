"""Turn results into text: terminal tables with units, JSON, CSV and TSV. Only the CLI calls this."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a table is made: `chemprops batch` to CSV never needs it
    import pandas as pd

FORMATS = ("table", "json", "csv", "tsv")


# C0 and C1 control characters (ESC starts terminal sequences that can clear the screen, hide or recolour text):
# shown escaped, so that no input can make a fail look like a pass on a terminal.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if c != 0x0A}


def printable(text: object) -> str:
    """Text with its control characters shown as escapes (\\x1b), line breaks kept."""
    return str(text).translate(_CONTROLS)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.6g}"
    return printable(value).replace("\n", " ")


def _json_value(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records_json(rows: Sequence[dict]) -> str:
    """A JSON list of objects with the stable column names."""
    return json.dumps([{k: _json_value(v) for k, v in row.items()} for row in rows], indent=2, ensure_ascii=False)


def delimited(rows: Sequence[dict], sep: str) -> str:
    import pandas as pd

    # object columns: a failed row's empty cells must not turn the others' integers into floats (13 -> 13.0)
    return pd.DataFrame(list(rows), dtype=object).to_csv(sep=sep, index=False, lineterminator="\n")


def vertical_table(rows: Sequence[dict], units: dict[str, str], headers: Sequence[str]) -> str:
    """One column per structure, one line per property, units beside the property name."""
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    labels = [f"{k} ({units[k]})" if units.get(k) else k for k in keys]
    width = max(len(x) for x in labels) if labels else 0
    columns = [[_cell(row.get(k)) for k in keys] for row in rows]
    widths = [max([len(h)] + [len(c) for c in col]) for h, col in zip(headers, columns)]
    lines = ["  ".join([" " * width] + [h.ljust(w) for h, w in zip(headers, widths)]).rstrip()]
    for i, label in enumerate(labels):
        cells = [col[i].ljust(w) for col, w in zip(columns, widths)]
        lines.append("  ".join([label.ljust(width)] + cells).rstrip())
    return "\n".join(lines)


def horizontal_table(frame: pd.DataFrame) -> str:
    """A plain aligned table, one row per record."""
    text = frame.copy()
    for col in text.columns:
        text[col] = text[col].map(_cell)
    widths = {c: max([len(str(c))] + [len(v) for v in text[c]]) for c in text.columns}
    lines = ["  ".join(str(c).ljust(widths[c]) for c in text.columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in text.columns))
    for _, row in text.iterrows():
        lines.append("  ".join(row[c].ljust(widths[c]) for c in text.columns).rstrip())
    return "\n".join(lines)


def property_rows(results: Sequence) -> list[dict]:
    """The rows of `Properties` with one column order whichever of them failed: a computed row's columns first,
    `error` last."""
    rows = [r.to_dict() for r in results]
    order: list[str] = []
    for row in sorted(rows, key=lambda r: "error" in r):
        order.extend(k for k in row if k not in order and k != "error")
    if any("error" in r for r in rows):
        order.append("error")
    return [{k: row.get(k) for k in order} for row in rows]


def properties(results: Sequence, fmt: str) -> str:
    """Render a list of `Properties` in one of FORMATS."""
    rows = property_rows(results)
    if fmt == "json":
        return records_json(rows)
    if fmt in ("csv", "tsv"):
        return delimited(rows, "," if fmt == "csv" else "\t").rstrip("\n")
    units: dict[str, str] = {}
    for r in results:
        units.update(r.units)
    headers = [r.name or f"#{i}" for i, r in enumerate(results, 1)]
    return vertical_table(rows, units, headers)


# --- verification reports -------------------------------------------------------------------------------
STATUS_COLOURS = {"pass": "green", "fail": "red", "warn": "yellow", "unverified": "cyan", "skip": "blue"}
PER_RECORD_LIMIT = 20  # more records than this: a summary by check and status instead of one table each


def _short(text: object, width: int) -> str:
    text = _cell(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _plain(text: str, **_: object) -> str:
    return text


def record_table(rows: pd.DataFrame, style=_plain) -> str:
    """One record's rows: check, stated, computed, status (coloured by `style`), message."""
    cells = [
        [r.check, _short(r.stated, 48), _short(r.computed, 48), r.status, _cell(r.message)]
        for r in rows.itertuples(index=False)
    ]
    headers = ["check", "stated", "computed", "status", "message"]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    for c in cells:
        parts = [v.ljust(w) for v, w in zip(c, widths)]
        parts[3] = style(parts[3], fg=STATUS_COLOURS.get(c[3]))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def summary_line(outcome) -> str:
    """One line of counts for a verify run (`chemprops.verify.Outcome`), and the columns it did not check."""
    counts = outcome.status_counts()
    parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUS_COLOURS)
    records = outcome.records
    line = f"{records:,} record{'s' if records != 1 else ''}, {outcome.rows:,} rows: {parts}"
    unchecked = outcome.unchecked
    if unchecked:
        shown = ", ".join(printable(c) for c in unchecked[:8]) + (", ..." if len(unchecked) > 8 else "")
        what = "column" if len(unchecked) == 1 else "columns"
        line += f"\nnot checked: {len(unchecked)} {what}: {shown}; use --map COLUMN=FIELD"
    return line


def verify_report(outcome, style=_plain) -> str:
    """A verify run on the terminal: one table per record (up to PER_RECORD_LIMIT records, from the rows the
    run kept), else a summary by check and status; then the summary line."""
    blocks = []
    if outcome.records <= PER_RECORD_LIMIT:
        for rid, rows in outcome.report().groupby("id", sort=False):
            blocks.append(style(printable(rid) or "(no id)", bold=True) + "\n" + record_table(rows, style))
    else:
        blocks.append("by check and status:\n" + horizontal_table(outcome.summary()))
    blocks.append(summary_line(outcome))
    return "\n\n".join(blocks)


def markdown_table(frame: pd.DataFrame) -> str:
    def esc(value: object) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)
