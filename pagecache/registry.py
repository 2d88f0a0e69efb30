"""Which rows the cached pages show, and what a change to them retires: each app registers
its own models from its ``AppConfig.ready()``, so every app depends on pagecache and none on
another's models.

``watch(Model)``: a save or delete of a row, or a change to its many-to-many links, retires
the pages that show it (pagecache.store): those that loaded the row, those that list its
kind, and every page that declared nothing. ``watch(Model, visible=predicate)``: only a row
that is, or was until this write, public (the predicate says so of a row).
``watch(Model, parents=["position"])``: a change also retires the pages that list the
children of the row's parents (a foreign key, or a many-to-many field): an organization's
page lists its positions, and says so with ``shows_children_of(organization)`` while it
renders; pages that merely name the organization are left alone.
``watch(Model, rows_show_children=True)``: every page showing a row shows something of its
children too (a position's card counts its comments and says whether it was answered).
``exempt(Model, why=…)``: a model whose rows change only with a watched row, or that no page
shows; a test holds every model of a watching app to one of the two.

While a page renders for storing, every watched row it loads is noted (``post_init``), so a
view names only the kinds it lists, never the rows it shows.
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from pagecache import store

_visible = {}  # watched model -> predicate, or None when every row is public
_parents = {}  # watched model -> the fields naming its parents
_rows_show_children = set()  # watched models whose every row shows something of its children
_exempt = {}  # model -> why it needs no watching


def watch(model, *, visible=None, parents=(), rows_show_children=False) -> None:
    _visible[model] = visible
    _parents[model] = tuple(model._meta.get_field(name) for name in parents)
    if rows_show_children:
        _rows_show_children.add(model)
    label = model._meta.label
    pre_save.connect(_remember_stored, sender=model, dispatch_uid=f"pagecache-presave-{label}")
    post_save.connect(_retire_saved, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(_retire_deleted, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    post_init.connect(_note_loaded, sender=model, dispatch_uid=f"pagecache-init-{label}")
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        _visible[through] = None
        _parents[through] = ()
        m2m_changed.connect(_retire_links, sender=through, dispatch_uid=f"pagecache-m2m-{through._meta.label}")


def exempt(*models, why: str) -> None:
    for model in models:
        _exempt[model] = why


def accounts_for(model) -> bool:
    """Whether the model is watched (directly or as a watched model's links) or exempt."""
    return model in _visible or model in _exempt


class every_kind_but:  # a class, so a class attribute holding one is not bound as a method
    """For ``lists=``: every watched kind but these (resolved when a page is stored, once every
    app has registered), for a page that lists the whole record except, say, comments."""

    def __init__(self, *models):
        self.skip = {model._meta.label_lower for model in models}

    def __call__(self) -> list[str]:
        return [model._meta.label_lower for model in _visible if model._meta.label_lower not in self.skip]


def row_tag(model, pk) -> str:
    return f"{model._meta.label_lower}:{pk}"


def children_tag(model, pk) -> str:
    return f"{model._meta.label_lower}:{pk}+"


def shows_children_of(*rows) -> None:
    """The page being rendered lists the children of these rows (an organization's positions)."""
    for row in rows:
        store.note(children_tag(type(row), row.pk))


def tags_of(model, row) -> set[str]:
    """What a change to this row (a state before or after a write) retires."""
    tags = {store.ANY_CHANGE, model._meta.label_lower, row_tag(model, row.pk)}
    for field in _parents.get(model, ()):
        target = field.related_model
        if field.many_to_many:
            if row.pk is not None:
                pks = getattr(row, field.name).values_list("pk", flat=True)
                tags.update(children_tag(target, pk) for pk in pks)
        elif (value := getattr(row, field.attname)) is not None:
            tags.add(children_tag(target, value))
    return tags


def retire_if_visible(model, rows) -> None:
    """Retire the pages showing these rows (states before or after a write), if any is public."""
    visible = _visible[model]
    if visible is None or any(visible(row) for row in rows):
        store.retire(set().union(*(tags_of(model, row) for row in rows)))


def _note_loaded(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        store.note(row_tag(sender, instance.pk))
        if sender in _rows_show_children:
            store.note(children_tag(sender, instance.pk))


def _remember_stored(sender, instance, **kwargs) -> None:
    stored = None
    if instance.pk is not None and (_visible[sender] is not None or _parents[sender]):
        stored = sender._base_manager.filter(pk=instance.pk).first()
    instance._pagecache_stored = stored


def _retire_saved(sender, instance, **kwargs) -> None:
    stored = getattr(instance, "_pagecache_stored", None)
    retire_if_visible(sender, [instance] if stored is None else [stored, instance])


def _retire_deleted(sender, instance, **kwargs) -> None:
    retire_if_visible(sender, [instance])


def _retire_links(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A change to many-to-many links retires the pages showing the rows that hold the field
    (a position's page shows its topics) and those listing the linked rows' children (a
    topic's page lists its positions)."""
    if not action.startswith("post_"):
        return
    owner, target = (model, type(instance)) if reverse else (type(instance), model)
    owners, targets = (pk_set or (), [instance.pk]) if reverse else ([instance.pk], pk_set or ())
    tags = {store.ANY_CHANGE, owner._meta.label_lower, target._meta.label_lower}  # after a clear: the kinds
    tags.update(row_tag(owner, pk) for pk in owners)
    tags.update(children_tag(owner, pk) for pk in owners if owner in _rows_show_children)
    tags.update(children_tag(target, pk) for pk in targets)
    store.retire(tags)
