"""pandas helpers: geocode a Series of names, or geoparse a Series of texts, in one call.

    import pandas as pd
    from gazetteer.pandas import geocode_series, geocode_dataframe

    df = pd.read_csv("villages.csv")
    geo = geocode_series(df["name"])            # a DataFrame with the batch columns, same index
    df = geocode_dataframe(df, "name")          # df with those columns added

The columns are those of ``gazetteer batch`` (``gazetteer.batch.NAME_COLUMNS``, ``TEXT_COLUMNS``,
``MENTION_COLUMNS``); ``lat``, ``lon`` and ``confidence`` are floats (NaN when there is no answer),
the mention counters nullable integers, the rest strings (``<NA>`` when empty).  Each distinct value
is resolved once (``pandas.factorize``), through the same cached resolver as the CLI, so this is
much faster than ``series.apply(gz.geocode)`` on repetitive data.

This module is ``gazetteer.pandas``; inside it ``import pandas`` is the real pandas (absolute imports).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .batch import BatchOptions, Resolver, shared_resolver
from .csvio import find_column
from .exceptions import InputFormatError

__all__ = ["geocode_dataframe", "geocode_series", "parse_dataframe", "parse_series", "empty_frame"]

FLOAT_COLUMNS = frozenset({"lat", "lon", "confidence"})
INT_COLUMNS = frozenset({"mention_count", "mention_index", "mention_start", "mention_end"})


def _options(mode: str, min_confidence: float | None = None, admin1: str | None = None,
             types: Sequence[str] | None = None, alternatives: int = 4,
             cache_size: int | None = None) -> BatchOptions:
    kw: dict[str, Any] = {}
    if cache_size is not None:
        kw["cache_size"] = cache_size
    return BatchOptions(mode=mode, min_confidence=min_confidence, admin1=admin1,
                        types=tuple(types) if types else None, alternatives=alternatives, **kw)


def geocode_series(series: pd.Series, *, gazetteer: Any = None, min_confidence: float | None = None,
                   admin1: str | None = None, types: Sequence[str] | None = None,
                   alternatives: int = 4, prefix: str = "", cache_size: int | None = None) -> pd.DataFrame:
    """Geocode every value of a Series of place names; a DataFrame indexed like the Series.

    Missing values (NaN/None) and empty strings come back with ``match_status == "invalid"``.
    Options as in ``gazetteer.batch.geocode_csv``; ``gazetteer`` defaults to the bundled data
    (loaded once per process).
    """
    options = _options("name", min_confidence, admin1, types, alternatives, cache_size)
    return _frame(series, shared_resolver(options, gazetteer), prefix)[0]


def parse_series(series: pd.Series, *, one_row_per_mention: bool = False, gazetteer: Any = None,
                 min_confidence: float | None = None, admin1: str | None = None,
                 types: Sequence[str] | None = None, prefix: str = "",
                 cache_size: int | None = None) -> pd.DataFrame:
    """Geoparse every text of a Series: one row per text (``TEXT_COLUMNS``), or with
    ``one_row_per_mention=True`` one row per place mentioned (``MENTION_COLUMNS``; the index
    repeats, and a text without places keeps one ``not_found`` row)."""
    mode = "mention" if one_row_per_mention else "text"
    options = _options(mode, min_confidence, admin1, types, 0, cache_size)
    return _frame(series, shared_resolver(options, gazetteer), prefix)[0]


def geocode_dataframe(df: pd.DataFrame, column: str, *, prefix: str = "", **options: Any) -> pd.DataFrame:
    """``df`` with the geocoding columns of ``df[column]`` added (a new DataFrame)."""
    return _join(df, column, "name", prefix, options)


def parse_dataframe(df: pd.DataFrame, column: str, *, prefix: str = "", **options: Any) -> pd.DataFrame:
    """``df`` with the geoparsing columns of ``df[column]`` added (rows repeat per mention with
    ``one_row_per_mention=True``)."""
    mode = "mention" if options.pop("one_row_per_mention", False) else "text"
    return _join(df, column, mode, prefix, options)


def _join(df: pd.DataFrame, column: str, mode: str, prefix: str, options: dict) -> pd.DataFrame:
    names = [str(c) for c in df.columns]
    if column not in df.columns:
        column = df.columns[find_column(names, str(column))]
    gazetteer = options.pop("gazetteer", None)
    kw = {"alternatives": options.pop("alternatives", 4 if mode == "name" else 0)}
    for name in ("min_confidence", "admin1", "types", "cache_size"):
        kw[name] = options.pop(name, None)
    if options:
        raise TypeError(f"unexpected option(s): {', '.join(options)}")
    resolver = shared_resolver(_options(mode, **kw), gazetteer)
    result, positions = _frame(df[column], resolver, prefix)
    clash = sorted(set(map(str, result.columns)) & set(names))
    if clash:
        raise InputFormatError(f"the DataFrame already has column(s) {', '.join(clash)}; "
                               "give a prefix for the added columns (prefix='geo_')")
    if positions is None:
        return pd.concat([df, result], axis=1)
    # one row per mention: repeat each input row as often as it has output rows
    left = df.iloc[positions]
    result.index = left.index
    return pd.concat([left, result], axis=1)


def empty_frame(mode: str = "name", prefix: str = "") -> pd.DataFrame:
    """A zero-row DataFrame with the columns and dtypes of a mode (Dask ``meta``)."""
    columns = BatchOptions(mode=mode).columns
    return _columns_frame(columns, [tuple("" for _ in columns)], np.zeros(0, dtype=np.intp),
                          pd.RangeIndex(0), prefix)


def _frame(series: pd.Series, resolver: Resolver, prefix: str) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The output columns for a Series; and, in mention mode, the input position of each row."""
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = [resolver.resolve(u) for u in uniques]
    results.append(resolver.resolve(None))  # code -1: missing value
    codes = np.where(codes < 0, len(results) - 1, codes)
    columns = resolver.columns
    if resolver.options.mode != "mention":
        rows = [r[0] for r in results]
        return _columns_frame(columns, rows, codes, series.index, prefix), None
    rows = [row for r in results for row in r]
    starts = np.cumsum([0] + [len(r) for r in results])
    counts = np.diff(starts)[codes]
    positions = np.repeat(np.arange(len(codes)), counts)
    offsets = np.arange(len(positions)) - np.repeat(np.cumsum(counts) - counts, counts)
    row_codes = starts[:-1][codes][positions] + offsets
    return _columns_frame(columns, rows, row_codes, series.index.take(positions), prefix), positions


def _columns_frame(columns: Sequence[str], rows: list[tuple[str, ...]], codes: np.ndarray,
                   index: pd.Index, prefix: str) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for j, name in enumerate(columns):
        values = [r[j] for r in rows]
        if name in FLOAT_COLUMNS:
            arr: Any = np.array([float(v) if v else np.nan for v in values], dtype=float)
        elif name in INT_COLUMNS:
            arr = pd.array([int(v) if v else None for v in values], dtype="Int64")
        else:
            arr = pd.array([v if v else None for v in values], dtype="string")
        data[prefix + name] = arr.take(codes)
    return pd.DataFrame(data, index=index)
