"""Visiting a page and counting what it cost: one query (the data version) is a cache hit."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url):
    """The response and how many queries it took; the page must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(ctx.captured_queries)


def served_from_cache(client, url) -> bool:
    return queries_for(client, url)[1] == 1
