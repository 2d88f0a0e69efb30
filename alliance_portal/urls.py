from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import include, path

from debates import views as debate_views
from debates.sitemaps import SITEMAPS

urlpatterns = [
    path("", debate_views.home, name="home"),
    path("healthz", debate_views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", debate_views.robots_txt, name="robots"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("members.urls")),
    path("", include("debates.urls")),
]

if settings.PORTAL_BENCH_ENDPOINTS:
    # The benchmark's yardstick: the same process and middleware, no database, no template.
    urlpatterns.append(path("bench/plain", lambda request: HttpResponse("ok\n", content_type="text/plain")))
