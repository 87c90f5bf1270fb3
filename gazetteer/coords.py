"""Reading a latitude/longitude from what callers pass: numbers, strings, tuples, geopy Points.

``parse_point(value, lon=None)`` returns ``(lat, lon)`` as floats or raises
:class:`~gazetteer.exceptions.CoordinateError` with a message naming the problem (missing, not a
number, NaN/infinite, out of range, unreadable string).  Accepted forms::

    parse_point(36.2, 37.1)              # two numbers (or numeric strings)
    parse_point("36.2,37.1")             # "LAT,LON", "LAT LON", "LAT;LON", "(LAT, LON)"
    parse_point("36°12'N 37°06'E")       # degrees/minutes/seconds, N/S/E/W (geopy's grammar)
    parse_point((36.2, 37.1))            # a 2-sequence (tuple, list, numpy array)
    parse_point(geopy.Point(36.2, 37.1)) # anything with .latitude/.longitude (geopy Point, Location)
    parse_point(place)                   # anything with .lat/.lon (a gazetteer Place)
    parse_point({"lat": 36.2, "lon": 37.1})

The order is always latitude first (not GeoJSON's lon,lat).  ``parse_points`` does the same for
many points at once, vectorised when they come as numbers.
"""
from __future__ import annotations

import math
import numbers
import re
from typing import Any, Mapping

import numpy as np

from .exceptions import CoordinateError

MAX_STRING_LENGTH = 256
_SPLIT = re.compile(r"\s*[,;]\s*|\s+")
_BRACKETS = (("(", ")"), ("[", "]"))
_EXAMPLE = "decimal degrees LAT,LON such as '36.2,37.1'"


def _number(value: Any, what: str) -> float:
    """``value`` as a float, with errors naming ``what`` (latitude/longitude)."""
    if value is None:
        raise CoordinateError(f"{what} is missing")
    if isinstance(value, (bool, np.bool_)):
        raise CoordinateError(f"{what} must be a number, not {value!r}")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (str, bytes)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        text = text.strip()
        if not text:
            raise CoordinateError(f"{what} is empty")
        try:
            return float(text)
        except ValueError:
            raise CoordinateError(f"{what} is not a number: {text[:40]!r}") from None
    raise CoordinateError(f"{what} must be a number, not {type(value).__name__}")


def check_point(lat: Any, lon: Any) -> tuple[float, float]:
    """Validate a latitude and a longitude; return them as floats."""
    y = _number(lat, "latitude")
    x = _number(lon, "longitude")
    for v, what, limit in ((y, "latitude", 90), (x, "longitude", 180)):
        if math.isnan(v):
            raise CoordinateError(f"{what} is NaN")
        if math.isinf(v):
            raise CoordinateError(f"{what} is infinite")
    if not -90.0 <= y <= 90.0:
        hint = " (latitude comes first: LAT,LON)" if -90.0 <= x <= 90.0 and abs(y) <= 180.0 else ""
        raise CoordinateError(f"latitude {y:g} is out of range [-90, 90]{hint}")
    if not -180.0 <= x <= 180.0:
        raise CoordinateError(f"longitude {x:g} is out of range [-180, 180]")
    return y, x


def _strip_brackets(text: str) -> str:
    for a, b in _BRACKETS:
        if text.startswith(a) and text.endswith(b):
            return text[1:-1].strip()
    return text


def _geopy_parts(text: str) -> tuple[float, float] | None:
    """geopy's point grammar (DMS, N/S/E/W) without its silent longitude wrapping; an
    altitude is refused (``from_string`` ends with ``cls(lat, lon, alt)``: capture the values)."""
    from geopy import Point

    class _Raw3(Point):  # the same, keeping the altitude: a point here has none
        def __new__(cls, latitude=None, longitude=None, altitude=None):
            return (latitude, longitude, altitude)

    try:
        parts = _Raw3.from_string(text)
    except (ValueError, TypeError):
        return None
    if isinstance(parts, tuple) and len(parts) == 3:
        if parts[2]:
            raise CoordinateError(f"a point is a latitude and a longitude, but {text[:60]!r} "
                                  f"also has an altitude ({parts[2]:g} km)")
        return parts[0], parts[1]
    return (parts.latitude, parts.longitude)  # a future geopy that bypasses __new__


def _plain_numbers(parts: list[str]) -> list[float] | None:
    try:
        return [float(p) for p in parts]
    except ValueError:
        return None


def parse_string(text: str) -> tuple[float, float]:
    """``"36.2,37.1"`` (comma, semicolon or space separated; brackets allowed) or a geopy
    degree/minute/second string; returns ``(lat, lon)``."""
    raw = text
    text = text.strip()
    if not text:
        raise CoordinateError("empty coordinates: expected " + _EXAMPLE)
    if len(text) > MAX_STRING_LENGTH:
        raise CoordinateError(f"coordinates string longer than {MAX_STRING_LENGTH} characters")
    inner = _strip_brackets(text)
    parts = [p for p in _SPLIT.split(inner) if p]
    numbers = _plain_numbers(parts)
    if numbers is not None:  # else DMS, hemisphere letters...: geopy's grammar below
        if len(numbers) == 2:
            return check_point(*numbers)
        hint = ""
        if len(numbers) == 4 and "," in inner and "." not in inner:
            hint = (f" (decimal commas? write {parts[0]}.{parts[1]},{parts[2]}.{parts[3]})")
        raise CoordinateError(f"a point is exactly two numbers, LAT,LON; read {len(numbers)} in "
                              f"{raw.strip()[:60]!r}: {', '.join(parts[:6])}{hint}")
    parsed = _geopy_parts(inner)
    if parsed is None:
        raise CoordinateError(f"cannot read {raw.strip()[:60]!r} as a point: expected " + _EXAMPLE)
    return check_point(*parsed)


