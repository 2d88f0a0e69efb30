from django.apps import AppConfig


class DebatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "debates"
