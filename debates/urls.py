from django.urls import path

from debates import views

app_name = "debates"

urlpatterns = [
    path("positions/", views.PositionListView.as_view(), name="position-list"),
    path("positions/<slug:slug>/", views.position_detail, name="position-detail"),
    path("positions/<slug:slug>/comments/", views.post_comment, name="position-comment"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("policies/", views.PolicyListView.as_view(), name="policy-list"),
    path("policies/<slug:slug>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("compare/", views.compare_view, name="compare"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("search/", views.search_view, name="search"),
]
