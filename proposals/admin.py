"""Review before publishing in the admin: the mixin every content admin has, and the review page.

``ReviewedChanges`` (mixed into members.admin.ContentAdmin): a held moderator's add or change
form, once it validates, becomes a ``ChangeProposal`` and the browser goes to its review page;
a record with a change waiting says so on its change form and in its list; deleting a record
and restoring a version need a publisher. ``ChangeProposalAdmin``: the list of proposals and
each one's review page (what it changes; publish, reject, withdraw).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from proposals.models import ChangeProposal, ReviewStatus
from proposals.review import (
    PUBLISH_PERMISSION,
    ProposalRefused,
    bind,
    last_version,
    must_hold,
    pending_proposal_for,
    proposal_changes,
    proposal_of,
    propose,
    publish,
    record_now,
    reject,
    replay_request,
    submitted_data,
    withdraw,
)


def review_url(proposal) -> str:
    return reverse("admin:proposals_changeproposal_change", args=[proposal.pk])


def _record_id(object_id):
    try:
        return int(unquote(str(object_id)))
    except (TypeError, ValueError):
        return None


class WaitingProposalCheck:
    """Refuses a held moderator's change of a record another change already waits for."""

    waiting_proposal = None  # set per request by ReviewedChanges.get_form

    def clean(self):
        cleaned = super().clean()
        proposal = self.waiting_proposal
        if proposal is not None:
            raise forms.ValidationError(
                format_html(
                    'A change by {} ({}) waits for a publisher: <a href="{}">review it</a>. It must be published,'
                    " rejected or withdrawn before this record can be changed again; nothing was saved.",
                    proposal.proposed_by or "an account since removed",
                    f"{proposal.proposed_at:%-d %B %Y}",
                    review_url(proposal),
                )
            )
        return cleaned


