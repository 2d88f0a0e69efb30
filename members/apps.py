from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self):
        from alliance_portal.models import history_models
        from members.models import Affiliation, Coalition, Membership, Organization, Person, Source
        from pagecache import exempt, watch

        # Who is who shows on every page: any change retires the cached pages.
        for model in (Affiliation, Coalition, Membership, Organization, Person, Source):
            watch(model)
        exempt(*history_models(self), why="a version is written with each save of a watched row")
