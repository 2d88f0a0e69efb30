"""Site-wide views that belong to no app."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
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
