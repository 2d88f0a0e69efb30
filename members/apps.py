from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self):
        from alliance_portal.models import history_models
        from members.models import Affiliation, Coalition, Membership, Organization, Person, Source
        from pagecache import exempt, watch

        # A change retires the cached pages that show it (pagecache.registry): a membership
        # shows on its organization's and coalition's pages, an affiliation on its person's and
        # organization's.
        for model in (Coalition, Organization, Person, Source):
            watch(model)
        watch(Membership, parents=["coalition", "organization"])
        watch(Affiliation, parents=["person", "organization"])
        exempt(*history_models(self), why="a version is written with each save of a watched row")
