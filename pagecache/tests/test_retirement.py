"""Retire only what changed: each kind of change retires the cached pages that show it, and
no page, retired or not, shows anything but what a fresh render shows."""

import datetime
import re

import pytest
from django.core.cache import caches

from debates.comments import set_comment_status
from debates.models import Comment, PolicyItem, PolicyMilestone, Position, Topic
from members.models import Organization, Person
from pagecache import fragments, retire_all, store

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
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)
    # A box's suggested names are ordered by how often each is quoted, an order that may lag
    # (members.forms.SUGGESTIONS_SECONDS); the names themselves may not.
    return re.sub(rb"(<datalist[^>]*>)(.*?)(</datalist>)", _sorted_options, html, flags=re.S)


def _sorted_options(match) -> bytes:
    options = sorted(re.findall(rb"<option[^>]*>", match.group(2)))
    return match.group(1) + b"".join(options) + match.group(3)


def warm(client):
    for url in PAGES:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def after_change(client) -> dict[str, str]:
    """Each page as a reader now gets it ("hit": it survived the change; "miss": rendered
    again), held against a render from empty caches: none may show anything stale."""
    served = {url: warmed_get(client, url) for url in PAGES}
    store.clear_shared()
    caches["pages"].clear()
    fragments.clear()  # the cards too: a render from nothing
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


def test_retiring_everything_retires_every_page_and_card(warmed):
    """For writes that send no signals and leave ``updated_at`` as it was: retire_all()."""
    Position.objects.filter(slug="yann-lecun-massive-corporate-lobbying").update(summary="Rewritten in bulk.")
    retire_all()
    assert survivors(after_change(warmed)) == set()
    assert "Rewritten in bulk." in warmed.get("/people/yann-lecun/").content.decode()


def test_a_card_is_rendered_once_for_every_page_that_shows_it(client, seed):
    from unittest import mock

    from django.template.loader import get_template

    from debates.models import Position as P

    renders = []

    class Counting:
        def __init__(self, name):
            self.template = get_template(name)

        def render(self, context=None, request=None):
            renders.append(context["position"].slug)
            return self.template.render(context, request)

    with mock.patch("debates.templatetags.debates_tags.get_template", Counting):
        client.get("/people/yann-lecun/")
        client.get("/organizations/meta/")  # LeCun's positions in Meta's name again
    lecun = set(P.objects.filter(speaker__slug="yann-lecun").values_list("slug", flat=True))
    assert lecun and all(renders.count(slug) == 1 for slug in lecun), renders


def test_loading_the_seed_retires_every_page(warmed):
    """A bulk load may replace rows a database lost without signals (emptied, then seeded)."""
    from debates.seed import load_seed

    load_seed()
    assert survivors(after_change(warmed)) == set()
