"""Rendered fragments a page repeats from other pages, kept in each process's memory, so a
first render of a page is mostly fragments already rendered for other pages. Two kinds:

- ``fragment(key, render)``: a position's card, under a key naming the versions of everything
  it shows; no query to reuse it.
- ``block(key, render)``: a block whose rows are selected by a query (a position page's
  "other side": the newest opposing positions on its topics, the same for every position on
  those topics with that stance). It is kept with the data version read before it rendered
  and the tags it was rendered from, as a page is (pagecache.store), and reused while none of
  them changed: one query instead of the block's own queries and rendering. A reused block
  notes its tags on the page it is part of, so the page retires with it.

A fragment's key holds the versions of the rows it shows (their ``updated_at``), and the
*epoch*: the data version of the last ``retire_all()``, which stands for every write that
sends no signals and bumps no ``updated_at``. The epoch is read once per page, with the data
version (pagecache.views); outside a page of the cache's (a form's error page, say) nothing
is kept.
"""

import contextlib
import contextvars
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from pagecache import release, store

MAX_FRAGMENTS = 5000  # per process; a card is ~2 kB
MAX_BLOCKS = 2000  # per process; a block of ten cards is ~20 kB

_epoch = contextvars.ContextVar("pagecache_fragment_epoch", default=None)
_version = contextvars.ContextVar("pagecache_fragment_version", default=None)
_kept: OrderedDict = OrderedDict()
_blocks: OrderedDict = OrderedDict()
_lock = threading.Lock()


class Block(NamedTuple):
    rendered_at: int  # the data version read before it rendered
    tags: frozenset  # the rows (and kinds) it was rendered from
    value: object  # its HTML, or whatever its render gave
    made: float  # time.monotonic() when it rendered
    checked: int  # the data version as of which it was last found fresh (no query needed up to it)


@contextlib.contextmanager
def as_of(epoch: int, version: int | None = None):
    """Around a page's render: fragments may be reused as of this epoch, and blocks stored as
    of this data version (read before any of the page's data)."""
    tokens = _epoch.set(epoch), _version.set(version)
    try:
        yield
    finally:
        _epoch.reset(tokens[0])
        _version.reset(tokens[1])


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


def block(key: tuple, render, *, kinds=(), max_age: float | None = None):
    """The block under ``key``, rendered by ``render()`` once and reused while none of the rows
    it was rendered from changed (``render`` notes them as a page's render does: the rows it
    loads, ``shows_children_of`` for what it lists) nor any of ``kinds`` (model labels, for
    what it reads without loading rows: ``values()``). ``max_age``: rendered again after that
    many seconds whatever changed (an order by counts that may lag). A block may be any value
    a render gives, not only HTML."""
    return blocks([key], lambda missing: [render()], kinds=kinds, max_age=max_age)[0]


def blocks(keys: list[tuple], render_many, *, kinds=(), max_age: float | None = None) -> list:
    """The blocks under ``keys``, as ``block()``, in their order: those kept and fresh reused,
    the others rendered together by one ``render_many(missing keys)``, which gives their values
    in that order (one query for them all, where a block each would cost one each). Blocks
    rendered together share their tags: a change to what any of them shows renders them again."""
    version = _version.get()
    if version is None:
        return list(render_many(list(keys)))
    fingerprint = release.fingerprint()
    found = {}
    for key in keys:
        value = _reused((fingerprint, *key), version, max_age)
        if value is not _NONE:
            found[key] = value
    missing = [key for key in keys if key not in found]
    if missing:
        with store.collecting() as tags:
            for kind in kinds:
                store.note(kind)
            values = list(render_many(missing))
        made = time.monotonic()
        with _lock:
            for key, value in zip(missing, values, strict=True):
                _blocks[(fingerprint, *key)] = Block(version, frozenset(tags), value, made, version)
                found[key] = value
            while len(_blocks) > MAX_BLOCKS:
                _blocks.popitem(last=False)
    return [found[key] for key in keys]


_NONE = object()


def _reused(key: tuple, version: int, max_age: float | None):
    """The kept block's value if it is still fresh (its tags noted on the page), else _NONE."""
    with _lock:
        kept = _blocks.get(key)
    if (
        kept is not None
        and (max_age is None or time.monotonic() - kept.made < max_age)
        # Nothing changed since it was last found fresh (a change commits under a later version
        # than any read before it; this connection's own uncommitted ones are not yet counted),
        # or else none of its own tags did.
        and (
            (version <= kept.checked and not store.has_pending())
            or not store.changed_since(kept.rendered_at, kept.tags | {store.EVERY_PAGE})
        )
    ):
        for tag in kept.tags:
            store.note(tag)
        with _lock:
            if key in _blocks:
                _blocks[key] = kept._replace(checked=max(kept.checked, version))
                _blocks.move_to_end(key)
        return kept.value
    return _NONE


def clear() -> None:
    with _lock:
        _kept.clear()
        _blocks.clear()
