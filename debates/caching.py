"""Whole-page caching for the pages that aggregate over everything (matrix,
compare, topics, timeline, the camps), invalidated by any change to the record.

A "data version" number lives in the shared cache (the database cache, so every
server process sees it); any save or delete of content bumps it, which retires
every cached page at once. Bulk loads call bump_data_version() themselves.
"""

import hashlib
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "portal:data-version"
PAGE_TIMEOUT = 24 * 3600


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_data_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet
        cache.add(VERSION_KEY, 2, timeout=None)


def cached_page(view):
    """Serve a GET from the cache while the data has not changed.

    Pages with a one-time message, or for a logged-in user, are never cached or
    served from it; only 200 responses are stored.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or len(messages.get_messages(request)) or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"portal:page:{data_version()}:{digest}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return wrapper
