from django.urls import path, re_path

from debates import feeds, views

app_name = "debates"

urlpatterns = [
    path("positions/", views.PositionListView.as_view(), name="position-list"),
    path("positions/feed/", feeds.PositionFeed(), name="position-feed"),
    path("positions/<slug:slug>/", views.position_detail, name="position-detail"),
    path("positions/<slug:slug>/comments/", views.post_comment, name="position-comment"),
    path("positions/<slug:slug>/comments/feed/", feeds.PositionCommentsFeed(), name="position-comments-feed"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("policies/", views.PolicyListView.as_view(), name="policy-list"),
    path("policies/feed/", feeds.PolicyFeed(), name="policy-feed"),
    path("policies/status-changes/feed/", feeds.PolicyStatusChangeFeed(), name="policy-status-feed"),
    path("policies/<slug:slug>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("compare/", views.compare_view, name="compare"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("search/", views.search_view, name="search"),
    path("data/", views.data_page, name="data"),
    re_path(r"^data/(?P<kind>[a-z-]+)\.(?P<fmt>csv|json)$", views.data_download, name="data-download"),
]
