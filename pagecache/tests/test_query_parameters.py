"""A page is cached under the query parameters it reads, and no others."""

import pytest

from pagecache.tests.visits import queries_for, served_from_cache

POSITION = "/positions/yann-lecun-massive-corporate-lobbying/"


@pytest.mark.parametrize(
    "path",
    ["/", "/positions/", "/positions/?stance=open", POSITION, "/topics/", "/matrix/", "/positions/feed/"],
)
def test_undeclared_parameters_share_one_cache_entry(client, seed, path):
    joiner = "&" if "?" in path else "?"
    client.get(f"{path}{joiner}x=1")
    assert served_from_cache(client, f"{path}{joiner}x=2")
    assert served_from_cache(client, path)  # the same page as without the parameter


def test_the_order_of_parameters_does_not_matter(client, seed):
    client.get("/positions/?stance=open&q=open")
    assert served_from_cache(client, "/positions/?q=open&stance=open")


def test_a_page_renders_as_if_undeclared_parameters_were_not_there(client, seed):
    html = client.get("/positions/?utm_source=newsletter&stance=open").content.decode()
    assert "utm_source" not in html  # the feed and download links carry the filters only
    assert "?stance=open" in html


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/positions/?stance=open", "/positions/?stance=closed"),
        ("/positions/?page=1", "/positions/"),
        (POSITION + "?comments=side", POSITION),
        ("/compare/?a=ai-alliance&b=frontier-model-forum", "/compare/?a=frontier-model-forum&b=ai-alliance"),
        ("/matrix/?rows=organizations", "/matrix/"),
        ("/timeline/?topic=open-weights&camp=closed", "/timeline/"),
        ("/search/?q=meta", "/search/?q=google"),
        ("/organizations/?kind=company", "/organizations/"),
        ("/positions/feed/?stance=open", "/positions/feed/"),
        ("/sitemap-position.xml?p=1", "/sitemap-position.xml"),
    ],
)
def test_a_declared_parameter_makes_its_own_cache_entry(client, seed, url, other):
    queries_for(client, url)
    assert not served_from_cache(client, other)
    assert served_from_cache(client, url)
