"""Where curation changes and API keys are kept: an append-only table of changes, versioned schema.

Two engines behind one interface: SQLite (WAL, the default, one file in the user's data
directory) and PostgreSQL (``postgresql://...``, for several service instances; see
``postgres.py``).  Writers are serialised (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory
lock held to the commit), so change ids are given and committed in order: a reader that has seen
every change up to id N and asks for ``id > N`` can never miss one committed later with a
smaller id.  That is what lets each service worker follow the others by polling ``head()``.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from ..exceptions import DataError

DEFAULT_FILE = "curation.sqlite3"
OFF_WORDS = ("off", "0", "no", "false", "none")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Change:
    """One curation change as stored: what (kind, place, payload), who, when, why, source."""

    id: int
    kind: str  # add-alias | add-place | correct | retire | revert
    place_id: str
    payload: Mapping[str, Any]
    author: str
    reason: str
    source: str
    created_at: str
    key_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "place_id": self.place_id,
                "payload": dict(self.payload), "author": self.author, "reason": self.reason,
                "source": self.source, "created_at": self.created_at, "key_name": self.key_name}


@dataclass(frozen=True)
class NewChange:
    """A change before it is stored (no id, no time yet)."""

    kind: str
    place_id: str
    payload: Mapping[str, Any]
    author: str
    reason: str
    source: str = ""
    key_name: str | None = None
    place_id_from_id: bool = field(default=False)  # add-place: the id is "U:<change id>"


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None


class ProcessLock:
    """A re-entrant lock made in the process that uses it, on first use: after a fork (gunicorn
    preloads, then forks workers) and after gevent has patched ``threading`` in the worker, so
    that it is a greenlet lock there and a thread lock elsewhere."""

    def __init__(self) -> None:
        self._pid: int | None = None
        self._lock: Any = None

    def get(self) -> Any:
        if self._pid != os.getpid():
            self._lock = threading.RLock()
            self._pid = os.getpid()
        return self._lock


# -- schema migrations: (version, statements); each runs once, in order, under the write lock --
SQLITE_MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        """CREATE TABLE curation_changes (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               kind TEXT NOT NULL, place_id TEXT NOT NULL, payload TEXT NOT NULL,
               author TEXT NOT NULL, reason TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',
               key_name TEXT, created_at TEXT NOT NULL)""",
        """CREATE TABLE curation_keys (
               name TEXT PRIMARY KEY, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
               created_at TEXT NOT NULL, revoked_at TEXT)""",
    ]),
    (2, [  # the change table is the audit log: append-only, enforced by the engine
        """CREATE TRIGGER curation_changes_no_update BEFORE UPDATE ON curation_changes
           BEGIN SELECT RAISE(ABORT, 'curation_changes is append-only'); END""",
        """CREATE TRIGGER curation_changes_no_delete BEFORE DELETE ON curation_changes
           BEGIN SELECT RAISE(ABORT, 'curation_changes is append-only'); END""",
    ]),
]
SCHEMA_VERSION = max(v for v, _ in SQLITE_MIGRATIONS)


class Store:
    """The interface both engines share.  Subclasses give ``_connect``, ``_write_lock`` and
    the SQL that differs; everything else is plain SQL with ``%s``/``?`` placeholders."""

    url: str
    placeholder = "?"

    def __init__(self) -> None:
        self._conn = None
        self._pid = None
        self._lock = ProcessLock()
        self._inherited: list[Any] = []

    # -- connection: one per process (re-opened after a fork), used under a lock -------------
    @contextmanager
    def _connection(self) -> Iterator[Any]:
        with self._lock.get():
            if self._conn is not None and self._pid != os.getpid():
                # a connection the parent opened before forking (gunicorn preloads): never used
                # or closed here (closing would end the parent's session), only kept alive
                self._inherited.append(self._conn)
                self._conn = None
            if self._conn is None:
                self._conn = self._connect()
                self._pid = os.getpid()
            yield self._conn

    def close(self) -> None:
        with self._lock.get():
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def _sql(self, text: str) -> str:
        return text.replace("?", self.placeholder)

    @contextmanager
    def write(self) -> Iterator[Any]:
        """A write transaction holding the store's one write lock (committed on exit)."""
        with self._connection() as conn:
            self._begin_write(conn)
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    # -- schema -------------------------------------------------------------------------------
    def migrate(self) -> int:
        """Bring the schema to ``SCHEMA_VERSION``; return the version it was at."""
        with self.write() as conn:
            self._execute(conn, "CREATE TABLE IF NOT EXISTS curation_schema ("
                                "version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
            before = self._scalar(conn, "SELECT MAX(version) FROM curation_schema") or 0
            if before > SCHEMA_VERSION:
                raise DataError(f"the curation store {self.url} has schema version {before}; this "
                                f"version of the gazetteer knows up to {SCHEMA_VERSION}: upgrade it")
            for version, statements in self.migrations():
                if version <= before:
                    continue
                for statement in statements:
                    self._execute(conn, statement)
                self._execute(conn, "INSERT INTO curation_schema (version, applied_at) VALUES (?, ?)",
                              (version, utc_now()))
        return before

    def schema_version(self) -> int:
        with self._connection() as conn:
            try:
                value = self._scalar(conn, "SELECT MAX(version) FROM curation_schema")
            except self.errors():
                conn.rollback()
                return 0
            conn.rollback()  # end the read transaction (PostgreSQL opens one)
            return value or 0

    # -- changes ------------------------------------------------------------------------------
    def append(self, conn: Any, change: NewChange) -> Change:
        """Store ``change`` inside a ``write()`` transaction; the stored change (with its id)."""
        created = utc_now()
        row = (change.kind, change.place_id, json.dumps(dict(change.payload), ensure_ascii=False,
                                                        sort_keys=True),
               change.author, change.reason, change.source, change.key_name, created)
        new_id = self._insert_change(conn, row)
        place_id = change.place_id
        if change.place_id_from_id:
            from .model import new_place_id

            place_id = new_place_id(new_id)
        return Change(new_id, change.kind, place_id, dict(change.payload), change.author,
                      change.reason, change.source, created, change.key_name)

    def changes(self, conn: Any | None = None, *, after: int = 0) -> list[Change]:
        """Every change with an id above ``after``, in id order."""
        query = ("SELECT id, kind, place_id, payload, author, reason, source, created_at, key_name "
                 "FROM curation_changes WHERE id > ? ORDER BY id")
        if conn is not None:
            rows = self._fetchall(conn, query, (after,))
        else:
            with self._connection() as own:
                rows = self._fetchall(own, query, (after,))
                own.rollback()
        from .model import new_place_id

        out = []
        for i, kind, place_id, payload, author, reason, source, created, key_name in rows:
            if kind == "add-place":
                place_id = new_place_id(i)
            out.append(Change(int(i), kind, place_id, json.loads(payload), author, reason, source,
                              created, key_name))
        return out

    def head(self) -> int:
        """The id of the last change (0 when there is none): one cheap index lookup."""
        with self._connection() as conn:
            value = self._scalar(conn, "SELECT MAX(id) FROM curation_changes")
            conn.rollback()
            return int(value or 0)

    # -- API keys -----------------------------------------------------------------------------
    def add_key(self, name: str, role: str, key_hash: str) -> ApiKey:
        created = utc_now()
        with self.write() as conn:
            if self._fetchall(conn, "SELECT 1 FROM curation_keys WHERE name = ?", (name,)):
                from .errors import Refused

                raise Refused("key-exists", f"an API key named {name!r} exists already; revoke it "
                                            f"or choose another name")
            self._execute(conn, "INSERT INTO curation_keys (name, role, key_hash, created_at) "
                                "VALUES (?, ?, ?, ?)", (name, role, key_hash, created))
        return ApiKey(name, role, created)

    def revoke_key(self, name: str) -> bool:
        with self.write() as conn:
            found = self._fetchall(conn, "SELECT revoked_at FROM curation_keys WHERE name = ?",
                                   (name,))
            if not found or found[0][0]:
                return False
            self._execute(conn, "UPDATE curation_keys SET revoked_at = ? WHERE name = ?",
                          (utc_now(), name))
        return True

    def key_by_hash(self, key_hash: str) -> ApiKey | None:
        with self._connection() as conn:
            rows = self._fetchall(conn, "SELECT name, role, created_at, revoked_at FROM "
                                        "curation_keys WHERE key_hash = ?", (key_hash,))
            conn.rollback()
        return ApiKey(*rows[0]) if rows else None

    def keys(self) -> list[ApiKey]:
        with self._connection() as conn:
            rows = self._fetchall(conn, "SELECT name, role, created_at, revoked_at FROM "
                                        "curation_keys ORDER BY name")
            conn.rollback()
        return [ApiKey(*r) for r in rows]

    # -- SQL helpers --------------------------------------------------------------------------
    def _execute(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        return conn.execute(self._sql(sql), tuple(params))

    def _fetchall(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self._execute(conn, sql, params).fetchall())

    def _scalar(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._fetchall(conn, sql, params)
        return rows[0][0] if rows else None

    # -- per engine ---------------------------------------------------------------------------
    def _connect(self) -> Any:
        raise NotImplementedError

    def _begin_write(self, conn: Any) -> None:
        raise NotImplementedError

    def _insert_change(self, conn: Any, row: tuple) -> int:
        raise NotImplementedError

    def migrations(self) -> list[tuple[int, list[str]]]:
        raise NotImplementedError

    def errors(self) -> tuple[type[BaseException], ...]:
        raise NotImplementedError


class SQLiteStore(Store):
    """One SQLite file in WAL mode; ``synchronous=FULL``: a commit that returned is on disk."""

    def __init__(self, path: str | os.PathLike):
        super().__init__()
        self.path = Path(path)
        self.url = str(self.path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except (OSError, sqlite3.Error) as exc:
            raise DataError(f"cannot open the curation store {self.path}: {exc}") from exc
        return _AutoBegin(conn)

    def _begin_write(self, conn: Any) -> None:
        conn.begin("BEGIN IMMEDIATE")  # takes the write lock now: checks see the latest state

    def _insert_change(self, conn: Any, row: tuple) -> int:
        cur = self._execute(conn, "INSERT INTO curation_changes (kind, place_id, payload, author, "
                                  "reason, source, key_name, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                                  "?, ?)", row)
        return int(cur.lastrowid)

    def migrations(self) -> list[tuple[int, list[str]]]:
        return SQLITE_MIGRATIONS

    def errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.OperationalError,)


class _AutoBegin:
    """A sqlite3 connection in autocommit mode whose reads need no transaction and whose
    writes are explicit ``BEGIN IMMEDIATE ... COMMIT`` (``rollback`` outside one is a no-op)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def begin(self, statement: str) -> None:
        self._conn.execute(statement)

    def commit(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()


def default_location() -> Path:
    """``$XDG_DATA_HOME/syria-gazetteer/curation.sqlite3`` (default ``~/.local/share``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                            "share")
    return Path(base) / "syria-gazetteer" / DEFAULT_FILE


def configured_location() -> str | None:
    """What ``$GAZETTEER_CURATION`` names (a path or a ``postgresql://`` URL), None when it is
    off, else the default SQLite file."""
    env = os.environ.get("GAZETTEER_CURATION")
    if env is not None and env.strip().lower() in OFF_WORDS:
        return None
    return env.strip() if env and env.strip() else str(default_location())


def open_store(location: str | os.PathLike, *, create: bool = True) -> Store | None:
    """The store at ``location`` (a file path or a PostgreSQL URL), migrated to the current
    schema.  ``create=False``: None when a SQLite file does not exist yet (reading never
    creates one)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        store: Store = PostgresStore(text)
    else:
        if text.startswith("sqlite:///"):
            text = text[len("sqlite:///") - 1:]
        if not create and not Path(text).exists():
            return None
        store = SQLiteStore(text)
    store.migrate()
    return store


def configured_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], str]:
    """``rows`` with the overlay of the configured store applied (``gazetteer validate``), and
    words saying which store ("" when there is none)."""
    location = configured_location()
    store = open_store(location, create=bool(os.environ.get("GAZETTEER_CURATION"))) \
        if location else None
    if store is None:
        return rows, ""
    from .model import OverlayState, curated_rows

    state = OverlayState()
    state.apply(store.changes())
    store.close()
    return curated_rows(rows, state)[0], f" + curation {store.url} ({len(state.active())} changes)"
