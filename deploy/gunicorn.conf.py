"""Gunicorn in production, behind nginx (deploy/nginx/karnameh.conf):

    gunicorn -c deploy/gunicorn.conf.py

Everything can be changed from the environment (systemd's EnvironmentFile, deploy/env.example):
WEB_CONCURRENCY, GUNICORN_BIND, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, FORWARDED_ALLOW_IPS,
GUNICORN_WORKER_TMP_DIR, GUNICORN_LOG_LEVEL, LOG_FORMAT.
"""

import multiprocessing
import os
from pathlib import Path

# A production server never falls back to the development settings (DEBUG on, a known key)
# that config/wsgi.py defaults to.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

wsgi_app = "config.wsgi:application"
proc_name = "karnameh"

# nginx on the same machine talks to this address: loopback TCP, or a unix socket
# ("unix:/run/karnameh/gunicorn.sock", the unit's RuntimeDirectory). Never a public address:
# TLS, the upload limit and the static files are nginx's.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]

# Sync workers, one more than the cores. Requests are CPU-bound Python (threads would share
# one interpreter lock); the extra worker fills the core a worker leaves idle while it waits on
# PostgreSQL. Measured on 2 cores at the deadline peak: 3 workers gave p95 99 ms where 5
# (the usual 2 × cores + 1) gave 400 ms, and 15.1 ms of CPU a request against 18.6
# (docs/reliability.md). WEB_CONCURRENCY overrides it, e.g. where PostgreSQL has its own machine.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
worker_class = "sync"

# The slowest page renders a PDF inline (a report card, about 1 s; the province report more);
# a worker silent for longer than this is killed and restarted, and nginx answers 504 first
# only if its proxy_read_timeout (65 s) is shorter, which it is not.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a restart (systemctl reload: HUP), requests under way get this long to finish.
graceful_timeout = 30
# No keepalive setting: the sync worker closes each connection after its answer whatever it
# says; nginx keeps the browsers' connections open.

# A worker is replaced after this many requests (plus up to 10 % at random, so that the
# workers do not all restart at once): a slow leak in a library cannot grow without end.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max(max_requests // 10, 1)

# Trust X-Forwarded-Proto only from nginx on this machine (unix sockets are always trusted).
# Django reads the same header itself (SECURE_PROXY_SSL_HEADER), so nginx must always set it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No control socket (gunicorn 25+ makes one in $XDG_RUNTIME_DIR or ~/.gunicorn for its
# gunicornc tool): systemd signals the master (reload: HUP), and a read-only home under the
# unit's ProtectSystem=strict must not matter. Older gunicorns ignore the name.
control_socket_disable = True

# The workers' heartbeat files: in memory, where a busy or read-only disk cannot stall them
# (the systemd unit gives its own tmpfs, /run/karnameh).
if os.environ.get("GUNICORN_WORKER_TMP_DIR"):
    worker_tmp_dir = os.environ["GUNICORN_WORKER_TMP_DIR"]
elif Path("/dev/shm").is_dir():  # noqa: S108 (gunicorn makes its files there with mkstemp)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Both logs on the standard streams, for journald. In JSON (karnameh.common.logs): one object
# a line with the same names as the application's own request lines (method, path, status,
# duration_ms), plus the client's address, bytes and user agent. LOG_FORMAT=text for
# gunicorn's own plain format.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "karnameh.common.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
