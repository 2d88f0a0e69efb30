import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.postgres.search import SearchRank, SearchVector, TrigramSimilarity
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import DetailView, ListView

from alliance_portal.clientip import client_address
from alliance_portal.middleware import accepts
from alliance_portal.views import ping_database
from debates.comments import Outcome, submit_comment
from debates.exports import KINDS, csv_lines, json_chunks
from debates.filters import PolicyFilter, PositionFilter, RankedPaginator, rank_matches, search_positions, websearch
from debates.forms import CommentForm, CompareForm, MatrixForm, SearchForm, TimelineForm
from debates.models import PolicyItem, PolicyMilestone, Position, Reaction, StanceTally, Topic
from debates.sides import compare, find_side, organizations_with_positions, stance_matrix
from debates.sitemaps import SITEMAPS
from members.listing import FilteredListView, errors_as_text, warn_ignored
from members.models import Coalition, Membership, Organization, Person, Stance
from pagecache import CachedPageMixin, cached_page

logger = logging.getLogger(__name__)
COLUMN_SIZE = 20  # positions per stance column on a topic page

# Which stances answer a position on "the other side".
OPPOSING = {
    Stance.OPEN: [Stance.CLOSED],
    Stance.CLOSED: [Stance.OPEN],
    Stance.MIXED: [Stance.OPEN, Stance.CLOSED],
}


def tally_count(**filters):
    """How many positions the topic (the outer row) has, from StanceTally: a sum
    over its tally rows, not a count over every position."""
    rows = StanceTally.objects.filter(topic=OuterRef("pk"), **filters).order_by().values("topic")
    return Coalesce(Subquery(rows.annotate(n=Sum("positions")).values("n")), 0)


@cached_page
def home(request):
    """The open camp on the left, the closed camp on the right."""
    coalitions = list(
        Coalition.objects.filter(stance__in=[Stance.OPEN, Stance.CLOSED]).prefetch_related(
            Prefetch("memberships", Membership.objects.current().select_related("organization"))
        )
    )
    camps = []
    for stance in (Stance.OPEN, Stance.CLOSED):
        camp_coalitions = [c for c in coalitions if c.stance == stance]
        latest = Position.objects.for_listing().spoken_for_camp(stance).newest_first()[:4]
        camps.append({"stance": stance, "label": stance.label, "coalitions": camp_coalitions, "latest": latest})
    return render(
        request,
        "home.html",
        {
            "camps": camps,
            "policies": PolicyItem.objects.order_by("-updated_at")[:4],
            "topics": Topic.objects.annotate(position_count=tally_count()).order_by("name"),
        },
    )


class PositionListView(CachedPageMixin, FilteredListView):
    model = Position
    filterset_class = PositionFilter
    template_name = "debates/position_list.html"

    def get_queryset(self):
        return super().get_queryset().for_listing()

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        if self.filterset.ranked_text:
            return RankedPaginator(queryset, per_page, text=self.filterset.ranked_text)
        return super().get_paginator(queryset, per_page, *args, **kwargs)


def render_position(request, position, form=None, preview=None, status=200):
    """The position page: the statement, its sources, the other side, comments and the comment form."""
    comments = list(position.comments.approved().order_by("created_at", "pk"))
    side_by_side = request.GET.get("comments") == "side"
    context = {
        "position": position,
        "other_side": (
            Position.objects.for_listing()
            .on_any_topic([t.pk for t in position.topics.all()])
            .filter(stance__in=OPPOSING[position.stance])
            .exclude(pk=position.pk)
            .newest_first()[:10]
        ),
        "comments": comments,
        "side_by_side": side_by_side,
        "agreeing": [c for c in comments if c.reaction == Reaction.AGREE],
        "disagreeing": [c for c in comments if c.reaction == Reaction.DISAGREE],
        "form": form or CommentForm(),
        "preview": preview,
        "premoderated": settings.COMMENTS_PREMODERATED,
        **citation_of(position, request.build_absolute_uri(position.get_absolute_url())),
    }
    return render(request, "debates/position_detail.html", context, status=status)


def citation_of(position, permalink: str) -> dict:
    """The copyable citation line and the schema.org Quotation for a position page."""
    sources = list(position.sources.all())
    source = sources[0] if sources else None
    parts = [position.speaker.name]
    if position.organization:
        parts.append(position.organization.name)
    parts.append(position.date_display)
    if source:
        parts.append(f"“{source.title}”" + (f", {source.publisher}" if source.publisher else ""))
    parts.append(permalink)
    speaker = {"@type": "Person", "name": position.speaker.name}
    if position.organization:
        speaker["affiliation"] = {"@type": "Organization", "name": position.organization.name}
    quotation = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "url": permalink,
        "text": position.quotation or position.summary,
        "description": position.summary,
        "creator": speaker,
        "spokenByCharacter": speaker,
        "about": [topic.name for topic in position.topics.all()],
        "citation": [
            {
                "@type": "CreativeWork",
                "name": s.title,
                **({"publisher": {"@type": "Organization", "name": s.publisher}} if s.publisher else {}),
                **({"url": s.url} if s.url else {}),
                **({"datePublished": s.published_on.isoformat()} if s.published_on else {}),
            }
            for s in sources
        ],
    }
    if position.said_on:
        quotation["dateCreated"] = position.said_on.isoformat()
    return {"citation": ", ".join(parts), "quotation_ld": quotation}


