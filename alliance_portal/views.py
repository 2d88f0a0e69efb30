"""Site-wide views that belong to no app: healthz, robots.txt, the CSRF failure page."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

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