def parse_point(value: Any, lon: Any = None) -> tuple[float, float]:
    """``(lat, lon)`` from the forms listed in the module docstring; CoordinateError otherwise."""
    if lon is not None:
        return check_point(value, lon)
    if value is None:
        raise CoordinateError("no point given: expected " + _EXAMPLE)
    if isinstance(value, (str, bytes)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        try:
            float(text)
        except ValueError:
            return parse_string(text)
        raise CoordinateError(f"only a latitude was given ({text.strip()[:40]!r}): expected " + _EXAMPLE)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        raise CoordinateError(f"only a latitude was given ({value!r}): a longitude is needed too")
    if hasattr(value, "latitude") and hasattr(value, "longitude"):  # geopy Point/Location, Match
        return check_point(value.latitude, value.longitude)
    if hasattr(value, "lat") and hasattr(value, "lon"):  # gazetteer Place
        return check_point(value.lat, value.lon)
    if hasattr(value, "geom_type") and hasattr(value, "x"):  # shapely: x is the longitude
        raise CoordinateError("shapely Points are (x=lon, y=lat): pass (point.y, point.x)")
    if isinstance(value, Mapping):
        for ky, kx in (("lat", "lon"), ("latitude", "longitude"), ("lat", "lng")):
            if ky in value and kx in value:
                return check_point(value[ky], value[kx])
        raise CoordinateError("a mapping needs 'lat' and 'lon' (or 'latitude' and 'longitude') keys")
    try:
        items = list(value)
    except TypeError:
        raise CoordinateError(f"cannot read a point from {type(value).__name__}") from None
    if len(items) != 2:
        raise CoordinateError(f"a point needs 2 values (lat, lon), not {len(items)}")
    return check_point(items[0], items[1])


def parse_points(points: Any, lons: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Many points as two float arrays ``(lats, lons)``.

    ``points`` is an ``(n, 2)`` array-like of ``(lat, lon)`` rows, or any sequence of things
    :func:`parse_point` accepts; or give the latitudes and longitudes as two 1-D sequences
    (``parse_points(lats, lons)``).  The first bad point raises CoordinateError naming its index.
    """
    if lons is not None:
        try:
            ys = np.asarray(points, dtype=float)
            xs = np.asarray(lons, dtype=float)
        except (TypeError, ValueError):
            raise CoordinateError("latitudes and longitudes must be numbers") from None
        if ys.ndim != 1 or xs.ndim != 1 or len(ys) != len(xs):
            raise CoordinateError(f"latitudes and longitudes must be 1-D sequences of equal length "
                                  f"(got shapes {ys.shape} and {xs.shape})")
    else:
        if isinstance(points, (str, bytes)) or hasattr(points, "latitude"):
            raise CoordinateError("expected a sequence of points; use reverse() for one point")
        arr = None
        if isinstance(points, np.ndarray) and points.dtype.kind in "fiu":
            arr = points.astype(float, copy=False)
        else:
            if not hasattr(points, "__len__"):
                points = list(points)
            try:
                arr = np.asarray(points, dtype=float)
            except (TypeError, ValueError):
                arr = None
            if arr is not None and arr.ndim == 2 and arr.shape[1] != 2:
                arr = None  # geopy Points convert to (lat, lon, alt) rows: read them one by one
        if arr is not None and arr.size == 0:
            arr = arr.reshape(0, 2)
        if arr is not None and arr.ndim == 1:
            raise CoordinateError(f"expected (lat, lon) rows, got {len(arr)} plain numbers (one point: "
                                  f"use reverse(); separate arrays: reverse_many(lats, lons))")
        if arr is not None and (arr.ndim != 2 or arr.shape[1] != 2):
            raise CoordinateError(f"expected (lat, lon) rows, got an array of shape {arr.shape}")
        if arr is None:
            ys = np.empty(len(points))
            xs = np.empty(len(points))
            for i, p in enumerate(points):
                try:
                    ys[i], xs[i] = parse_point(p)
                except CoordinateError as exc:
                    raise CoordinateError(f"point {i}: {exc}") from None
            return ys, xs
        ys = np.ascontiguousarray(arr[:, 0])
        xs = np.ascontiguousarray(arr[:, 1])
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(ys) & np.isfinite(xs) & (np.abs(ys) <= 90.0) & (np.abs(xs) <= 180.0))
    if bad.any():
        i = int(np.argmax(bad))
        try:
            check_point(float(ys[i]), float(xs[i]))
        except CoordinateError as exc:
            raise CoordinateError(f"point {i}: {exc}") from None
    return ys, xs
