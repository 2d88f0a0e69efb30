"""Cross-cutting request handling: extra security headers, request limits, and a
styled 503 while the database is away."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestLimitsMiddleware:
    """Refuse an over-long query string with a clear 414 before any view parses it.

    Body size and field count are Django's own settings (DATA_UPLOAD_MAX_*),
    answered with 400 by the handler below.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_LENGTH:
            return plain_error_page(
                414,
                "Address too long",
                f"The address has more than {settings.MAX_QUERY_STRING_LENGTH} characters after “?”. "
                "Remove some filters or search words and try again.",
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that does not answer gives a styled 503, not a traceback."""

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
        return None


def plain_error_page(status: int, title: str, message: str) -> HttpResponse:
    """An error page that needs neither the database nor a request context."""
    html = render_to_string("error.html", {"status": status, "title": title, "message": message})
    return HttpResponse(html, status=status)
