"""Positions: the list, a position's page, and posting a comment on it."""

import heapq
import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from alliance_portal.clientip import client_address
from alliance_portal.listing import FilteredListView
from alliance_portal.middleware import accepts
from debates.comments import Outcome, submit_comment
from debates.filters import PositionFilter
from debates.forms import CommentForm
from debates.models import Comment, Position, Reaction
from debates.search import RankedPaginator, ranked_text
from debates.sides import newest_first_key, newest_per_topic
from debates.templatetags.debates_tags import position_card
from members.models import Stance
from pagecache import CachedPageMixin, blocks, cached_page, every_kind_but, shows_children_of

logger = logging.getLogger(__name__)


# Which stances answer a position on "the other side".
OPPOSING = {
    Stance.OPEN: [Stance.CLOSED],
    Stance.CLOSED: [Stance.OPEN],
    Stance.MIXED: [Stance.OPEN, Stance.CLOSED],
}


class PositionListView(CachedPageMixin, FilteredListView):
    model = Position
    filterset_class = PositionFilter
    cache_lists = every_kind_but(Comment)  # the whole record but comments: a card's count retires with its row
    template_name = "debates/position_list.html"

    def get_queryset(self):
        return super().get_queryset().for_listing()

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        if text := ranked_text(self.filterset.form.cleaned_data):
            return RankedPaginator(queryset, per_page, text=text)
        return super().get_paginator(queryset, per_page, *args, **kwargs)


def render_position(request, position, form=None, preview=None, status=200):
    """The position page: the statement, its sources, the other side, comments and the comment form."""
    # The outcome of posting a comment shows in the comment form's region, every other message on top.
    told = list(messages.get_messages(request))
    comments = list(position.comments.approved().order_by("created_at", "pk"))
    side_by_side = request.GET.get("comments") == "side"
    context = {
        "position": position,
        "other_side": other_side(position),
        "comments": comments,
        "exchange": position.exchange(),
        "side_by_side": side_by_side,
        "agreeing": [c for c in comments if c.reaction == Reaction.AGREE],
        "disagreeing": [c for c in comments if c.reaction == Reaction.DISAGREE],
        "form": form or CommentForm(),
        "preview": preview,
        "premoderated": settings.COMMENTS_PREMODERATED,
        "moderation_time": settings.COMMENT_MODERATION_TIME,
        "comment_messages": [m for m in told if COMMENT_RESULT in m.tags.split()],
        "messages": [m for m in told if COMMENT_RESULT not in m.tags.split()],
        **citation_of(position, request.build_absolute_uri(position.get_absolute_url())),
    }
    return render(request, "debates/position_detail.html", context, status=status)


OTHER_SIDE = 10  # the newest opposing positions a position page shows


def other_side(position) -> str:
    """The newest positions of the opposing stances on its topics.

    Kept per topic (pagecache.fragments.blocks): each topic's newest ``OTHER_SIDE`` opposing
    positions as rendered cards with their order, the same for every position on that topic
    with that stance, rendered once and reused while none of them changed. A page on several
    topics merges its topics' cards: the newest ten on any of them are among the newest ten
    on one of them. (Kept per set of topics, the block was rarely met again: positions
    combine their topics in hundreds of ways.)"""
    topics = {topic.pk: topic for topic in position.topics.all()}
    stance = position.stance
    per_topic = blocks(
        [("other-side", stance, pk) for pk in sorted(topics)],
        lambda missing: _newest_opposing(stance, [topics[key[2]] for key in missing]),
    )
    picked, seen = [], set()
    for _order, pk, card in heapq.merge(*per_topic):
        if pk not in seen:
            seen.add(pk)
            picked.append(card)
        if len(picked) == OTHER_SIDE:
            break
    return render_to_string("includes/other_side.html", {"cards": picked})


def _newest_opposing(stance: str, topics) -> list[list[tuple]]:
    """For each topic, [(sort key, id, card)] of its newest positions opposing ``stance``, in
    the order of NEWEST_FIRST (said_on descending, undated last, then the newest id): one
    lateral join for all of them (debates.sides.newest_per_topic), then their rows."""
    shows_children_of(*topics)  # a position published on one of them changes them
    opposing = Position.objects.filter(stance__in=OPPOSING[stance])  # never its own stance
    newest = newest_per_topic(opposing, topics, OTHER_SIDE)
    return [
        [(newest_first_key(other), other.pk, position_card(other)) for other in newest.get(topic.pk, [])]
        for topic in topics
    ]


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


# ?comments=side: agreeing and disagreeing side by side. Its comments and answers are the
# position's children (debates.apps); the other side's, its topics' (render_position).
@cached_page(query=["comments"], lists=())
def position_detail(request, slug):
    return render_position(request, get_object_or_404(POSITION_PAGE_QUERYSET, slug=slug))


COMMENT_REGION = "#comment-form"  # the comment form's own region: preview, errors and the outcome show there
COMMENT_RESULT = "comment-result"  # the tag of the messages that region shows (base.html shows the rest)


@accepts("GET", "POST")
def post_comment(request, slug):
    """Post (or preview) a comment; then redirect, so a reload does not post twice.

    A GET (a bookmarked or reloaded preview) goes to the position's comments. The form's
    action, and the redirect after posting, carry #comment-form: without JavaScript the
    browser scrolls to the result, and static/js/site.js moves focus there."""
    position = get_object_or_404(POSITION_PAGE_QUERYSET, slug=slug)
    if request.method != "POST":
        return redirect(position.get_absolute_url() + "#comments")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_position(request, position, form=form, status=400)
    if "preview" in request.POST:
        return render_position(request, position, form=form, preview=form.cleaned_data["body_html"])
    if form.is_honeypot_hit:
        # Answer a bot as if it had succeeded; keep nothing but a log line.
        logger.warning("Comment honeypot filled on position %s; comment discarded.", position.pk)
        return _told(request, position, received_message())
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
    if outcome is Outcome.DUPLICATE:
        return _told(request, position, duplicate_message(), level=messages.INFO)
    return _told(request, position, received_message())


def _told(request, position, text: str, level=messages.SUCCESS):
    messages.add_message(request, level, text, extra_tags=COMMENT_RESULT)
    return redirect(position.get_absolute_url() + COMMENT_REGION)


def received_message() -> str:
    if not settings.COMMENTS_PREMODERATED:
        return "Thank you: your comment is published. It is the last one in the list of comments above."
    return (
        "Thank you: your comment was received and is held for moderation. It appears here once a "
        f"moderator approves it, usually within {settings.COMMENT_MODERATION_TIME}; until then only "
        "the moderators can see it."
    )


def duplicate_message() -> str:
    minutes = max(1, settings.COMMENT_DUPLICATE_WINDOW // 60)
    within = "the last hour" if minutes == 60 else f"the last {minutes} minute{'s' if minutes != 1 else ''}"
    first = "appears here once a moderator approves it" if settings.COMMENTS_PREMODERATED else "is in the list above"
    return (
        f"We had already received this comment: the same words from you within {within}. "
        f"It was not saved a second time; the first copy {first}."
    )
