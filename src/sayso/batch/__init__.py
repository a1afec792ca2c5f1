"""Many articles at half the price: provider Batch APIs that re-ask, batch files for any
compatible runner, and a distributed engine on Dask."""

from ._dask import summarize_on_dask
from ._files import read_batch_files, write_batch_file
from ._lines import MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, custom_id
from ._runner import BatchProgress, BatchRunner

__all__ = [
    "MAX_BATCH_BYTES",
    "MAX_BATCH_REQUESTS",
    "BatchProgress",
    "BatchRunner",
    "custom_id",
    "read_batch_files",
    "summarize_on_dask",
    "write_batch_file",
]
