from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from alliance_portal import views as site_views
from debates import views as debate_views

urlpatterns = [
    path("", debate_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    # An index of per-section sitemaps, each paged (a sitemap file may list 50,000 URLs at most).
    path("sitemap.xml", debate_views.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", debate_views.sitemap_section, name="sitemap-section"),
    path("robots.txt", debate_views.robots_txt, name="robots"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("members.urls")),
    path("", include("debates.urls")),
]

if settings.PORTAL_BENCH_ENDPOINTS:
    # The benchmark's yardstick: the same process and middleware, no database, no template.
    urlpatterns.append(path("bench/plain", lambda request: HttpResponse("ok\n", content_type="text/plain")))
