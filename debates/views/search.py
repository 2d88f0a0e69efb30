"""The search page: one box across every kind of record."""

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q
from django.shortcuts import render

from alliance_portal.listing import warn_ignored
from debates.forms import SearchForm
from debates.models import Comment, PolicyItem, Position
from debates.search import rank_matches, search_policies, search_positions
from members.models import Organization, Person
from pagecache import cached_page, every_kind_but

SEARCH_RESULTS_PER_KIND = 10


@cached_page(query=[SearchForm], lists=every_kind_but(Comment))
def search_view(request):
    """One box across organizations, people, positions and policies, grouped by kind."""
    form = SearchForm(request.GET if request.GET.get("q") else None)
    context = {"form": form, "groups": None}
    if not form.is_bound:
        return render(request, "debates/search.html", context)
    if not form.is_valid():
        warn_ignored(request, form)
        return render(request, "debates/search.html", context, status=400)
    q = form.cleaned_data["q"]
    n = SEARCH_RESULTS_PER_KIND
    name_match = Q(name__unaccent__icontains=q) | Q(name__trigram_similar=q)
    organizations = (
        Organization.objects.filter(name_match)
        .annotate(similarity=TrigramSimilarity("name", q))
        .order_by("-similarity", "name")
    )
    people = (
        Person.objects.filter(name_match)
        .annotate(similarity=TrigramSimilarity("name", q))
        .order_by("-similarity", "name")
    )
    matches = search_positions(Position.objects.for_listing(), q)
    best = rank_matches(matches, q)[0][:n]
    found = {position.pk: position for position in matches.filter(pk__in=best)}
    policies = search_policies(PolicyItem.objects.all(), q)
    context["groups"] = [
        ("Organizations", list(organizations[:n])),
        ("People", list(people[:n])),
        ("Positions", [found[pk] for pk in best if pk in found]),
        ("Policy items", list(policies[:n])),
    ]
    context["q"] = q
    return render(request, "debates/search.html", context)
