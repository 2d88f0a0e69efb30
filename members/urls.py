from django.urls import path

from members import feeds, views

app_name = "members"

urlpatterns = [
    path("coalitions/", views.CoalitionListView.as_view(), name="coalition-list"),
    path("coalitions/<slug:slug>/", views.CoalitionDetailView.as_view(), name="coalition-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/feed/", feeds.OrganizationFeed(), name="organization-feed"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/feed/", feeds.PersonFeed(), name="person-feed"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("names/", views.name_suggestions, name="name-suggestions"),
]
