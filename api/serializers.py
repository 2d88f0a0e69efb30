"""What each API record looks like. Field names are part of the API's contract
(README "Read API"): add fields, never rename or drop one within /api/v1/.

Every record has ``url`` (itself in the API) and, when it has a page, ``html_url``;
a related record appears as a small reference (its key, name and both links), and
lists of related records as ``…_url`` links to a filtered API list."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import ApiLink, ListLink, PageLink
from debates.models import Comment, PolicyItem, PolicyMilestone, PolicyStatusChange, Position, Release, Topic
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source

# References: how one record points at another.


class CoalitionRef(serializers.ModelSerializer):
    url = ApiLink("coalitions")
    html_url = PageLink()

    class Meta:
        model = Coalition
        fields = ["slug", "name", "url", "html_url"]


class OrganizationRef(serializers.ModelSerializer):
    url = ApiLink("organizations")
    html_url = PageLink()

    class Meta:
        model = Organization
        fields = ["slug", "name", "url", "html_url"]


class PersonRef(serializers.ModelSerializer):
    url = ApiLink("people")
    html_url = PageLink()

    class Meta:
        model = Person
        fields = ["slug", "name", "url", "html_url"]


class TopicRef(serializers.ModelSerializer):
    url = ApiLink("topics")
    html_url = PageLink()

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "html_url"]


class PolicyItemRef(serializers.ModelSerializer):
    url = ApiLink("policies")
    html_url = PageLink()

    class Meta:
        model = PolicyItem
        fields = ["slug", "short_name", "url", "html_url"]


class PositionRef(serializers.ModelSerializer):
    url = ApiLink("positions")
    html_url = PageLink()

    class Meta:
        model = Position
        fields = ["slug", "url", "html_url"]


# Records.


class SourceSerializer(serializers.ModelSerializer):
    url = ApiLink("sources", lookup="pk")
    original_url = serializers.CharField(source="url", help_text="Where the source is published; may be empty.")
    archive_url = serializers.CharField(help_text="A copy in a web archive; may be empty.")

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "original_url",
            "archive_url",
            "published_on",
            "accessed_on",
            "note",
        ]


class CoalitionSerializer(serializers.ModelSerializer):
    url = ApiLink("coalitions")
    html_url = PageLink()
    memberships_url = ListLink("memberships", "coalition", help_text="Its memberships, past and current.")
    positions_url = ListLink(
        "positions", "coalition", help_text="Positions spoken for its current member organizations."
    )
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Coalition
        fields = [
            "slug", "url", "html_url", "name", "stance", "founded_on", "website", "description", "members_note",
            "memberships_url", "positions_url", "sources",
        ]  # fmt: skip


class OrganizationSerializer(serializers.ModelSerializer):
    url = ApiLink("organizations")
    html_url = PageLink()
    coalitions = serializers.SerializerMethodField(help_text="Coalitions it is a current member of.")
    memberships_url = ListLink("memberships", "organization", help_text="Its memberships, past and current.")
    people_url = ListLink("people", "organization", help_text="People affiliated with it, or who spoke for it.")
    positions_url = ListLink("positions", "organization", help_text="Positions spoken in its name.")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "slug", "url", "html_url", "name", "kind", "country", "website", "description", "coalitions",
            "memberships_url", "people_url", "positions_url", "sources",
        ]  # fmt: skip

    @extend_schema_field(CoalitionRef(many=True))
    def get_coalitions(self, obj):
        current = [m.coalition for m in obj.memberships.all() if m.until is None]
        return CoalitionRef(current, many=True, context=self.context).data


class MembershipSerializer(serializers.ModelSerializer):
    url = ApiLink("memberships", lookup="pk")
    coalition = CoalitionRef(read_only=True)
    organization = OrganizationRef(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "coalition",
            "organization",
            "role",
            "since",
            "since_precision",
            "until",
            "note",
            "sources",
        ]
        extra_kwargs = {"until": {"help_text": "End date; null while current."}}


class ReleaseSerializer(serializers.ModelSerializer):
    url = ApiLink("releases", lookup="pk")
    html_url = PageLink()
    organization = OrganizationRef(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Release
        fields = [
            "id",
            "url",
            "html_url",
            "organization",
            "name",
            "released_on",
            "date_precision",
            "weights_available",
            "licence",
            "openness",
            "note",
            "sources",
        ]


class PersonAffiliation(serializers.ModelSerializer):
    url = ApiLink("affiliations", lookup="pk")
    organization = OrganizationRef(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "url", "organization", "title", "since", "until"]


class PersonSerializer(serializers.ModelSerializer):
    url = ApiLink("people")
    html_url = PageLink()
    affiliations = PersonAffiliation(many=True, read_only=True)
    positions_url = ListLink("positions", "person", help_text="What they said.")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["slug", "url", "html_url", "name", "bio", "affiliations", "positions_url", "sources"]


class AffiliationSerializer(serializers.ModelSerializer):
    url = ApiLink("affiliations", lookup="pk")
    person = PersonRef(read_only=True)
    organization = OrganizationRef(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "url", "person", "organization", "title", "since", "until", "sources"]


class TopicSerializer(serializers.ModelSerializer):
    url = ApiLink("topics")
    html_url = PageLink()
    positions_url = ListLink("positions", "topic", help_text="Positions on the topic.")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "html_url", "name", "question", "description", "positions_url", "sources"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyMilestone
        fields = ["on", "precision", "title", "is_deadline", "responsible"]


class StatusChangeSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyStatusChange
        fields = ["status", "since", "precision", "note", "sources"]


class PolicyItemSerializer(serializers.ModelSerializer):
    url = ApiLink("policies")
    html_url = PageLink()
    topics = TopicRef(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True, help_text="Dates and deadlines, in date order.")
    status_changes = StatusChangeSerializer(
        many=True, read_only=True, help_text="Its status history, oldest first; the last is `status`."
    )
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyItem
        fields = [
            "slug", "url", "html_url", "short_name", "title", "jurisdiction", "kind", "status", "status_since",
            "status_precision", "status_note", "introduced_on", "adopted_on", "responsible_office", "summary",
            "open_models", "topics", "milestones", "status_changes", "sources",
        ]  # fmt: skip


class PositionSerializer(serializers.ModelSerializer):
    url = ApiLink("positions")
    html_url = PageLink()
    speaker = PersonRef(read_only=True)
    organization = OrganizationRef(
        read_only=True, allow_null=True, help_text="Whom the speaker spoke for, or was affiliated with, at the time."
    )
    topics = TopicRef(many=True, read_only=True)
    policy_item = PolicyItemRef(read_only=True, allow_null=True)
    comments_url = ListLink("comments", "position", help_text="Its approved comments.")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = [
            "slug", "url", "html_url", "speaker", "organization", "speaks_for", "form", "quotation", "summary",
            "stance", "topics", "said_on", "date_precision", "venue", "context", "policy_item", "integrity",
            "integrity_note", "approved_comment_count", "comments_url", "sources", "created_at", "updated_at",
        ]  # fmt: skip


class CommentSerializer(serializers.ModelSerializer):
    """An approved comment; e-mail addresses and address hashes are never part of it."""

    url = ApiLink("comments", lookup="pk")
    html_url = PageLink(of="position", fragment="#comments", help_text="The comments on the position's page.")
    position = PositionRef(read_only=True)
    body_html = serializers.CharField(help_text="The comment as sanitized HTML (the portal's allowlist).")

    class Meta:
        model = Comment
        fields = ["id", "url", "html_url", "position", "author_name", "reaction", "body_html", "created_at"]
