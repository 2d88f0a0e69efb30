"""Site-wide views that belong to no app: healthz, robots.txt, the CSRF failure page, and
the page that explains how to follow a feed."""

import copy
from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import DatabaseError, connection
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import never_cache

from alliance_portal.errors import PageNotFound, bad_filter
from alliance_portal.feeds import FEED_SIZE, FilteredFeed
from alliance_portal.listing import address_without, filter_problems
from pagecache import cached_page

HEALTH_RETRY_AFTER = 30  # seconds a load balancer or monitor should wait before asking again


def ping_database() -> None:
    """One round trip; raises DatabaseError (OperationalError) while the database is away."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@never_cache
def healthz(request):
    """200 once the database answers a query, 503 (with Retry-After) while it does not."""
    try:
        ping_database()
    except DatabaseError:
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(HEALTH_RETRY_AFTER)
        return response
    return HttpResponse("ok\n", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token: say what to do, not what went wrong inside."""
    return render(request, "403_csrf.html", status=403)


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FEED_PREVIEW = 5  # the newest entries the page lists, so a reader sees what the feed holds


@cached_page(query=["url"])
def feed_about(request):
    """/feeds/about/?url=<a feed's address>: what a feed reader is, the address to copy, what
    the feed holds (its title, description and newest entries). Every "Follow" link leads here;
    the pages' <link rel="alternate"> keep pointing at the Atom itself, for feed readers."""
    parts = urlsplit(request.GET.get("url", ""))
    try:
        match = resolve(parts.path) if not (parts.scheme or parts.netloc) else None
    except Resolver404:
        match = None
    feed = match.func if match else None
    if not isinstance(feed, Feed):
        raise PageNotFound(
            "That is not the address of one of the portal's feeds.",
            link=("Every feed and download", reverse("debates:data")),
        )
    # The feed's own view of the request: its path, and only the parameters it reads.
    feed_request = copy.copy(request)
    feed_request.path = parts.path
    query = QueryDict(parts.query, mutable=True)
    for name in list(query):
        if name not in feed.cache_parameters():
            del query[name]
    feed_request.GET = query
    feed_path = parts.path + (f"?{query.urlencode()}" if query else "")
    if isinstance(feed, FilteredFeed):
        filterset = feed.filterset_class(query, queryset=feed.base_queryset(), request=feed_request)
        if not filterset.is_valid():
            problems = filter_problems(filterset.form)
            without = address_without(feed_request, [p.name for p in problems])
            return bad_filter(
                request, problems, what="feed", without=reverse("feed-about") + "?" + urlencode({"url": without})
            )
    obj = feed.get_object(feed_request, *match.args, **match.kwargs)
    # _get_dynamic_attr: how Feed itself reads an attribute that may be a method of the object.
    entries = list(feed._get_dynamic_attr("items", obj))[:FEED_PREVIEW]
    # Django's default item_title escapes str(item), for the XML; this page's template escapes.
    default_title = type(feed).item_title is Feed.item_title
    title_of = str if default_title else partial(feed._get_dynamic_attr, "item_title")
    context = {
        "title": feed._get_dynamic_attr("title", obj).removeprefix("Alliance Portal: "),
        "subtitle": feed._get_dynamic_attr("subtitle", obj),
        "page_link": feed._get_dynamic_attr("link", obj),
        "feed_path": feed_path,
        "feed_url": request.build_absolute_uri(feed_path),
        "entries": [(title_of(e), feed._get_dynamic_attr("item_link", e)) for e in entries],
        "feed_size": FEED_SIZE,
    }
    return render(request, "feed_about.html", context)
