"""The ETag a cached page is served with; ConditionalGetMiddleware answers 304 on a match."""

import hashlib

from pagecache.csrf import has_slot


def etag_of(content: bytes) -> str:
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    # A page with a form differs from reader to reader only by its CSRF token, which
    # the reader's copy still holds valid: the same page in all that matters (weak).
    return f'W/"{digest}"' if has_slot(content) else f'"{digest}"'
