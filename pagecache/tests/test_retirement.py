"""Retire only what changed: each kind of change retires the cached pages that show it, and
no page, retired or not, shows anything but what a fresh render shows."""

import datetime
import re

import pytest
from django.core.cache import cache, caches

from debates.comments import set_comment_status
from debates.models import Comment, PolicyItem, PolicyMilestone, Position, Topic
from members.models import Organization, Person
from pagecache import retire_all

LECUN = "/positions/yann-lecun-massive-corporate-lobbying/"
PAGES = [
    "/",
    "/positions/",
    "/positions/?q=lobbying",
    "/search/?q=meta",
    LECUN,
    "/positions/dario-gil-non-proprietary-and-open/",
    "/positions/camille-carlton-completely-irresponsible/",
    "/organizations/",
    "/organizations/meta/",
    "/organizations/openai/",
    "/organizations/center-for-humane-technology/",
    "/people/",
    "/people/yann-lecun/",
    "/people/camille-carlton/",
    "/topics/",
    "/topics/open-weights/",
    "/topics/biosecurity/",
    "/compare/?a=ai-alliance&b=frontier-model-forum",
    "/matrix/",
    "/timeline/",
    "/policies/",
    "/policies/eu-ai-act/",
    "/policies/us-executive-order-on-ai/",
    "/coalitions/ai-alliance/",
    "/positions/feed/",
]


def normalized(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def warm(client):
    for url in PAGES:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def after_change(client) -> dict[str, str]:
    """Each page as a reader now gets it ("hit": it survived the change; "miss": rendered
    again), held against a render from empty caches: none may show anything stale."""
    served = {url: warmed_get(client, url) for url in PAGES}
    cache.clear()
    caches["pages"].clear()
    for url, response in served.items():
        fresh = client.get(url)
        assert fresh["X-Page-Cache"] == "miss"
        assert normalized(response.content) == normalized(fresh.content), f"{url} is stale"
    return {url: response["X-Page-Cache"] for url, response in served.items()}


def warmed_get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def survivors(served):
    return {url for url, how in served.items() if how == "hit"}


@pytest.fixture
def warmed(client, seed):
    warm(client)
    return client


def test_an_approved_comment_retires_its_position_and_the_lists_with_counts(warmed):
    position = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
    comment = Comment.objects.create(
        position=position, author_name="Ada", body_markdown="Yes.", body_html="<p>Yes.</p>"
    )
    assert survivors(after_change(warmed)) == set(PAGES)  # held for moderation: nothing shows it
    warm(warmed)
    set_comment_status([comment], "approved")
    kept = survivors(after_change(warmed))
    assert LECUN not in kept
    assert "/positions/?q=lobbying" not in kept  # its card counts the comment
    for url in ("/organizations/openai/", "/policies/eu-ai-act/", "/matrix/", "/topics/", "/people/camille-carlton/"):
        assert url in kept, url


def test_an_organizations_edit_retires_the_pages_that_show_it(warmed):
    meta = Organization.objects.get(slug="meta")
    meta.description = "Meta Platforms, owner of Facebook; releases the Llama models."
    meta.save()
    kept = survivors(after_change(warmed))
    for url in (
        "/organizations/meta/",
        LECUN,
        "/organizations/",
        "/coalitions/ai-alliance/",
        "/compare/?a=ai-alliance&b=frontier-model-forum",
    ):
        assert url not in kept, url
    # Camille Carlton's page answers Meta's positions on the other side: it shows Meta too.
    for url in ("/organizations/openai/", "/organizations/center-for-humane-technology/", "/topics/biosecurity/"):
        assert url in kept, url


def test_a_persons_edit_retires_the_pages_that_show_them(warmed):
    person = Person.objects.get(slug="camille-carlton")
    person.name = "Camille Carlton (CHT)"
    person.save()
    kept = survivors(after_change(warmed))
    for url in ("/people/camille-carlton/", "/positions/camille-carlton-completely-irresponsible/", "/people/"):
        assert url not in kept, url
    for url in (LECUN, "/organizations/openai/", "/policies/eu-ai-act/"):
        assert url in kept, url


def test_a_positions_edit_retires_its_pages_and_the_lists(warmed):
    position = Position.objects.get(slug="camille-carlton-completely-irresponsible")
    position.summary = "Calls the open release of powerful models completely irresponsible."
    position.save()
    kept = survivors(after_change(warmed))
    for url in ("/positions/camille-carlton-completely-irresponsible/", "/people/camille-carlton/", "/positions/", "/"):
        assert url not in kept, url
    assert "/organizations/openai/" in kept


def test_a_policy_milestone_retires_its_policy_not_the_positions(warmed):
    act = PolicyItem.objects.get(slug="eu-ai-act")
    PolicyMilestone.objects.create(policy_item=act, on=datetime.date(2027, 8, 2), title="A later deadline")
    kept = survivors(after_change(warmed))
    assert "/policies/eu-ai-act/" not in kept
    assert "/timeline/" not in kept
    for url in (LECUN, "/organizations/meta/", "/people/yann-lecun/", "/policies/us-executive-order-on-ai/"):
        assert url in kept, url


def test_a_topic_link_retires_both_sides(warmed):
    position = Position.objects.get(slug="camille-carlton-completely-irresponsible")
    position.topics.add(Topic.objects.get(slug="biosecurity"))
    kept = survivors(after_change(warmed))
    assert "/topics/biosecurity/" not in kept
    assert "/positions/camille-carlton-completely-irresponsible/" not in kept
    assert "/organizations/openai/" in kept  # it names topics, but lists none of their positions


def test_retiring_everything_retires_every_page(warmed):
    retire_all()
    assert survivors(after_change(warmed)) == set()


# No stampede: one render per page, readers meanwhile get the previous render or wait for it.


@pytest.fixture
def other_process(db):
    """Another server process: its own connection to the same database."""
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    other.autocommit = True
    yield other
    other.close()


def hold_render_lock(other, url):
    from pagecache.store import RenderLock, key_for

    lock = RenderLock(key_for(f"http://testserver{url}"))
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock.id])
    return lock.id


