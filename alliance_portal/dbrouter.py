"""Reads from a streaming replica, writes to the primary (``DATABASE_REPLICA_URL``).

Installed only when a replica is configured (settings); without one, one database as
before. Who reads where, decided once per request by ``ReplicaReadsMiddleware`` and read
by the router through a context variable:

- **The primary** for every write; for any request that is not a plain read (POST and
  the like: a comment, an admin save, a login, under their own advisory locks and
  transactions); for whoever wrote in the last ``PORTAL_PIN_SECONDS`` (a signed cookie
  the middleware sets on any such request), so a commenter or a moderator reads their
  own writes while the replica catches up; for a reader with a session (moderators:
  readers never get one); for sessions, accounts, permissions and lock-outs whoever asks;
  and for everything outside a request (management commands, migrations, the tests).
- **The replica** for the rest: anonymous readers' pages and downloads.

Two guards keep a lagging or missing replica from showing:

- A page the page cache will store is stored under the data version read on the primary
  (pagecache.store). Rendered from a replica that has not yet replayed what the primary
  had written, it would keep stale content under a new version until the next change; so
  such a render reads the replica only if it has replayed up to the primary's current WAL
  position (``pg_last_wal_replay_lsn()`` against ``pg_current_wal_lsn()``, asked once
  per render), and the primary otherwise. Other reads (downloads, pages with a message)
  may lag by the replica's delay, typically milliseconds.
- A replica that does not answer (connect timeout ``DATABASE_REPLICA_CONNECT_TIMEOUT``,
  2 s) is left alone for ``PORTAL_REPLICA_RETRY_SECONDS`` (5 s): reads go to the
  primary meanwhile, then the replica is tried again, so it comes back by itself.
"""

import contextlib
import contextvars
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signals
from django.core.signing import BadSignature
from django.db import DatabaseError, connections

from pagecache.store import render_will_be_stored

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "portal_primary"
PIN_SALT = "alliance_portal.dbrouter.pin"
# Rows whose staleness would surprise someone: a session just created, a lock-out just set.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "admin", "contenttypes"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class _Reads:
    """One request's choice, and what was learned about the replica while serving it."""

    replica_allowed: bool = False
    replica_usable: bool | None = None  # asked at the first replica read
    fresh_enough: bool | None = None  # for a render the page cache stores


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("portal_reads", default=None)


@dataclass
class _ReplicaHealth:
    resting_until: float = 0.0
    failures: int = field(default=0)

    def available(self) -> bool:
        return time.monotonic() >= self.resting_until

    def failed(self, error: Exception) -> None:
        if self.available():
            logger.warning("Read replica unavailable (%s); reading from the primary for a while.", error)
        self.resting_until = time.monotonic() + settings.PORTAL_REPLICA_RETRY_SECONDS
        self.failures += 1


health = _ReplicaHealth()


def _replica_usable() -> bool:
    if not health.available():
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as error:
        with contextlib.suppress(DatabaseError):
            replica.close()
        health.failed(error)
        return False
    return True


def _replica_caught_up() -> bool:
    """Whether the replica has replayed everything the primary has written so far."""
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (written,) = cursor.fetchone()
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [written])
            (caught_up,) = cursor.fetchone()
    except DatabaseError as error:
        with contextlib.suppress(DatabaseError):
            connections[REPLICA].close()
        health.failed(error)
        return False
    return caught_up


def read_database() -> str:
    """Where this request's next read goes."""
    reads = _reads.get()
    if reads is None or not reads.replica_allowed:
        return PRIMARY
    if reads.replica_usable is None:
        reads.replica_usable = _replica_usable()
    if not reads.replica_usable:
        return PRIMARY
    if render_will_be_stored():
        if reads.fresh_enough is None:
            reads.fresh_enough = _replica_caught_up()
        if not reads.fresh_enough:
            return PRIMARY
    return REPLICA


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return read_database()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _pinned(request) -> bool:
    try:
        request.get_signed_cookie(PIN_COOKIE, salt=PIN_SALT, max_age=settings.PORTAL_PIN_SECONDS)
    except (KeyError, BadSignature):
        return False
    return True


class ReplicaReadsMiddleware:
    """Decide where this request reads (see the module docstring); pin whoever writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method in UNSAFE_METHODS
        replica_allowed = not (writes or _pinned(request) or settings.SESSION_COOKIE_NAME in request.COOKIES)
        # Left set until the response is closed (request_finished below): a streamed download
        # is read after this method returns.
        _reads.set(_Reads(replica_allowed=replica_allowed))
        response = self.get_response(request)
        if writes:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.PORTAL_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _request_finished(**kwargs):
    _reads.set(None)


signals.request_finished.connect(_request_finished, dispatch_uid="alliance_portal.dbrouter.request_finished")
