from django.urls import path, re_path

from debates import feeds
from debates.views import compare, opendata, policies, positions, search, timeline, topics

app_name = "debates"

urlpatterns = [
    path("positions/", positions.PositionListView.as_view(), name="position-list"),
    path("positions/feed/", feeds.PositionFeed(), name="position-feed"),
    path("positions/<slug:slug>/", positions.position_detail, name="position-detail"),
    path("positions/<slug:slug>/comments/", positions.post_comment, name="position-comment"),
    path("positions/<slug:slug>/comments/feed/", feeds.PositionCommentsFeed(), name="position-comments-feed"),
    path("topics/", topics.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", topics.TopicDetailView.as_view(), name="topic-detail"),
    path("policies/", policies.PolicyListView.as_view(), name="policy-list"),
    path("policies/feed/", feeds.PolicyFeed(), name="policy-feed"),
    path("policies/status-changes/feed/", feeds.PolicyStatusChangeFeed(), name="policy-status-feed"),
    path("releases/feed/", feeds.ReleaseFeed(), name="release-feed"),
    path("policies/<slug:slug>/", policies.PolicyDetailView.as_view(), name="policy-detail"),
    path("policies/<slug:slug>/feed/", feeds.PolicyItemFeed(), name="policy-item-feed"),
    path("compare/", compare.compare_view, name="compare"),
    path("matrix/", compare.matrix_view, name="matrix"),
    path("timeline/", timeline.timeline_view, name="timeline"),
    path("search/", search.search_view, name="search"),
    path("data/", opendata.data_page, name="data"),
    re_path(r"^data/(?P<kind>[a-z-]+)\.(?P<fmt>csv|json)$", opendata.data_download, name="data-download"),
    re_path(
        r"^data/snapshots/(?P<name>alliance-portal-\d{4}-\d{2}-\d{2}\.zip)$",
        opendata.snapshot_download,
        name="data-snapshot",
    ),
]
