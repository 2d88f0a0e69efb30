"""Where cached pages are kept, and the data version that names them.

Two levels: each process keeps recent pages in memory (the ``pages`` cache,
bounded), and every process shares them through the ``default`` cache (the
database, or Redis when several app servers share it), so a page is rendered
once per version, not once per worker. A hit costs one query (the version) and
no rendering.

The shared level is only a cache: while a Redis behind it does not answer,
readers get their pages rendered (and the worker's memory level) instead of an
error, and the shared level is tried again after a short pause, so the portal
recovers by itself when Redis is back.
"""

import contextlib
import contextvars
import hashlib
import logging
import time

from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.utils import timezone

try:  # only needed when the shared level is Redis (REDIS_URL)
    from redis.exceptions import RedisError as SharedCacheError
except ImportError:  # pragma: no cover - redis is in requirements.txt

    class SharedCacheError(Exception):
        pass


logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 24 * 3600
LOCAL_MAX_BYTES = 512 * 1024  # bigger pages are kept in the shared cache only
SHARED_RETRY_SECONDS = 2.0  # after a failure, the shared level is left alone this long


_storing = contextvars.ContextVar("pagecache_storing", default=False)


@contextlib.contextmanager
def storing_render():
    """Around the render of a page that will be stored under the data version just read."""
    token = _storing.set(True)
    try:
        yield
    finally:
        _storing.reset(token)


def render_will_be_stored() -> bool:
    """Whether the page being rendered now will be stored under the current data version.

    For a database router with a read replica: such a render must read data at least as
    new as that version (read on the primary), or a stale page would outlive the lag."""
    return _storing.get()


def data_version() -> int:
    """The current data version, read on the primary (``connection`` is the default
    database, never a replica: a sequence read on a standby can be up to 32 ahead or
    behind, as PostgreSQL logs sequences 32 values at a time)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM portal_data_version")
        return cursor.fetchone()[0]


def _advance() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('portal_data_version')")


def retire_all() -> None:
    """Retire every cached page.

    Advanced at once (this transaction's own next page is fresh) and again at
    commit: another process may have cached a page from the old rows between the
    two, under the first new version.
    """
    _advance()
    if connection.in_atomic_block:
        transaction.on_commit(_advance)


def key_for(url: str) -> str:
    """A page's key: the data version, today's date and the URL. Pages say what is still
    ahead and what has passed (a policy's milestones), which changes at midnight with no
    change to the data, so every page is rendered afresh once a day too."""
    day = timezone.localdate().isoformat()
    return f"portal:page:{data_version()}:{day}:{hashlib.sha256(url.encode()).hexdigest()}"


def local_cache():
    return caches["pages"]


class _SharedLevel:
    """The shared cache, left alone for a moment after it failed to answer."""

    def __init__(self):
        self.resting_until = 0.0

    def available(self) -> bool:
        return time.monotonic() >= self.resting_until

    def failed(self, error: Exception) -> None:
        if self.available():  # one line per outage, not one per request
            logger.warning("Shared page cache unavailable (%s); rendering pages until it answers.", error)
        self.resting_until = time.monotonic() + SHARED_RETRY_SECONDS


_shared = _SharedLevel()


def get(key: str):
    """The stored (content, content type, ETag), or None."""
    entry = local_cache().get(key)
    if entry is None and _shared.available():
        try:
            entry = shared_cache.get(key)
        except SharedCacheError as error:
            _shared.failed(error)
            return None
        if entry is not None and len(entry[0]) <= LOCAL_MAX_BYTES:
            local_cache().set(key, entry, PAGE_TIMEOUT)
    return entry


def put(key: str, entry) -> None:
    """Share a page (and keep it in this process's memory if it is small)."""
    if len(entry[0]) <= LOCAL_MAX_BYTES:
        local_cache().set(key, entry, PAGE_TIMEOUT)
    if not _shared.available():
        return
    try:
        _put_shared(key, entry)
    except SharedCacheError as error:
        _shared.failed(error)


def _put_shared(key: str, entry) -> None:
    if not isinstance(caches["default"], DatabaseCache):
        shared_cache.set(key, entry, PAGE_TIMEOUT)
        return
    # The database cache: shared without waiting for the disk, as a cache entry lost in a
    # crash is only a page rendered again (the rest of the record keeps synchronous commits).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        shared_cache.set(key, entry, PAGE_TIMEOUT)
