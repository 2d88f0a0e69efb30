"""Rendered fragments a page repeats from other pages (a position's card), kept in each
process's memory under a key naming everything the fragment shows, so a first render of a
page is mostly fragments already rendered for other pages.

A fragment's key holds the versions of the rows it shows (their ``updated_at``), and the
*epoch*: the data version of the last ``retire_all()``, which stands for every write that
sends no signals and bumps no ``updated_at``. The epoch is read once per page, with the data
version (pagecache.views); outside a page of the cache's (a form's error page, say) nothing
is kept.
"""

import contextlib
import contextvars
import threading
from collections import OrderedDict

from pagecache import release

MAX_FRAGMENTS = 5000  # per process; a card is ~2 kB

_epoch = contextvars.ContextVar("pagecache_fragment_epoch", default=None)
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


@contextlib.contextmanager
def as_of(epoch: int):
    """Around a page's render: fragments may be reused as of this epoch."""
    token = _epoch.set(epoch)
    try:
        yield
    finally:
        _epoch.reset(token)


def fragment(key: tuple, render) -> str:
    """The fragment under ``key`` (the versions of what it shows), rendered by ``render()`` once."""
    epoch = _epoch.get()
    if epoch is None:
        return render()
    key = (release.fingerprint(), epoch, *key)
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    html = render()
    with _lock:
        _kept[key] = html
        while len(_kept) > MAX_FRAGMENTS:
            _kept.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _kept.clear()
