import django_filters
from django.db.models import Q

from members.models import Coalition, Membership, MembershipRole, Organization, OrganizationKind, Person, Stance


class OrganizationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Name contains", method="filter_name")
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition",
        queryset=Coalition.objects.all(),
        to_field_name="slug",
        field_name="memberships__coalition",
        distinct=True,
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=OrganizationKind.choices)
    country = django_filters.CharFilter(label="Country", lookup_expr="iexact")

    class Meta:
        model = Organization
        fields = ["name", "coalition", "kind", "country"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__unaccent__icontains=value)


class PersonFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label="Organization",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
    )
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    stance = django_filters.ChoiceFilter(label="Stance taken", choices=Stance.choices, method="filter_stance")

    class Meta:
        model = Person
        fields = ["organization", "coalition", "stance"]

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(affiliations__organization=value) | Q(positions__organization=value)).distinct()

    def filter_coalition(self, queryset, name, value):
        return queryset.filter(affiliations__organization__memberships__coalition=value).distinct()

    def filter_stance(self, queryset, name, value):
        return queryset.filter(positions__stance=value).distinct()


class MembershipFilter(django_filters.FilterSet):
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization", queryset=Organization.objects.all(), to_field_name="slug"
    )
    role = django_filters.ChoiceFilter(label="Role", choices=MembershipRole.choices)

    class Meta:
        model = Membership
        fields = ["coalition", "organization", "role"]
