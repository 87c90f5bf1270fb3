"""gunicorn settings for the service: ``gunicorn -c python:service.gunicorn_conf service.wsgi:app``.

``gazetteer serve`` uses the same defaults. The work is CPU-bound Python, so one worker process
per core.  Workers are gevent's: an idle or slow client (one that sends its request a byte at a
time) costs a greenlet waiting on its socket, not a thread, so hundreds of them do not stall a
worker (with gthread, 8 such clients took every thread); a request's CPU work runs as soon as its
request has arrived, and the long ones (batch, parse) run in a native thread so that the others
are still answered meanwhile (``service.blocking``).
The app is preloaded: the master loads the gazetteer once and the forked workers share its pages.
Each setting can be overridden on the command line (``--workers 4``) or with GUNICORN_CMD_ARGS.
"""
from __future__ import annotations

import gc
import os

bind = os.environ.get("GAZETTEER_SERVICE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GAZETTEER_SERVICE_WORKERS", 0)) or max(2, os.cpu_count() or 1)
worker_class = "gevent"
worker_connections = 1000  # open connections per worker (gevent)
threads = int(os.environ.get("GAZETTEER_SERVICE_THREADS", 4))  # gthread only
preload_app = True
timeout = 60  # a worker silent this long is killed and replaced (a batch of 5,000 rows takes ~5 s)
graceful_timeout = 30
keepalive = 5
backlog = 2048
# Request line and headers: bounded (the body is bounded by the app: MAX_CONTENT_LENGTH).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = None  # "-" for stdout
errorlog = "-"
loglevel = "info"
proc_name = "gazetteer-service"
# gunicorn >= 25.1 opens a control socket at one fixed path per user: two servers (a test and a
# bench, say) would fight over it. Not needed here.
control_socket_disable = True


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn hook
    # The preloaded gazetteer never changes: keep the GC from touching (and so copying) its pages
    # in the forked workers.
    gc.freeze()


def post_fork(server, worker) -> None:  # noqa: ANN001 - gunicorn hook
    # gunicorn's own errors (request line too long, malformed header) as problem+json
    from service import gunicorn_errors

    gunicorn_errors.install()
