from django.apps import AppConfig


class DebatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "debates"

    def ready(self):
        from alliance_portal.models import history_models
        from alliance_portal.moderation import queue
        from debates.comments import is_public
        from debates.models import (
            Comment,
            PolicyItem,
            PolicyMilestone,
            PolicyStatusChange,
            Position,
            PositionRevision,
            Release,
            SearchWord,
            StanceTally,
            Topic,
        )
        from pagecache import exempt, watch

        # A change retires the cached pages that show it (pagecache.registry); a comment only
        # while it is, or was, approved (pages show no other), and with it its position's page.
        for model in (PolicyItem, Topic):
            watch(model)
        watch(PolicyMilestone, parents=["policy_item"])
        watch(PolicyStatusChange, parents=["policy_item"])
        watch(Release, parents=["organization"])
        # A position is listed on its speaker's, organization's, topics' and policy's pages, and
        # in the exchange of the one it answers; a card counts its comments and answers. A draft
        # shows nowhere until it is published.
        watch(
            Position,
            visible=lambda position: position.published,
            parents=["in_reply_to", "topics", "organization", "speaker", "policy_item"],
            rows_show_children=True,
        )
        watch(Comment, visible=is_public, parents=["position"])
        exempt(
            PositionRevision,
            why="an edit waiting for a publisher, which no public page shows; publishing it saves its position,"
            " which is watched",
        )
        exempt(
            SearchWord,
            why="only a source of the search page's “Did you mean”, rebuilt from positions by refresh_search_words;"
            " a search page shown with the words before a rebuild still finds what it says it found",
        )
        exempt(StanceTally, why="kept by triggers on positions and their topics, which are watched")
        exempt(*history_models(self), why="a version is written with each save of a watched row")

        # What waits for moderators, counted on the admin home.
        queue(
            "comments awaiting moderation",
            lambda: Comment.objects.filter(status="pending").count(),
            "admin:debates_comment_changelist",
            "status=pending",
            "debates.change_comment",
        )
        queue(
            "positions drafted, awaiting a publisher",
            lambda: Position.all_objects.filter(published=False).count(),
            "admin:debates_position_changelist",
            "publication=draft",
            "debates.publish_position",
        )
        queue(
            "edits of published positions, awaiting a publisher",
            lambda: PositionRevision.objects.pending().count(),
            "admin:debates_positionrevision_changelist",
            "status=pending",
            "debates.publish_position",
        )
        queue(
            "positions not yet verified against their source",
            lambda: Position.objects.filter(integrity="unverified").count(),
            "admin:debates_position_changelist",
            "integrity__exact=unverified",
            "debates.change_position",
        )
