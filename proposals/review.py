"""Review before publishing for every record the admin edits (positions have their own flow).

With ``PORTAL_REVIEW_BEFORE_PUBLISHING`` on, the add or change form of a moderator who is not
a publisher is validated as usual, main form and inline formsets, and then, instead of being
saved, kept as a ``ChangeProposal``: what the browser posted (``submitted_data``), its reason,
its author. Nothing is written to the record, so a proposed new person or policy item exists
for no reader (no page, feed, download, API, sitemap, search or tally has anything to filter).

A publisher other than its author reads what it changes (``proposal_changes``: display values,
for the main fields and for each inline row added, changed or removed) and publishes it
(``publish``): the stored data is posted again, through the same ModelAdmin form and inline
formsets, against the record as it is then (``bind``), so every rule is checked again; if it
no longer validates nothing is saved and the problems are shown. Otherwise it is saved the way
the admin saves (save_form, save_model, save_related: the same signals retire the cached
pages), in one transaction, as one version attributed to its author, with the publisher
named in the version's reason. A publisher rejects with a reason; its author may withdraw.
"""

import copy
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.forms.formsets import all_valid
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst

from alliance_portal.versions import display_value, foreign_key_to, version_moment
from proposals.models import ChangeProposal, ReviewStatus

PUBLISH_PERMISSION = "proposals.publish_changeproposal"
# Not part of the change: the CSRF token, which button was pressed, popup plumbing.
NOT_DATA = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", "_popup", "_to_field"}


class ProposalRefused(Exception):
    """The proposal cannot be decided so: already decided, the publisher is its author, it no longer fits."""


def must_hold(user) -> bool:
    """Whether this user's saves wait for a publisher instead of going live."""
    return bool(settings.PORTAL_REVIEW_BEFORE_PUBLISHING and not user.has_perm(PUBLISH_PERMISSION))


def submitted_data(post) -> dict[str, list[str]]:
    """The change form's POST as JSON keeps it: every key with all its values, the CSRF token dropped."""
    return {key: post.getlist(key) for key in post if key not in NOT_DATA}


def replay_request(request, proposal):
    """A copy of ``request`` (same session and messages) that posts the proposal's data as its author.

    As its author: the admin builds the form they filled in (what they may change, add, delete) and
    the versions the save writes are theirs (an account since removed: the one replaying it).
    """
    replay = copy.copy(request)
    if proposal.proposed_by is not None:
        replay.user = proposal.proposed_by
    for attribute in ("_version_moment", "_change_reason"):
        replay.__dict__.pop(attribute, None)
    post = QueryDict(mutable=True)
    for key, values in proposal.data.items():
        post.setlist(key, values)
    post._mutable = False
    # What WSGIRequest.POST and .FILES read once the body is parsed.
    replay.method, replay._post, replay._files = "POST", post, MultiValueDict()
    replay.proposal = proposal
    return replay


def proposal_of(request):
    """The proposal a replayed request carries, if any."""
    return getattr(request, "proposal", None)


@dataclass
class Bound:
    """A ModelAdmin's change form and inline formsets bound to posted data, as its change view binds them."""

    model_admin: object
    request: object
    obj: object  # None for a new record
    form: object
    formsets: list
    inlines: list
    _valid: bool | None = field(default=None, repr=False)

    @property
    def add(self) -> bool:
        return self.obj is None

    def is_valid(self) -> bool:
        if self._valid is None:
            form_valid = self.form.is_valid()
            self._valid = all_valid(self.formsets) and form_valid
        return self._valid

    def problems(self) -> list[str]:
        """Every error, in words a moderator can act on: "Sources: Cite at least one source."."""
        self.is_valid()
        found = [_labelled(self.form, name, errors) for name, errors in self.form.errors.items()]
        for formset in self.formsets:
            kind = capfirst(formset.model._meta.verbose_name)
            found += [f"{kind}: {error}" for error in formset.non_form_errors()]
            for number, row in enumerate(formset.forms, 1):
                found += [f"{kind} {number}, {_labelled(row, n, e)}" for n, e in row.errors.items()]
        return found


def _labelled(form, name, errors) -> str:
    text = " ".join(str(error) for error in errors)
    label = form.fields[name].label if name in form.fields else None
    return f"{capfirst(label)}: {text}" if label and name != "__all__" else text


