"""/about/ explains the method from what the code does; every "Follow" link opens a page
that explains how to follow its feed; feeds keep their filters; each policy has its own feed."""

import feedparser
import pytest
from django.urls import reverse

from debates.models import Integrity, PolicyItem, PolicyMilestone
from debates.views.about import INTEGRITY_MEANINGS, STANCE_MEANINGS
from members.models import Stance


class TestAbout:
    def test_it_explains_stances_verification_sources_corrections_and_who(self, client, seed):
        response = client.get("/about/")
        assert response.status_code == 200
        html = response.content.decode()
        for heading in [
            "Who runs it",
            "How stances are assigned",
            "What “verified” means",
            "How sources are cited",
            "How corrections are made",
        ]:
            assert f">{heading}</h2>" in html
        assert "only from positions spoken in its name" in html
        assert "where they differ, it is <strong>mixed</strong>" in html
        for label in Integrity.labels:
            assert f"<dt>{label}</dt>" in html
        assert 'href="/suggest/"' in html and 'href="/suggest/correction/"' in html
        assert 'href="/coalitions/ai-alliance/"' in html and 'href="/coalitions/frontier-model-forum/"' in html

    def test_every_integrity_mark_and_stance_has_an_explanation(self):
        assert set(INTEGRITY_MEANINGS) == set(Integrity.values)
        assert set(STANCE_MEANINGS) == set(Stance.values)

    def test_who_runs_it_comes_from_the_settings(self, client, seed, settings):
        settings.PORTAL_OPERATOR = "The Example Desk"
        settings.PORTAL_CONTACT_EMAIL = "desk@example.org"
        html = client.get("/about/").content.decode()
        assert "published by The Example Desk" in html and 'href="mailto:desk@example.org"' in html

    def test_it_says_what_moderation_really_does(self, client, seed, settings):
        settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False
        settings.COMMENTS_PREMODERATED = False
        html = client.get("/about/").content.decode()
        assert "a publisher, has reviewed it" not in html and "A comment is published at once" in html

    def test_it_is_linked_from_the_navigation_and_the_footer(self, client, seed):
        html = client.get("/").content.decode()
        nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert '<a href="/about/">About</a>' in nav
        assert '<a href="/about/">About the portal and its method</a>' in footer


def about_url(feed_url: str) -> str:
    from urllib.parse import urlencode

    return reverse("feed-about") + "?" + urlencode({"url": feed_url})


class TestFeedPages:
    def test_a_feed_page_explains_how_to_follow_and_what_it_holds(self, client, seed):
        response = client.get(about_url("/positions/feed/?topic=open-weights"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Follow: Positions (Topic: Open model weights)</h1>" in html
        assert "A <strong>feed reader</strong> is an app or website" in html
        assert 'value="http://testserver/positions/feed/?topic=open-weights" readonly' in html
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert 'href="/positions/feed/?topic=open-weights">' in html
        assert "The newest 50 entries" in html and 'href="/positions/arthur-mensch-' in html

    def test_parameters_the_feed_does_not_read_are_dropped(self, client, seed):
        html = client.get(about_url("/positions/feed/?topic=open-weights&junk=1")).content.decode()
        assert "junk" not in html

    @pytest.mark.parametrize("url", ["/positions/", "https://evil.example/positions/feed/", "/nowhere/", ""])
    def test_an_address_that_is_not_a_feed_is_a_404(self, client, seed, url):
        response = client.get(about_url(url))
        assert response.status_code == 404
        assert "not the address of one of the portal" in response.content.decode()

    def test_a_bad_filter_is_a_400_linking_the_feed_page_without_it(self, client, seed):
        response = client.get(about_url("/positions/feed/?topic=nope&stance=open"))
        assert response.status_code == 400
        html = response.content.decode()
        assert "there is no topic called “nope”" in html
        assert f'href="{about_url("/positions/feed/?stance=open")}"'.replace("&", "&amp;") in html

    @pytest.mark.parametrize(
        ("page", "feed"),
        [
            ("/positions/?stance=open", "/positions/feed/?stance=open"),
            ("/organizations/", "/organizations/feed/"),
            ("/topics/open-weights/", "/positions/feed/?topic=open-weights"),
            ("/coalitions/ai-alliance/", "/positions/feed/?coalition=ai-alliance"),
            ("/policies/eu-ai-act/", "/policies/eu-ai-act/feed/"),
            (
                "/positions/yann-lecun-massive-corporate-lobbying/",
                "/positions/yann-lecun-massive-corporate-lobbying/comments/feed/",
            ),
        ],
    )
    def test_follow_links_open_the_feed_page_and_the_head_keeps_the_xml(self, client, seed, page, feed):
        html = client.get(page).content.decode()
        assert f'href="{about_url(feed)}"'.replace("&", "&amp;") in html
        head = html.split("</head>", 1)[0]
        assert 'type="application/atom+xml"' in head and f'href="{feed}"'.replace("&", "&amp;") in head
        assert client.get(about_url(feed)).status_code == 200

    def test_a_filtered_feeds_self_link_keeps_its_filters(self, client, seed):
        parsed = feedparser.parse(client.get("/positions/feed/?topic=open-weights&stance=open").content)
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == ["http://testserver/positions/feed/?stance=open&topic=open-weights"]


class TestPolicyItemFeed:
    def test_it_holds_the_policys_status_changes_and_milestones_only(self, client, seed):
        policy = PolicyItem.objects.get(slug="eu-ai-act")
        response = client.get("/policies/eu-ai-act/feed/")
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert parsed.feed.title == "Alliance Portal: EU AI Act, status changes and milestones"
        titles = [entry.title for entry in parsed.entries]
        assert all(title.startswith("EU AI Act: ") for title in titles)
        for change in policy.status_changes.all():
            assert f"EU AI Act: {change.display}" in titles
        assert len(titles) == policy.status_changes.count() + policy.milestones.count()

    def test_a_milestone_added_shows_on_the_next_request(self, client, seed):
        import datetime

        client.get("/policies/eu-ai-act/feed/")
        policy = PolicyItem.objects.get(slug="eu-ai-act")
        PolicyMilestone.objects.create(policy_item=policy, on=datetime.date(2024, 3, 13), title="Parliament votes")
        assert b"Parliament votes" in client.get("/policies/eu-ai-act/feed/").content

    def test_an_unknown_policy_is_a_404(self, client, seed):
        assert client.get("/policies/no-such-policy/feed/").status_code == 404
