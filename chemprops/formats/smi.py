"""SMILES files: one SMILES or CXSMILES (or InChI) per line, then an optional name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from chemprops.formats.registry import READ_ERROR, Format, register
from chemprops.formats.rows import LongLine, Rows, lines


def split_smi_line(line: str) -> tuple[str, str]:
    """SMILES (with its CXSMILES `|...|` extension, if any) and the name after it.

    >>> split_smi_line("C[C@H](N)C(=O)O |&1:1| alanine")
    ('C[C@H](N)C(=O)O |&1:1|', 'alanine')
    """
    text = line.strip()
    parts = text.split(None, 1)
    smiles, rest = (parts + ["", ""])[:2]
    if rest.startswith("|"):
        end = rest.find("|", 1)
        if end > 0:
            smiles, rest = f"{smiles} {rest[: end + 1]}", rest[end + 1 :].strip()
    return smiles, rest


def _read_smi(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
    smiles: list[str] = []
    names: list[str] = []
    errors: list[str] = []
    start = 0

    def chunk() -> Rows:
        data = {"smiles": smiles, "name": names}
        if any(errors):
            data[READ_ERROR] = errors
        return Rows(data, start)

    for number, line in enumerate(lines(handle)):
        text, name = ("", "") if isinstance(line, LongLine) else split_smi_line(line)
        if number == 0 and text.lower() == "smiles":
            continue  # a header line
        smiles.append(text)
        names.append(name)
        errors.append(str(line) if isinstance(line, LongLine) else "")
        if len(smiles) >= chunk_size:
            yield chunk()
            start += len(smiles)
            smiles, names, errors = [], [], []
    if smiles:
        yield chunk()


def _is_text(head: str) -> bool:
    return bool(head.strip()) and "\x00" not in head


# Text files with another suffix (.txt, .inchi) are read as lines when no other format recognises them.
register(Format("smi", (".smi", ".smiles", ".ism", ".cxsmi"), "SMILES, CXSMILES or InChI per line, then an optional name",
                _read_smi, plain=True, sniff=_is_text, sniff_last=True))  # fmt: skip
