"""Whole-page caching for the public pages, retired by any change to the record.

Any save or delete of content (signals in debates.apps; bulk updates and loads
call bump_data_version() themselves) advances the *data version*, a PostgreSQL
sequence every server process reads (created by debates' migration 0004). A
page is cached under that version, its scheme, host and full path, so a change
retires every cached page at once and nothing needs deleting.

Two levels: each process keeps recent pages in memory (the ``pages`` cache,
bounded), and every process shares them through the database cache, so a page
is rendered once per version, not once per worker. A hit costs one query (the
version) and no rendering.

Never cached, never served from the cache: anything but GET/HEAD, a logged-in
user (a moderator always gets a fresh render), a request carrying one-time messages, and
responses that are not 200 or that added a message while rendering (a warning
about an ignored filter is for that reader). The comment form's CSRF token is
cut out before a page is stored and a fresh one for the reader is put back on
every serve, so the form on a cached page still posts. Each page carries an
ETag of its content; a reader whose copy still matches gets a 304.
"""

import hashlib
import re
from functools import wraps

from django.contrib import messages
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import format_html

PAGE_TIMEOUT = 24 * 3600
LOCAL_MAX_BYTES = 512 * 1024  # bigger pages are kept in the shared cache only
CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
# Escaped text cannot contain "<", and sanitized comments cannot contain this tag.
CSRF_SLOT = b"<csrf-token-slot>"


def data_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM portal_data_version")
        return cursor.fetchone()[0]


def _advance() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('portal_data_version')")


def bump_data_version(**kwargs) -> None:
    """Retire every cached page. A signal receiver, so it takes any keyword arguments.

    Advanced at once (this transaction's own next page is fresh) and again at
    commit: another process may have cached a page from the old rows between the
    two, under the first new version.
    """
    _advance()
    if connection.in_atomic_block:
        transaction.on_commit(_advance)


def local_cache():
    return caches["pages"]


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def _serve(request, entry) -> HttpResponse:
    content, content_type, etag = entry
    if CSRF_SLOT in content:
        token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        content = content.replace(CSRF_SLOT, token.encode())
    response = HttpResponse(content, content_type=content_type)
    # ConditionalGetMiddleware answers 304 when the reader's copy still matches.
    response["ETag"] = etag
    return response


def _etag(content: bytes) -> str:
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    # A page with a form differs from reader to reader only by its CSRF token, which
    # the reader's copy still holds valid: the same page in all that matters (weak).
    return f'W/"{digest}"' if CSRF_SLOT in content else f'"{digest}"'


def _share(key: str, entry) -> None:
    """Store a page in the shared cache without waiting for the disk: a cache entry
    lost in a crash is only a page rendered again (the rest of the record keeps
    its synchronous commits)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        shared_cache.set(key, entry, PAGE_TIMEOUT)


def cached_page(view):
    """Serve a page from the cache while the data has not changed (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        key = f"portal:page:{data_version()}:{hashlib.sha256(url.encode()).hexdigest()}"
        entry = local_cache().get(key)
        if entry is None:
            entry = shared_cache.get(key)
            if entry is not None and len(entry[0]) <= LOCAL_MAX_BYTES:
                local_cache().set(key, entry, PAGE_TIMEOUT)
        if entry is not None:
            return _serve(request, entry)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or getattr(request, "_messages", None) is None:
            return response
        if request._messages.added_new:
            return response  # a message for this reader (an ignored filter, say)
        if hasattr(response, "render"):
            response.render()
        content = CSRF_INPUT.sub(CSRF_SLOT, response.content)
        entry = (content, response["Content-Type"], _etag(content))
        _share(key, entry)
        if len(content) <= LOCAL_MAX_BYTES:
            local_cache().set(key, entry, PAGE_TIMEOUT)
        response.headers.setdefault("ETag", entry[2])
        return response

    return wrapper
