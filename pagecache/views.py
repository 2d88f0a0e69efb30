"""Opting a page into the cache: ``@cached_page`` on a function view,
``CachedPageMixin`` on a class-based view or a feed.

A page names the query parameters it reads: form and FilterSet classes (their
fields) or plain names. The view sees only those, sorted, and the page is
cached under them, so ``?x=<anything>`` renders, and is stored as, the page
without it: no reader can mint cache entries with parameters the page ignores.
A page that names none is the same page for every query string.

A page also says what retires it (pagecache.store): by default every change; with
``lists=[…]`` only changes to the rows it loaded and to the kinds it lists, so an
approved comment does not retire the organization pages.

Never cached, never served from the cache: anything but GET/HEAD, a logged-in
user (a moderator always gets a fresh render), a request carrying one-time
messages, and responses that are not 200 or that added a message while
rendering (a warning about an ignored filter is for that reader).
"""

from functools import partial, wraps

from django.contrib import messages
from django.http import HttpResponse, QueryDict

from pagecache import fragments, store
from pagecache.csrf import cut_token, fill_slot
from pagecache.etag import etag_of

CACHE_HEADER = "X-Page-Cache"  # hit, stale (another process is rendering it) or miss


def parameter_names(sources) -> frozenset[str]:
    """The query parameters named by forms, FilterSets (their fields) and plain names."""
    names = set()
    for source in sources:
        if isinstance(source, str):
            names.add(source)
        elif hasattr(source, "base_filters"):  # a django-filter FilterSet
            names.update(source.base_filters)
        else:
            names.update(source.base_fields)
    return frozenset(names)


def keep_only(request, names: frozenset[str]) -> None:
    """Leave the request only the named query parameters, sorted, so everything
    that reads it (the view, its templates, the cache key) sees the same page."""
    query = QueryDict(mutable=True)
    for name, values in sorted(request.GET.lists()):
        if name in names:
            query.setlist(name, values)
    request.GET = QueryDict(query.urlencode())
    request.META = {**request.META, "QUERY_STRING": request.GET.urlencode()}


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def _serve(request, entry: store.Entry, how: str) -> HttpResponse:
    response = HttpResponse(fill_slot(entry.content, request), content_type=entry.content_type)
    # ConditionalGetMiddleware answers 304 when the reader's copy still matches.
    response["ETag"] = entry.etag
    response[CACHE_HEADER] = how
    return response


def serve_cached(request, names: frozenset[str], render, lists=None) -> HttpResponse:
    """The page from the cache while what it shows has not changed, else ``render()``, stored.

    ``lists``: the kinds (model labels) whose rows the page selects by a query of its own,
    beyond the rows it loads (a list of positions lists "debates.position"); None for a page
    that depends on every change.
    """
    keep_only(request, names)
    if not _cacheable_request(request):
        # Never stored (a moderator's page, a POST), but its repeated fragments may be reused.
        version, epoch = store.data_version_and_epoch()
        with fragments.as_of(epoch, version):
            response = render()
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response
    key = store.key_for(f"{request.scheme}://{request.get_host()}{request.get_full_path()}")
    entry, fresh = store.lookup(key)
    if fresh:
        return _serve(request, entry, "hit")
    lock = store.RenderLock(key)
    if not lock.try_acquire():
        if entry is not None:
            return _serve(request, entry, "stale")  # another process is rendering it now
        waited = lock.wait(key)
        if waited is not None:
            return _serve(request, waited, "hit")
    try:
        return _render_and_store(request, key, render, lists, lock)
    finally:
        lock.release()


def _render_and_store(request, key, render, lists, lock) -> HttpResponse:
    # Before any of the page's data is read (read with the lock, or again after waiting for it).
    rendered_at, epoch = lock.as_of or store.data_version_and_epoch()
    with store.storing_render() as rows, fragments.as_of(epoch, rendered_at):
        response = render()
        if response.status_code == 200 and hasattr(response, "render"):
            response.render()  # a TemplateResponse reads its data now, inside the block
    response[CACHE_HEADER] = "miss"
    if response.status_code != 200 or response.streaming or getattr(request, "_messages", None) is None:
        return response
    if request._messages.added_new:
        return response  # a message for this reader (an ignored filter, say)
    content = cut_token(response.content)
    kinds = None if lists is None else resolve_kinds(lists)
    entry = store.Entry(rendered_at, store.page_tags(rows, kinds), content, response["Content-Type"], etag_of(content))
    store.put(key, entry, lock)  # and the lock released with it
    response.headers.setdefault("ETag", entry.etag)
    return response


def resolve_kinds(lists) -> frozenset[str]:
    """Model classes or labels, or a callable giving them (resolved once the registry is filled)."""
    if callable(lists):
        lists = lists()
    return frozenset(kind if isinstance(kind, str) else kind._meta.label_lower for kind in lists)


def cached_page(view=None, *, query=(), lists=None):
    """``@cached_page``, or ``@cached_page(query=[SomeForm, "page"], lists=[Position])`` for a
    page that reads its query and lists positions (``serve_cached``)."""
    if view is None:
        return partial(cached_page, query=query, lists=lists)
    names = parameter_names(query)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve_cached(request, names, lambda: view(request, *args, **kwargs), lists)

    return wrapper


class CachedPageMixin:
    """Caches a class-based view (through ``dispatch``) or a feed (through ``__call__``).

    The page reads its ``filterset_class``'s fields, its page number when it
    paginates, and any other parameters named in ``cache_query``.
    """

    cache_query = ()
    cache_lists = None  # the kinds it lists (serve_cached); None: every change retires it

    def cache_parameters(self) -> frozenset[str]:
        sources = list(self.cache_query)
        if getattr(self, "filterset_class", None):
            sources.append(self.filterset_class)
        if getattr(self, "paginate_by", None):
            sources.append(self.page_kwarg)
        return parameter_names(sources)

    def dispatch(self, request, *args, **kwargs):
        dispatch = super().dispatch
        return serve_cached(
            request, self.cache_parameters(), lambda: dispatch(request, *args, **kwargs), self.cache_lists
        )

    def __call__(self, request, *args, **kwargs):
        call = super().__call__
        return serve_cached(request, self.cache_parameters(), lambda: call(request, *args, **kwargs), self.cache_lists)
