"""Error pages in a reader's words: what went wrong and what to do, never an exception's text.

One family of templates: ``templates/errors/page.html`` (the normal layout, with the
navigation) for 400, 403, 404, 405 and 414, and ``templates/error.html`` for 500 and the
503s, which renders without the database or the request (the same header, navigation
and footer). nginx serves its own copies for 413 and 502–504 (``deploy/nginx/errors``).

A ``PageNotFound`` carries a message written for readers; any other 404 (an unknown
address, a record that does not exist) is described from the address alone.
"""

from django.http import Http404
from django.shortcuts import render

# What a detail page shows, by URL name: "There is no position at this address."
RECORD_NOUNS = {
    "members:coalition-detail": "coalition",
    "members:organization-detail": "organization",
    "members:person-detail": "person",
    "debates:position-detail": "position",
    "debates:position-comment": "position",
    "debates:position-comments-feed": "position",
    "debates:topic-detail": "topic",
    "debates:policy-detail": "policy item",
    "debates:policy-item-feed": "policy item",
}


class PageNotFound(Http404):
    """A 404 whose message is written for readers and shown on the page, with an optional
    (label, url) link to the nearest page that does exist."""

    def __init__(self, message: str, *, link: tuple[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.link = link


def error_page(request, status: int, template: str, context: dict | None = None):
    return render(request, template, {"status": status, **(context or {})}, status=status)


def page_not_found(request, exception=None):
    """handler404."""
    link, words = None, ""
    if isinstance(exception, PageNotFound):
        message, link = exception.message, exception.link
    else:
        # The address's last part, as words for the search box: /people/yan-lecun/ → "yan lecun".
        words = request.path.strip("/").rsplit("/", 1)[-1].replace("-", " ")[:100]
        match = getattr(request, "resolver_match", None)
        noun = RECORD_NOUNS.get(match.view_name) if match else None
        if noun:
            message = (
                f"There is no {noun} at this address. It may have been renamed or removed, or the address mistyped."
            )
        else:
            message = "There is no page at this address. It may have moved, or the address may be mistyped."
    return error_page(request, 404, "404.html", {"message": message, "link": link, "search_words": words})


def bad_request(request, exception=None):
    """handler400: a malformed or over-large request (a bad host, too many fields)."""
    return error_page(request, 400, "400.html")


def permission_denied(request, exception=None):
    """handler403."""
    return error_page(request, 403, "403.html")


def method_not_allowed(request, allowed: str):
    """A method this address does not answer (AllowedMethodsMiddleware)."""
    response = error_page(request, 405, "405.html", {"allowed": allowed, "method": request.method[:20]})
    response["Allow"] = allowed
    return response


def uri_too_long(request, limit: int):
    """RequestLimitsMiddleware: the query string is over the limit."""
    return error_page(request, 414, "414.html", {"limit": limit})


def bad_filter(request, problems, *, what: str, without: str):
    """A feed or a download asked for a filter value that does not validate: a 400 that
    names it, and links the same address without it. (A list page ignores it and says so;
    a feed or a file has nowhere to say so, and its reader would get the wrong entries.)"""
    return error_page(request, 400, "errors/bad_filter.html", {"problems": problems, "what": what, "without": without})
