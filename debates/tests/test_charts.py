"""The charts: their geometry (alliance_portal.charts), and what the topics list, the
matrix and a coalition page draw from the data."""

import datetime
import itertools
import re

import pytest

from alliance_portal import charts
from debates.sides import stance_matrix
from debates.tests.factories import make_position, make_topic
from members.models import Membership, Organization
from members.tests.factories import make_coalition, make_membership, make_organization

D = datetime.date


# ---------------------------------------------------------------- geometry


@pytest.mark.parametrize("counts", [(7, 4, 3), (53, 1, 3), (1, 1, 1), (0, 0, 5), (2, 0, 1), (1, 998, 1)])
def test_a_bars_segments_fill_its_width_exactly_in_proportion(counts):
    parts = list(zip(("open", "mixed", "closed"), ("Open", "Mixed", "Closed"), counts, strict=True))
    segments = charts.stacked_bar(parts, width=400)
    assert [s.count for s in segments] == [n for n in counts if n]  # no segment for a zero
    assert sum(s.width for s in segments) == pytest.approx(400, abs=1e-9)
    total = sum(counts)
    for segment in segments:
        assert segment.width == pytest.approx(400 * segment.count / total, abs=0.02)
    for before, after in itertools.pairwise(segments):
        assert after.x == pytest.approx(before.x + before.width)  # side by side, no gap or overlap


def test_a_segment_prints_its_count_only_where_it_fits():
    wide, narrow = charts.stacked_bar([("open", "Open", 53), ("mixed", "Mixed", 1)], width=400)
    assert wide.text == "53" and narrow.text == ""


def test_a_bar_of_nothing_has_no_segments():
    assert charts.stacked_bar([("open", "Open", 0), ("closed", "Closed", 0)]) == []


def test_heat_levels_rise_with_the_count_and_the_top_is_darkest():
    levels = [charts.heat_level(n, 42) for n in range(43)]
    assert levels[0] == 0 and levels[1] == 1 and levels[42] == 5
    assert levels == sorted(levels)
    assert charts.heat_level(3, 0) == 0


@pytest.mark.parametrize("top", [1, 2, 4, 5, 7, 42, 1000])
def test_the_heat_legend_covers_every_count_once(top):
    legend = charts.heat_legend(top)
    assert legend[0] == (0, 0, 0)
    covered = [n for _, low, high in legend[1:] for n in range(low, high + 1)]
    assert covered == list(range(1, top + 1))
    for level, low, high in legend[1:]:
        assert charts.heat_level(low, top) == level == charts.heat_level(high, top)


def test_member_history_counts_joins_and_leaves_and_dateless_members_from_the_founding():
    history = charts.member_history(
        [
            ("Founder", D(2023, 7, 26), None, "day"),
            ("Dateless", None, None, "day"),
            ("Joiner", D(2024, 5, 1), None, "month"),
            ("Leaver", D(2023, 7, 26), D(2025, 1, 31), "day"),
        ],
        founded_on=D(2023, 7, 26),
        today=D(2026, 1, 1),
    )
    assert [(c.on, c.members, c.joined, c.left) for c in history.changes] == [
        (D(2023, 7, 26), 3, ("Dateless", "Founder", "Leaver"), ()),
        (D(2024, 5, 1), 4, ("Joiner",), ()),
        (D(2025, 2, 1), 3, (), ("Leaver",)),  # gone the day after "until"
    ]
    assert history.counted_from_founding == 1 and history.left_out == 0 and history.peak == 4
    assert [c.label for c in history.changes] == ["26 July 2023", "May 2024", "1 February 2025"]
    assert history.start == D(2023, 7, 26) and history.end == D(2026, 1, 1)


def test_without_a_founding_date_dateless_members_are_left_out():
    history = charts.member_history(
        [("A", None, None, "day"), ("B", D(2024, 1, 1), None, "day")], founded_on=None, today=D(2025, 1, 1)
    )
    assert history.left_out == 1 and [c.members for c in history.changes] == [1]


