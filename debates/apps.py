from django.apps import AppConfig


class DebatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "debates"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from alliance_portal.caching import bump_data_version
        from debates.comments import remember_visibility, retire_pages_if_deleted_public, retire_pages_if_public
        from debates.models import Comment, PolicyItem, PolicyMilestone, Position, Topic
        from members.models import Affiliation, Coalition, Membership, Organization, Person, Source

        # Any change to the record retires every cached page (alliance_portal.caching);
        # a comment only while it is, or was, approved.
        pre_save.connect(remember_visibility, sender=Comment, dispatch_uid="comment-visibility")
        post_save.connect(retire_pages_if_public, sender=Comment, dispatch_uid="bump-save-Comment")
        post_delete.connect(retire_pages_if_deleted_public, sender=Comment, dispatch_uid="bump-delete-Comment")
        for model in (PolicyItem, PolicyMilestone, Position, Topic):
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
