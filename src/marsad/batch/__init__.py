"""Batch runs on Dask: the pipeline over partitions of the inputs, Parquet by month, stories
over the result (:func:`run_batch`), and loading a result into the store (:func:`load_batch`).

Dask (``dask.distributed``) and pyarrow are the ``batch`` extra; they are imported only when
a batch runs.
"""

from __future__ import annotations

from marsad.batch.load import load_batch
from marsad.batch.plan import Partition, plan
from marsad.batch.run import BatchReport, run_batch

__all__ = ["BatchReport", "Partition", "load_batch", "plan", "run_batch"]
