"""Why a curation change is refused: one exception with a machine-readable ``code``."""
from __future__ import annotations

from ..exceptions import GazetteerError

# codes that mean "it clashes with what is there" (HTTP 409); the others are invalid input (422)
CONFLICT_CODES = frozenset({"alias-taken", "duplicate-place", "already-reverted", "key-exists",
                            "name-exists", "depends-on-it"})


class Refused(GazetteerError, ValueError):
    """A change the overlay will not take, with the reason (``code`` and the message)."""

    def __init__(self, code: str, message: str, *, row: int | None = None):
        super().__init__(message if row is None else f"row {row}: {message}")
        self.code = code
        self.row = row

    @property
    def conflict(self) -> bool:
        return self.code in CONFLICT_CODES
