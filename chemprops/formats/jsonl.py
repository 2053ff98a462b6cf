"""JSON lines (one object per line) and JSON documents (one record, a list of records, or {"records": [...]})."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from chemprops.errors import InputError, one_line
from chemprops.formats.registry import READ_ERROR, Format, register
from chemprops.formats.rows import LongLine, Rows, frames_of, lines, record_chunks

if TYPE_CHECKING:
    import pandas as pd


def _read_jsonl(handle: BinaryIO, chunk_size: int) -> Iterator[pd.DataFrame]:
    def rows():
        for line in lines(handle):
            if isinstance(line, LongLine):
                yield {READ_ERROR: str(line)}
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than Python's stack
                reason = "nested too deeply" if isinstance(exc, RecursionError) else one_line(exc, 120)
                yield {READ_ERROR: f"not a JSON line: {reason}"}
                continue
            yield value if isinstance(value, dict) else {READ_ERROR: "JSON line is not an object"}

    yield from frames_of(rows(), chunk_size)


def _encode_jsonl(frame, first: bool, title: str | None = None) -> bytes:
    if isinstance(frame, Rows):
        frame = frame.frame()
    if frame.empty:
        return b""
    text = frame.to_json(orient="records", lines=True, force_ascii=False, double_precision=10)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _read_json(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
    """A JSON document: one record (object), a list of records, or {"records": [...]}; numbers keep their text
    (213.660 keeps its stated precision)."""
    text = handle.read().decode("utf-8-sig", errors="replace")
    try:
        data = json.loads(text, parse_float=str)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    except ValueError as exc:  # an integer of over 4,300 digits
        raise InputError(f"invalid JSON ({one_line(exc, 100)})") from exc
    except RecursionError as exc:
        raise InputError("JSON nested too deeply to be a record") from exc
    yield from record_chunks(data, chunk_size)


def _encode_json(frame, first: bool, title: str | None = None) -> bytes:
    """The rows of a chunk as items of a JSON array (the brackets and commas come from the format's framing)."""
    body = _encode_jsonl(frame, first).decode("utf-8").rstrip("\n")
    return ",\n".join(body.split("\n")).encode("utf-8") if body else b""


register(Format("jsonl", (".jsonl", ".ndjson"), "one JSON object per line", _read_jsonl, _encode_jsonl))
register(Format("json", (".json",), "a JSON record, or a list of records", _read_json, _encode_json,
                begin=b"[\n", separator=b",\n", end=b"\n]\n", table=False,
                sniff=lambda text: text.lstrip().startswith(("{", "["))))  # fmt: skip
