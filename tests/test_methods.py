"""Every page answers the methods it supports, and says which with a 405's Allow header."""

import pytest

READ_ONLY_PAGES = [
    "/", "/positions/", "/positions/yann-lecun-massive-corporate-lobbying/", "/positions/feed/",
    "/organizations/ibm/", "/people/yann-lecun/", "/topics/open-weights/", "/compare/", "/matrix/",
    "/timeline/", "/search/", "/data/", "/data/positions.csv", "/healthz", "/robots.txt", "/sitemap.xml",
]  # fmt: skip


@pytest.mark.parametrize("url", READ_ONLY_PAGES)
@pytest.mark.parametrize("method", ["put", "delete", "patch", "trace", "post"])
def test_unsupported_methods_are_405_with_allow(client, seed, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "This address cannot do that" in response.content.decode()


def test_the_comment_form_takes_posts_and_sends_a_get_to_the_position(client, seed):
    response = client.put("/positions/yann-lecun-massive-corporate-lobbying/comments/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


@pytest.mark.parametrize("url", ["/", "/positions/", "/positions/yann-lecun-massive-corporate-lobbying/comments/"])
def test_options_lists_what_a_page_answers(client, seed, url):
    response = client.options(url)
    assert response.status_code == 200
    assert response["Allow"] in {"GET, HEAD, OPTIONS", "GET, HEAD, POST, OPTIONS"}
    assert response.content == b""


def test_the_admin_still_takes_its_forms_but_no_other_method(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.put("/admin/").status_code == 405
