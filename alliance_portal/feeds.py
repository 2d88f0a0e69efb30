"""Atom feed machinery shared by every app. A list's feed takes the same filter
querystring as the list page (FilteredFeed).

Atom's <summary type="html"> is read as HTML by every feed reader, so a feed's
description must be HTML: the plain text moderators type (summaries, bios,
descriptions, notes) is escaped by ``TextDescriptions``.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from alliance_portal.listing import errors_as_text
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

    def get_object(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.base_queryset(), request=request)
        if not filterset.is_valid():
            raise Http404(errors_as_text(filterset.form))
        self.request = request
        return filterset

    def base_queryset(self):
        return self.filterset_class._meta.model.objects.all()

    def link(self, filterset):
        query = self.request.GET.urlencode()
        return reverse(self.list_url_name) + (f"?{query}" if query else "")

    def title(self, filterset):
        chosen = [f"{filterset.form.fields[k].label}: {v}" for k, v in filterset.form.cleaned_data.items() if v]
        return f"Alliance Portal: {self.noun}" + (f" ({'; '.join(map(str, chosen))})" if chosen else "")

    def subtitle(self, filterset):
        return f"The latest {self.noun.lower()} recorded on Alliance Portal."

    def items(self, filterset):
        return filterset.qs.order_by("-updated_at", "-pk")[:FEED_SIZE]

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at
