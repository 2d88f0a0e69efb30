"""The search page: one box across every kind of record, saying why each result matched."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import F, Func, Q, Value
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from alliance_portal.listing import warn_ignored
from debates.forms import SearchForm
from debates.models import Comment, PolicyItem, Position
from debates.search import (
    CLOSE_NAME,
    SUGGEST_SIMILARITY,
    closest_names,
    corrected_words,
    explain,
    explain_matches,
    positions_by_name,
    rank_matches,
    search_policies,
    search_positions,
)
from members.models import Organization, Person
from pagecache import cached_page, every_kind_but

SEARCH_RESULTS_PER_KIND = 10
# Fewer positions than this and no close name: the search offers "Did you mean".
FEW_MATCHES = 3


@dataclass
class Group:
    """One kind of result: its first items and where the rest are."""

    title: str
    kind: str  # "organizations", "people", "positions", "policies"
    items: list
    count: str  # how many were found: "3", "10+"
    more: list = field(default_factory=list)  # [(label, url)]
    close: bool = False  # a name matched closely: shown first

    @property
    def order(self) -> int:
        """Close name matches first, then positions, then policy items, then looser names."""
        if self.close:
            return 0
        return {"positions": 1, "policies": 2}.get(self.kind, 3)


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _by_name(queryset, q: str):
    """Names containing ``q`` or like it, closest first (accents aside: “Dario” is “Darío”)."""
    similarity = TrigramSimilarity(Func(F("name"), function="unaccent"), Value(_unaccented(q)))
    name_match = Q(name__unaccent__icontains=q) | Q(name__trigram_similar=q)
    return queryset.filter(name_match).annotate(similarity=similarity).order_by("-similarity", "name")


def _count(found: list, n: int) -> str:
    """How many of ``found`` (n + 1 fetched) to say there are."""
    return f"{n}+" if len(found) > n else str(len(found))


def _url(url_name: str, **query) -> str:
    return reverse(url_name) + "?" + urlencode(query)


@cached_page(query=[SearchForm], lists=every_kind_but(Comment))
def search_view(request):
    """One box across organizations, people, positions and policies, grouped by kind: groups
    that found something first, what matched said on each position, "Did you mean" when
    little was found."""
    form = SearchForm(request.GET if request.GET.get("q") else None)
    context = {"form": form, "groups": None}
    if not form.is_bound:
        return render(request, "debates/search.html", context)
    if not form.is_valid():
        warn_ignored(request, form)
        return render(request, "debates/search.html", context, status=400)
    q = form.cleaned_data["q"]
    n = SEARCH_RESULTS_PER_KIND
    organizations = list(_by_name(Organization.objects.all(), q)[: n + 1])
    people = list(_by_name(Person.objects.all(), q)[: n + 1])
    close_people = [p for p in people[:n] if p.similarity >= CLOSE_NAME][:3]
    close_organizations = [o for o in organizations[:n] if o.similarity >= CLOSE_NAME][:3]

    # Positions: those whose words match, best first; then those of a closely matched
    # person or organization that the words did not find, newest first.
    matches = search_positions(Position.objects.for_listing(), q)
    ranked, more_ranked = rank_matches(matches, q)
    text_ids = set(ranked)
    said = positions_by_name(people=close_people, organizations=close_organizations, limit=n + 1)
    names = {("person", p.pk): p for p in close_people} | {("organization", o.pk): o for o in close_organizations}
    by_name, speaking = {}, Counter()  # position id -> the name that found it; name -> its positions
    for pk, kind, whose in said:
        speaking[kind, whose] += 1
        if pk not in text_ids:
            by_name.setdefault(pk, names[kind, whose])
    shown = (ranked[:n] + list(by_name))[:n]
    loaded = {p.pk: p for p in explain_matches(Position.objects.for_listing(), q).filter(pk__in=shown)}
    positions = []
    for pk in shown:
        if pk not in loaded:
            continue  # unpublished since it was ranked
        position = loaded[pk]
        explain(position)
        # Found through a close name only: "said by Yann LeCun, whose name matched".
        whose = by_name.get(pk)
        position.said_by_match = whose if isinstance(whose, Person) else None
        position.said_for_match = whose if isinstance(whose, Organization) else None
        positions.append(position)
    policies = list(search_policies(PolicyItem.objects.all(), q)[: n + 1])

    more_positions = []
    if len(ranked) > len(set(shown) & text_ids):
        count = f"{len(ranked):,}{'+' if more_ranked else ''}"
        more_positions.append((f"All {count} positions whose words match", _url("debates:position-list", q=q)))
    for person in close_people:
        if speaking["person", person.pk]:
            url = _url("debates:position-list", person=person.slug)
            more_positions.append((f"All positions of {person.name}", url))
    for organization in close_organizations:
        if speaking["organization", organization.pk]:
            url = _url("debates:position-list", organization=organization.slug)
            more_positions.append((f"All positions said for {organization.name}", url))
    more_organizations = []
    if len(organizations) > n:
        url = _url("members:organization-list", name=q)
        more_organizations.append((f"All organizations whose name contains “{q}”", url))
    capped = more_ranked or any(count > n for count in speaking.values())
    groups = [
        Group("Organizations", "organizations", organizations[:n], _count(organizations, n), more_organizations),
        Group("People", "people", people[:n], _count(people, n)),
        Group("Positions", "positions", positions, f"{len(text_ids) + len(by_name):,}{'+' if capped else ''}"),
        Group("Policy items", "policies", policies[:n], _count(policies, n)),
    ]
    groups[0].close, groups[1].close = bool(close_organizations), bool(close_people)
    groups[2].more = more_positions
    found = sorted((g for g in groups if g.items), key=lambda g: g.order)
    context["groups"] = found
    empty = [g.title.lower() for g in groups if not g.items]
    context["nothing_in"] = " or ".join([", ".join(empty[:-1]), empty[-1]] if len(empty) > 1 else empty)
    context["q"] = q
    if len(ranked) < FEW_MATCHES:
        context["suggestions"] = _suggestions(q, people + organizations)
    return render(request, "debates/search.html", context)


def _suggestions(q: str, named) -> list[tuple[str, str, str]]:
    """[(text, what it is, search URL)], at most three: the query with its unknown words
    corrected (as a name's own spelling when it is one), then the closest names that are
    not the query itself."""
    close = sorted(
        ((o.similarity, "person" if isinstance(o, Person) else "organization", o.name) for o in named),
        key=lambda row: -row[0],
    )
    names = [(kind, name) for similarity, kind, name in close if similarity >= SUGGEST_SIMILARITY]
    names += closest_names(q)
    suggestions = []
    corrected = corrected_words(q)
    if corrected.casefold() != q.casefold():
        named_so = [(kind, name) for kind, name in names if name.casefold() == corrected.casefold()]
        suggestions.append(named_so[0] if named_so else ("", corrected))
    seen = {q.casefold()} | {text.casefold() for _, text in suggestions}
    for kind, name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            suggestions.append((kind, name))
    return [(text, kind, _url("debates:search", q=text)) for kind, text in suggestions[:3]]