def bind(model_admin, request, obj) -> Bound:
    """What ``ModelAdmin._changeform_view`` does with a POST, up to the save (Django 5.2)."""
    add = obj is None
    fieldsets = model_admin.get_fieldsets(request, obj)
    form_class = model_admin.get_form(request, obj, change=not add, fields=flatten_fieldsets(fieldsets))
    form = form_class(request.POST, request.FILES, instance=obj)
    formsets, inlines = model_admin._create_formsets(request, form.instance, change=not add)
    return Bound(model_admin, request, obj, form, formsets, inlines)


def last_version(model_admin, obj):
    """When the record or one of its inline rows last changed (its newest version), or None."""
    if obj is None:
        return None
    newest = [obj.history.aggregate(newest=Max("history_date"))["newest"]]
    for child in model_admin.version_children():
        fk = foreign_key_to(type(obj), child)
        newest.append(child.history.filter(**{f"{fk}_id": obj.pk}).aggregate(newest=Max("history_date"))["newest"])
    return max((moment for moment in newest if moment is not None), default=None)


def pending_proposal_for(obj):
    return ChangeProposal.objects.pending().of(obj).select_related("proposed_by").first()


def propose(bound, *, by, reason, data, record_name) -> ChangeProposal:
    """Keep a valid bound form's change for a publisher; nothing of the record is written."""
    return ChangeProposal.objects.create(
        content_type=ContentType.objects.get_for_model(bound.model_admin.model),
        object_id=None if bound.add else bound.obj.pk,
        is_addition=bound.add,
        object_repr=record_name[:200],
        data=data,
        reason=reason[:100],
        proposed_by=by,
        based_on=last_version(bound.model_admin, bound.obj),
    )


def record_now(model, object_id, *, lock=False):
    records = model._base_manager.all()
    if lock:
        records = records.select_for_update(of=("self",))
    return records.filter(pk=object_id).first()


def _locked_pending(proposal_pk):
    proposal = ChangeProposal.objects.select_for_update(of=("self",)).select_related("proposed_by").get(pk=proposal_pk)
    if not proposal.is_pending:
        raise ProposalRefused(f"This change was already decided: {proposal.get_status_display().lower()}.")
    return proposal


@transaction.atomic
def publish(proposal_pk, model_admin, request):
    """Save the proposed change as the admin saves a change, as one version of its author's.

    The proposal row is locked first, so two publishers pressing "Publish" at once apply it once;
    then the record, so an edit saved meanwhile is either before the replay or after it.
    """
    proposal = _locked_pending(proposal_pk)
    if proposal.proposed_by_id == request.user.pk:
        raise ProposalRefused("You proposed this change: another publisher must publish it.")
    obj = None
    if not proposal.is_addition:
        obj = record_now(model_admin.model, proposal.object_id, lock=True)
        if obj is None:
            raise ProposalRefused("The record this change is for was deleted since; nothing was published.")
    replay = replay_request(request, proposal)
    bound = bind(model_admin, replay, obj)
    if not bound.is_valid():
        raise ProposalRefused("This change no longer fits the record as it is now: " + " ".join(bound.problems()))
    when = version_moment(replay)
    # Decided before the save, so the versions' reason names the publisher (ContentAdmin.change_reason).
    proposal.decide(ReviewStatus.PUBLISHED, by=request.user, when=when, save=False)
    change = not bound.add
    try:
        with transaction.atomic():  # a rule only the database checks: refused in words, not a 500
            record = model_admin.save_form(replay, bound.form, change=change)
            model_admin.save_model(replay, record, bound.form, change)
            model_admin.save_related(replay, bound.form, bound.formsets, change)
    except IntegrityError as refused:
        raise ProposalRefused(
            f"The database refused this change as the record is now; nothing was published ({refused})."
        ) from refused
    message = model_admin.construct_change_message(replay, bound.form, bound.formsets, bound.add)
    # The admin's log says who published it (the version says who wrote it).
    if bound.add:
        model_admin.log_addition(request, record, message)
    else:
        model_admin.log_change(request, record, message)
    proposal.object_id = record.pk
    proposal.save(update_fields=["status", "decided_by", "decided_at", "object_id"])
    return record


