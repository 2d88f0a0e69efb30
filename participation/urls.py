from django.urls import path

from participation import views

app_name = "participation"

urlpatterns = [
    path("alerts/new/", views.subscribe, name="alert-subscribe"),
    path("alerts/requested/", views.alert_requested, name="alert-requested"),
    path("alerts/confirm/<str:token>/", views.confirm, name="alert-confirm"),
    path("alerts/manage/<str:token>/", views.manage, name="alert-manage"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="alert-unsubscribe"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/correction/", views.correct, name="correct"),
    path("suggest/thanks/", views.suggestion_thanks, name="suggestion-thanks"),
]
