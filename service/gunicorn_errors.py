"""gunicorn's own error answers (a request line over the limit, a malformed header) as
problem+json, like every error of the app: gunicorn writes them before the app sees the request,
as text/html, through ``gunicorn.util.write_error``, which is replaced here in each worker
(``post_fork`` in ``gunicorn_conf``)."""
from __future__ import annotations

import json

from .problems import PROBLEM_MEDIA_TYPE


def problem_bytes(status: int, reason: str, detail: str) -> bytes:
    """A complete HTTP/1.1 response carrying an RFC 9457 problem; the connection is closed."""
    body = json.dumps({"type": "about:blank", "title": reason, "status": status,
                       "detail": detail or reason}, ensure_ascii=False).encode("utf-8")
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: {PROBLEM_MEDIA_TYPE}\r\nContent-Length: {len(body)}\r\n"
            "X-Content-Type-Options: nosniff\r\n\r\n")
    return head.encode("latin-1") + body


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:  # noqa: ANN001
    from gunicorn import util

    util.write_nonblock(sock, problem_bytes(int(status_int), str(reason), str(mesg)[:500]))


def install() -> None:
    """Make gunicorn write its errors as problem+json in this process."""
    from gunicorn import util

    util.write_error = write_problem
