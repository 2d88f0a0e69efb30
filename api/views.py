"""The API's views: one list and one detail view class, instantiated per endpoint
(api.endpoints), the schema, the JSON index, and the problem-detail 404.

A list reads its endpoint's FilterSet through django-filter's DRF backend: the same
filter entry point as the page, the feed and the download. Unknown query parameters
are a 400, never silently ignored. Answers are cached like pages (pagecache), keyed
by their query, after the rate limit has counted the request."""

import json
from functools import cache

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView

from api.endpoints import ENDPOINTS
from api.pagination import KeyCursorPagination
from api.problems import problem_response
from pagecache import cached_page
from pagecache.views import parameter_names, serve_cached


class EndpointView:
    """What both views of an endpoint share: its queryset, serializer and the query it takes."""

    endpoint = None  # set by as_view(endpoint=…)
    answers_problems = True  # api.middleware answers other methods with a problem detail

    def get_queryset(self):
        return self.endpoint.queryset()

    def get_serializer_class(self):
        return self.endpoint.serializer

    def query_parameters(self) -> frozenset[str]:
        return frozenset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the rate limit counts bad requests too
        known = self.query_parameters()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "no query parameters"
            raise ValidationError({name[:50]: [f"Unknown parameter; this endpoint takes {takes}."] for name in unknown})

    def cached(self, render):
        """``render()``'s answer, from the page cache while the record has not changed."""

        def finished():
            return self.finalize_response(self.request, render())

        return serve_cached(self.request._request, self.query_parameters(), finished)


class EndpointList(EndpointView, ListAPIView):
    filter_backends = [DjangoFilterBackend]
    pagination_class = KeyCursorPagination

    @property
    def filterset_class(self):
        return self.endpoint.filterset

    def query_parameters(self):
        pagination = self.pagination_class
        sources = [pagination.cursor_query_param, pagination.page_size_query_param]
        return parameter_names([*sources, *([self.endpoint.filterset] if self.endpoint.filterset else [])])

    def list(self, request, *args, **kwargs):
        return self.cached(lambda: super(EndpointList, self).list(request, *args, **kwargs))


class EndpointDetail(EndpointView, RetrieveAPIView):
    @property
    def lookup_field(self):
        return self.endpoint.lookup

    def retrieve(self, request, *args, **kwargs):
        return self.cached(lambda: super(EndpointDetail, self).retrieve(request, *args, **kwargs))


@cache
def openapi_document() -> bytes:
    """The OpenAPI 3 schema (drf-spectacular), generated once per process: it changes only with the code."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.dumps(schema, ensure_ascii=False, indent=1).encode()


def openapi_json(request):
    return HttpResponse(openapi_document(), content_type="application/vnd.oai.openapi+json")


@cached_page
def api_root(request):
    """The index: each endpoint's list address."""
    base = f"{request.scheme}://{request.get_host()}"
    return JsonResponse(
        {
            "endpoints": {e.name: base + reverse(f"api:{e.name}-list") for e in ENDPOINTS},
            "schema": base + reverse("api:schema"),
            "documentation": base + reverse("api:docs"),
        }
    )


def not_found(request, rest=""):
    return problem_response(request, 404, "No such address in the API; see /api/v1/ for its endpoints.")


not_found.answers_problems = True
api_root.answers_problems = True
openapi_json.answers_problems = True
