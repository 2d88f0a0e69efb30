import django_filters
from django.db.models import Exists, OuterRef

from alliance_portal.choices import KeptModelChoiceFilter
from members.forms import NameField
from members.lookup import LOOKUP_MAX_LENGTH, matching, suggested_organizations
from members.models import (
    Affiliation,
    Coalition,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Person,
    Stance,
)


class NameFilter(django_filters.Filter):
    """An organization or a person typed by name (or slug): see members.forms.NameField."""

    field_class = NameField


def organization_filter(**kwargs) -> NameFilter:
    return NameFilter(
        label="Organization",
        queryset=Organization.objects.all(),
        noun="organization",
        plural="organizations",
        suggest=suggested_organizations,
        help_text="Its name, or part of it.",
        **kwargs,
    )


def person_filter(**kwargs) -> NameFilter:
    return NameFilter(label="Person", queryset=Person.objects.all(), noun="person", plural="people", **kwargs)


def filter_by_closeness(queryset, name, value):
    """A name search: records named like ``value`` (typos too), the closest first."""
    return matching(queryset, value)


class OrganizationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        label="Name", method=filter_by_closeness, max_length=LOOKUP_MAX_LENGTH, help_text="Typos are forgiven."
    )
    coalition = KeptModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=OrganizationKind.choices)
    country = django_filters.CharFilter(label="Country", lookup_expr="iexact")

    class Meta:
        model = Organization
        fields = ["name", "coalition", "kind", "country"]

    def filter_coalition(self, queryset, name, value: Coalition):
        return queryset.in_coalition(value)


class PersonFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        label="Name", method=filter_by_closeness, max_length=LOOKUP_MAX_LENGTH, help_text="Typos are forgiven."
    )
    organization = organization_filter(method="filter_organization")
    coalition = KeptModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    stance = django_filters.ChoiceFilter(label="Stance taken", choices=Stance.choices, method="filter_stance")

    class Meta:
        model = Person
        fields = ["name", "organization", "coalition", "stance"]

    # EXISTS rather than joins with DISTINCT: the page's row count stays cheap at scale.
    def filter_organization(self, queryset, name, value: Organization):
        return queryset.filter(
            Exists(Affiliation.objects.filter(person=OuterRef("pk"), organization=value))
            | Exists(value.positions.filter(speaker=OuterRef("pk")))
        )

    def filter_coalition(self, queryset, name, value: Coalition):
        return queryset.in_coalition(value)

    def filter_stance(self, queryset, name, value):
        return queryset.filter(
            Exists(Person.positions.rel.related_model.objects.filter(speaker=OuterRef("pk"), stance=value))
        )


class MembershipFilter(django_filters.FilterSet):
    coalition = KeptModelChoiceFilter(label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug")
    organization = organization_filter()
    role = django_filters.ChoiceFilter(label="Role", choices=MembershipRole.choices)

    class Meta:
        model = Membership
        fields = ["coalition", "organization", "role"]


class AffiliationFilter(django_filters.FilterSet):
    person = person_filter()
    organization = organization_filter()

    class Meta:
        model = Affiliation
        fields = ["person", "organization"]