@transaction.atomic
def reject(proposal_pk, *, by, reason, when=None) -> ChangeProposal:
    reason = reason.strip()[:300]
    if not reason:
        raise ProposalRefused("Give a reason to reject the change; its author reads it.")
    proposal = _locked_pending(proposal_pk)
    proposal.decide(ReviewStatus.REJECTED, by=by, when=when, reason=reason)
    return proposal


@transaction.atomic
def withdraw(proposal_pk, *, by, when=None) -> ChangeProposal:
    proposal = _locked_pending(proposal_pk)
    if proposal.proposed_by_id != by.pk:
        raise ProposalRefused("Only its author can withdraw a change; a publisher rejects it.")
    proposal.decide(ReviewStatus.WITHDRAWN, by=by, when=when)
    return proposal


# What publishing changes, in display values (the History page's, alliance_portal.versions).


def _related_names(model):
    single = [f.name for f in model._meta.concrete_fields if f.is_relation]
    many = [f.name for f in model._meta.many_to_many]
    return single, many


def _current_rows(model, **lookup):
    single, many = _related_names(model)
    return model._base_manager.filter(**lookup).select_related(*single).prefetch_related(*many)


def _field_change(model, name, old_row, cleaned) -> dict | None:
    """{field, old, new} when the cleaned value of ``name`` differs from the stored row's (None: a new row)."""
    if name not in cleaned:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None  # a form-only field, such as the reason for the change
    if not model_field.editable or model_field.primary_key:
        return None
    new = cleaned[name]
    if isinstance(model_field, models.ManyToManyField):
        old = list(getattr(old_row, name).all()) if old_row is not None else []
        new = list(new or [])
        if {item.pk for item in old} == {item.pk for item in new}:
            return None
    elif model_field.is_relation:
        old = getattr(old_row, name) if old_row is not None else None
        if getattr(old, "pk", None) == getattr(new, "pk", None):
            return None
    else:
        old = model_field.value_from_object(old_row) if old_row is not None else None
        if old == new or (old in (None, "") and new in (None, "")):
            return None
    return {
        "field": capfirst(model_field.verbose_name),
        "old": display_value(model_field, old),
        "new": display_value(model_field, new),
    }


def _row_label(row) -> str:
    try:
        return str(row)
    except Exception:  # a half-filled new row may not name itself
        return ""


def proposal_changes(bound) -> dict:
    """What saving the bound form changes, against the record as it is now, in display values.

    ``{"fields": [{field, old, new}], "inlines": [{"title", "rows": [{"kind", "label", "fields"}]}]}``;
    kinds are "added", "changed", "removed". Runs the validation (``bound.problems()`` then costs
    nothing); only values that parse are compared.
    """
    model = bound.model_admin.model
    current = None if bound.add else _current_rows(model, pk=bound.obj.pk).first()
    children = []
    for formset in bound.formsets:
        rows = (
            {} if bound.add else {row.pk: row for row in _current_rows(formset.model, **{formset.fk.name: bound.obj})}
        )
        children.append(rows)
    bound.is_valid()
    fields = [c for name in bound.form.fields if (c := _field_change(model, name, current, bound.form.cleaned_data))]
    fields += bound.model_admin.proposal_effects(bound, current)
    inlines = []
    for formset, rows_now in zip(bound.formsets, children, strict=True):
        names = [name for name in formset.form.base_fields if name != formset.fk.name]
        rows = []
        for index, row_form in enumerate(formset.forms):
            cleaned = getattr(row_form, "cleaned_data", {})
            deleted = formset.can_delete and cleaned.get("DELETE")
            if index < formset.initial_form_count():
                old = rows_now.get(row_form.instance.pk)
                if deleted:
                    rows.append({"kind": "removed", "label": _row_label(old), "fields": []})
                elif row_form.has_changed():
                    changed = [c for n in names if (c := _field_change(formset.model, n, old, cleaned))]
                    if changed:
                        rows.append({"kind": "changed", "label": _row_label(old), "fields": changed})
            elif row_form.has_changed() and not deleted:
                added = [c for n in names if (c := _field_change(formset.model, n, None, cleaned))]
                rows.append({"kind": "added", "label": _row_label(row_form.instance), "fields": added})
        if rows:
            inlines.append({"title": capfirst(formset.model._meta.verbose_name_plural), "rows": rows})
    return {"fields": fields, "inlines": inlines}
