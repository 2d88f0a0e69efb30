"""Atom feeds of positions, policy items, policy status changes, model releases and
a position's comments. A list's feed takes the same filter querystring as the list page
(alliance_portal.feeds.FilteredFeed), and plain text goes out escaped
(TextDescriptions); only a comment's body, already sanitized by debates.markup,
goes out as markup.
"""

from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from alliance_portal.feeds import FEED_SIZE, FilteredFeed, TextDescriptions, by_entry_date, updated
from debates.filters import PolicyFilter, PositionFilter, ReleaseFilter
from debates.models import Comment, PolicyItem, PolicyStatus, PolicyStatusChange, Position, Release
from pagecache import CachedPageMixin


class PositionFeed(FilteredFeed):
    filterset_class = PositionFilter
    list_url_name = "debates:position-list"
    noun = "Positions"

    def base_queryset(self):
        return Position.objects.for_listing()

    def items(self, filterset):
        return by_entry_date(self, filterset.qs.order_by("-created_at", "-pk")[:FEED_SIZE])

    def item_title(self, item):
        speaker = item.speaker.name
        if item.organization:  # whose words: the organization's, or the person's own
            for_whom = item.organization.name if item.speaks_for else f"affiliated with {item.organization.name}"
            speaker = f"{speaker} ({for_whom})"
        words = f"“{item.quotation}”" if item.quotation else item.summary
        return f"{speaker}, {item.get_stance_display().lower()}: {words}"

    def item_text(self, item):
        topics = ", ".join(t.name for t in item.topics.all())
        return f"{item.summary} — {item.get_form_display()}; {item.date_display}; topics: {topics}."

    def item_author_name(self, item):
        return item.speaker.name

    def item_happened_on(self, item):
        # When the words were said, else when a source first reported them (as the timeline and
        # Position.objects.stance_changes() place them); the sources come prefetched.
        return item.known_date

    def item_pubdate(self, item):
        # Neither said on a known day nor reported on one: no <published> at all, rather than
        # the day it was typed in (its <updated> says when it was recorded).
        return super().item_pubdate(item) if item.known_date else None


class PolicyFeed(FilteredFeed):
    filterset_class = PolicyFilter
    list_url_name = "debates:policy-list"
    noun = "Policy items"

    def item_title(self, item):
        return f"{item.short_name}: {item.get_status_display().lower()}"

    def item_text(self, item):
        return item.open_models or item.summary

    def item_happened_on(self, item):
        # The title says its status: dated when that status began (else when it was introduced).
        return item.status_since or item.introduced_on


class ReleaseFeed(FilteredFeed):
    """Model releases as they are recorded; ?organization=<slug> for one organization's."""

    filterset_class = ReleaseFilter
    list_url_name = "debates:timeline"
    noun = "Model releases"

    def base_queryset(self):
        return Release.objects.select_related("organization")

    def link(self, filterset):
        organization = filterset.form.cleaned_data.get("organization")
        return organization.get_absolute_url() + "#releases" if organization else reverse(self.list_url_name)

    def items(self, filterset):
        return by_entry_date(self, filterset.qs.order_by("-created_at", "-pk")[:FEED_SIZE])

    def item_title(self, item):
        return f"{item.organization.name}: {item.name} ({item.get_openness_display().lower()})"

    def item_text(self, item):
        weights = "weights downloadable" if item.weights_available else "weights not released"
        licence = f"; licence: {item.licence}" if item.licence else ""
        note = f" {item.note}" if item.note else ""
        return f"Released {item.date_display}; {weights}{licence}.{note}"

    def item_happened_on(self, item):
        return item.released_on


