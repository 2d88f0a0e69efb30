"""Cross-cutting request handling: extra security headers, request limits, the
methods each page answers, and a styled 503 while the database is away."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from alliance_portal import errors
from alliance_portal.ratelimit import StoreUnavailable

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set (Permissions-Policy,
    Cross-Origin-Resource-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response


# The methods any page of the portal can answer; everything else (PUT, DELETE, PATCH,
# TRACE, CONNECT, …) is a 405 wherever it is sent.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})
READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


def accepts(*methods: str):
    """Declare the methods a function view answers (GET implies HEAD; OPTIONS is always
    answered). Views that declare nothing are read-only; class-based views say it
    with the handlers they define. AllowedMethodsMiddleware enforces it."""
    allowed = frozenset(m.upper() for m in methods) | {"OPTIONS"}
    if "GET" in allowed:
        allowed |= {"HEAD"}

    def decorator(view):
        view.allowed_methods = allowed
        return view

    return decorator


def allowed_methods(request, view_func) -> frozenset[str] | None:
    """What the resolved view answers, or None where the view decides itself (the admin)."""
    if "admin" in request.resolver_match.namespaces:
        return None
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        allowed = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        return frozenset(allowed | ({"HEAD"} if "GET" in allowed else set()))
    return getattr(view_func, "allowed_methods", READ_ONLY)


class AllowedMethodsMiddleware:
    """Answer a method a page does not support with 405 and ``Allow``, before the CSRF
    check can mistake it for an expired form; answer OPTIONS with ``Allow``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = allowed_methods(request, view_func)
        if request.method in KNOWN_METHODS and (allowed is None or request.method in allowed):
            if request.method == "OPTIONS" and not hasattr(view_func, "view_class"):
                response = HttpResponse(status=200)
                response["Allow"] = _allow_header(allowed or KNOWN_METHODS)
                return response
            return None
        shown = allowed if allowed is not None else KNOWN_METHODS
        return errors.method_not_allowed(request, _allow_header(shown))


def _allow_header(methods) -> str:
    order = ["GET", "HEAD", "POST", "OPTIONS"]
    return ", ".join(m for m in order if m in methods)


class RequestLimitsMiddleware:
    """Refuse an over-long query string with a clear 414 before any view parses it.

    Body size and field count are Django's own settings (DATA_UPLOAD_MAX_*),
    answered with 400 by the handler below.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_LENGTH:
            return errors.uri_too_long(request, settings.MAX_QUERY_STRING_LENGTH)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database, or the rate limits' shared store (Redis), that does not answer gives a
    styled 503, not a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or type(exception) is DatabaseError:
            logger.error("Database unavailable while serving %s", request.path, exc_info=exception)
            response = plain_error_page(
                503,
                "Temporarily unavailable",
                "The portal cannot reach its database just now. Please try again in a minute.",
            )
            response["Retry-After"] = "60"
            return response
        if isinstance(exception, StoreUnavailable):
            # Fail closed: a write whose rate limit cannot be counted is refused, not let through.
            logger.warning("Rate-limit store unavailable while serving %s: %s", request.path, exception)
            response = plain_error_page(
                503,
                "Try again shortly",
                "The portal cannot check its limits just now, so nothing was saved. "
                "Please go back and try again in a few seconds.",
            )
            response["Retry-After"] = str(exception.retry_after)
            return response
        return None


def plain_error_page(status: int, title: str, message: str) -> HttpResponse:
    """An error page that needs neither the database nor a request context."""
    html = render_to_string("error.html", {"status": status, "title": title, "message": message})
    return HttpResponse(html, status=status)


# Django's technical 404 and 500 pages (DEBUG on) carry this tag; the portal's never do.
TECHNICAL_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'


class DevelopmentNotFoundMiddleware:
    """With DEBUG on (``make run``), a 404 is the reader's 404 page, as in production, rather
    than Django's technical page listing every URL pattern of the site: what a developer
    checks in a browser is what a reader will meet. The technical reason goes to the log.
    Off with DEBUG off, where Django already answers with handler404; /api/ keeps its
    problem details."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not request.path.startswith("/api/")
            and TECHNICAL_PAGE_MARK in getattr(response, "content", b"")
        ):
            logger.info("Not found: %s (Django's technical 404 replaced by the reader's page)", request.path)
            return errors.page_not_found(request, getattr(request, "_not_found", None))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            request._not_found = exception  # its reader's message (errors.PageNotFound), if any
        return None
