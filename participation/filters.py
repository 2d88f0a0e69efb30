import django_filters

from debates.models import PolicyItem, PolicyStatusChange


class PolicyChangeFilter(django_filters.FilterSet):
    """A policy item's status changes (the status-change feed, for one item or all)."""

    policy = django_filters.ModelChoiceFilter(
        label="Policy item", queryset=PolicyItem.objects.all(), to_field_name="slug", field_name="policy_item"
    )

    class Meta:
        model = PolicyStatusChange
        fields = ["policy"]
