"""The production gunicorn configuration: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set from the environment (the `.env` file is Django's and
is not read here; a process manager sets these):

    GUNICORN_BIND            address to listen on             127.0.0.1:8000
    WEB_CONCURRENCY          worker processes                 2 × cores + 1
    GUNICORN_THREADS         threads per worker               1
    GUNICORN_ACCESS_LOG      a line per request on stdout     off
    GUNICORN_CONTROL_SOCKET  gunicornc's socket (a path)      none

One thread per worker (gunicorn's "sync" worker): a page is mostly template
rendering, which holds the GIL, so a second thread in the same process adds
little throughput and shares the process's memory peak; a whole process per
request keeps one slow export from slowing the page beside it and makes each
worker's memory its own request's. The cost is that a sync worker is held by
a slow client: it belongs behind a proxy that buffers requests and responses
(nginx, or the platform's load balancer), which also ends TLS. With
GUNICORN_THREADS above 1 gunicorn switches to its "gthread" worker, which also
keeps idle connections open for `keepalive` seconds.

`make bench` runs the site with this file (manage.py bench).
"""

import gc
import os
from pathlib import Path


def _whole_number(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}.") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1; got {raw!r}.")
    return value


def _switched_on(name):
    raw = os.environ.get(name, "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise SystemExit(f"{name} must be one of true/false, yes/no, on/off or 1/0; got {raw!r}.")


def _cores():
    # The cores this process may run on, which a container or taskset limits.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


bind = os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"
workers = _whole_number("WEB_CONCURRENCY", 2 * _cores() + 1)
threads = _whole_number("GUNICORN_THREADS", 1)

# A request still running after this many seconds is a bug or an attack: its
# worker is killed and replaced. Pages are bounded far below it; the longest
# request is an unfiltered export, streamed: all 100,000 generated agreements
# with their citations take about 40 s to send.
timeout = _whole_number("GUNICORN_TIMEOUT", 120)
# On a restart or a redeploy, requests in flight get this long to finish.
graceful_timeout = 30
# Idle keep-alive connections from the proxy (gthread workers only).
keepalive = 5

# Each worker is replaced after about a thousand requests (the jitter keeps
# them from all restarting at once), which returns memory a long-lived process
# would otherwise keep: a large export's peak, fragmentation, a slow leak.
max_requests = 1000
max_requests_jitter = 100

# The application is imported once, in the master, before the workers fork:
# they start in milliseconds and share its memory until they write to it. A
# new release therefore needs a restart, not a HUP.
preload_app = True

# Python's cyclic garbage collector, tuned as for any preloaded server. The
# objects the master made while loading the application live as long as the
# worker, so they are frozen out of every collection (gc.freeze, before each
# fork: the worker's collections then neither walk nor write to them, which
# also keeps their pages shared). A page allocates tens of thousands of
# objects, nearly all freed by reference counting; at Python's default of a
# collection every 700 allocations, the collector ran dozens of times a page.
# Measured in-process on the fixtures (median, p95): a filtered list 4.8, 6.3
# ms → 4.5, 4.8 ms; a partner page 7.9, 11.0 → 7.4, 8.7; the "ok" view
# unchanged. A worker's memory grows by a few MB at most between collections.
GC_THRESHOLDS = (50_000, 50, 100)


def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.set_threshold(*GC_THRESHOLDS)


# Workers' heartbeat files in memory: on a disk-backed /tmp, fchmod can stall a
# worker long enough to be killed as hung (gunicorn's "blocking os.fchmod").
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# Errors go to stderr; the proxy in front already logs every request.
errorlog = "-"
accesslog = "-" if _switched_on("GUNICORN_ACCESS_LOG") else None

# gunicorn 25.1+ opens a control socket at one fixed path per user by default,
# which two instances on one machine would share: only where asked for.
if os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip():
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"].strip()
else:
    control_socket_disable = True