POSITION_PAGE_QUERYSET = Position.objects.for_listing()  # the page shows what a list row shows, and more


@cached_page(query=["comments"])  # ?comments=side: agreeing and disagreeing side by side
def position_detail(request, slug):
    return render_position(request, get_object_or_404(POSITION_PAGE_QUERYSET, slug=slug))


@accepts("POST")
def post_comment(request, slug):
    """Post (or preview) a comment; then redirect, so a reload does not post twice."""
    position = get_object_or_404(POSITION_PAGE_QUERYSET, slug=slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_position(request, position, form=form, status=400)
    if "preview" in request.POST:
        return render_position(request, position, form=form, preview=form.cleaned_data["body_html"])
    if form.is_honeypot_hit:
        # Answer a bot as if it had succeeded; keep nothing but a log line.
        logger.warning("Comment honeypot filled on position %s; comment discarded.", position.pk)
        messages.success(request, PENDING_MESSAGE)
        return redirect(position.get_absolute_url() + "#comments")
    outcome, _ = submit_comment(position, form.cleaned_data, client_address(request))
    if outcome is Outcome.RATE_LIMITED:
        response = render(
            request,
            "debates/rate_limited.html",
            {"position": position, "window_minutes": max(1, settings.COMMENT_RATE_WINDOW // 60)},
            status=429,
        )
        response["Retry-After"] = str(settings.COMMENT_RATE_WINDOW)
        return response
    messages.success(request, PENDING_MESSAGE if settings.COMMENTS_PREMODERATED else PUBLISHED_MESSAGE)
    return redirect(position.get_absolute_url() + "#comments")


PENDING_MESSAGE = "Thank you. Your comment is held for moderation and will appear here once a moderator approves it."
PUBLISHED_MESSAGE = "Thank you. Your comment is published."


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token: say what to do, not what went wrong inside."""
    return render(request, "403_csrf.html", status=403)


class TopicListView(CachedPageMixin, ListView):
    template_name = "debates/topic_list.html"

    def get_queryset(self):
        return Topic.objects.annotate(
            open_count=tally_count(stance=Stance.OPEN),
            mixed_count=tally_count(stance=Stance.MIXED),
            closed_count=tally_count(stance=Stance.CLOSED),
        )


class TopicDetailView(CachedPageMixin, DetailView):
    model = Topic
    template_name = "debates/topic_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on_topic = Position.objects.on_topic(self.object).newest_first()
        # The newest of each stance, in one query: a union of three index scans.
        stances = (Stance.OPEN, Stance.MIXED, Stance.CLOSED)
        ids = on_topic.filter(stance=stances[0]).values("pk")[:COLUMN_SIZE]
        for stance in stances[1:]:
            ids = ids.union(on_topic.filter(stance=stance).values("pk")[:COLUMN_SIZE], all=True)
        positions = Position.objects.for_listing().filter(pk__in=[row["pk"] for row in ids]).newest_first()
        columns = {stance: [] for stance in stances}
        for position in positions:
            columns[position.stance].append(position)
        context["columns"] = [(Stance(stance), items) for stance, items in columns.items()]
        context["column_size"] = COLUMN_SIZE
        context["policies"] = self.object.policy_items.all()
        return context


class PolicyListView(CachedPageMixin, FilteredListView):
    model = PolicyItem
    filterset_class = PolicyFilter
    template_name = "debates/policy_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("topics").order_by("jurisdiction", "short_name")


class PolicyDetailView(CachedPageMixin, DetailView):
    model = PolicyItem
    template_name = "debates/policy_detail.html"
    queryset = PolicyItem.objects.prefetch_related(
        "topics",
        "sources",
        Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk")),
        Prefetch("positions", Position.objects.for_listing().newest_first()),
    )


@cached_page(query=[CompareForm])
def compare_view(request):
    """Any two coalitions, organizations or people side by side, topic by topic."""
    choices, complete = compare_choices()
    data = request.GET if ("a" in request.GET or "b" in request.GET) else None
    form = CompareForm(data, suggestions=choices, suggestions_complete=complete)
    context = {"form": form}
    if not form.is_bound:
        return render(request, "debates/compare.html", context)
    if not form.is_valid():
        warn_ignored(request, form)
        return render(request, "debates/compare.html", context, status=400)
    sides = {}
    for key in ("a", "b"):
        sides[key] = find_side(form.cleaned_data[key])
        if sides[key] is None:
            messages.error(request, f"No coalition, organization or person is called “{form.cleaned_data[key]}”.")
    if None in sides.values():
        return render(request, "debates/compare.html", context, status=404)
    rows, a_coverage, b_coverage = compare(sides["a"], sides["b"])
    context.update(side_a=sides["a"], side_b=sides["b"], rows=rows, a_coverage=a_coverage, b_coverage=b_coverage)
    return render(request, "debates/compare.html", context)


PICKER_LIMIT = 200  # beyond this many organizations (or people), the picker suggests coalitions only


def compare_choices():
    """Suggestions for the picker's two boxes: [(value, name), …], and whether some were left out.

    Every coalition; organizations and people too while there are few enough to
    list (a page with ten thousand options helps nobody; any name or slug can be typed).
    """
    choices = list(Coalition.objects.order_by("name").values_list("slug", "name"))
    complete = True
    for model, prefix in ((Organization, ""), (Person, "person:")):
        rows = list(model.objects.order_by("name").values_list("slug", "name")[: PICKER_LIMIT + 1])
        if len(rows) > PICKER_LIMIT:
            complete = False
        else:
            choices += [(prefix + slug, name) for slug, name in rows]
    return choices, complete


MATRIX_ROWS = 100  # organizations per page of the matrix


@cached_page(query=[MatrixForm, "page"])
def matrix_view(request):
    form = MatrixForm(request.GET or None)
    rows_kind = "coalitions"
    if form.is_bound:
        if form.is_valid():
            rows_kind = form.cleaned_data["rows"] or rows_kind
        else:
            warn_ignored(request, form)
    page_obj = paginator = None
    if rows_kind == "organizations":  # thousands at scale: a page of them at a time
        paginator = Paginator(organizations_with_positions(), MATRIX_ROWS)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(f"No such page of the matrix: {error}") from error
    topics, grid = stance_matrix(rows_kind, rows=page_obj.object_list if page_obj else None)
    filter_name = "coalition" if rows_kind == "coalitions" else "organization"
    return render(
        request,
        "debates/matrix.html",
        {
            "form": form,
            "rows_kind": rows_kind,
            "topics": topics,
            "grid": grid,
            "filter_name": filter_name,
            "page_obj": page_obj,
            "paginator": paginator,
        },
    )


TIMELINE_PAGE_SIZE = 50


@cached_page(query=[TimelineForm])
def timeline_view(request):
    """Positions and policy milestones, interleaved by date, oldest first."""
    form = TimelineForm(request.GET or None)
    topic = camp = None
    if form.is_bound:
        if form.is_valid():
            topic, camp = form.cleaned_data["topic"], form.cleaned_data["camp"]
        else:
            warn_ignored(request, form)
    positions = Position.objects.for_listing()
    milestones = PolicyMilestone.objects.select_related("policy_item")
    if topic:
        positions = positions.on_topic(topic)
        milestones = milestones.filter(policy_item__topics=topic)
    if camp:
        positions = positions.filter(stance=camp)
    n = TIMELINE_PAGE_SIZE
    # Dated positions come straight off the date index; undated ones are placed
    # on the date their earliest source reported them.
    dated = positions.filter(said_on__isnull=False).oldest_first()[:n]
    undated = (
        positions.filter(said_on__isnull=True)
        .annotate(reported=Min("sources__published_on"))
        .filter(reported__isnull=False)
        .order_by("reported", "pk")[:n]
    )
    entries = sorted(
        [("position", p.said_on, p) for p in dated]
        + [("position", p.reported, p) for p in undated]
        + [("milestone", m.on, m) for m in milestones.order_by("on", "pk")[:n]],
        key=lambda entry: (entry[1], entry[0]),
    )[:n]
    return render(request, "debates/timeline.html", {"form": form, "entries": entries, "topic": topic, "camp": camp})


SEARCH_RESULTS_PER_KIND = 10


@cached_page(query=[SearchForm])
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
    query = websearch(q)
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
    policy_vector = SearchVector("short_name", "title", weight="A", config="english") + SearchVector(
        "summary", "open_models", weight="B", config="english"
    )
    policies = (
        PolicyItem.objects.annotate(document=policy_vector)
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "short_name")
    )
    context["groups"] = [
        ("Organizations", list(organizations[:n])),
        ("People", list(people[:n])),
        ("Positions", [found[pk] for pk in best if pk in found]),
        ("Policy items", list(policies[:n])),
    ]
    context["q"] = q
    return render(request, "debates/search.html", context)


@cached_page
def data_page(request):
    """What can be downloaded, each field documented, and the licence."""
    return render(request, "debates/data.html", {"kinds": KINDS.values()})


def data_download(request, kind, fmt):
    """/data/<kind>.csv|json: the same filters as the list page, streamed row by row."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404(f"No data set called “{kind}”; see /data/.")
    filterset = spec.filterset(request.GET, queryset=spec.queryset(), request=request)
    if not filterset.is_valid():
        return HttpResponse(
            f"Bad filter — {errors_as_text(filterset.form)}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    # A streamed response cannot change its status once the first byte is out: an outage
    # is found here, before it, and answered with the styled 503 (DatabaseUnavailableMiddleware).
    ping_database()
    # Exports are in id order: stable across downloads, and streamed straight off the primary key.
    queryset = filterset.qs.order_by("pk")
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(spec, queryset), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_chunks(spec, queryset), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="alliance-portal-{kind}.{fmt}"'
    return response


@cached_page
def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


@cached_page(query=["p"])  # a section's page number
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
