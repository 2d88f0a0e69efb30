"""Where cached pages are kept, and what retires them.

**Retiring.** Every change advances the *data version* (a PostgreSQL sequence every server
process reads) and records it against the change's *tags* in ``portal_page_tag``: ``"any"``
(every change), the changed model's kind (``"debates.comment"``) and its rows
(``"debates.position:12"``, the comment's position). A page is stored with the data version
read before it rendered and the tags it was rendered from: the rows it loaded (collected
while it renders), the kinds its view declared it lists, ``"*"`` always, and ``"any"`` when
its view declared nothing. It stays fresh while none of its tags changed after that version:
an approved comment retires its position's page and the lists that show its count, not the
organization pages. ``retire_all()`` (the tag ``"*"``) retires every page, for bulk loads,
restores and raw SQL.

**No stampede.** A page is stored under its URL and the day, not under a version, so after a
change its previous render is still at hand: one process renders it (holding a PostgreSQL
advisory lock named after the page) while readers meanwhile get the previous render, which
is stale for as long as that one render takes. With no previous render to give (a page never
seen, or seen only before midnight), readers wait for the one render instead of rendering it
all at once, up to ``WAIT_SECONDS``.

**Two levels.** Each process keeps recent pages in memory (the ``pages`` cache, bounded), and
every process shares them (pagecache.shared: a table in the database, or Redis when several
app servers share it). A hit costs one query (have any of its tags changed?) and no
rendering; a first render three round trips beside its own queries (the lookup, the lock with
the data version, the store with the unlock). The shared level is only a cache: while a
Redis behind it does not answer, readers get their pages rendered (and the worker's memory
level) instead of an error, and the shared level is tried again after a short pause, so the
portal recovers by itself when Redis is back.
"""

import contextlib
import contextvars
import hashlib
import logging
import time

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from pagecache import release, shared
from pagecache.shared import Entry

__all__ = ["Entry"]  # a stored page (pagecache.shared)

try:  # only needed when the shared level is Redis (REDIS_URL)
    from redis.exceptions import RedisError as SharedCacheError
except ImportError:  # pragma: no cover - redis is in requirements.txt

    class SharedCacheError(Exception):
        pass


logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 24 * 3600
LOCAL_MAX_BYTES = 512 * 1024  # bigger pages are kept in the shared cache only
SHARED_RETRY_SECONDS = 2.0  # after a failure, the shared level is left alone this long
WAIT_SECONDS = 5.0  # how long a reader waits for another process's render of the same page
WAIT_STEP = 0.02

EVERY_PAGE = "*"  # the tag of retire_all(): every page was rendered from it
ANY_CHANGE = "any"  # every change carries it: the tag of a page that declared nothing


# ---------------------------------------------------------------------------------------
# The data version and the tags


def data_version() -> int:
    """The current data version, read on the primary (``connection`` is the default
    database, never a replica: a sequence read on a standby can be up to 32 ahead or
    behind, as PostgreSQL logs sequences 32 values at a time)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM portal_data_version")
        return cursor.fetchone()[0]


_VERSION_AND_EPOCH = (
    "CASE WHEN is_called THEN last_value ELSE 0 END,"
    " coalesce((SELECT changed FROM portal_page_tag WHERE name = %s), 0) FROM portal_data_version"
)


def data_version_and_epoch() -> tuple[int, int]:
    """The data version, and the version of the last ``retire_all()`` (pagecache.fragments)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_VERSION_AND_EPOCH}", [EVERY_PAGE])
        return _with_pending(*cursor.fetchone())


def _with_pending(version: int, epoch: int) -> tuple[int, int]:
    pending = connection.__dict__.get("_pagecache_pending")
    return version, max(epoch, pending.get(EVERY_PAGE, 0)) if pending else epoch


def _advance() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('portal_data_version')")
        return cursor.fetchone()[0]


