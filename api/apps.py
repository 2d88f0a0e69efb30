from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "Read API"

    def ready(self):
        from api.models import RateWindow
        from pagecache import exempt

        exempt(RateWindow, why="the rate limit's counts; no page shows them")
