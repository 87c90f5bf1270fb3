"""pandas helpers: the same answers as the batch command, one resolution per distinct value."""
from __future__ import annotations

import csv
import io

import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

from gazetteer import InputFormatError  # noqa: E402
from gazetteer.batch import NAME_COLUMNS, geocode_csv, shared_gazetteer  # noqa: E402
from gazetteer.pandas import (  # noqa: E402
    empty_frame, geocode_dataframe, geocode_series, parse_dataframe, parse_series,
)

NAMES = ["حلب", "Tedef, Aleppo", None, "", np.nan, "qxqxqxqzzkzk", 5, "خان شيخون", "حلب"]


def test_geocode_series_matches_the_batch_output():
    gz = shared_gazetteer()
    s = pd.Series(NAMES, index=list("abcdefghi"))
    df = geocode_series(s)
    assert list(df.columns) == list(NAME_COLUMNS) and list(df.index) == list("abcdefghi")
    assert df["lat"].dtype == float and df["confidence"].dtype == float
    status = df["match_status"].tolist()
    assert [status[i] for i in (2, 3, 4)] == ["invalid"] * 3 and status[7] == "matched"
    assert status[0] == status[8] and status[0] in ("matched", "ambiguous")
    assert status[5] in ("not_found", "ambiguous", "matched") and status[6] != "invalid"
    assert df["lat"].isna().tolist()[:5] == [False, False, True, True, True]
    assert df["lat"].isna().tolist()[7:] == [False, False]
    assert df.loc["h", "place_id"] == "C3987" and pd.isna(df.loc["c", "place_id"])
    # cell for cell what `gazetteer batch` writes
    keep = [i for i, n in enumerate(NAMES) if isinstance(n, (str, int)) and n != ""]
    buf, out = io.StringIO(), io.StringIO()
    csv.writer(buf).writerows([["name"], *([str(NAMES[i])] for i in keep)])
    geocode_csv(buf.getvalue(), out, gazetteer=gz, column="name")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(keep)
    for row, (_, r) in zip(rows, df.iloc[keep].iterrows()):
        for name in NAME_COLUMNS:
            value = r[name]
            if pd.isna(value):
                assert row[name] == "", name
            elif name == "confidence":
                assert row[name] == f"{value:.3f}"
            elif name in ("lat", "lon"):
                assert float(row[name]) == value
            else:
                assert row[name] == value, name


def test_geocode_dataframe_adds_columns_and_checks_them():
    df = pd.DataFrame({"Name": ["Homs", "حماة"], "n": [1, 2]})
    out = geocode_dataframe(df, "name", prefix="geo_")  # column found ignoring case
    assert list(out.columns[:3]) == ["Name", "n", "geo_lat"] and len(out) == 2
    assert out["geo_place_id"].notna().all()
    with pytest.raises(InputFormatError, match="'Name', 'n'"):
        geocode_dataframe(df, "village")
    with pytest.raises(InputFormatError, match="prefix"):
        geocode_dataframe(out, "Name", prefix="geo_")
    assert empty_frame("name").dtypes.equals(geocode_series(df["Name"]).dtypes)


def test_distinct_values_are_resolved_once():
    s = pd.Series(["Homs", "Hama", "Homs"] * 1000)
    df = geocode_series(s, cache_size=8)
    assert len(df) == 3000 and df["place_id"].nunique() == 2


class _Mention:
    def __init__(self, start, end, surface, place, confidence):
        self.start, self.end, self.surface, self.place, self.confidence = start, end, surface, place, confidence


class _WithParse:
    def __init__(self, gz):
        self._gz, self.places = gz, gz.places

    def __getattr__(self, name):
        return getattr(self._gz, name)

    def parse(self, text):
        out = []
        for surface in ("Homs", "Hama"):
            i = text.find(surface)
            if i >= 0:
                out.append(_Mention(i, i + 4, surface, self._gz.geocode(surface)[0].place, 0.9))
        return sorted(out, key=lambda m: m.start)


def test_parse_series_per_text_and_per_mention():
    gz = _WithParse(shared_gazetteer())
    s = pd.Series(["Hama then Homs", "nothing", None], index=[10, 20, 30])
    per_text = parse_series(s, gazetteer=gz)
    assert list(per_text.index) == [10, 20, 30]
    assert per_text["mention_count"].tolist()[:2] == [2, 0]
    assert per_text["match_status"].tolist() == ["matched", "not_found", "invalid"]
    per_mention = parse_series(s, gazetteer=gz, one_row_per_mention=True)
    assert list(per_mention.index) == [10, 10, 20, 30]
    assert per_mention["mention_surface"].tolist()[:2] == ["Hama", "Homs"]
    df = pd.DataFrame({"text": s, "k": ["a", "b", "c"]})
    joined = parse_dataframe(df, "text", gazetteer=gz, one_row_per_mention=True)
    assert joined["k"].tolist() == ["a", "a", "b", "c"] and len(joined.columns) == 2 + len(per_mention.columns)
