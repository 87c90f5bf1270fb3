"""The curation store in PostgreSQL (psycopg 3), for several service instances sharing one
overlay: ``postgresql://user@host/db``.  Writers take a transaction-scoped advisory lock, so
change ids are given and committed in order (see ``store.py``)."""
from __future__ import annotations

from typing import Any

from ..exceptions import DataError
from .store import Store

WRITE_LOCK = 0x5359_4741_5A00  # an arbitrary constant: "SYGAZ"
POSTGRES_MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        """CREATE TABLE curation_changes (
               id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               kind TEXT NOT NULL, place_id TEXT NOT NULL, payload TEXT NOT NULL,
               author TEXT NOT NULL, reason TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',
               key_name TEXT, created_at TEXT NOT NULL)""",
        """CREATE TABLE curation_keys (
               name TEXT PRIMARY KEY, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
               created_at TEXT NOT NULL, revoked_at TEXT)""",
    ]),
    (2, [  # the change table is the audit log: append-only, enforced by the engine
        """CREATE FUNCTION curation_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'curation_changes is append-only'; END $$""",
        """CREATE TRIGGER curation_changes_append_only BEFORE UPDATE OR DELETE ON
           curation_changes FOR EACH ROW EXECUTE FUNCTION curation_append_only()""",
    ]),
]


class PostgresStore(Store):
    placeholder = "%s"

    def __init__(self, url: str):
        super().__init__()
        self.url = url

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError as exc:
            raise DataError("a PostgreSQL curation store needs psycopg: pip install "
                            "'syria-gazetteer[postgres]'") from exc
        try:
            return psycopg.connect(self.url, connect_timeout=10)
        except psycopg.Error as exc:
            raise DataError(f"cannot connect to the curation store: {exc}") from exc

    def _begin_write(self, conn: Any) -> None:
        conn.rollback()  # a fresh transaction, so the lock and the reads below share a snapshot
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def _insert_change(self, conn: Any, row: tuple) -> int:
        cur = self._execute(conn, "INSERT INTO curation_changes (kind, place_id, payload, author, "
                                  "reason, source, key_name, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                                  "?, ?) RETURNING id", row)
        return int(cur.fetchone()[0])

    def migrations(self) -> list[tuple[int, list[str]]]:
        return POSTGRES_MIGRATIONS

    def errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.errors.UndefinedTable,)