def _record(tags) -> None:
    """Record a change to these tags under a new data version (sorted: concurrent writers
    lock the rows in the same order)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO portal_page_tag (name, changed)"
            " SELECT name, next.version FROM unnest(%s::text[]) AS name,"
            " (SELECT nextval('portal_data_version') AS version) AS next"
            " ON CONFLICT (name) DO UPDATE SET changed = EXCLUDED.changed",
            [sorted(tags)],
        )


def _pending() -> dict:
    """Tags this connection changed in a transaction not yet committed, with the version of
    the change: its own next pages must see the change, before anyone else can."""
    return connection.__dict__.setdefault("_pagecache_pending", {})


class _Batch:
    """What one transaction retired, recorded once when it commits."""

    def __init__(self):
        self.tags = set()

    def __call__(self):
        _record(self.tags)
        _pending().clear()


def _open_batch() -> _Batch:
    batch = connection.__dict__.get("_pagecache_batch")
    # A batch whose callback is no longer queued was committed, or rolled back with its transaction.
    if batch is None or not any(entry[1] is batch for entry in connection.run_on_commit):
        batch = _Batch()
        connection.__dict__["_pagecache_batch"] = batch
        transaction.on_commit(batch)
    return batch


def retire(tags) -> None:
    """Retire every page rendered from any of these tags.

    Outside a transaction, recorded at once. Inside one, recorded at commit (readers must
    not render the old rows under the new version), and seen at once by this connection's
    own pages: a page read back in the same transaction is fresh.
    """
    tags = set(tags)
    if not tags:
        return
    if not connection.in_atomic_block:
        _record(tags)
        return
    version = _advance()
    _pending().update(dict.fromkeys(tags, version))
    _open_batch().tags.update(tags)


def retire_all() -> None:
    """Retire every cached page: for writes that send no signals (``update()``, bulk loads,
    raw SQL). Advanced at once and again at commit, as ``retire()``."""
    retire({EVERY_PAGE})


def has_pending() -> bool:
    """Whether this connection changed something in a transaction not yet committed."""
    return bool(connection.__dict__.get("_pagecache_pending"))


def changed_since(version: int, tags) -> bool:
    """Whether any of these tags changed after that data version: the few tags changed since
    then are found by their version (an index), then matched against the page's tags."""
    if _pending_change_since(version, tags):
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM portal_page_tag WHERE changed > %s AND name = ANY(%s::text[]))",
            [version, list(tags)],
        )
        return cursor.fetchone()[0]


def _pending_change_since(version: int, tags) -> bool:
    """Whether this connection changed any of these tags after that version, not yet committed."""
    pending = connection.__dict__.get("_pagecache_pending")
    return bool(pending) and any(pending.get(tag, 0) > version for tag in tags)


def is_fresh(entry: Entry) -> bool:
    return not changed_since(entry.rendered_at, entry.tags)


# ---------------------------------------------------------------------------------------
# What a page is rendered from

_collected = contextvars.ContextVar("pagecache_collected", default=None)


@contextlib.contextmanager
def storing_render():
    """Around the render of a page that will be stored: yields the set of row tags the
    render loads (pagecache.registry notes each watched row as it is loaded)."""
    with _collecting(into=None) as tags:
        yield tags


def collecting():
    """Around part of a render (pagecache.fragments.block): yields the set of tags that part
    loads, which are noted on the page being rendered too, if any."""
    return _collecting(into=_collected.get())


@contextlib.contextmanager
def _collecting(into):
    tags = set()
    token = _collected.set(tags)
    try:
        yield tags
    finally:
        _collected.reset(token)
        if into is not None:
            into.update(tags)


def note(tag: str) -> None:
    """The page being rendered for storing shows this (a row it loaded)."""
    tags = _collected.get()
    if tags is not None:
        tags.add(tag)


def render_will_be_stored() -> bool:
    """Whether the page being rendered now will be stored as of the data version just read.

    For a database router with a read replica: such a render must read data at least as
    new as that version (read on the primary), or a stale page would outlive the lag."""
    return _collected.get() is not None


