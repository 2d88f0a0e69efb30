"""Atom feeds of the organizations and people lists (same filters as the list pages)."""

from alliance_portal.feeds import FilteredFeed
from members.filters import OrganizationFilter, PersonFilter


class OrganizationFeed(FilteredFeed):
    filterset_class = OrganizationFilter
    list_url_name = "members:organization-list"
    noun = "Organizations"

    def item_text(self, item):
        return item.description or f"{item.get_kind_display()}, {item.country}"


class PersonFeed(FilteredFeed):
    filterset_class = PersonFilter
    list_url_name = "members:person-list"
    noun = "People"

    def item_text(self, item):
        return item.bio
