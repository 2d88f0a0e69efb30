"""Open data: the /data/ page, the downloads, and the sitemaps."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from alliance_portal.errors import PageNotFound, bad_filter
from alliance_portal.listing import address_without, filter_problems
from alliance_portal.views import ping_database
from debates.exports import snapshot
from debates.exports.kinds import KINDS
from debates.exports.streaming import csv_lines, json_chunks
from debates.sitemaps import SITEMAPS
from pagecache import cached_page


@cached_page
def data_page(request):
    """What can be downloaded, each field documented, and the licence."""
    return render(request, "debates/data.html", {"kinds": KINDS.values(), "snapshot": snapshot.latest()})


def snapshot_download(request, name):
    """/data/snapshots/alliance-portal-YYYY-MM-DD.zip, streamed from PORTAL_SNAPSHOT_DIR."""
    found = {s.name: s for s in snapshot.snapshots()}.get(name)
    if found is None:
        raise PageNotFound(
            f"There is no snapshot called “{name}”.",
            link=("The latest snapshot and every download", reverse("debates:data")),
        )
    # FileResponse streams the file in blocks (wsgi.file_wrapper where the server has one).
    return FileResponse(found.path.open("rb"), as_attachment=True, filename=name, content_type="application/zip")


def data_download(request, kind, fmt):
    """/data/<kind>.csv|json: the same filters as the list page, streamed row by row."""
    spec = KINDS.get(kind)
    if spec is None:
        raise PageNotFound(
            f"There is no data set called “{kind}”.",
            link=("Every data set the portal publishes", reverse("debates:data")),
        )
    queryset = spec.queryset()
    if spec.filterset is not None:
        filterset = spec.filterset(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            # As a feed does: a file that silently dropped the filter would hold the wrong rows.
            problems = filter_problems(filterset.form)
            return bad_filter(
                request, problems, what="download", without=address_without(request, [p.name for p in problems])
            )
        queryset = filterset.qs
    # A streamed response cannot change its status once the first byte is out: an outage
    # is found here, before it, and answered with the styled 503 (DatabaseUnavailableMiddleware).
    ping_database()
    # Exports are in id order: stable across downloads, and streamed straight off the primary key.
    queryset = queryset.order_by("pk")
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(spec, queryset), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_chunks(spec, queryset), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="alliance-portal-{kind}.{fmt}"'
    return response


@cached_page
def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


@cached_page(query=["p"])  # a section's page number
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