def page_tags(rows, kinds) -> tuple:
    """A page's tags: ``kinds`` (labels of what it lists), or every change when it declared none."""
    if kinds is None:
        return (EVERY_PAGE, ANY_CHANGE)
    # A row of a kind the page lists needs no tag of its own (a change to it changes the kind),
    # but the tag of its children stays (a position's card counts its comments).
    rows = {tag for tag in rows if tag.endswith("+") or tag.partition(":")[0] not in kinds}
    return (EVERY_PAGE, *sorted(kinds), *sorted(rows))


# ---------------------------------------------------------------------------------------
# Where pages are kept


def key_for(url: str) -> str:
    """A page's key: the release of the code, today's date and the URL. Pages say what is
    still ahead and what has passed (a policy's milestones), which changes at midnight with
    no change to the data, so every page is rendered afresh once a day too; a deploy renders
    every page afresh with the new templates (pagecache.release)."""
    day = timezone.localdate().isoformat()
    return f"portal:page:{release.fingerprint()}:{day}:{hashlib.sha256(url.encode()).hexdigest()}"


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


def _shared_get(key: str, newer_than: int):
    """A render of the page in the shared level newer than ``newer_than``, and whether its tags
    changed since (None: not known yet)."""
    if not _shared.available():
        return None, None
    try:
        return shared.level().get(key, newer_than)
    except SharedCacheError as error:
        _shared.failed(error)
        return None, None


def lookup(key: str) -> tuple[Entry | None, bool]:
    """The newest stored render of a page and whether it is fresh."""
    local = local_cache().get(key)
    if local is not None and is_fresh(local):
        return local, True
    stored, changed = _shared_get(key, -1 if local is None else local.rendered_at)
    if stored is None:
        return local, False
    if changed is None:
        fresh = is_fresh(stored)
    else:
        fresh = not changed and not _pending_change_since(stored.rendered_at, stored.tags)
    if fresh and len(stored.content) <= LOCAL_MAX_BYTES:
        local_cache().set(key, stored, PAGE_TIMEOUT)
    return stored, fresh


def put(key: str, entry: Entry, lock=None) -> None:
    """Share a page (and keep it in this process's memory if it is small); a held ``lock``
    (RenderLock) is released with it, or else by its own ``release()``."""
    if len(entry.content) <= LOCAL_MAX_BYTES:
        local_cache().set(key, entry, PAGE_TIMEOUT)
    if not _shared.available():
        return
    try:
        shared.level().put(key, entry, PAGE_TIMEOUT, lock)
    except SharedCacheError as error:
        _shared.failed(error)


def clear_shared() -> None:
    """Empty the shared level (a restore of older data; tests)."""
    shared.level().clear()


# ---------------------------------------------------------------------------------------
# One render at a time


class RenderLock:
    """The right to render one page: a session-level PostgreSQL advisory lock, shared by
    every process of every app server, and released with the connection if a process dies."""

    def __init__(self, key: str):
        self.id = int(hashlib.sha256(key.encode()).hexdigest()[:16], 16) - 2**63
        self.held = False
        self.as_of = None  # (data version, epoch), read with the lock: the render's own

    def try_acquire(self) -> bool:
        """Take the lock if no one holds it; once held, ``as_of`` is the data version and epoch
        read in the same round trip (data_version_and_epoch), before the render reads anything."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_try_advisory_lock(%s), {_VERSION_AND_EPOCH}", [self.id, EVERY_PAGE])
            self.held, version, epoch = cursor.fetchone()
        self.as_of = _with_pending(version, epoch) if self.held else None
        return self.held

    def release(self) -> None:
        if self.held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.id])
            self.held = False

    def wait(self, key: str) -> Entry | None:
        """Wait for another process's render: its page once stored, or None once this
        process holds the lock (that render gave no page to keep) or has waited long enough."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            entry, fresh = lookup(key)
            if fresh:
                return entry
            if self.try_acquire():
                return None
        logger.warning("Waited %.0f s for another render of a page; rendering it too.", WAIT_SECONDS)
        return None
