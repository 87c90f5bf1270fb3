"""A geopy geocoder backed by the local gazetteer: no network, no API key, no rate limit.

Code written against geopy switches with one line::

    from gazetteer.geopy import SyriaGazetteer
    geolocator = SyriaGazetteer()            # instead of Nominatim(user_agent=...)
    location = geolocator.geocode("خان شيخون")
    location.latitude, location.longitude, location.address, location.raw["properties"]["id"]
    geolocator.reverse((35.44, 36.65)).address

``geocode`` and ``reverse`` take geopy's arguments (``exactly_one``, ``timeout``, ``language``,
``limit``) and return ``geopy.location.Location`` objects (or a list, or None); ``raw`` is the
GeoJSON Feature of the match, with ``confidence`` and ``ambiguous`` in its properties.  With an
async adapter (``adapter_factory=geopy.adapters.AioHTTPAdapter``) both return coroutines, as
every geopy geocoder does, so ``geopy.extra.rate_limiter.AsyncRateLimiter`` works too.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from geopy.adapters import BaseAsyncAdapter
from geopy.distance import distance as geopy_distance
from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from .exceptions import DataError, GazetteerError, QueryError
from .place import ADMIN_TYPES

__all__ = ["SyriaGazetteer"]

COUNTRY = {"en": "Syria", "ar": "سوريا"}


class SyriaGazetteer(Geocoder):
    """geopy ``Geocoder`` over ``gazetteer.Gazetteer``: local, offline, deterministic.

    ``gazetteer``: a loaded ``Gazetteer`` (default: the bundled data, loaded once per process on
    first use).  ``min_confidence``: answers below it are not returned (default 0.3, the library's).
    ``language``: ``"en"`` or ``"ar"``, the language of ``Location.address``.
    ``reverse_max_km``: ``reverse`` answers None when no place is nearer than this (a point outside
    Syria has no Syrian address).  The connection arguments of geopy are accepted and unused.
    """

    def __init__(self, gazetteer: Any = None, *, min_confidence: float | None = None,
                 language: str = "en", reverse_max_km: float = 50.0,
                 timeout: Any = DEFAULT_SENTINEL, proxies: Any = DEFAULT_SENTINEL,
                 user_agent: str | None = None, ssl_context: Any = DEFAULT_SENTINEL,
                 adapter_factory: Any = None):
        super().__init__(scheme="https", timeout=timeout, proxies=proxies,
                         user_agent=user_agent or "syria-gazetteer (local)",
                         ssl_context=ssl_context, adapter_factory=adapter_factory)
        self._gazetteer = gazetteer
        self.min_confidence = min_confidence
        self.language = _language(language)
        self.reverse_max_km = reverse_max_km
        self._points: Any = None

    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from .batch import shared_gazetteer

            self._gazetteer = shared_gazetteer()
        return self._gazetteer

    # -- geocode ---------------------------------------------------------------------------
    def geocode(self, query: str | dict, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL,
                limit: int | None = None, language: str | None = None, admin1: str | None = None,
                types: Iterable[str] | None = None, min_confidence: float | None = None) -> Any:
        """Find a place by name: a ``Location``, or None; a list of them with ``exactly_one=False``.

        ``query`` is a name in Arabic or Latin script, optionally qualified ("Tedef, Aleppo"), or a
        dict of parts, most specific first, as geopy's structured queries
        (``{"city": "Tedef", "state": "Aleppo"}``).  ``limit`` caps the list (default 5);
        ``admin1``/``types`` restrict as in ``Gazetteer.geocode``.  An unusable query (empty, too
        long) raises ``geopy.exc.GeocoderQueryError``.
        """
        lang = _language(language) if language else self.language
        text = _query_text(query)
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise GeocoderQueryError("limit must be a positive integer")
        kwargs: dict[str, Any] = {"limit": 1 if exactly_one else (limit or 5)}
        threshold = min_confidence if min_confidence is not None else self.min_confidence
        if threshold is not None:
            kwargs["min_confidence"] = threshold
        if admin1 is not None:
            kwargs["admin1"] = admin1
        if types:
            kwargs["types"] = list(types)
        try:
            matches = self.gazetteer.geocode(text, **kwargs)
        except (QueryError, GazetteerError) as exc:
            raise GeocoderQueryError(str(exc)) from exc
        locations = [self._location(m.place, m.to_feature(), lang) for m in matches]
        return self._answer(locations, exactly_one)

    # -- reverse ---------------------------------------------------------------------------
    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL,
                language: str | None = None, limit: int | None = None,
                max_km: float | None = None) -> Any:
        """The nearest place(s) to a point: a ``Location`` or None (a list with
        ``exactly_one=False``, nearest first, ``limit`` long, default 5).

        ``query``: a ``geopy.point.Point``, a ``(lat, lon)`` pair or a ``"lat, lon"`` string.
        Places farther than ``max_km`` (default ``reverse_max_km``) are not returned; when none is
        that near but the point lies in Syria, the answer is its sub-district (``raw`` then has
        ``"role": "admin"``).  ``raw`` is the place's GeoJSON Feature with ``distance_km`` and the
        point's admin units (``point_admin1``/``2``/``3`` p-codes) in its properties.

        Uses ``Gazetteer.reverse`` (admin polygons, geodesic distances); a gazetteer without it
        falls back to the nearest place over ``gazetteer.places``.
        """
        lang = _language(language) if language else self.language
        try:
            point = Point(query)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"not a point: {query!r} ({exc})") from exc
        if not (-90 <= point.latitude <= 90 and -180 <= point.longitude <= 180):
            raise GeocoderQueryError(f"coordinates out of range: {query!r}")
        n = 1 if exactly_one else (limit or 5)
        limit_km = self.reverse_max_km if max_km is None else max_km
        native = self._native_reverse(point.latitude, point.longitude, n, limit_km, lang)
        if native is not None:
            return self._answer(native, exactly_one)
        locations = []
        for place in self._nearest(point.latitude, point.longitude, n):
            d = geopy_distance((point.latitude, point.longitude), (place.lat, place.lon)).km
            if d > limit_km:
                break
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {**place.properties(), "distance_km": round(d, 3)},
            }
            locations.append(self._location(place, feature, lang))
        return self._answer(locations, exactly_one)

    def _native_reverse(self, lat: float, lon: float, n: int, max_km: float,
                        lang: str) -> list[Location] | None:
        reverse = getattr(self.gazetteer, "reverse", None)
        if reverse is None:
            return None
        try:
            result = reverse(lat, lon, radius_km=min(max_km, 500.0), limit=n)
        except (ImportError, DataError):
            return None  # no polygons in this installation: plain nearest place
        except GazetteerError as exc:
            raise GeocoderQueryError(str(exc)) from exc
        admin = {f"point_admin{i}": (ref.pcode if ref else None)
                 for i, ref in enumerate((result.admin1, result.admin2, result.admin3), 1)}
        out = []
        for place, km in result.nearest:
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {**place.properties(), "distance_km": round(km, 3), **admin},
            }
            out.append(self._location(place, feature, lang))
        if not out and result.inside_syria and result.admin3 is not None:
            props = {"role": "admin", "admin1": _as_dict(result.admin1),
                     "admin2": _as_dict(result.admin2), "admin3": _as_dict(result.admin3), **admin}
            feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": props}
            parts = []
            for ref in (result.admin3, result.admin2, result.admin1):
                if ref is None:
                    continue
                name = (ref.name_ar or ref.name_en) if lang == "ar" else (ref.name_en or ref.name_ar)
                if name and name not in parts:
                    parts.append(name)
            parts.append(COUNTRY[lang])
            out.append(Location(("، " if lang == "ar" else ", ").join(parts), (lat, lon), feature))
        return out

    def _nearest(self, lat: float, lon: float, n: int) -> list[Any]:
        """The ``n`` places (not admin units) nearest to a point, nearest first.

        A great-circle ranking over every place (vectorised with numpy; the gazetteer holds a
        few thousand points), exact geodesic distances for the few returned.
        """
        import numpy as np

        if self._points is None:
            places = [p for p in self.gazetteer.places if p.type not in ADMIN_TYPES]
            lats = np.radians(np.array([p.lat for p in places], dtype=float))
            lons = np.radians(np.array([p.lon for p in places], dtype=float))
            self._points = (places, lats, lons, np.cos(lats))
        places, lats, lons, cos_lats = self._points
        if not places:
            return []
        p1, l1 = math.radians(lat), math.radians(lon)
        a = np.sin((lats - p1) / 2) ** 2 + math.cos(p1) * cos_lats * np.sin((lons - l1) / 2) ** 2
        k = min(n, len(places))
        idx = np.argpartition(a, k - 1)[:k] if k < len(places) else np.arange(len(places))
        idx = idx[np.lexsort((np.array([places[i].id for i in idx]), a[idx]))]
        return [places[i] for i in idx]

    # -- helpers ---------------------------------------------------------------------------
    def _location(self, place: Any, raw: dict, lang: str) -> Location:
        return Location(_address(place, lang), (place.lat, place.lon), raw)

    def _answer(self, locations: list[Location], exactly_one: bool) -> Any:
        result: Any = (locations[0] if locations else None) if exactly_one else (locations or None)
        if isinstance(self.adapter, BaseAsyncAdapter):
            async def done() -> Any:
                return result

            return done()
        return result


def _as_dict(ref: Any) -> dict | None:
    return ref.as_dict() if ref is not None else None


def _language(language: str) -> str:
    lang = str(language).lower().split("-")[0].split("_")[0]
    return "ar" if lang == "ar" else "en"


def _query_text(query: Any) -> str:
    if isinstance(query, dict):
        parts = [str(v).strip() for v in query.values() if v is not None and str(v).strip()]
        parts = [p for p in parts if p.casefold() not in ("syria", "sy", "سوريا", "سورية")]
        return ", ".join(parts)
    if not isinstance(query, str):
        raise GeocoderQueryError(f"query must be a string or a dict, not {type(query).__name__}")
    return query


def _address(place: Any, lang: str) -> str:
    """"Tadaf, Al Bab, Aleppo, Syria" / "تادف، الباب، حلب، سوريا": place, district, governorate."""
    def name(obj: Any) -> str:
        if obj is None:
            return ""
        return (obj.name_ar or obj.name_en) if lang == "ar" else (obj.name_en or obj.name_ar)

    parts: list[str] = []
    for part in (name(place), name(place.admin2), name(place.admin1), COUNTRY[lang]):
        if part and part not in parts:
            parts.append(part)
    return ("، " if lang == "ar" else ", ").join(parts)