def test_while_another_process_renders_a_changed_page_readers_get_the_previous_render(client, seed, other_process):
    from pagecache.tests.visits import queries_for

    before = client.get(LECUN).content
    person = Person.objects.get(slug="yann-lecun")
    person.name = "Yann A. LeCun"
    person.save()
    lock = hold_render_lock(other_process, LECUN)
    response, queries = queries_for(client, LECUN)
    assert response["X-Page-Cache"] == "stale"
    assert normalized(response.content) == normalized(before)
    # The change is this transaction's own (seen without a query): a newer shared copy? may I render it?
    assert queries == 2  # and no render of its own
    with other_process.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
    response = client.get(LECUN)
    assert response["X-Page-Cache"] == "miss"
    assert "Yann A. LeCun" in response.content.decode()


def test_readers_of_a_page_never_rendered_wait_for_the_one_render(client, seed, other_process):
    """No previous render to give: the reader waits for the other process's, rendering none."""
    import threading

    from pagecache import store

    url = "/people/yann-lecun/"
    lock = hold_render_lock(other_process, url)
    key = store.key_for(f"http://testserver{url}")
    theirs = store.Entry(
        store.data_version(), (store.EVERY_PAGE,), b"<p>the other process's render</p>", "text/html", '"x"'
    )

    def other_render():
        store.local_cache().set(key, theirs)
        with other_process.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])

    timer = threading.Timer(0.3, other_render)
    timer.start()
    response = client.get(url)
    timer.join()
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b"<p>the other process's render</p>"


def test_a_reader_renders_a_page_itself_when_the_other_render_kept_nothing(client, seed, other_process):
    """The other process's render was a page not to keep (a message for its reader, say)."""
    import threading

    url = "/people/yann-lecun/"
    lock = hold_render_lock(other_process, url)

    def other_render_fails():
        with other_process.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])

    timer = threading.Timer(0.2, other_render_fails)
    timer.start()
    response = client.get(url)
    timer.join()
    assert response["X-Page-Cache"] == "miss"
    assert "Yann LeCun" in response.content.decode()
