"""Edits of published positions held for a second pair of eyes (review before publishing).

With ``PORTAL_REVIEW_BEFORE_PUBLISHING`` on, a moderator who is not a publisher does not
change a published position: the admin keeps the Position form's cleaned values as a
``PositionRevision`` (``propose_revision``) and readers, feeds, downloads, the API and the
sitemap go on reading the position as it was. A publisher other than its author reads what
it changes (``revision_changes``, display values like the History page) and publishes it
(``publish_revision``: the same form, one save, one version attributed to the author with
the publisher named) or rejects it with a reason; its author may withdraw it.

The values are applied through the form again when published, so the position's rules
(constraints, required sources, a unique slug) are checked against the position as it is
then, not as it was when the edit was proposed.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.query import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from alliance_portal.versions import display_value, stamp_version
from debates.models import Position, PositionRevision
from proposals.models import ReviewStatus

PUBLISH_PERMISSION = "debates.publish_position"


class RevisionRefused(Exception):
    """The revision cannot be decided so: already decided, the publisher is its author, it no longer fits."""


def must_review(user, position) -> bool:
    """Whether this user's edit of this position waits for a publisher instead of going live."""
    return bool(
        settings.PORTAL_REVIEW_BEFORE_PUBLISHING
        and position.pk
        and position.published
        and not user.has_perm(PUBLISH_PERMISSION)
    )


def pending_revision_of(position):
    return PositionRevision.objects.pending().select_related("proposed_by").filter(position=position).first()


def form_values(form, *, exclude=()) -> dict:
    """A valid Position form's cleaned values, as JSON keeps them and the form reads them back."""
    values = {}
    for name in form.fields:
        if name in exclude:
            continue
        value = form.cleaned_data.get(name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, QuerySet | list | tuple):
            value = [item.pk for item in value]
        elif value is None:
            value = ""
        values[name] = value
    return values


def current_values(position, form_class) -> dict:
    """The position's stored values in the form's terms (a starting point for an edit made in code)."""
    values = {}
    for name in form_class.base_fields:
        field = Position._meta.get_field(name)
        value = field.value_from_object(position)
        if isinstance(field, models.ManyToManyField):
            value = [item.pk for item in value]
        values[name] = "" if value is None else value
    return values


def propose_revision(position, form, *, by, reason, exclude=()) -> PositionRevision:
    """Keep a valid form's edit of a published position for a publisher; the position is not touched."""
    return PositionRevision.objects.create(
        position=position,
        data=form_values(form, exclude=exclude),
        reason=reason[:100],
        proposed_by=by,
        based_on=Position.all_objects.values_list("updated_at", flat=True).get(pk=position.pk),
    )


def bind(revision, form_class, *, lock=False):
    """The Position form bound to the revision's values over the position as it is now."""
    positions = Position.all_objects.select_related("speaker", "organization")
    if lock:
        positions = positions.select_for_update(of=("self",))
    return form_class(data=revision.data, instance=positions.get(pk=revision.position_id))


def revision_changes(form) -> list[dict]:
    """What publishing the bound form changes: [{field, old, new}] in display values, in the form's order.

    Call before ``form.is_valid()`` has run (it writes the proposed values onto ``form.instance``);
    only fields whose proposed value parses are compared.
    """
    current = Position.all_objects.select_related("speaker", "organization", "policy_item", "in_reply_to__speaker").get(
        pk=form.instance.pk
    )
    form.is_valid()
    changes = []
    for name in form.fields:
        if name not in form.cleaned_data:
            continue
        field = Position._meta.get_field(name)
        new = form.cleaned_data[name]
        if isinstance(field, models.ManyToManyField):
            old = list(getattr(current, name).all())
            new = list(new)
            if {item.pk for item in old} == {item.pk for item in new}:
                continue
        else:
            old_key = field.value_from_object(current)
            new_key = new.pk if isinstance(new, models.Model) else new
            if (old_key in (None, "") and new_key in (None, "")) or old_key == new_key:
                continue
            old = getattr(current, name) if field.is_relation else old_key
        changes.append(
            {"field": capfirst(field.verbose_name), "old": display_value(field, old), "new": display_value(field, new)}
        )
    return changes


def _locked_pending(revision_pk):
    revision = (
        PositionRevision.objects.select_for_update(of=("self",)).select_related("proposed_by").get(pk=revision_pk)
    )
    if not revision.is_pending:
        raise RevisionRefused(f"This edit was already decided: {revision.get_status_display().lower()}.")
    return revision


@transaction.atomic
def publish_revision(revision_pk, form_class, *, by, when=None) -> Position:
    """Apply the edit as one save of the position, its links included, versioned as its author's.

    The revision row is locked first, so two publishers pressing "Publish" at once apply it once.
    """
    when = when or timezone.now()
    revision = _locked_pending(revision_pk)
    if revision.proposed_by_id == by.pk:
        raise RevisionRefused("You proposed this edit: another publisher must publish it.")
    form = bind(revision, form_class, lock=True)
    if not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        raise RevisionRefused(f"This edit no longer fits the position: {problems}")
    position = form.save(commit=False)
    position.updated_by = revision.proposed_by
    stamp_version(position, when=when, user=revision.proposed_by, reason=revision.published_reason(by))
    position.save()
    form.save_m2m()
    position.refresh_search_terms()
    revision.decide(ReviewStatus.PUBLISHED, by=by, when=when)
    return position


@transaction.atomic
def reject_revision(revision_pk, *, by, reason, when=None) -> PositionRevision:
    reason = reason.strip()[:300]
    if not reason:
        raise RevisionRefused("Give a reason to reject the edit; its author reads it.")
    revision = _locked_pending(revision_pk)
    revision.decide(ReviewStatus.REJECTED, by=by, when=when, reason=reason)
    return revision


@transaction.atomic
def withdraw_revision(revision_pk, *, by, when=None) -> PositionRevision:
    revision = _locked_pending(revision_pk)
    if revision.proposed_by_id != by.pk:
        raise RevisionRefused("Only its author can withdraw an edit; a publisher rejects it.")
    revision.decide(ReviewStatus.WITHDRAWN, by=by, when=when)
    return revision
