"""One root exception; each subclass also inherits the builtin a caller would catch."""


class GazetteerError(Exception):
    """Root of every error this package raises on purpose."""


class QueryError(GazetteerError, ValueError):
    """The query itself is unusable: not text, empty, or longer than the limit."""


class CoordinateError(GazetteerError, ValueError):
    """A latitude/longitude is missing, not a number, NaN or out of range."""


class DataError(GazetteerError, RuntimeError):
    """The bundled data files are missing or malformed."""


class InputFormatError(GazetteerError, ValueError):
    """An input file cannot be read: unknown encoding, missing column, bad CSV."""


class OutputError(GazetteerError, OSError):
    """A result cannot be written: a directory, a missing directory, a full disk."""


class InputTooLarge(InputFormatError):
    """An input would expand past a limit (a compressed workbook, too many rows or cells)."""

    def __init__(self, message: str, *, limit: int | None = None):
        super().__init__(message)
        self.limit = limit
