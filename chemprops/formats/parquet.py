"""Apache Parquet, read in record batches and written by a streaming `pyarrow.parquet.ParquetWriter`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from chemprops.errors import InputError, one_line
from chemprops.formats.registry import Format, register

if TYPE_CHECKING:
    import pandas as pd


def _read_parquet(handle: BinaryIO, chunk_size: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(handle)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a file that is not Parquet
        raise InputError(f"not a Parquet file: {one_line(exc)}") from exc
    for batch in parquet.iter_batches(batch_size=chunk_size):
        yield batch.to_pandas()


class ParquetWriter:
    """Chunks appended as row groups; the schema is the first chunk's (a column empty there is text)."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.writer = None
        self.schema = None

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.writer is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            fields = [f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema]
            self.schema = pa.schema(fields, metadata=table.schema.metadata)
            self.writer = pq.ParquetWriter(self.handle, self.schema)
        try:
            table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise InputError(f"a later chunk does not fit the Parquet schema: {one_line(exc)}") from exc
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


register(Format("parquet", (".parquet", ".pq"), "Apache Parquet", _read_parquet, writer=ParquetWriter))
