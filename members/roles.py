"""The moderator role: which permissions it has, in one place.

Used by the data migration that creates the group and by `createmoderator`
(which recreates the group if someone deleted it). Model classes are passed in,
so the migration can hand over its historical models.
"""

MODERATORS = "Moderators"
CONTENT_MODELS = {
    "members": ["source", "coalition", "organization", "membership", "person", "affiliation"],
    "debates": ["topic", "policyitem", "policystatuschange", "policymilestone", "release", "position", "comment"],
    # Moderators work the queue of readers' suggestions and corrections (participation).
    "participation": ["suggestion"],
}
EXTRA = [("debates", "delete_comment")]


def moderator_codenames():
    """(app_label, codename): add, change and view every content model and comment; delete comments."""
    for app_label, models in CONTENT_MODELS.items():
        for model in models:
            for action in ("add", "change", "view"):
                yield app_label, f"{action}_{model}"
    yield from EXTRA


PUBLISHERS = "Publishers"
# A second pair of eyes: publishers make moderators' drafts public (debates.Position.published)
# and publish their proposed changes of every other record (proposals.ChangeProposal).
PUBLISHER_EXTRA = [("debates", "publish_position"), ("proposals", "publish_changeproposal")]


def sync_publishers_group(Group, Permission):
    """Publishers moderate, and publish what another moderator drafted."""
    group, _ = Group.objects.get_or_create(name=PUBLISHERS)
    wanted = set(moderator_codenames()) | set(PUBLISHER_EXTRA)
    permissions = Permission.objects.filter(codename__in={codename for _, codename in wanted}).select_related(
        "content_type"
    )
    group.permissions.set([p for p in permissions if (p.content_type.app_label, p.codename) in wanted])
    return group


def sync_moderators_group(Group, Permission):
    """Give the group the role's permissions. A model that a later migration adds
    has no permission yet when an earlier one runs: that migration syncs again."""
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    wanted = set(moderator_codenames())
    permissions = Permission.objects.filter(codename__in={codename for _, codename in wanted}).select_related(
        "content_type"
    )
    group.permissions.set([p for p in permissions if (p.content_type.app_label, p.codename) in wanted])
    return group