class ReviewedChanges:
    """A ModelAdmin mixin: saves of a moderator who is not a publisher wait for one (see proposals.review)."""

    review_changes = True  # False: this admin has its own flow (positions) or none
    review_additions = True  # False: new rows are live at once (sources, which only published rows show)
    change_form_template = "admin/proposals/change_form.html"
    change_list_template = "admin/proposals/change_list.html"

    def holds_changes(self, request, object_id=None) -> bool:
        if not self.review_changes or not must_hold(request.user):
            return False
        return object_id is not None or self.review_additions

    def proposal_effects(self, bound, current) -> list[dict]:
        """Changes publishing makes beyond the form's own fields (a policy's current status); none here."""
        return []

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", None) or self.form
        kwargs["form"] = type(base.__name__, (WaitingProposalCheck, base), {})
        form = super().get_form(request, obj, change=change, **kwargs)
        # The review page replays the waiting change itself: nothing to refuse there.
        if obj is not None and proposal_of(request) is None and self.holds_changes(request, obj.pk):
            form.waiting_proposal = pending_proposal_for(obj)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and self.holds_changes(request, object_id):
            response = self.propose_change(request, object_id)
            if response is not None:
                return response
        if object_id is not None and self.review_changes:
            waiting = ChangeProposal.objects.pending().select_related("proposed_by")
            waiting = waiting.filter(content_type=ContentType.objects.get_for_model(self.model))
            extra_context = {
                **(extra_context or {}),
                "pending_proposal": waiting.filter(object_id=_record_id(object_id)).first(),
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def propose_change(self, request, object_id):
        """Keep a valid add or change as a proposal and go to its review page; None: let the admin answer."""
        add = object_id is None
        with transaction.atomic():
            if add:
                if not self.has_add_permission(request):
                    raise PermissionDenied
                obj, name = None, ""
            else:
                obj = self.get_object(request, unquote(object_id))
                if obj is None or not self.has_change_permission(request, obj):
                    return None  # the admin's own answer: "doesn't exist" or 403
                name = str(obj)
            bound = bind(self, request, obj)
            if not bound.is_valid():
                return None  # the change view validates again and shows the errors as usual
            reason = self.change_reason(request, bound.form, not add)
            try:
                with transaction.atomic():
                    proposal = propose(
                        bound,
                        by=request.user,
                        reason=reason,
                        data=submitted_data(request.POST),
                        record_name=name or str(bound.form.instance),
                    )
            except IntegrityError:
                self.message_user(
                    request,
                    "Another moderator's change of this record was proposed a moment before yours and waits for a"
                    " publisher; yours was not kept.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
        kind = self.model._meta.verbose_name
        self.message_user(
            request,
            f"Your change waits for a publisher: readers see the {kind} as it was until one publishes it."
            if not add
            else f"Your change waits for a publisher: the new {kind} exists for readers once one publishes it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(review_url(proposal))

    def changelist_view(self, request, extra_context=None):
        if self.review_changes:
            waiting = ChangeProposal.objects.pending().filter(
                content_type=ContentType.objects.get_for_model(self.model)
            )
            rows = list(waiting.values_list("object_id", "pk"))
            request._waiting_proposals = {object_id: pk for object_id, pk in rows if object_id is not None}
            if rows:
                extra_context = {
                    **(extra_context or {}),
                    "waiting_changes": sum(1 for object_id, _ in rows if object_id is not None),
                    "waiting_additions": sum(1 for object_id, _ in rows if object_id is None),
                    "waiting_url": reverse("admin:proposals_changeproposal_changelist")
                    + f"?status=pending&content_type__id__exact={ContentType.objects.get_for_model(self.model).pk}",
                }
        return super().changelist_view(request, extra_context)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        waiting = getattr(request, "_waiting_proposals", None)
        if not waiting:
            return shown

        @admin.display(description="review")
        def review(obj):
            proposal_pk = waiting.get(obj.pk)
            if proposal_pk is None:
                return ""
            link = reverse("admin:proposals_changeproposal_change", args=[proposal_pk])
            return format_html('<a href="{}">A change waits for a publisher</a>', link)

        return [*shown, review]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.review_changes and must_hold(request.user):
            actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        if self.review_changes and must_hold(request.user) and self.has_delete_permission(request):
            self.message_user(
                request,
                "Deleting needs a publisher while review before publishing is on; nothing was deleted.",
                messages.ERROR,
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))
        return super().delete_view(request, object_id, extra_context)

    def restore_refused(self, request, object_id):
        """A restore by a held moderator: refused with a message (None: go ahead)."""
        if request.method == "POST" and self.holds_changes(request, object_id):
            self.message_user(
                request,
                "Restoring a version needs a publisher while review before publishing is on; nothing was changed."
                " Edit the record instead: the change waits for a publisher.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        return None


class ReviewStatusFilter(admin.SimpleListFilter):
    """Opens on what still waits for a publisher (here and on the positions' edits)."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ReviewStatus.choices, ("all", "All")]

    def choices(self, changelist):
        current = self.value() or ReviewStatus.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ReviewStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):
    """Changes waiting for a publisher; the change page is the review page."""

    list_display = ["__str__", "kind", "reason", "proposed_at", "status", "decided_by"]
    list_filter = [ReviewStatusFilter, ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type", "proposed_by", "decided_by"]
    search_fields = ["reason", "object_repr"]
    review_template = "admin/proposals/changeproposal/review.html"

    def reviewed_admin(self, model):
        model_admin = self.admin_site._registry.get(model)
        return model_admin if getattr(model_admin, "review_changes", False) else None

    # Whoever may change a kind of record reads its proposals; only publishers decide them
    # (decide() checks). Nobody adds, edits or deletes a proposal here.
    def has_view_permission(self, request, obj=None):
        user = request.user
        if obj is not None:
            opts = obj.model._meta
            return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        return any(
            user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
            for model in self.admin_site._registry
            if self.reviewed_admin(model) is not None
        )

    has_change_permission = has_view_permission

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description="kind of record", ordering="content_type")
    def kind(self, proposal):
        return proposal.model._meta.verbose_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = ChangeProposal.objects.select_related("content_type", "proposed_by", "decided_by")
        proposal = proposal.filter(pk=_record_id(object_id)).first()
        if proposal is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        model_admin = self.reviewed_admin(proposal.model)
        if request.method == "POST":
            return self.decide(request, proposal, model_admin)
        record = (
            None if proposal.is_addition and not proposal.object_id else record_now(proposal.model, proposal.object_id)
        )
        changes, problems, changed_since = {"fields": [], "inlines": []}, [], False
        gone = proposal.is_pending and not proposal.is_addition and record is None
        if proposal.is_pending and model_admin is not None and not gone:
            bound = bind(model_admin, replay_request(request, proposal), record)
            changes = proposal_changes(bound)
            problems = bound.problems()
            changed_since = not proposal.is_addition and last_version(model_admin, record) != proposal.based_on
        own = proposal.proposed_by_id == request.user.pk
        may_decide = request.user.has_perm(PUBLISH_PERMISSION) and proposal.is_pending
        opts = proposal.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(proposal),
            "proposal": proposal,
            "kind": opts.verbose_name,
            "record": record,
            "record_admin_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            if record is not None
            else "",
            "public_url": record.get_absolute_url()
            if record is not None and hasattr(record, "get_absolute_url")
            else "",
            "changes": changes,
            "problems": problems if not gone else ["The record this change is for was deleted since."],
            "changed_since": changed_since,
            "can_publish": may_decide and not own,
            "own_change": own,
            "can_reject": may_decide,
            "can_withdraw": proposal.is_pending and own,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.review_template, context)

    def decide(self, request, proposal, model_admin):
        url = review_url(proposal)
        may_decide = request.user.has_perm(PUBLISH_PERMISSION)
        try:
            if "_publish" in request.POST and may_decide:
                if model_admin is None:
                    raise ProposalRefused("This kind of record is no longer reviewed here; nothing was published.")
                publish(proposal.pk, model_admin, request)
                done = "Published the change: readers see it now."
            elif "_reject" in request.POST and may_decide:
                reject(proposal.pk, by=request.user, reason=request.POST.get("decision_reason", ""))
                done = "Rejected the change: readers see the record as it was."
            elif "_withdraw" in request.POST:
                withdraw(proposal.pk, by=request.user)
                done = "Withdrew your change: readers see the record as it was."
            else:
                raise ProposalRefused("Only a publisher can publish or reject a change; nothing was changed.")
        except ProposalRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(url)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(url)
