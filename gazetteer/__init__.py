"""Syrian gazetteer and geocoder: find a Syrian place however its name is written."""
from .exceptions import CoordinateError, DataError, GazetteerError, InputFormatError, QueryError
from .gazetteer import Gazetteer
from .place import AdminRef, Match, Place

__all__ = [
    "AdminRef", "CoordinateError", "DataError", "Gazetteer", "GazetteerError", "InputFormatError",
    "Match", "Place", "QueryError",
]
