from django.urls import path, re_path

from api import docs, views
from api.endpoints import ENDPOINTS

app_name = "api"

urlpatterns = [
    path("", docs.documentation, name="docs"),
    path("v1/", views.api_root, name="root"),
    path("v1/openapi.json", views.openapi_json, name="schema"),
]
for endpoint in ENDPOINTS:
    urlpatterns += [
        path(f"v1/{endpoint.name}/", views.EndpointList.as_view(endpoint=endpoint), name=f"{endpoint.name}-list"),
        path(
            f"v1/{endpoint.name}/<{endpoint.key_converter}>/",
            views.EndpointDetail.as_view(endpoint=endpoint),
            name=f"{endpoint.name}-detail",
        ),
    ]
# Anything else under /api/ is a problem detail, not the site's HTML 404 page.
urlpatterns.append(re_path(r"^(?P<rest>.*)$", views.not_found, name="not-found"))