class PolicyStatusChangeFeed(CachedPageMixin, TextDescriptions, Feed):
    """Each time a policy item's status changed (or it was first recorded), from its history."""

    feed_type = Atom1Feed
    title = "Alliance Portal: policy status changes"
    subtitle = "When a policy item's status changed, newest first."

    def link(self):
        return reverse("debates:policy-list")

    def items(self):
        history = PolicyItem.history.model.objects.annotate(
            previous_status=Window(Lag("status"), partition_by=[F("id")], order_by=[F("history_date").asc()])
        )
        changes = [h for h in history.order_by("-history_date") if h.status != h.previous_status]
        return changes[:FEED_SIZE]

    def item_title(self, item):
        label = PolicyStatus(item.status).label.lower()
        if item.previous_status is None:
            return f"{item.short_name}: recorded as {label}"
        return f"{item.short_name}: {PolicyStatus(item.previous_status).label.lower()} → {label}"

    def item_text(self, item):
        return item.status_note or item.summary

    def item_link(self, item):
        # The page's status line (an anchor that exists whatever the item's history); the
        # entry's guid keeps entries apart.
        return reverse("debates:policy-detail", args=[item.slug]) + "#status"

    def item_guid(self, item):
        return f"policy-status-{item.history_id}"

    def item_pubdate(self, item):
        return item.history_date

    def item_updateddate(self, item):
        return item.history_date


class PositionCommentsFeed(CachedPageMixin, Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Position.objects.select_related("speaker"), slug=slug)

    def title(self, position):
        return f"Comments on {position}"

    def link(self, position):
        return position.get_absolute_url() + "#comments"

    def items(self, position):
        return position.comments.approved().order_by("-created_at", "-pk")[:FEED_SIZE]

    def item_title(self, comment: Comment):
        return f"{comment.author_name}: {comment.get_reaction_display().lower()}"

    def item_description(self, comment: Comment):
        return comment.body_html  # sanitized by debates.markup; feed readers render it as HTML

    def item_link(self, comment: Comment):
        return comment.position.get_absolute_url() + f"#comment-{comment.pk}"

    def item_author_name(self, comment: Comment):
        return comment.author_name

    def item_pubdate(self, comment: Comment):
        return comment.created_at


class PolicyItemFeed(CachedPageMixin, TextDescriptions, Feed):
    """One policy item's status changes and dated milestones (deadlines included), newest first:
    what a reader following that policy wants to hear about."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(PolicyItem, slug=slug)

    def title(self, policy):
        return f"Alliance Portal: {policy.short_name}, status changes and milestones"

    def subtitle(self, policy):
        return f"Each change of status and each dated step or deadline of {policy.title}, newest first."

    def link(self, policy):
        return policy.get_absolute_url()

    def items(self, policy):
        changes = list(policy.status_changes.order_by("-since", "-pk")[:FEED_SIZE])
        milestones = list(policy.milestones.order_by("-on", "-pk")[:FEED_SIZE])
        for item in changes + milestones:
            item.policy_item = policy  # the titles name it; no query per entry
        return sorted(changes + milestones, key=lambda item: (_event_date(item), item.updated_at), reverse=True)[
            :FEED_SIZE
        ]

    def item_title(self, item):
        if isinstance(item, PolicyStatusChange):
            return f"{item.policy_item.short_name}: {item.display}"
        deadline = "deadline, " if item.is_deadline else ""
        return f"{item.policy_item.short_name}: {deadline}{item.date_display}: {item.title}"

    def item_text(self, item):
        if isinstance(item, PolicyStatusChange):
            return item.note or f"Status: {item.display}."
        return f"{item.title}" + (f" (responsible: {item.responsible})" if item.responsible else "")

    def item_link(self, item):
        anchor = "#status-history" if isinstance(item, PolicyStatusChange) else "#milestones"
        return item.policy_item.get_absolute_url() + anchor

    def item_guid(self, item):
        kind = "status" if isinstance(item, PolicyStatusChange) else "milestone"
        return f"policy-{kind}-{item.pk}"

    def item_pubdate(self, item):
        # The date it happened, not when it was typed in; a deadline still ahead counts from when
        # it was recorded (an entry dated in the future would sit atop a reader's list for years).
        happened = datetime.combine(_event_date(item), time(12, 0), tzinfo=UTC)
        return min(happened, item.created_at)

    def item_updateddate(self, item):
        return updated(item, self.item_pubdate(item))


def _event_date(item):
    return item.since if isinstance(item, PolicyStatusChange) else item.on
