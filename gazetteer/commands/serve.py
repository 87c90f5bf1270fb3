"""``gazetteer serve``: the HTTP API under gunicorn (never Flask's development server).

Same as ``gunicorn -c python:service.gunicorn_conf service.wsgi:app`` with --bind/--workers/...
"""
from __future__ import annotations

import argparse
import os
import sys


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0-65535, not {port}")
    return port


def positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    from service import gunicorn_conf as conf

    s = sub.add_parser("serve", help="serve the HTTP API (gunicorn); see /docs once started",
                       description="Serve the HTTP API with gunicorn: one worker per core with "
                       "threads, the gazetteer loaded once in the master and shared.")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    s.add_argument("--port", type=port_number, default=8000, help="port (default 8000)")
    s.add_argument("--workers", type=int, default=conf.workers,
                   help=f"worker processes (default {conf.workers}: one per core, at least 2)")
    s.add_argument("--threads", type=int, default=conf.threads,
                   help=f"threads per worker, gthread only (default {conf.threads})")
    s.add_argument("--worker-class", default=conf.worker_class,
                   choices=["gevent", "gthread", "sync"],
                   help="gevent (default: an idle or slow client costs a greenlet, not a thread), "
                   "gthread (threads; a slow client holds one) or sync (one request at a time per "
                   "process, no keep-alive: only behind a buffering proxy such as nginx)")
    s.add_argument("--timeout", type=int, default=conf.timeout,
                   help=f"seconds before a stuck worker is restarted (default {conf.timeout})")
    s.add_argument("--access-log", metavar="FILE", default=None,
                   help="write an access log to FILE ('-' for stdout); default: none")
    s.add_argument("--log-level", default=conf.loglevel,
                   choices=["debug", "info", "warning", "error", "critical"])
    s.add_argument("--no-preload", action="store_true",
                   help="load the gazetteer in each worker instead of once in the master")
    s.add_argument("--data", metavar="PATH", help="places.csv to serve (default: bundled data)")
    s.add_argument("--max-requests", type=int, default=0,
                   help="restart a worker after this many requests (default 0: never)")
    s.set_defaults(func=run)


def gunicorn_options(args: argparse.Namespace) -> dict[str, object]:
    from service import gunicorn_conf as conf

    host = args.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # IPv6 literal
    return {
        "bind": [f"{host}:{args.port}"],
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads,
        "worker_connections": conf.worker_connections,
        "preload_app": not args.no_preload,
        "timeout": args.timeout,
        "graceful_timeout": conf.graceful_timeout,
        "keepalive": conf.keepalive,
        "backlog": conf.backlog,
        "limit_request_line": conf.limit_request_line,
        "limit_request_fields": conf.limit_request_fields,
        "limit_request_field_size": conf.limit_request_field_size,
        "accesslog": args.access_log,
        "errorlog": conf.errorlog,
        "loglevel": args.log_level,
        "proc_name": conf.proc_name,
        "max_requests": args.max_requests,
        "max_requests_jitter": args.max_requests // 10,
        "when_ready": conf.when_ready,
        "post_fork": conf.post_fork,
        "control_socket_disable": conf.control_socket_disable,
    }


def run(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    from service import ConfigError, check_config, environment_config

    if args.workers < 1 or args.threads < 1:
        print("gazetteer serve: --workers and --threads must be at least 1", file=sys.stderr)
        return 2
    try:
        check_config(environment_config())  # before gunicorn starts: a message, not a trace
    except ConfigError as exc:
        print(f"gazetteer serve: {exc}", file=sys.stderr)
        return 2
    app_config = {"GAZETTEER_PATH": args.data} if args.data else {}
    options = gunicorn_options(args)

    class ServiceApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # control_socket_disable: gunicorn >= 25.1 only
                    self.cfg.set(key, value)

        def load(self):
            from service import create_app

            return create_app(app_config)

    if args.data:
        os.environ.setdefault("GAZETTEER_DATA", os.path.dirname(os.path.abspath(args.data)))
    ServiceApplication().run()
    return 0
