from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from alliance_portal import views as site_views
from debates.views import home, opendata

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    # An index of per-section sitemaps, each paged (a sitemap file may list 50,000 URLs at most).
    path("sitemap.xml", opendata.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", opendata.sitemap_section, name="sitemap-section"),
    path("robots.txt", site_views.robots_txt, name="robots"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The read API (/api/v1/…) and its documentation (/api/).
    path("api/", include("api.urls")),
    path("", include("members.urls")),
    path("", include("debates.urls")),
    path("", include("participation.urls")),
]

if settings.PORTAL_BENCH_ENDPOINTS:
    # The benchmark's yardstick: the same process and middleware, no database, no template.
    urlpatterns.append(path("bench/plain", lambda request: HttpResponse("ok\n", content_type="text/plain")))
