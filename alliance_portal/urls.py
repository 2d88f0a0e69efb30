from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from debates import views as debate_views

urlpatterns = [
    path("", debate_views.home, name="home"),
    path("healthz", debate_views.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("members.urls")),
    path("", include("debates.urls")),
]
