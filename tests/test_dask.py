"""The Dask recipe on a local in-process cluster: same answers as pandas, resolver loaded once."""
from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

from gazetteer.batch import NAME_COLUMNS, _RESOLVERS  # noqa: E402
from gazetteer.dask import geocode_dask  # noqa: E402
from gazetteer.pandas import geocode_dataframe  # noqa: E402


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_geocode_dask_on_a_local_cluster():
    df = pd.DataFrame({"name": ["حلب", "Tedef, Aleppo", None, "Khan Shaykhun", "qxqxqz"] * 8,
                       "n": range(40)})
    ddf = dd.from_pandas(df, npartitions=4)
    lazy = geocode_dask(ddf, "name", prefix="geo_")
    assert list(lazy.columns) == ["name", "n", *("geo_" + c for c in NAME_COLUMNS)]
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        before = len(_RESOLVERS)
        out = lazy.compute()
        assert len(_RESOLVERS) <= before + 1  # one resolver for all four partitions
    expected = geocode_dataframe(df, "name", prefix="geo_")
    assert len(out) == 40
    added = [c for c in out.columns if c.startswith("geo_")]
    pd.testing.assert_frame_equal(out[added].sort_index(), expected[added], check_dtype=False)
    assert out["n"].tolist() == list(range(40))


@pytest.mark.skipif(not hasattr(__import__("gazetteer").Gazetteer, "parse"), reason="no geoparser yet")
def test_parse_dask_one_row_per_mention():
    from gazetteer.dask import parse_dask
    from gazetteer.pandas import parse_dataframe

    df = pd.DataFrame({"text": ["قصف على خان شيخون في ريف إدلب", "لا شيء", None], "k": [1, 2, 3]})
    out = parse_dask(dd.from_pandas(df, npartitions=2), "text", one_row_per_mention=True)
    got = out.compute(scheduler="synchronous")
    expected = parse_dataframe(df, "text", one_row_per_mention=True)
    assert got["k"].tolist() == expected["k"].tolist()
    assert got["place_id"].tolist() == expected["place_id"].tolist()
    assert "C3987" in got["place_id"].tolist()
