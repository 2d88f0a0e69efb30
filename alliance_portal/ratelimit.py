"""Rate limits that hold across every app server: one module any limit can use.

    from alliance_portal import ratelimit
    allowed = ratelimit.allow("comment", key, limit=5, window=600, database_count=count_since)

Where the count lives:

- With ``REDIS_URL`` set: in Redis (the ``default`` cache, Django's RedisCache), which
  every app server shares. Two counters per key, this window's and the last one's, give a
  sliding estimate (the last window's count weighted by how much of it still overlaps), so a
  burst across a window boundary cannot double the limit. ``INCR`` is atomic: two servers
  counting the same key at once both see the other's count. A refused attempt is given
  back, so only what was allowed counts (as with rows in the database).
- Without it: ``database_count(since)``, the caller's own rows since then, counted under
  the caller's own lock (the comment limit counts comments under an advisory lock), as the
  portal did before Redis; a caller with nothing to count passes no ``database_count`` and
  is then not limited without Redis.

If Redis does not answer, ``allow`` raises ``StoreUnavailable`` for a write (fail closed:
the middleware answers 503 "try again shortly", never an unlimited write), and a read may
pass ``fail_open=True`` to be let through. Redis is asked again on the next call, so
limits recover by themselves when it is back.
"""

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in requirements.txt

    class RedisError(Exception):
        pass


class StoreUnavailable(Exception):
    """The shared counter store does not answer; refuse the write and ask to retry."""

    retry_after = 10  # seconds, sent as Retry-After with the 503


def shared_store_configured() -> bool:
    return bool(settings.REDIS_URL)


def allow(
    scope: str,
    key: str,
    *,
    limit: int,
    window: int,
    database_count: Callable[[datetime], int] | None = None,
    fail_open: bool = False,
) -> bool:
    """Count one attempt of ``key`` in ``scope``; whether it is within ``limit`` per ``window`` seconds."""
    if not shared_store_configured():
        if database_count is None:
            return True
        return database_count(timezone.now() - timedelta(seconds=window)) < limit
    try:
        return _allow_in_redis(scope, key, limit=limit, window=window)
    except RedisError as error:
        if fail_open:
            return True
        raise StoreUnavailable(str(error)) from error


def _allow_in_redis(scope: str, key: str, *, limit: int, window: int) -> bool:
    store = caches["default"]
    now = time.time()
    bucket, into = divmod(now, window)
    current_key = f"portal:rate:{scope}:{key}:{int(bucket)}"
    previous_key = f"portal:rate:{scope}:{key}:{int(bucket) - 1}"
    store.add(current_key, 0, timeout=2 * window)  # a no-op when it exists
    try:
        current = store.incr(current_key)
    except ValueError:  # evicted between the two calls (Redis under its memory limit)
        store.set(current_key, 1, timeout=2 * window)
        current = 1
    previous = store.get(previous_key, 0)
    estimate = previous * (1 - into / window) + current
    if estimate > limit:
        store.decr(current_key)  # a refused attempt does not count
        return False
    return True
