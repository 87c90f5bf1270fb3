"""A bounded LRU cache of answers, per worker process: ``GET /v1/geocode`` asked again with the
same query and options is answered without geocoding or encoding it again.

Keyed by the request's validated, normalised inputs (the query as written, since the answer
echoes it, and every option that changes the answer), and by the query string as sent (so a
request seen before skips even reading its parameters: they are checked the same way each
time, and errors are never cached), holding the encoded body and its media type, so a cached
answer is byte for byte the one computed (the headers are set after, the same way for both).
Bounded by entries and by bytes; ``RESPONSE_CACHE_SIZE = 0`` turns it off.
The data never changes while a process runs (a new gazetteer means a new process), so entries
never go stale.
"""
from __future__ import annotations

import threading
from typing import Hashable

Entry = tuple[bytes, str]  # body, media type


class ResponseCache:
    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: dict[Hashable, Entry] = {}  # insertion order = recency order
        self._bytes = 0
        self._lock = threading.Lock()  # batch and parse run in native threads
        self.hits = self.misses = 0
        self.generation = 0  # the data's version the answers belong to (see follow)

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable) -> Entry | None:
        with self._lock:
            entry = self._data.pop(key, None)
            if entry is None:
                self.misses += 1
                return None
            self._data[key] = entry  # the most recent now
            self.hits += 1
            return entry

    def follow(self, generation: int) -> None:
        """Forget every answer when the data they were computed from changed (a curation
        change, ``generation`` being the overlay's last change id)."""
        with self._lock:
            if generation != self.generation:
                self._data.clear()
                self._bytes = 0
                self.generation = generation

    def put(self, key: Hashable, entry: Entry) -> None:
        size = len(entry[0])
        if not self.enabled or size > self.max_bytes // 16:  # one huge answer: not worth it
            return
        with self._lock:  # bytes are counted per key, even when two keys share one body
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._data[key] = entry
            self._bytes += size
            while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                oldest = next(iter(self._data))
                self._bytes -= len(self._data.pop(oldest)[0])
