"""The moderator role: which permissions it has, in one place.

Used by the data migration that creates the group and by `createmoderator`
(which recreates the group if someone deleted it). Model classes are passed in,
so the migration can hand over its historical models.
"""

MODERATORS = "Moderators"
CONTENT_MODELS = {
    "members": ["source", "coalition", "organization", "membership", "person", "affiliation"],
    "debates": ["topic", "policyitem", "policymilestone", "position", "comment"],
}
EXTRA = [("debates", "delete_comment")]


def moderator_codenames():
    """(app_label, codename): add, change and view every content model and comment; delete comments."""
    for app_label, models in CONTENT_MODELS.items():
        for model in models:
            for action in ("add", "change", "view"):
                yield app_label, f"{action}_{model}"
    yield from EXTRA


def sync_moderators_group(Group, Permission):
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in moderator_codenames()
        ]
    )
    return group
