"""Whole-page caching for the public pages, retired by any change to the record.

The public API, all an app needs:

- ``cached_page`` (a decorator for function views) and ``CachedPageMixin`` (for
  class-based views and feeds) opt a page in, naming the query parameters it
  reads (pagecache.views);
- ``watch(Model, visible=…)`` and ``exempt(Model, why=…)``, called from each
  app's ``AppConfig.ready()``, say which rows the pages show (pagecache.registry);
- ``retire_all()`` retires every cached page, for writes that send no signals:
  ``update()``, bulk loads, raw SQL (pagecache.store).

How it works: any save or delete of a watched row advances the *data version*,
a PostgreSQL sequence every server process reads (created by this app's
migration). A page is cached under that version, its scheme, host, path and
declared query parameters, so a change retires every cached page at once and
nothing needs deleting. Each process keeps recent pages in memory in front of
the database cache all processes share (pagecache.store); the comment form's
CSRF token is cut out of a stored page and a fresh one put back on each serve
(pagecache.csrf); each page carries an ETag of its content (pagecache.etag).
"""

from pagecache.registry import exempt, watch
from pagecache.store import retire_all
from pagecache.views import CachedPageMixin, cached_page

__all__ = ["CachedPageMixin", "cached_page", "exempt", "retire_all", "watch"]
