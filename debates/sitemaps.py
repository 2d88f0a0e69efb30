from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Subquery
from django.urls import reverse

from debates.models import PolicyItem, Position, Topic
from members.models import Coalition, Organization, Person


class StaticPages(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "members:coalition-list",
            "members:organization-list",
            "members:person-list",
            "debates:position-list",
            "debates:topic-list",
            "debates:policy-list",
            "debates:compare",
            "debates:matrix",
            "debates:timeline",
            "debates:data",
        ]

    def location(self, name):
        return reverse(name)


class IdFirstPaginator(Paginator):
    """A deep page without reading every row before it: the page's first id comes
    off the primary-key index (index-only), then the page's rows from there."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        first = self.object_list.values_list("pk", flat=True)[bottom : bottom + 1]
        return self._get_page(self.object_list.filter(pk__gte=Subquery(first))[: self.per_page], number, self)


class ModelPages(Sitemap):
    """Every public object of one model, with its last change, 10,000 to a page
    (/sitemap-position.xml?p=2; the index at /sitemap.xml lists the pages)."""

    limit = 10_000

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, obj):
        return obj.updated_at

    @property
    def paginator(self):
        return IdFirstPaginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: a million rows for the index.
        return self.model.objects.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "pages": StaticPages,
    **{
        model._meta.model_name: ModelPages(model)
        for model in (Coalition, Organization, Person, Position, Topic, PolicyItem)
    },
}
