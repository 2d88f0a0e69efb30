"""The main navigation and the two forms the matrix and compare pages render."""

import pytest

NAV = [
    ("Coalitions", "/coalitions/"),
    ("Organizations", "/organizations/"),
    ("People", "/people/"),
    ("Positions", "/positions/"),
    ("Topics", "/topics/"),
    ("Policies", "/policies/"),
    ("Compare", "/compare/"),
    ("Matrix", "/matrix/"),
    ("Timeline", "/timeline/"),
    ("Search", "/search/"),
    ("About", "/about/"),
]


def nav_of(html: str) -> str:
    return html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]


def test_the_navigation_lists_every_section_in_order(client, seed):
    nav = nav_of(client.get("/").content.decode())
    links = [f'<li><a href="{url}">{label}</a></li>' for label, url in NAV]
    assert [nav.index(link) for link in links] == sorted(nav.index(link) for link in links)
    assert "aria-current" not in nav  # the home page is not in the list


@pytest.mark.parametrize(("label", "url"), NAV)
def test_the_current_section_is_marked_on_its_own_page(client, seed, label, url):
    nav = nav_of(client.get(url).content.decode())
    assert f'<a href="{url}" aria-current="page">{label}</a>' in nav
    assert nav.count("aria-current") == 1


def test_a_page_inside_a_section_marks_no_link(client, seed):
    # Today's rule: the link is current only when the path is the link itself.
    nav = nav_of(client.get("/people/yann-lecun/").content.decode())
    assert "aria-current" not in nav


def test_a_filtered_list_still_marks_its_section(client, seed):
    nav = nav_of(client.get("/positions/?stance=open").content.decode())
    assert '<a href="/positions/" aria-current="page">Positions</a>' in nav


def test_compare_shows_a_missing_side_beside_its_box(client, seed):
    html = client.get("/compare/?a=&b=ibm").content.decode()
    assert '<ul class="errorlist" id="compare-a_error"><li>It is empty (type a name here).</li></ul>' in html
    assert 'aria-invalid="true" aria-describedby="compare-help compare-a_error" id="compare-a"' in html
    assert '<label for="compare-b">Right side</label>' in html and 'value="ibm"' in html


def test_matrix_offers_its_rows_from_the_form(client, seed):
    html = client.get("/matrix/?rows=organizations").content.decode()
    assert '<label for="id_rows">Rows</label>' in html
    assert '<option value="organizations" selected>Organizations</option>' in html
    assert '<option value="coalitions" selected>Coalitions</option>' in client.get("/matrix/").content.decode()
