"""MDL SD files: a MOL block, data items `>  <name>`, `$$$$`; a single MOL file is an SD file of one record."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from chemprops.formats.registry import MOLBLOCK, READ_ERROR, Format, register
from chemprops.formats.rows import LongLine, frames_of, lines

if TYPE_CHECKING:
    import pandas as pd


def _sdf_record(lines: list[str]) -> dict:
    """One SDF record: its title as `name`, its data items, and its MOL block."""
    end = next((i for i, line in enumerate(lines) if line.startswith("M  END")), None)
    if end is None:
        return {"name": lines[0].strip() if lines else "", MOLBLOCK: "\n".join(lines), READ_ERROR: "no M  END line"}
    row = {"name": lines[0].strip(), MOLBLOCK: "\n".join(lines[: end + 1]) + "\n"}
    field, values = None, []
    for line in lines[end + 1 :]:
        if line.startswith(">"):
            if field is not None:
                row[field] = "\n".join(values).strip("\n")
            m = re.search(r"<([^>]*)>", line)
            field, values = (m.group(1) if m else line[1:].strip()), []
        elif field is not None:
            values.append(line)
    if field is not None:
        row[field] = "\n".join(values).strip("\n")
    return row


def _read_sdf(handle: BinaryIO, chunk_size: int) -> Iterator[pd.DataFrame]:
    def rows():
        record: list[str] = []
        too_long = ""
        for line in lines(handle):
            if isinstance(line, LongLine):
                too_long = str(line)
            elif line.startswith("$$$$"):
                yield {**_sdf_record(record), READ_ERROR: too_long} if too_long else _sdf_record(record)
                record, too_long = [], ""
            else:
                record.append(line)
        if any(line.strip() for line in record):
            yield _sdf_record(record)

    yield from frames_of(rows(), chunk_size)


EMPTY_MOLBLOCK = "\n     chemprops\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n"


def _sd_value(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return str(value)


def _sd_data(value: str) -> str:
    """A data item's lines as an SD file can hold them: a line that would end the item (blank), start a new one
    (`>`) or end the record (`$$$$`) gets a leading space, so a value can never split a record."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(" " + line if not line.strip() or line.startswith((">", "$$$$")) else line for line in lines)


def _encode_sdf(frame, first: bool, title: str | None = None) -> bytes:
    out = io.StringIO()
    fields = [c for c in frame.columns if c != MOLBLOCK]
    title = title if title in frame.columns else ("name" if "name" in frame.columns else None)
    blocks = frame[MOLBLOCK] if MOLBLOCK in frame.columns else [""] * len(frame)
    for block, (_, row) in zip(blocks, frame.iterrows()):
        block = block if isinstance(block, str) and "M  END" in block else EMPTY_MOLBLOCK
        lines = block.rstrip("\n").split("\n")
        if title:
            lines[0] = " ".join(_sd_value(row[title]).split())
        out.write("\n".join(lines) + "\n")
        for name in fields:
            value = _sd_data(_sd_value(row[name]))
            label = " ".join(str(name).split()).replace(">", ")")
            out.write(f">  <{label}>\n{value}\n\n" if value else f">  <{label}>\n\n")
        out.write("$$$$\n")
    return out.getvalue().encode("utf-8")


register(Format("sdf", (".sdf", ".sd", ".mol", ".mdl"), "MDL SD file (.sdf.gz too)", _read_sdf, _encode_sdf,
                structure=MOLBLOCK))  # fmt: skip
