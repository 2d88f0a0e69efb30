"""What an alert can follow: every view that has a feed, by the same FilterSet as the view.

``positions`` takes every filter of /positions/ (so a person's, an organization's, a
coalition's and a topic's pages are ``?person=``, ``?organization=``, ``?coalition=``,
``?topic=``); ``organizations``, ``people`` and ``policies`` those of their lists;
``policy-changes`` a policy item's status changes (``?policy=<slug>``) or all of them.
An entry is new to an alert when it was recorded after the alert was confirmed.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.urls import reverse

from debates.filters import PolicyFilter, PositionFilter
from debates.models import PolicyStatusChange, Position
from members.filters import OrganizationFilter, PersonFilter
from participation.filters import PolicyChangeFilter


@dataclass(frozen=True)
class AlertKind:
    name: str
    noun: str
    filterset_class: type
    list_url_name: str
    ignored: tuple[str, ...] = ()  # parameters that change a page's order, not its entries

    def base_queryset(self):
        model = self.filterset_class._meta.model
        return model.objects.for_listing() if model is Position else model.objects.all()

    def bind(self, data):
        names = [n for n in self.filterset_class.base_filters if n not in self.ignored]
        query = QueryDict(mutable=True)
        for name in names:
            if value := (data.get(name) or "").strip():
                query[name] = value
        return self.filterset_class(query, queryset=self.base_queryset())

    def normalised_query(self, filterset) -> str:
        """The filters that were given, in a fixed order, a record typed by name written as its
        slug (as the list page's address has it): one alert per view, however it was reached."""
        data = dict(filterset.data.items())
        form = filterset.form
        for name, field in form.fields.items():
            record = getattr(form, "cleaned_data", {}).get(name)
            if name in data and record is not None and hasattr(field, "canonical"):
                data[name] = field.canonical(record)
        return urlencode(sorted(data.items()))

    def label(self, filterset) -> str:
        form = filterset.form
        chosen = []
        for name, value in form.cleaned_data.items():
            if value and name not in self.ignored:
                field = form.fields[name]
                if getattr(field, "choices", None) and not hasattr(field, "queryset"):
                    value = dict(field.choices).get(value, value)  # "Open", not "open"
                chosen.append(f"{field.label}: {value}")
        return self.noun + (f" ({'; '.join(map(str, chosen))})" if chosen else "")

    def view_url(self, query: str) -> str:
        if self.name == "policy-changes" and (slug := QueryDict(query).get("policy")):
            return reverse("debates:policy-detail", args=[slug])
        return reverse(self.list_url_name) + (f"?{query}" if query else "")

    def new_entries(self, subscription, limit: int):
        """Entries recorded since the alert was confirmed that it has not sent, oldest first."""
        from participation.models import SentEntry

        filterset = self.bind(QueryDict(subscription.query))
        if not filterset.is_valid():
            return []  # what it followed is gone (a person merged, a topic deleted)
        sent = SentEntry.objects.filter(subscription=subscription, entry_id=OuterRef("pk"))
        rows = filterset.qs.filter(created_at__gte=subscription.since).exclude(Exists(sent))
        return list(rows.order_by("created_at", "pk")[:limit])

    def entry_title(self, item) -> str:
        if isinstance(item, Position):
            speaker = f"{item.speaker.name} ({item.organization.name})" if item.organization else item.speaker.name
            words = f"“{item.quotation}”" if item.quotation else item.summary
            return f"{speaker}, {item.get_stance_display().lower()}: {words}"
        if isinstance(item, PolicyStatusChange):
            return f"{item.policy_item.short_name}: {item.display}"
        return str(item)

    def entry_url(self, item) -> str:
        if isinstance(item, PolicyStatusChange):
            return item.policy_item.get_absolute_url()
        return item.get_absolute_url()


class PolicyChangeKind(AlertKind):
    def base_queryset(self):
        return PolicyStatusChange.objects.select_related("policy_item")


KINDS = {
    kind.name: kind
    for kind in [
        AlertKind("positions", "Positions", PositionFilter, "debates:position-list", ignored=("sort",)),
        AlertKind("organizations", "Organizations", OrganizationFilter, "members:organization-list"),
        AlertKind("people", "People", PersonFilter, "members:person-list"),
        AlertKind("policies", "Policy items", PolicyFilter, "debates:policy-list"),
        PolicyChangeKind("policy-changes", "Policy status changes", PolicyChangeFilter, "debates:policy-list"),
    ]
}

# Every query parameter any kind reads: the subscribe page is cached under these.
QUERY_NAMES = frozenset({"alert", *(name for kind in KINDS.values() for name in kind.filterset_class.base_filters)})
