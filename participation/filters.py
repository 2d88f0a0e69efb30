import django_filters

from alliance_portal.choices import KeptModelChoiceFilter
from debates.models import PolicyItem, PolicyStatusChange


class PolicyChangeFilter(django_filters.FilterSet):
    """A policy item's status changes (the status-change feed, for one item or all)."""

    policy = KeptModelChoiceFilter(
        label="Policy item", queryset=PolicyItem.objects.all(), to_field_name="slug", field_name="policy_item"
    )

    class Meta:
        model = PolicyStatusChange
        fields = ["policy"]
