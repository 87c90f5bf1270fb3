"""Syrian gazetteer and geocoder: find a Syrian place however its name is written."""
from . import native

# Before any parser module is imported: their compiled copies, unless asked for the sources or
# out of date with them (a few stat and hash calls; see native.py)
native.choose_modules()

from .exceptions import CoordinateError, DataError, GazetteerError, InputFormatError, QueryError  # noqa: E402
from .gazetteer import Gazetteer  # noqa: E402
from .place import AdminRef, Match, Place  # noqa: E402

__all__ = [
    "AdminRef", "CoordinateError", "DataError", "Gazetteer", "GazetteerError", "InputFormatError",
    "Match", "Place", "QueryError",
]
