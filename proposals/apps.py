from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = "Review before publishing"

    def ready(self):
        from alliance_portal.moderation import queue
        from pagecache import exempt
        from proposals.models import ChangeProposal
        from proposals.review import PUBLISH_PERMISSION

        exempt(
            ChangeProposal,
            why="a change waiting for a publisher, which no public page shows; publishing it saves the watched rows",
        )
        queue(
            "changes to people, organizations, policies and other records, awaiting a publisher",
            lambda: ChangeProposal.objects.pending().count(),
            "admin:proposals_changeproposal_changelist",
            "status=pending",
            PUBLISH_PERMISSION,
        )
