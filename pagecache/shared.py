"""The shared level of the page cache: the pages every server process reads and writes.

Two kinds, by where the portal runs (settings.CACHES["default"]):

- ``DatabasePages``, the one app server case (no Redis): a table of its own in PostgreSQL,
  ``portal_page``, UNLOGGED (no write-ahead log: a cached page lost in a crash is only a page
  rendered again; a standby has none, and it is only ever read on the primary). A lookup is
  one query that also says whether any of the page's tags changed since it rendered, and a
  store is one statement that also gives up the render lock. Django's database cache, which
  kept pages here before, costs eight round trips a store (a transaction, a COUNT for its
  cull, a SELECT, then the write) and a second query for the freshness.
- ``CachePages``, Redis (REDIS_URL, several app servers): Django's cache API, one round trip
  each; the freshness is asked of the database separately (pagecache.store.changed_since).

The table is bounded: every ``CULL_EVERY``-th store in a process deletes what is beyond the
newest ``settings.PORTAL_SHARED_PAGES`` pages, and pages stored more than a day ago (their keys
name a past day: pagecache.store.key_for).
"""

import itertools
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

CULL_EVERY = 100
TABLE = "portal_page"


class Entry(NamedTuple):
    """A stored page."""

    rendered_at: int  # the data version read before it rendered
    tags: tuple  # what it was rendered from
    content: bytes
    content_type: str
    etag: str


class CachePages:
    """Pages in the ``default`` cache (Redis)."""

    def get(self, key: str, newer_than: int):
        """The stored page if it rendered after ``newer_than``, and None: whether its tags
        changed is not known here."""
        entry = cache.get(key)
        if entry is None or entry.rendered_at <= newer_than:
            return None, None
        return entry, None

    def put(self, key: str, entry, timeout: int, lock=None) -> None:
        cache.set(key, entry, timeout)

    def clear(self) -> None:
        cache.clear()


class DatabasePages:
    """Pages in PostgreSQL's ``portal_page`` (migration pagecache 0004)."""

    def __init__(self):
        self._stores = itertools.count(1)

    def get(self, key: str, newer_than: int):
        """The stored page if it rendered after ``newer_than``, and whether any of its tags
        changed since (in the database: this connection's uncommitted changes are not seen)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rendered_at, tags, content, content_type, etag,"  # noqa: S608 - a constant
                f" EXISTS (SELECT 1 FROM portal_page_tag AS tag"
                f"  WHERE tag.changed > page.rendered_at AND tag.name = ANY(page.tags))"
                f" FROM {TABLE} AS page WHERE key = %s AND rendered_at > %s",
                [key, newer_than],
            )
            row = cursor.fetchone()
        if row is None:
            return None, None
        rendered_at, tags, content, content_type, etag, changed = row
        return Entry(rendered_at, tuple(tags), bytes(content), content_type, etag), changed

    def put(self, key: str, entry, timeout: int, lock=None) -> None:
        """Store the page unless a newer render of it is already stored, and release ``lock``
        (a held pagecache.store.RenderLock) in the same round trip."""
        unlock = lock is not None and lock.held
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH stored AS ("  # noqa: S608 - a constant
                f" INSERT INTO {TABLE} (key, rendered_at, tags, content, content_type, etag, stored_at)"
                f" VALUES (%s, %s, %s::text[], %s, %s, %s, now())"
                f" ON CONFLICT (key) DO UPDATE SET rendered_at = EXCLUDED.rendered_at, tags = EXCLUDED.tags,"
                f"  content = EXCLUDED.content, content_type = EXCLUDED.content_type, etag = EXCLUDED.etag,"
                f"  stored_at = EXCLUDED.stored_at"
                f" WHERE {TABLE}.rendered_at <= EXCLUDED.rendered_at)"
                f" SELECT CASE WHEN %s THEN pg_advisory_unlock(%s) END",
                [
                    key,
                    entry.rendered_at,
                    list(entry.tags),
                    memoryview(entry.content),
                    entry.content_type,
                    entry.etag,
                    unlock,
                    lock.id if unlock else 0,
                ],
            )
        if unlock:
            lock.held = False
        if next(self._stores) % CULL_EVERY == 0:
            self.cull(timeout)

    def cull(self, timeout: int) -> int:
        """Delete pages beyond the newest ``PORTAL_SHARED_PAGES`` and those older than ``timeout``
        seconds; how many went."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE stored_at < now() - make_interval(secs => %s)"  # noqa: S608 - a constant
                f" OR key IN (SELECT key FROM {TABLE} ORDER BY stored_at DESC, key OFFSET %s)",
                [timeout, settings.PORTAL_SHARED_PAGES],
            )
            return cursor.rowcount

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant


_levels = {}


def level():
    """The shared level for the ``default`` cache as configured now."""
    kind = DatabasePages if isinstance(caches["default"], DatabaseCache) else CachePages
    if kind not in _levels:
        _levels[kind] = kind()
    return _levels[kind]
