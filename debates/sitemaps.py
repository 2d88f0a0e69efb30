from django.contrib.sitemaps import Sitemap
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


class ModelPages(Sitemap):
    """Every public object of one model, with its last change."""

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {
    "pages": StaticPages,
    **{
        model._meta.model_name: ModelPages(model)
        for model in (Coalition, Organization, Person, Position, Topic, PolicyItem)
    },
}
