"""Versions moderators can read and restore whole (django-simple-history underneath).

* One moment per save: every row an admin save writes (the object, its inline
  children, their many-to-many links) is versioned with the same ``history_date``
  (``stamp_version``), so "the object as it was after that save" is well defined.
* ``restore(obj, version, children=…)`` brings back, as of that moment, the
  object's many-to-many links and its children (milestones, memberships,
  affiliations, status changes) with their own links: rows added since are
  deleted, rows deleted since come back, changed rows get their old values.
* ``ReadableChanges`` shows a version's changes in display values ("In force",
  "1 August 2024", a source's title) rather than stored ones ("in_force").

Model-agnostic: the content admins (members/admin.py) wire it in.
"""

from django.db import models, transaction
from django.utils import dateformat, timezone
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

# The loader's versions carry this reason (debates/seed.py), so History can say who made them.
LOADER_REASON = "Loaded from the seed files (load_seed)"


def version_moment(request):
    """One timestamp for every version a request writes (the object, its children, their links)."""
    if not hasattr(request, "_version_moment"):
        request._version_moment = timezone.now()
    return request._version_moment


def stamp_version(instance, *, when, user, reason):
    """What simple-history writes on the instance's next version: when, by whom, why."""
    instance._history_date = when
    instance._history_user = user
    instance._change_reason = reason


def foreign_key_to(parent_model, child_model) -> str:
    """The name of the child model's foreign key to the parent model."""
    for field in child_model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and issubclass(parent_model, field.related_model):
            return field.name
    raise LookupError(f"{child_model.__name__} has no foreign key to {parent_model.__name__}")


def _links_as_of(record) -> dict[str, list[int]]:
    """{m2m field name: [related ids]} as a historical record saw them."""
    links = {}
    for field in record._history_m2m_fields:
        target = get_m2m_reverse_field_name(field)
        links[field.name] = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
    return links


def _last_record_of_the_moment(obj, record):
    """``obj``'s last version written at the same moment as ``record`` (its save's links included)."""
    return obj.history.filter(history_date=record.history_date).order_by("history_id").last()


@transaction.atomic
def restore(obj, version, *, children=(), when, user, reason) -> None:
    """Make ``obj``'s links and ``children`` (child models with history) what they were at ``version``.

    ``obj``'s own fields are restored by the admin's form; this does the rest.
    """
    as_of = version.history_date
    stamp_version(obj, when=when, user=user, reason=reason)
    for name, ids in _links_as_of(_last_record_of_the_moment(obj, version)).items():
        getattr(obj, name).set(ids)
    for child_model in children:
        fk = foreign_key_to(type(obj), child_model)
        latest = {}
        for record in child_model.history.filter(**{f"{fk}_id": obj.pk}, history_date__lte=as_of).order_by(
            "history_date", "history_id"
        ):
            latest[record.id] = record
        wanted = {pk: record for pk, record in latest.items() if record.history_type != "-"}
        for current in child_model.objects.filter(**{fk: obj}).exclude(pk__in=list(wanted)):
            stamp_version(current, when=when, user=user, reason=reason)
            current.delete()
        for record in wanted.values():
            instance = record.instance
            instance._state.adding = False  # an update, or the old row back under its old id and dates
            stamp_version(instance, when=when, user=user, reason=reason)
            instance.save()
            for name, ids in _links_as_of(record).items():
                stamp_version(instance, when=when, user=user, reason=reason)
                getattr(instance, name).set(ids)


def display_value(field, value) -> str:
    """A stored value as a reader of the admin knows it."""
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ManyToManyField):
        return "; ".join(str(item) for item in value) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(field, models.DateTimeField):
        return dateformat.format(value, "j F Y, H:i")
    if isinstance(field, models.DateField):
        return dateformat.format(value, "j F Y")
    return str(value)


class ReadableChanges(HistoricalRecordContextHelper):
    """A version's changes in display values: choices by label, dates in words, links by name."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            target = get_m2m_reverse_field_name(field)
            value = [row[target] for row in value]
        return display_value(field, value)
