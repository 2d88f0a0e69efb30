from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participation"
    verbose_name = "Reader participation"

    def ready(self):
        from django.db.models.signals import m2m_changed

        from debates.models import Position
        from pagecache import exempt
        from participation.models import (
            ConfirmationRequest,
            Delivery,
            ModeratorNotice,
            SentEntry,
            Subscriber,
            Subscription,
            Suggestion,
        )
        from participation.suggestions import position_sources_changed

        # No public page shows any of these: subscriptions are private, and a suggestion
        # reaches the record only as a Position a moderator saves (which is watched).
        exempt(
            Subscriber,
            Subscription,
            SentEntry,
            Delivery,
            ConfirmationRequest,
            ModeratorNotice,
            Suggestion,
            Suggestion.topics.through,
            why="private to readers and moderators; no public page shows it",
        )

        # A position saved citing the source a suggestion brought is that suggestion's outcome.
        m2m_changed.connect(
            position_sources_changed, sender=Position.sources.through, dispatch_uid="participation-suggestion-cited"
        )
