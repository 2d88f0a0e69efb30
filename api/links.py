"""Links between records: ``url`` (the record in the API), ``html_url`` (its page on the
portal) and ``…_url`` lists (the API's list of related records, filtered). Absolute, built
from the request's scheme and host; detail addresses are reversed once per route name."""

from functools import lru_cache
from urllib.parse import quote, urlencode

from django.urls import get_script_prefix, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def origin(context) -> str:
    """scheme://host of the request being answered, worked out once per response."""
    if "origin" not in context:
        request = context["request"]
        context["origin"] = f"{request.scheme}://{request.get_host()}"
    return context["origin"]


MARK = "2147483647"  # fits a slug and an id route alike


@lru_cache(maxsize=32)
def _around_key(route: str, script_prefix: str) -> tuple[str, str]:
    """What comes before and after the key in a detail route: reversed once per name."""
    before, after = reverse(route, args=[MARK]).rsplit(MARK, 1)
    return before, after


def detail_path(route: str, key) -> str:
    before, after = _around_key(route, get_script_prefix())
    return before + quote(str(key), safe="") + after


@lru_cache(maxsize=32)
def _list_path(endpoint: str, script_prefix: str) -> str:
    return reverse(f"api:{endpoint}-list")


@extend_schema_field(OpenApiTypes.URI)
class ApiLink(serializers.Field):
    """The record's own address in the API: /api/v1/<endpoint>/<slug or id>/."""

    def __init__(self, endpoint: str, lookup: str = "slug", **kwargs):
        self.route, self.lookup = f"api:{endpoint}-detail", lookup
        kwargs.setdefault("help_text", "This record in the API.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return origin(self.context) + detail_path(self.route, getattr(obj, self.lookup))


@extend_schema_field(OpenApiTypes.URI)
class PageLink(serializers.Field):
    """The record's page on the portal (get_absolute_url)."""

    def __init__(self, of: str = "", fragment: str = "", **kwargs):
        self.of, self.fragment = of, fragment
        kwargs.setdefault("help_text", "This record's page on the portal.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        record = getattr(obj, self.of) if self.of else obj
        return origin(self.context) + record.get_absolute_url() + self.fragment


@extend_schema_field(OpenApiTypes.URI)
class ListLink(serializers.Field):
    """An API list filtered to this record: /api/v1/positions/?person=<slug>."""

    def __init__(self, endpoint: str, parameter: str, lookup: str = "slug", **kwargs):
        self.endpoint, self.parameter, self.lookup = endpoint, parameter, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        query = urlencode({self.parameter: getattr(obj, self.lookup)})
        return f"{origin(self.context)}{_list_path(self.endpoint, get_script_prefix())}?{query}"
