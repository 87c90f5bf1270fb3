"""Dask recipe: geocode a DataFrame too big for one machine, partition by partition.

    import dask.dataframe as dd
    from dask.distributed import Client
    from gazetteer.dask import geocode_dask

    client = Client("scheduler:8786")                 # or LocalCluster()
    ddf = dd.read_csv("s3://bucket/villages-*.csv", dtype=str)
    out = geocode_dask(ddf, "name")                   # lazy: ddf + the batch columns
    out.to_parquet("s3://bucket/geocoded/")

``geocode_dask`` is ``ddf.map_partitions(geocode_partition, ...)`` with a ``meta`` built without
loading anything.  ``geocode_partition`` runs on the workers: the gazetteer and the cached resolver
are loaded once per worker process (``gazetteer.batch.shared_resolver``), not once per partition
nor shipped with each task; every partition that worker handles reuses them and their cache.
The bundled data must be installed on the workers (``pip install syria-gazetteer[dask]``) or found
through ``$GAZETTEER_DATA``.

This module is ``gazetteer.dask``; ``import dask`` inside it is the real Dask (absolute imports).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .pandas import empty_frame, geocode_dataframe, parse_dataframe

__all__ = ["geocode_dask", "geocode_partition", "parse_dask", "parse_partition"]


def geocode_partition(df: pd.DataFrame, column: str, **options: Any) -> pd.DataFrame:
    """One partition: ``df`` with the batch columns of ``df[column]`` added.

    Options as ``gazetteer.pandas.geocode_dataframe`` (``prefix``, ``min_confidence``,
    ``admin1``, ``types``, ``alternatives``); the resolver is the per-process shared one.
    """
    return geocode_dataframe(df, column, **options)


def parse_partition(df: pd.DataFrame, column: str, **options: Any) -> pd.DataFrame:
    """One partition, text mode: ``df`` with the geoparsing columns of ``df[column]`` added."""
    return parse_dataframe(df, column, **options)


def _meta(ddf: Any, mode: str, prefix: str) -> pd.DataFrame:
    left = ddf._meta
    right = empty_frame(mode, prefix)
    right.index = left.index[:0]
    return pd.concat([left, right], axis=1)


def geocode_dask(ddf: Any, column: str, *, prefix: str = "", **options: Any) -> Any:
    """A lazy Dask DataFrame: ``ddf`` with the geocoding columns of ``ddf[column]`` added."""
    if column not in ddf.columns:
        from .csvio import find_column

        find_column([str(c) for c in ddf.columns], str(column))  # raises, naming the columns
    return ddf.map_partitions(geocode_partition, column, prefix=prefix, meta=_meta(ddf, "name", prefix),
                              **options)


def parse_dask(ddf: Any, column: str, *, one_row_per_mention: bool = False, prefix: str = "",
               **options: Any) -> Any:
    """A lazy Dask DataFrame with the geoparsing columns of ``ddf[column]`` added."""
    mode = "mention" if one_row_per_mention else "text"
    return ddf.map_partitions(parse_partition, column, prefix=prefix,
                              one_row_per_mention=one_row_per_mention,
                              meta=_meta(ddf, mode, prefix), **options)
