from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from alliance_portal import views as site_views
from debates.views import about, home, opendata

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    # An index of per-section sitemaps, each paged (a sitemap file may list 50,000 URLs at most).
    path("sitemap.xml", opendata.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", opendata.sitemap_section, name="sitemap-section"),
    path("robots.txt", site_views.robots_txt, name="robots"),
    path("about/", about.about, name="about"),
    path("feeds/about/", site_views.feed_about, name="feed-about"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The read API (/api/v1/…) and its documentation (/api/).
    path("api/", include("api.urls")),
    path("", include("members.urls")),
    path("", include("debates.urls")),
    path("", include("participation.urls")),
]

# Error pages in a reader's words (alliance_portal.errors); 500 is Django's own view, which
# renders templates/500.html without the database or the request.
handler400 = "alliance_portal.errors.bad_request"
handler403 = "alliance_portal.errors.permission_denied"
handler404 = "alliance_portal.errors.page_not_found"

if settings.PORTAL_BENCH_ENDPOINTS:
    # The benchmark's yardstick: the same process and middleware, no database, no template.
    urlpatterns.append(path("bench/plain", lambda request: HttpResponse("ok\n", content_type="text/plain")))
