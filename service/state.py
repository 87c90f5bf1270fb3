"""The gazetteer a process serves: loaded once, in the app factory (or in the background)."""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

from gazetteer import Gazetteer

from .problems import Problem

log = logging.getLogger("service")


class GazetteerHolder:
    """Holds the one loaded :class:`Gazetteer` of this process and says whether it is ready."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self._gz = gazetteer
        self.error: str | None = None
        self.loaded_at: float | None = time.time() if gazetteer is not None else None
        self.load_seconds: float | None = 0.0 if gazetteer is not None else None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._gz is not None

    def load(self, path: str | Path | None = None,
             loader: Callable[..., Gazetteer] = Gazetteer.load) -> None:
        with self._lock:
            if self._gz is not None:
                return
            start = time.perf_counter()
            try:
                gz = loader(path)
            except Exception as exc:  # noqa: BLE001 - reported by /readyz, logged here
                self.error = f"{type(exc).__name__}: {exc}"
                log.exception("loading the gazetteer failed")
                raise
            self.load_seconds = time.perf_counter() - start
            self.loaded_at = time.time()
            self._gz = gz
            log.info("gazetteer loaded: %d places in %.2f s", len(gz), self.load_seconds)

    def load_in_background(self, path: str | Path | None = None,
                           after: Callable[[Gazetteer], None] | None = None) -> threading.Thread:
        def run() -> None:
            try:
                self.load(path)
            except Exception:  # noqa: BLE001 - kept in self.error
                return
            if after is not None:
                after(self.get())

        t = threading.Thread(target=run, name="gazetteer-load", daemon=True)
        t.start()
        return t

    def get(self) -> Gazetteer:
        """The gazetteer, or a 503 problem while it is not loaded."""
        gz = self._gz
        if gz is None:
            detail = ("the gazetteer failed to load; see the server log" if self.error
                      else "the gazetteer is still loading; retry in a few seconds")
            raise Problem(503, "not-ready", detail, headers={"Retry-After": "5"})
        return gz
