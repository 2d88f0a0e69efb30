"""The admin as a moderator works in it: what waits, comments by their position, honest quote notes."""

from debates.models import Comment, Position
from members.tests.test_admin import client_for, moderator  # noqa: F401
from pagecache import retire_all


def test_the_admin_home_counts_what_waits(seed, moderator):  # noqa: F811
    position = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    for n in range(3):
        Comment.objects.create(position=position, author_name=f"R{n}", body_markdown="x", body_html="<p>x</p>")
    Comment.objects.create(
        position=position, author_name="Ok", body_markdown="y", body_html="<p>y</p>", status="approved"
    )
    html = " ".join(client_for(moderator).get("/admin/").content.decode().split())
    waiting = html.split('id="waiting"', 1)[1].split("</div>", 1)[0]
    assert (
        '<a href="/admin/debates/comment/?status=pending"><strong>3</strong> comments awaiting moderation</a>'
        in waiting
    )
    unverified = Position.objects.filter(integrity="unverified").count()
    assert f"<strong>{unverified}</strong> positions not yet verified" in waiting


def test_a_comment_is_titled_by_its_position_and_listed_as_readers_will_see_it(seed, moderator):  # noqa: F811
    position = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    comment = Comment.objects.create(
        position=position,
        author_name="UX Tester",
        body_markdown="**Bold** claim",
        body_html="<p><strong>Bold</strong> claim</p>",
    )
    client = client_for(moderator)
    page = client.get(f"/admin/debates/comment/{comment.pk}/change/").content.decode()
    assert f"UX Tester on “{position}” (pending)" in page.replace("&quot;", '"').replace("&#x27;", "'")
    listing = client.get("/admin/debates/comment/").content.decode()
    assert "<strong>Bold</strong> claim" in listing and "**Bold**" not in listing


def test_a_quote_says_verbatim_only_once_verified(client, seed):
    quote = Position.objects.filter(form="quote", integrity="verified").first()
    assert "checked against the source and are verbatim" in client.get(quote.get_absolute_url()).content.decode()
    Position.objects.filter(pk=quote.pk).update(integrity="unverified")
    retire_all()
    html = client.get(quote.get_absolute_url()).content.decode()
    assert "verbatim" not in html and "not yet checked word for word" in html


def test_people_and_organizations_need_a_source_too(seed, moderator):  # noqa: F811
    client = client_for(moderator)
    person = client.post("/admin/members/person/add/", {"name": "New Person", "slug": "new-person", "bio": "x"})
    assert person.status_code == 200 and "Cite at least one source." in person.content.decode()
    organization = client.post(
        "/admin/members/organization/add/", {"name": "New Org", "slug": "new-org", "kind": "company"}
    )
    assert organization.status_code == 200 and "Cite at least one source." in organization.content.decode()