def test_the_step_line_goes_across_then_up_and_spans_the_chart():
    history = charts.member_history(
        [("A", D(2024, 1, 1), None, "day"), ("B", D(2025, 1, 1), D(2025, 12, 31), "day")],
        founded_on=D(2024, 1, 1),
        today=D(2026, 1, 1),
    )
    chart = charts.step_chart(history, founded_on=D(2024, 1, 1), width=400, height=220)
    points = [tuple(map(float, p.split(","))) for p in chart.line.split()]
    bottom, top = 220 - chart.bottom, chart.top
    assert points[0] == (chart.left, bottom) and points[-1][0] == 400 - chart.right
    # Each change: a point at the old height, then one at the new height, at the same x.
    ys = [y for _, y in points]
    assert min(ys) == top  # the peak (2 members) at the top
    assert ys[-1] == pytest.approx(bottom - (bottom - top) / 2)  # 1 member at the end: half way
    for (x1, _), (x2, _) in itertools.pairwise(points):
        assert x2 >= x1  # time only goes forward
    assert [t.text for t in chart.x_ticks] == ["2025", "2026"]
    assert [n.text for n in chart.notes] == ["Founded Jan 2024: 1", "B joined, Jan 2025"]
    assert all(n.anchor in ("start", "end") for n in chart.notes)


def test_describe_history_says_the_line_in_words():
    history = charts.member_history(
        [("A", D(2023, 7, 26), None, "day"), ("B", D(2024, 5, 1), D(2024, 9, 30), "month")],
        founded_on=D(2023, 7, 26),
        today=D(2025, 1, 1),
    )
    assert charts.describe_history(history, founded_on=D(2023, 7, 26)) == (
        "1 member at the founding in July 2023. May 2024: B joined (2). October 2024: B left (1). 1 now."
    )


# ---------------------------------------------------------------- pages


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_topics_page_draws_a_titled_bar_per_topic_and_keeps_the_numbers(client, seed):
    html = get(client, "/topics/")
    titles = re.findall(r'<svg class="chart bar-chart"[^>]*role="img"[^>]*>\s*<title>([^<]*)</title>', html)
    assert len(titles) == 7
    assert " ".join(titles[3].split()) == "Open model weights, positions by stance: 7 open, 4 mixed, 3 closed"
    numbers = html.split("<summary>The numbers</summary>", 1)[1]
    row = re.search(r"Open model weights</a></th>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", numbers)
    assert row.groups() == ("7", "4", "3")
    assert "{#" not in html and "style=" not in html


def test_the_home_page_shows_the_compact_bars(client, seed):
    html = get(client, "/")
    assert html.count('class="chart bar-chart"') == 7
    assert "stance-bars-compact" in html


def test_a_topic_without_positions_says_so_in_its_bar(client, seed):
    make_topic(name="Quiet topic", slug="quiet-topic")
    html = get(client, "/topics/")
    assert "Quiet topic, positions by stance:\n    none yet" in html
    assert "No positions yet" in html


@pytest.fixture
def camps(db):
    """Two coalitions, one member each, one member of both, an independent, and counts."""
    topic = make_topic(name="Weights", slug="weights")
    opened, closed = make_coalition(name="Openers", stance="open"), make_coalition(name="Closers", stance="closed")
    orgs = {
        name: make_organization(name=name, slug=name.lower()) for name in ("Alpha", "Beta", "Gamma", "Delta", "Former")
    }
    make_membership(coalition=opened, organization=orgs["Alpha"])
    make_membership(coalition=closed, organization=orgs["Beta"])
    make_membership(coalition=opened, organization=orgs["Gamma"])
    make_membership(coalition=closed, organization=orgs["Gamma"])
    make_membership(coalition=opened, organization=orgs["Former"], since=D(2023, 1, 1), until=D(2024, 1, 1))
    counts = {"Alpha": 5, "Beta": 1, "Gamma": 2, "Delta": 3, "Former": 1}  # Delta: in no coalition
    for name, n in counts.items():
        for _ in range(n):
            make_position(organization=orgs[name], topics=[topic], stance="open" if name != "Beta" else "closed")
    return topic, orgs


