"""The API's per-client rate limit: API_RATE_LIMIT requests per API_RATE_WINDOW seconds.

Keyed by the client address alliance_portal.clientip resolves (never REMOTE_ADDR,
which behind nginx is nginx), and counted in PostgreSQL, so the limit holds across
every server process: one upsert per request, on an unlogged table. Fixed windows:
a client over the limit is told, in Retry-After, when its window ends.

An IPv6 client is counted by its /64, the block one subscriber is usually given:
counted by full address, one machine could take a fresh address per request.
``manage.py prune_rate_windows`` deletes the counts of windows long past.
"""

import ipaddress
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


def client_key(address: str) -> str:
    """What the limit counts: an IPv4 address, or an IPv6 address's /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def prune(before_window: int) -> int:
    """Delete the counts of windows before ``before_window``; how many were deleted."""
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM api_ratewindow WHERE "window" < %s', [before_window])
        return cursor.rowcount


def current_window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // settings.API_RATE_WINDOW)


def count_request(client: str, window: int) -> int:
    """This request's number in the client's window (1 for the first)."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [client, window])
        return cursor.fetchone()[0]


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        now = time.time()
        window = current_window(now)
        self.retry_after = (window + 1) * settings.API_RATE_WINDOW - now
        return count_request(client_key(client_address(request._request)), window) <= settings.API_RATE_LIMIT

    def wait(self) -> float:
        return self.retry_after
