"""Atom feed machinery shared by every app. A list's feed takes the same filter
querystring as the list page (FilteredFeed).

Atom's <summary type="html"> is read as HTML by every feed reader, so a feed's
description must be HTML: the plain text moderators type (summaries, bios,
descriptions, notes) is escaped by ``TextDescriptions``.
"""

from datetime import UTC, datetime, time, timedelta

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from alliance_portal.errors import bad_filter
from alliance_portal.listing import address_without, canonical_query, filter_problems
from pagecache import CachedPageMixin

FEED_SIZE = 50


class TextDescriptions:
    """Descriptions written as plain text (``item_text``), sent as escaped HTML."""

    def item_text(self, item) -> str:
        raise NotImplementedError

    def item_description(self, item):
        return escape(self.item_text(item) or "")


class FilteredFeed(CachedPageMixin, TextDescriptions, Feed):
    """A feed of a list page's results: same FilterSet, same querystring, newest first."""

    feed_type = Atom1Feed
    filterset_class = None
    list_url_name = None
    noun = None

    def __call__(self, request, *args, **kwargs):
        # A filter that does not validate is a 400 page naming it (alliance_portal.errors.bad_filter),
        # never an unfiltered feed: a subscriber would get entries the filter was meant to leave out.
        filterset = self.filterset_class(request.GET, queryset=self.base_queryset(), request=request)
        if not filterset.is_valid():
            problems = filter_problems(filterset.form)
            return bad_filter(
                request, problems, what="feed", without=address_without(request, [p.name for p in problems])
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.base_queryset(), request=request)
        filterset.is_valid()  # checked in __call__; binds cleaned_data
        self.request = request
        return filterset

    def base_queryset(self):
        return self.filterset_class._meta.model.objects.all()

    def link(self, filterset):
        # The list page's own address: a name typed in the feed's address written as its slug.
        query = canonical_query(self.request, filterset.form).urlencode()
        return reverse(self.list_url_name) + (f"?{query}" if query else "")

    def feed_url(self, filterset):
        # The Atom self link: this feed with its filters (Django's default drops the query).
        query = self.request.GET.urlencode()
        return self.request.path + (f"?{query}" if query else "")

    def title(self, filterset):
        chosen = [f"{filterset.form.fields[k].label}: {v}" for k, v in filterset.form.cleaned_data.items() if v]
        return f"Alliance Portal: {self.noun}" + (f" ({'; '.join(map(str, chosen))})" if chosen else "")

    def subtitle(self, filterset):
        return f"The latest {self.noun.lower()} recorded on Alliance Portal."

    def items(self, filterset):
        return filterset.qs.order_by("-updated_at", "-pk")[:FEED_SIZE]

    def item_happened_on(self, item):
        """The day what an entry reports happened (words said, a model released), when known;
        None: the entry is dated when it was recorded."""
        return None

    def item_pubdate(self, item):
        return dated(self.item_happened_on(item), item.created_at)

    def item_updateddate(self, item):
        return updated(item, self.item_pubdate(item) or item.created_at)


def by_entry_date(feed, rows) -> list:
    """The newest entries recorded (so a subscriber hears of an old quote recorded today),
    in the order of the dates they carry, newest first."""
    return sorted(rows, key=lambda item: feed.item_pubdate(item) or feed.item_updateddate(item), reverse=True)


EDITED_AFTER = timedelta(minutes=1)  # created_at and updated_at of one save differ by microseconds


def dated(day, recorded_at):
    """An entry's date: noon (UTC) of the day it happened, never later than it was recorded
    (an entry dated ahead would sit atop a reader's list); when it was recorded, without a day.
    Never the day the seed was loaded, for a record whose day is known."""
    if day is None:
        return recorded_at
    return min(datetime.combine(day, time(12, 0), tzinfo=UTC), recorded_at)


def updated(item, published):
    """Atom's <updated>: when the record was last changed, if it was changed after it was first
    recorded (a correction is news); else the entry's own date. (The seed loader saves only what
    differs, so loading it again changes nothing.)"""
    if item.updated_at - item.created_at > EDITED_AFTER:
        return max(item.updated_at, published)
    return published
