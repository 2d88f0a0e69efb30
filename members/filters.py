import django_filters
from django import forms
from django.db.models import Exists, OuterRef

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


class OrganizationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Name contains", method="filter_name")
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=OrganizationKind.choices)
    country = django_filters.CharFilter(label="Country", lookup_expr="iexact")

    class Meta:
        model = Organization
        fields = ["name", "coalition", "kind", "country"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__unaccent__icontains=value)

    def filter_coalition(self, queryset, name, value: Coalition):
        return queryset.in_coalition(value)


class PersonFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label="Organization (slug)",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
        widget=forms.TextInput(attrs={"placeholder": "e.g. ibm"}),
    )
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    stance = django_filters.ChoiceFilter(label="Stance taken", choices=Stance.choices, method="filter_stance")

    class Meta:
        model = Person
        fields = ["organization", "coalition", "stance"]

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
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization (slug)",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput(),
    )
    role = django_filters.ChoiceFilter(label="Role", choices=MembershipRole.choices)

    class Meta:
        model = Membership
        fields = ["coalition", "organization", "role"]


class AffiliationFilter(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        label="Person (slug)", queryset=Person.objects.all(), to_field_name="slug", widget=forms.TextInput()
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization (slug)", queryset=Organization.objects.all(), to_field_name="slug", widget=forms.TextInput()
    )

    class Meta:
        model = Affiliation
        fields = ["person", "organization"]
