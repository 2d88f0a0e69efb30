"""The shared level without Redis: pages in PostgreSQL's portal_page (pagecache.shared)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache import retire_all, shared, store
from pagecache.shared import Entry
from pagecache.tests.visits import queries_for


def stored_pages() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, rendered_at FROM portal_page ORDER BY key")
        return cursor.fetchall()


def advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        return cursor.fetchone()[0]


def entry(version: int, text: str = "page") -> Entry:
    return Entry(version, (store.EVERY_PAGE, "debates.position"), f"<p>{text}</p>".encode(), "text/html", f'"{text}"')


def test_a_first_render_is_stored_in_the_table_and_gives_up_its_lock(client, seed):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/matrix/")
    assert response["X-Page-Cache"] == "miss"
    bookkeeping = [q["sql"] for q in ctx.captured_queries if "portal_page" in q["sql"] or "advisory" in q["sql"]]
    assert len(bookkeeping) == 3  # the lookup, the lock with the data version, the store with the unlock
    ((key, rendered_at),) = stored_pages()
    assert key == store.key_for("http://testserver/matrix/")
    assert rendered_at <= store.data_version()
    assert advisory_locks_held() == 0
    caches["pages"].clear()  # another worker: the page comes from the table, whole
    again, n = queries_for(client, "/matrix/")
    assert (again["X-Page-Cache"], n) == ("hit", 1)
    assert again.content == response.content


def test_a_page_whose_rows_changed_is_stale_in_the_table_too(client, seed):
    client.get("/matrix/")
    caches["pages"].clear()
    retire_all()
    stored, fresh = store.lookup(store.key_for("http://testserver/matrix/"))
    assert stored is not None and not fresh  # at hand for readers while one process renders it again
    assert client.get("/matrix/")["X-Page-Cache"] == "miss"


def test_an_older_render_never_replaces_a_newer_one(db):
    now = store.data_version()
    pages = shared.DatabasePages()
    pages.put("k", entry(now, "newer"), store.PAGE_TIMEOUT)
    pages.put("k", entry(now - 1, "older"), store.PAGE_TIMEOUT)  # a slow render that began before
    found, changed = pages.get("k", -1)
    assert found == entry(now, "newer")
    assert changed is False  # nothing it shows changed since
    assert pages.get("k", now) == (None, None)  # nothing newer than what a worker already has
    store.retire({"debates.position"})  # in this test's transaction: recorded when it commits
    assert pages.get("k", -1) == (entry(now, "newer"), False)  # so others render the old rows meanwhile
    assert store.lookup("k") == (entry(now, "newer"), False)  # but this connection sees its change


def test_the_table_keeps_the_newest_pages_only(db, settings):
    settings.PORTAL_SHARED_PAGES = 3
    pages = shared.DatabasePages()
    for n in range(5):
        pages.put(f"page-{n}", entry(n), store.PAGE_TIMEOUT)
        with connection.cursor() as cursor:  # stored one after the other, not in one instant
            cursor.execute("UPDATE portal_page SET stored_at = stored_at - make_interval(secs => %s)", [1])
    assert pages.cull(store.PAGE_TIMEOUT) == 2
    assert [key for key, _ in stored_pages()] == ["page-2", "page-3", "page-4"]


def test_pages_stored_more_than_a_day_ago_go(db):
    pages = shared.DatabasePages()
    pages.put("yesterday", entry(1), store.PAGE_TIMEOUT)
    pages.put("today", entry(2), store.PAGE_TIMEOUT)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_page SET stored_at = now() - interval '25 hours' WHERE key = 'yesterday'")
    assert pages.cull(store.PAGE_TIMEOUT) == 1
    assert [key for key, _ in stored_pages()] == ["today"]


def test_every_hundredth_store_culls(db, settings, monkeypatch):
    settings.PORTAL_SHARED_PAGES = 10
    monkeypatch.setattr(shared, "CULL_EVERY", 25)
    pages = shared.DatabasePages()
    for n in range(24):
        pages.put(f"page-{n:02}", entry(n), store.PAGE_TIMEOUT)
    assert len(stored_pages()) == 24
    pages.put("page-24", entry(24), store.PAGE_TIMEOUT)
    assert len(stored_pages()) == 10


@pytest.mark.django_db(transaction=True)
def test_a_store_outside_a_transaction_is_there_for_every_connection(settings):
    from django.db import connections

    pages = shared.DatabasePages()
    pages.put("shared", entry(3), store.PAGE_TIMEOUT)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT rendered_at, convert_from(content, 'UTF8') FROM portal_page WHERE key = 'shared'")
            assert cursor.fetchone() == (3, "<p>page</p>")
    finally:
        other.close()
        pages.clear()
