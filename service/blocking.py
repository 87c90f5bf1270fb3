"""Long CPU work of a request, run so that the other requests of the worker are still answered.

Under gunicorn's gevent worker every request of a process shares one thread: a 5-second batch
would hold the others (``/livez`` too) for 5 seconds.  ``run_blocking`` runs such work in gevent's
pool of native threads; the interpreter then switches between it and the event loop every few
milliseconds.  Elsewhere (tests, gthread or sync workers) it simply calls the function.
"""
from __future__ import annotations

import sys
from typing import Callable, TypeVar

T = TypeVar("T")


def _gevent_patched() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("threading")


def run_blocking(fn: Callable[..., T], *args, **kwargs) -> T:
    if not _gevent_patched():
        return fn(*args, **kwargs)
    from gevent import get_hub

    return get_hub().threadpool.apply(fn, args, kwargs)
