"""What the API publishes: one declaration per kind of record, read by the URLconf,
the views, the schema and the documentation page. Adding a kind is one entry here
(and its serializer): GET /api/v1/<name>/ lists it, GET /api/v1/<name>/<key>/ is one.

``ordering`` is the cursor's key: an indexed unique column (the primary key), so
page 10,000 costs what page 1 does and rows added between two requests neither
repeat nor disappear."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from api import serializers as s
from debates.filters import CommentFilter, PolicyFilter, ReleaseFilter, UnsortedPositionFilter
from debates.models import Comment, PolicyItem, PolicyMilestone, PolicyStatusChange, Position, Release, Topic
from members.filters import AffiliationFilter, MembershipFilter, OrganizationFilter, PersonFilter
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source


@dataclass(frozen=True)
class Endpoint:
    name: str  # /api/v1/<name>/; routes api:<name>-list and api:<name>-detail
    singular: str
    description: str
    queryset: Callable[[], Any]
    serializer: type
    filterset: type | None = None
    lookup: str = "slug"  # the detail address's key: "slug", or "pk" for records without one
    ordering: str = "id"  # "-id": newest first

    @property
    def key_converter(self) -> str:
        return "int:pk" if self.lookup == "pk" else "slug:slug"


ENDPOINTS = [
    Endpoint(
        "coalitions",
        "coalition",
        "Alliances and forums that take a side in the debate.",
        lambda: Coalition.objects.prefetch_related("sources"),
        s.CoalitionSerializer,
    ),
    Endpoint(
        "organizations",
        "organization",
        "Companies, universities, labs, non-profits and public bodies, with the coalitions they belong to now."
        " Filters as on /organizations/.",
        lambda: Organization.objects.prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("coalition")), "sources"
        ),
        s.OrganizationSerializer,
        OrganizationFilter,
    ),
    Endpoint(
        "memberships",
        "membership",
        "An organization's membership of a coalition, with role and dates.",
        lambda: Membership.objects.select_related("coalition", "organization").prefetch_related("sources"),
        s.MembershipSerializer,
        MembershipFilter,
        lookup="pk",
    ),
    Endpoint(
        "people",
        "person",
        "The people quoted, with their affiliations. Filters as on /people/.",
        lambda: Person.objects.prefetch_related(
            Prefetch("affiliations", Affiliation.objects.select_related("organization")), "sources"
        ),
        s.PersonSerializer,
        PersonFilter,
    ),
    Endpoint(
        "affiliations",
        "affiliation",
        "A person's role at an organization, with dates.",
        lambda: Affiliation.objects.select_related("person", "organization").prefetch_related("sources"),
        s.AffiliationSerializer,
        AffiliationFilter,
        lookup="pk",
    ),
    Endpoint(
        "positions",
        "position",
        "What a person said or holds, for an organization or for themselves. Filters as on /positions/;"
        " `q` searches (web-search syntax). Newest added first.",
        lambda: (
            Position.objects.select_related("speaker", "organization", "policy_item")
            .prefetch_related("topics", "sources")
            .defer("search_vector", "search_terms")
        ),
        s.PositionSerializer,
        UnsortedPositionFilter,
        ordering="-id",
    ),
    Endpoint(
        "topics",
        "topic",
        "The questions of the debate.",
        lambda: Topic.objects.prefetch_related("sources"),
        s.TopicSerializer,
    ),
    Endpoint(
        "policies",
        "policy item",
        "Executive orders, laws, bills and consultations, with their milestones and status history."
        " Filters as on /policies/.",
        lambda: PolicyItem.objects.prefetch_related(
            "topics",
            "sources",
            Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk")),
            Prefetch("status_changes", PolicyStatusChange.objects.order_by("since", "pk").prefetch_related("sources")),
        ),
        s.PolicyItemSerializer,
        PolicyFilter,
    ),
    Endpoint(
        "releases",
        "model release",
        "Models an organization released: when, whether the weights can be downloaded, the licence, how open."
        " Filters: organization (slug), openness.",
        lambda: Release.objects.select_related("organization").prefetch_related("sources"),
        s.ReleaseSerializer,
        ReleaseFilter,
        lookup="pk",
    ),
    Endpoint(
        "sources",
        "source",
        "Where every fact comes from.",
        lambda: Source.objects.all(),
        s.SourceSerializer,
        lookup="pk",
    ),
    Endpoint(
        "comments",
        "comment",
        "Readers' approved comments (no other comment is public). Newest first.",
        lambda: (
            Comment.objects.approved()
            .select_related("position")
            .only(
                "id", "author_name", "reaction", "body_html", "created_at", "status", "position__id", "position__slug"
            )
        ),
        s.CommentSerializer,
        CommentFilter,
        lookup="pk",
        ordering="-id",
    ),
]
