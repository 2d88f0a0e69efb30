"""The API's per-client rate limit: API_RATE_LIMIT requests per API_RATE_WINDOW seconds.

Keyed by the client address alliance_portal.clientip resolves (never REMOTE_ADDR,
which behind nginx is nginx), and counted in PostgreSQL, so the limit holds across
every server process: one upsert per request, on an unlogged table. Fixed windows:
a client over the limit is told, in Retry-After, when its window ends.
"""

import time

from django.conf import settings
from django.db import connection
from rest_framework.throttling import BaseThrottle

from alliance_portal.clientip import client_address

_COUNT = """
INSERT INTO api_ratewindow (client, "window", hits) VALUES (%s, %s, 1)
ON CONFLICT (client) DO UPDATE SET
    "window" = EXCLUDED."window",
    hits = CASE WHEN api_ratewindow."window" = EXCLUDED."window" THEN api_ratewindow.hits + 1 ELSE 1 END
RETURNING hits
"""


def count_request(client: str, window: int) -> int:
    """This request's number in the client's window (1 for the first)."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [client[:64], window])
        return cursor.fetchone()[0]


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        length = settings.API_RATE_WINDOW
        now = time.time()
        window = int(now // length)
        self.retry_after = (window + 1) * length - now
        return count_request(client_address(request._request), window) <= settings.API_RATE_LIMIT

    def wait(self) -> float:
        return self.retry_after
