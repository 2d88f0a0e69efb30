"""Where cached pages are kept, and the data version that names them.

Two levels: each process keeps recent pages in memory (the ``pages`` cache,
bounded), and every process shares them through the database cache
(``default``), so a page is rendered once per version, not once per worker. A
hit costs one query (the version) and no rendering.
"""

import hashlib

from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

PAGE_TIMEOUT = 24 * 3600
LOCAL_MAX_BYTES = 512 * 1024  # bigger pages are kept in the shared cache only


def data_version() -> int:
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


def get(key: str):
    """The stored (content, content type, ETag), or None."""
    entry = local_cache().get(key)
    if entry is None:
        entry = shared_cache.get(key)
        if entry is not None and len(entry[0]) <= LOCAL_MAX_BYTES:
            local_cache().set(key, entry, PAGE_TIMEOUT)
    return entry


def put(key: str, entry) -> None:
    """Share a page without waiting for the disk: a cache entry lost in a crash is
    only a page rendered again (the rest of the record keeps its synchronous commits)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        shared_cache.set(key, entry, PAGE_TIMEOUT)
    if len(entry[0]) <= LOCAL_MAX_BYTES:
        local_cache().set(key, entry, PAGE_TIMEOUT)
