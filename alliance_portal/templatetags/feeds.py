"""Links to a feed for people: ``{{ feed_url|about_feed }}`` is the address of the page that
explains how to follow that feed (alliance_portal.views.feed_about). Feed readers keep the
XML address itself, in each page's <link rel="alternate">."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def about_feed(feed_url: str) -> str:
    return reverse("feed-about") + "?" + urlencode({"url": feed_url})


@register.simple_tag
def feed_page(url_name: str, *args, **filters) -> str:
    """``{% feed_page "debates:position-feed" topic=topic.slug %}``: the explaining page of that feed."""
    query = urlencode({name: value for name, value in filters.items() if value})
    return about_feed(reverse(url_name, args=args) + (f"?{query}" if query else ""))