def test_the_matrix_groups_organizations_by_camp(camps):
    _topic, orgs = camps
    matrix = stance_matrix("organizations", list(Organization.objects.filter(slug__in=[o.slug for o in orgs.values()])))
    grouped = {group.camp: [row.name for row, _ in group.rows] for group in matrix.groups}
    assert grouped == {"open": ["Alpha"], "closed": ["Beta"], "both": ["Gamma"], "independent": ["Delta", "Former"]}
    labels = [group.label for group in matrix.groups]
    assert labels == [
        "Open camp (Openers)",
        "Closed camp (Closers)",
        "In both camps (Closers, Openers)",
        "Independent voices (in neither coalition)",
    ]


def test_each_matrix_cell_is_shaded_by_its_count(client, seed, camps):
    _topic, _ = camps
    html = get(client, "/matrix/?rows=organizations&page=1")
    matrix = stance_matrix("organizations")
    top = max(cell.count for _, cells in matrix.rows for cell in cells)
    assert top >= 5
    for _row, cells in matrix.rows:
        for cell in cells:
            assert cell.level == charts.heat_level(cell.count, top)
    # On the page: the cell's class matches its count's bucket, and the count is printed.
    alpha = re.search(
        r'<td class="heat-(\d)"><a\s+href="/positions/\?organization=alpha&amp;topic=weights".*?'
        r'<span class="cell-count">(\d+)</span>',
        html,
        re.S,
    )
    assert alpha.group(2) == "5" and int(alpha.group(1)) == charts.heat_level(5, top)
    assert "Open camp (AI Alliance" in html and "Independent voices (in neither coalition)" in html
    assert "Scroll for more topics →" in html


def test_the_coalition_matrix_has_a_row_for_the_independents(client, seed):
    html = get(client, "/matrix/")
    groups = re.findall(r'<th scope="rowgroup"[^>]*><span class="group-label">([^<]*)</span>', html)
    assert groups == [
        "Open camp (AI Alliance)",
        "Closed camp (Frontier Model Forum)",
        "Independent voices (in neither coalition)",
    ]
    assert "Organizations in neither coalition" in html


def test_the_coalition_chart_shows_a_member_who_joined_and_one_who_left(client, db):
    coalition = make_coalition(name="Test Forum", slug="test-forum", founded_on=D(2023, 7, 26))
    make_membership(coalition=coalition, organization=make_organization(name="Stayer"), since=D(2023, 7, 26))
    make_membership(
        coalition=coalition, organization=make_organization(name="Joiner"), since=D(2024, 5, 1), since_precision="month"
    )
    make_membership(
        coalition=coalition, organization=make_organization(name="Leaver"), since=D(2023, 7, 26), until=D(2025, 3, 31)
    )
    html = get(client, "/coalitions/test-forum/")
    desc = re.search(r'<desc id="members-chart-desc">([^<]*)</desc>', html).group(1)
    assert desc == (
        "2 members at the founding in July 2023. May 2024: Joiner joined (3). April 2025: Leaver left (2). 2 now."
    )
    assert "Joiner joined, May 2024" in html  # the notable join labelled on the chart
    numbers = html.split("<summary>The numbers</summary>", 1)[1]
    assert re.search(r'<th scope="row">1 April 2025</th>\s*<td>—</td><td>Leaver</td><td>2</td>', numbers)


def test_a_membership_that_ends_redraws_the_coalition_chart(client, seed):
    url = "/coalitions/frontier-model-forum/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    amazon = Membership.objects.get(coalition__slug="frontier-model-forum", organization__slug="amazon")
    amazon.until = D(2025, 6, 30)
    amazon.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "July 2025: Amazon left (5)" in response.content.decode()
