"""The garbage collector paused while many objects that form no reference cycle are made.

Loading the gazetteer (~300,000 places, name entries and tables) and reading a long text (tens
of thousands of tokens and spans) make objects the collector's full passes walk for nothing:
a third of the load time, and a time per KB that grew with the text.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the block; leave it as found (off stays off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
