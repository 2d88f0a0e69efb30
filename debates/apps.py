from django.apps import AppConfig


class DebatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "debates"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from alliance_portal.caching import bump_data_version
        from debates.models import Comment, PolicyItem, PolicyMilestone, Position, Topic
        from members.models import Affiliation, Coalition, Membership, Organization, Person, Source

        # Any change to the record retires every cached page (alliance_portal.caching).
        for model in (Comment, PolicyItem, PolicyMilestone, Position, Topic):
            post_save.connect(bump_data_version, sender=model, dispatch_uid=f"bump-save-{model.__name__}")
            post_delete.connect(bump_data_version, sender=model, dispatch_uid=f"bump-delete-{model.__name__}")
        for model in (Affiliation, Coalition, Membership, Organization, Person, Source):
            post_save.connect(bump_data_version, sender=model, dispatch_uid=f"bump-save-{model.__name__}")
            post_delete.connect(bump_data_version, sender=model, dispatch_uid=f"bump-delete-{model.__name__}")
        for model in (Position, PolicyItem, Topic, Coalition, Organization, Membership, Person, Affiliation):
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    bump_data_version,
                    sender=field.remote_field.through,
                    dispatch_uid=f"bump-m2m-{model.__name__}-{field.name}",
                )
