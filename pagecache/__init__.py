"""Whole-page caching for the public pages, retired by the changes that show on them.

The public API, all an app needs:

- ``cached_page`` (a decorator for function views) and ``CachedPageMixin`` (for
  class-based views and feeds) opt a page in, naming the query parameters it
  reads and, optionally, the kinds of rows it lists (``lists=``, with
  ``every_kind_but(Model)`` for "the whole record but these") (pagecache.views);
- ``watch(Model, visible=…, parents=…)`` and ``exempt(Model, why=…)``, called from
  each app's ``AppConfig.ready()``, say which rows the pages show and which
  parents a change to a row shows on, and ``shows_children_of(row)`` from a
  view that lists a row's children (pagecache.registry);
- ``block(key, render)`` keeps a block of a page whose rows a query selects (a position
  page's "other side", the same on every position on its topics) and reuses it while
  none of those rows changed (pagecache.fragments);
- ``retire_all()`` retires every cached page, for writes that send no signals:
  ``update()``, bulk loads, raw SQL (pagecache.store).

How it works (pagecache.store): a page is stored under its scheme, host, path,
declared query parameters and the day, with the data version (a PostgreSQL
sequence) read before it rendered and the tags it was rendered from: the rows it
loaded, the kinds it lists. A change records the data version against its tags;
a page is fresh while none of its tags changed since it rendered, which costs a
reader one query. After a change one process renders the page again (an advisory
lock) while other readers get the previous render. Each process keeps recent
pages in memory in front of the cache all processes share; the comment form's
CSRF token is cut out of a stored page and a fresh one put back on each serve
(pagecache.csrf); each page carries an ETag of its content (pagecache.etag) and
says how it was served in ``X-Page-Cache`` (hit, stale or miss).
"""

from pagecache.fragments import block, blocks
from pagecache.registry import every_kind_but, exempt, shows_children_of, watch
from pagecache.store import retire_all
from pagecache.views import CachedPageMixin, cached_page

__all__ = [
    "CachedPageMixin",
    "block",
    "blocks",
    "cached_page",
    "every_kind_but",
    "exempt",
    "retire_all",
    "shows_children_of",
    "watch",
]
