"""gunicorn settings for `make serve` and production. Every value can be overridden
from the environment; see README.md "Production"."""

import gc
import multiprocessing
import os

from alliance_portal.logs import JSON_FORMATTER

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: the classic recommendation of 2 per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Long enough for a full CSV export (a million rows streams in under a minute here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Load the application once in the master and fork the workers from it: a worker
# starts in milliseconds, so recycling one is invisible in the latencies. (A code
# change then needs a restart, not a HUP.) No database connection is opened at import.
preload_app = True
# No runtime control socket: it lives in one place per user (~/.gunicorn), so two servers
# (make serve beside a test run) would fight over it, and nothing here uses gunicornc.
control_socket_disable = True


def pre_fork(server, worker):
    """Everything loaded with the application lives as long as the worker: keep it
    out of the garbage collector's scans (gc.freeze), which also keeps those memory
    pages shared between the workers instead of copied."""
    gc.freeze()


# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Requests with over-long lines or headers are refused by gunicorn itself.
limit_request_line = 4094
limit_request_fields = 100

# One JSON object per line on stderr, for access and error logs alike.
# Behind nginx the peer (%(h)s) is nginx itself; the reader's address is the last entry nginx
# appended to X-Forwarded-For (nginx's own access log has it as "client").
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" forwarded_for="%({x-forwarded-for}i)s"'
accesslog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
