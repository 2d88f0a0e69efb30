"""Which rows the cached pages show: each app registers its own models from its
``AppConfig.ready()``, so every app depends on pagecache and none on another's models.

``watch(Model)``: any save or delete of a row, or a change to its many-to-many
links, retires every cached page. ``watch(Model, visible=predicate)``: only a
row that is, or was until this write, public (the predicate says so of a row).
``exempt(Model, why=…)``: a model whose rows change only with a watched row,
or that no page shows; a test holds every model of a watching app to one of the two.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from pagecache.store import retire_all

_visible = {}  # watched model -> predicate, or None when every row is public
_exempt = {}  # model -> why it needs no watching


def watch(model, *, visible=None) -> None:
    _visible[model] = visible
    label = model._meta.label
    if visible is None:
        post_save.connect(_retire, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_retire, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    else:
        pre_save.connect(_remember_visibility, sender=model, dispatch_uid=f"pagecache-presave-{label}")
        post_save.connect(_retire_if_saved_visible, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_retire_if_deleted_visible, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        _visible[through] = None
        m2m_changed.connect(_retire_links, sender=through, dispatch_uid=f"pagecache-m2m-{through._meta.label}")


def exempt(*models, why: str) -> None:
    for model in models:
        _exempt[model] = why


def accounts_for(model) -> bool:
    """Whether the model is watched (directly or as a watched model's links) or exempt."""
    return model in _visible or model in _exempt


def retire_if_visible(model, rows) -> None:
    """Retire every page if any of these rows (states before or after a write) is public."""
    visible = _visible[model]
    if visible is None or any(visible(row) for row in rows):
        retire_all()


def _retire(**kwargs) -> None:
    retire_all()


def _retire_links(action, **kwargs) -> None:
    if action.startswith("post_"):
        retire_all()


def _remember_visibility(sender, instance, **kwargs) -> None:
    stored = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._pagecache_stored = stored


def _retire_if_saved_visible(sender, instance, **kwargs) -> None:
    stored = getattr(instance, "_pagecache_stored", None)
    retire_if_visible(sender, [instance] if stored is None else [stored, instance])


def _retire_if_deleted_visible(sender, instance, **kwargs) -> None:
    retire_if_visible(sender, [instance])
