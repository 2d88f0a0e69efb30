from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, When
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst

from alliance_portal.models import format_partial_date
from alliance_portal.versions import stamp_version
from debates.comments import set_comment_status
from debates.markup import render_markdown
from debates.models import (
    Comment,
    CommentStatus,
    PolicyItem,
    PolicyMilestone,
    PolicyStatusChange,
    Position,
    PositionRevision,
    Release,
    Topic,
    status_with_date,
)
from debates.revisions import (
    RevisionRefused,
    bind,
    current_values,
    must_review,
    pending_revision_of,
    propose_revision,
    publish_revision,
    reject_revision,
    revision_changes,
    withdraw_revision,
)
from members.admin import REASON, ContentAdmin, SourcesRequiredForm, export_as_csv, version_moment
from members.models import Affiliation
from proposals.admin import ReviewStatusFilter


@admin.register(Topic)
class TopicAdmin(ContentAdmin):
    list_display = ["name", "question", "public_link"]
    search_fields = ["name", "question", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


class PolicyMilestoneInline(admin.TabularInline):
    model = PolicyMilestone
    extra = 0
    fields = ["on", "precision", "title", "is_deadline", "responsible"]


class OneStatusPerDay(BaseInlineFormSet):
    """One status change a day (a database constraint the inline's forms do not check): said in words."""

    def clean(self):
        super().clean()
        days = set()
        for form in self.forms:
            since = getattr(form, "cleaned_data", {}).get("since")
            if since is None or self._should_delete_form(form):
                continue
            if since in days:
                raise forms.ValidationError(f"Two status changes are dated {since:%-d %B %Y}: one status a day.")
            days.add(since)
        if self.instance.pk is not None and days:
            listed = [form.instance.pk for form in self.forms if form.instance.pk is not None]
            others = PolicyStatusChange.objects.filter(policy_item=self.instance, since__in=days).exclude(pk__in=listed)
            clash = others.first()
            if clash is not None:
                raise forms.ValidationError(
                    f"Another status change of this policy item is dated {clash.since:%-d %B %Y}: one status a day."
                )


class PolicyStatusChangeInline(admin.TabularInline):
    """The status history; the latest change is the policy item's current status."""

    model = PolicyStatusChange
    formset = OneStatusPerDay
    form = SourcesRequiredForm
    extra = 0
    fields = ["status", "since", "precision", "note", "sources"]
    autocomplete_fields = ["sources"]


@admin.register(PolicyItem)
class PolicyItemAdmin(ContentAdmin):
    form = SourcesRequiredForm
    list_display = ["short_name", "jurisdiction", "kind", "current_status", "updated_at", "public_link"]
    list_filter = ["jurisdiction", "kind", "status"]
    search_fields = ["short_name", "title", "summary", "open_models"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["topics", "sources"]
    inlines = [PolicyStatusChangeInline, PolicyMilestoneInline]

    def get_readonly_fields(self, request, obj=None):
        # Once there is a status history, the status is its latest change, not typed in.
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status_changes.exists():
            return [*readonly, "status", "status_note"]
        return readonly

    @admin.display(description="status", ordering="status")
    def current_status(self, obj):
        return obj.status_display

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_status()

    def after_restore(self, obj):
        obj.refresh_status()

    def proposal_effects(self, bound, current):
        """A proposed status change moves the current status (the latest change), which is no form field."""
        formset = next((f for f in bound.formsets if f.model is PolicyStatusChange), None)
        if formset is None:
            return []
        latest = None
        for index, row in enumerate(formset.forms):
            cleaned = getattr(row, "cleaned_data", {})
            if not {"status", "since"} <= cleaned.keys() or cleaned.get("DELETE"):
                continue
            key = (cleaned["since"], row.instance.pk or float("inf"), index)
            if latest is None or key > latest[0]:
                latest = (key, status_with_date(cleaned["status"], cleaned["since"], cleaned.get("precision", "day")))
        if latest is None:
            return []
        now = current.status_display if current is not None else "—"
        if latest[1] == now:
            return []
        field = "Current status (its latest status change)"
        return [{"field": field, "old": capfirst(now), "new": capfirst(latest[1])}]


@admin.register(PolicyStatusChange)
class PolicyStatusChangeAdmin(ContentAdmin):
    form = SourcesRequiredForm
    list_display = ["policy_item", "status", "since", "note"]
    list_filter = ["status", "policy_item"]
    list_select_related = ["policy_item"]
    search_fields = ["note", "policy_item__short_name"]
    autocomplete_fields = ["policy_item", "sources"]
    date_hierarchy = "since"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.policy_item.refresh_status()

    def delete_model(self, request, obj):
        policy = obj.policy_item
        super().delete_model(request, obj)
        policy.refresh_status()


@admin.register(PolicyMilestone)
class PolicyMilestoneAdmin(ContentAdmin):
    list_display = ["on", "title", "policy_item", "is_deadline"]
    list_filter = ["is_deadline", "policy_item"]
    list_select_related = ["policy_item"]
    search_fields = ["title", "policy_item__short_name"]
    autocomplete_fields = ["policy_item"]
    date_hierarchy = "on"


@admin.register(Release)
class ReleaseAdmin(ContentAdmin):
    form = SourcesRequiredForm
    list_display = ["name", "organization", "released_on", "openness", "weights_available", "licence"]
    list_filter = ["openness", "weights_available", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "licence", "note", "organization__name"]
    autocomplete_fields = ["organization", "sources"]
    date_hierarchy = "released_on"


class PositionAdminForm(SourcesRequiredForm):
    """The Position form. An empty organization, while "spoke for the organization" is ticked, is
    filled from the speaker's affiliation on the date when exactly one organization fits;
    unticked with no organization, the position is said for no organization and stays so."""

    # Set by PositionAdmin.get_form when this moderator's edit would wait behind another's.
    held_back_by = None
    # Off where values are applied as they were chosen: restores, and edits waiting for a publisher.
    fill_organization = True

    class Meta:
        model = Position
        fields = "__all__"
        error_messages = {"form": {"required": "Mark it as a direct quote or a paraphrase."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_default = None  # the Affiliation the organization was filled from
        if "speaks_for" in self.fields:
            self.fields["speaks_for"].help_text += (
                " Left ticked with no organization, the organization is filled from the speaker's affiliation on"
                " the date. Untick it and leave “Organization” empty when the speaker spoke for no organization."
            )

    def clean_slug(self):
        # The model's own check reads the default manager, which sees published positions only:
        # a draft's slug must be free among drafts too (else the database refuses it, a 500).
        slug = self.cleaned_data["slug"]
        if Position.all_objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another position (perhaps a draft) already has this slug; choose another.")
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.held_back_by is not None:
            revision = self.held_back_by
            raise forms.ValidationError(
                f"An edit by {revision.proposed_by or 'an account since removed'} ({revision.proposed_at:%-d %B %Y})"
                " is waiting for a publisher. It must be published, rejected or withdrawn before this position can"
                " be edited again; nothing was saved."
            )
        speaker, day = cleaned.get("speaker"), cleaned.get("said_on")
        if self.fill_organization and speaker and day and not cleaned.get("organization") and cleaned.get("speaks_for"):
            held = Affiliation.objects.filter(person=speaker).held_on(day).select_related("organization")
            by_organization = {affiliation.organization_id: affiliation for affiliation in held}
            if len(by_organization) == 1:
                self.organization_default = next(iter(by_organization.values()))
                cleaned["organization"] = self.organization_default.organization
        return cleaned

    def organization_default_message(self) -> str:
        affiliation = self.organization_default
        day = format_partial_date(self.cleaned_data["said_on"], self.cleaned_data.get("date_precision", "day"))
        start = "" if affiliation.since else " (its start is not recorded)"
        return (
            f"Organization set to {affiliation.organization}, {affiliation.person}'s affiliation on {day}{start}."
            " If the speaker spoke for no organization, clear “Organization” and untick “Spoke for the"
            " organization”, then save again."
        )


class RevisionForm(PositionAdminForm):
    """The Position form as an edit waiting for a publisher is read and applied: values as proposed."""

    fill_organization = False


class PositionActionForm(ActionForm):
    topic = forms.ModelChoiceField(
        label="Topic", queryset=Topic.objects.all(), required=False, empty_label="— topic to add —"
    )


class PublicationFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Drafts awaiting a publisher"), ("published", "Published")]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(published=False)
        if self.value() == "published":
            return queryset.filter(published=True)
        return queryset


@admin.register(Position)
class PositionAdmin(ContentAdmin):
    # Positions have their own review: new ones are drafts, edits of published ones PositionRevisions.
    review_changes = False
    change_form_template = "admin/debates/position/change_form.html"
    change_list_template = None
    form = PositionAdminForm
    action_form = PositionActionForm
    actions = [export_as_csv, "add_topic", "publish_positions"]
    # The speaker is in the first column ("Yann LeCun: …"), so no column of their own.
    list_display = ["__str__", "organization", "stance", "form", "integrity", "said_on", "publication", "public_link"]
    list_filter = [PublicationFilter, "stance", "form", "integrity", "reply_kind", "topics", "organization"]
    list_select_related = ["speaker", "organization"]
    search_fields = ["quotation", "summary", "context", "speaker__name", "organization__name"]
    date_hierarchy = "said_on"
    prepopulated_fields = {"slug": ["summary"]}
    autocomplete_fields = ["speaker", "organization", "topics", "sources", "policy_item", "in_reply_to"]

    def save_related(self, request, form, formsets, change):
        if hasattr(request, "_held_revision"):
            return  # held for a publisher: the links stay as readers know them too
        super().save_related(request, form, formsets, change)
        # Topics are saved with the related objects, so search terms follow them here.
        form.instance.refresh_search_terms()

    def get_queryset(self, request):
        return Position.all_objects.select_related(*self.list_select_related)  # drafts too

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "publication"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The class is made afresh for each request, so these settings are this request's.
        if obj is not None and must_review(request.user, obj):
            form.held_back_by = pending_revision_of(obj)
        if getattr(request, "_restoring", False):
            form.fill_organization = False
        return form

    def save_model(self, request, obj, form, change):
        if form.organization_default is not None:
            self.message_user(request, form.organization_default_message(), messages.WARNING)
        if change and must_review(request.user, obj):
            # An edit of a published position waits for a publisher; the row is not saved.
            reason = self.change_reason(request, form, change)
            request._held_revision = None
            try:
                with transaction.atomic():
                    request._held_revision = propose_revision(
                        obj, form, by=request.user, reason=reason, exclude=[REASON]
                    )
            except IntegrityError:
                pass  # another moderator's edit was proposed between this form's check and now: response_change says so
            return
        if not change:  # new: a draft, unless the team publishes directly
            obj.published = not settings.PORTAL_REVIEW_BEFORE_PUBLISHING
            if obj.published:
                obj.published_at, obj.published_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
        if not obj.published:
            self.message_user(request, "Saved as a draft: readers see it once a publisher publishes it.")

    def log_change(self, request, obj, message):
        if hasattr(request, "_held_revision"):
            if request._held_revision is None:
                return None  # nothing was kept
            message = "Proposed an edit, waiting for a publisher."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not hasattr(request, "_held_revision"):
            return super().response_change(request, obj)
        revision = request._held_revision
        if revision is None:
            self.message_user(
                request,
                "Another moderator's edit of this position was proposed a moment before yours and waits for a"
                " publisher; yours was not kept.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            "Your edit is waiting for a publisher: readers see the position as it was until one publishes it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:debates_positionrevision_change", args=[revision.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = PositionRevision.objects.pending().select_related("proposed_by").filter(position_id=object_id)
        extra_context = {**(extra_context or {}), "pending_revision": revision.first()}
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        position = Position.all_objects.filter(pk=object_id).first()
        if request.method == "POST" and position is not None and must_review(request.user, position):
            self.message_user(
                request,
                "Restoring a published position needs a publisher while review before publishing is on;"
                " nothing was changed. Edit the position instead: the edit waits for a publisher.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        request._restoring = True  # a version comes back as it was, organization included
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_publish_permission(self, request):
        return request.user.has_perm("debates.publish_position")

    @admin.display(description="publication", ordering="published")
    def publication(self, obj):
        if obj is None or obj.pk is None:
            return (
                "New positions are drafts until a publisher publishes them."
                if settings.PORTAL_REVIEW_BEFORE_PUBLISHING
                else "—"
            )
        if not obj.published:
            return "Draft, awaiting a publisher"
        if obj.published_at:
            return f"Published {obj.published_at:%-d %B %Y} by {obj.published_by or 'an account since removed'}"
        return "Published"

    @admin.action(description="Publish the selected drafts", permissions=["publish"])
    def publish_positions(self, request, queryset):
        drafts = queryset.filter(published=False)
        own = drafts.filter(created_by=request.user) if settings.PORTAL_REVIEW_BEFORE_PUBLISHING else drafts.none()
        if own.exists():
            self.message_user(
                request,
                f"{own.count()} of them you drafted yourself: another publisher must publish those"
                " (nothing was published).",
                messages.ERROR,
            )
            return
        when = version_moment(request)
        published = 0
        for position in drafts:
            position.published, position.published_at, position.published_by = True, when, request.user
            stamp_version(position, when=when, user=request.user, reason="Published")
            position.save()
            published += 1
        self.message_user(request, f"Published {published} position{pluralize(published)}.", messages.SUCCESS)

    @admin.action(description="Add the topic below to the selected positions", permissions=["change"])
    def add_topic(self, request, queryset):
        topic = Topic.objects.filter(pk=request.POST.get("topic") or None).first()
        if topic is None:
            self.message_user(request, "Pick a topic to add; nothing was changed.", messages.ERROR)
            return
        reason = f"Topic “{topic}” added to the selected positions"[:100]
        added, proposed, waiting, unfit = 0, 0, 0, 0
        for position in queryset.select_related("speaker", "organization").prefetch_related("topics", "sources"):
            if must_review(request.user, position):
                # Published: the topic is proposed as an edit, like any other change.
                if pending_revision_of(position) is not None:
                    waiting += 1
                    continue
                values = current_values(position, RevisionForm)
                values["topics"] = sorted({*values["topics"], topic.pk})
                form = RevisionForm(data=values, instance=position)
                if not form.is_valid():
                    unfit += 1  # the position breaks a rule its form checks: edit it by hand
                    continue
                propose_revision(position, form, by=request.user, reason=reason)
                proposed += 1
                continue
            stamp_version(position, when=version_moment(request), user=request.user, reason=reason)
            position.topics.add(topic)
            position.refresh_search_terms()
            added += 1
        if added:
            self.message_user(request, f"Added “{topic}” to {added} position(s).", messages.SUCCESS)
        if proposed:
            self.message_user(
                request,
                f"Proposed “{topic}” for {proposed} published position(s): a publisher publishes it.",
                messages.SUCCESS,
            )
        if waiting:
            self.message_user(
                request,
                f"{waiting} position(s) already have an edit waiting for a publisher: left unchanged.",
                messages.WARNING,
            )
        if unfit:
            self.message_user(
                request,
                f"{unfit} position(s) do not pass the Position form's checks as they are: edit them one by one.",
                messages.WARNING,
            )


@admin.register(PositionRevision)
class PositionRevisionAdmin(admin.ModelAdmin):
    """Edits of published positions waiting for a publisher; the change page is the review page."""

    list_display = ["__str__", "reason", "proposed_at", "status", "decided_by"]
    list_filter = [ReviewStatusFilter]
    list_select_related = ["position__speaker", "proposed_by", "decided_by"]
    search_fields = ["reason", "position__summary", "position__quotation", "position__speaker__name"]
    review_template = "admin/debates/positionrevision/review.html"

    # Every moderator reads the edits (their own, and what waits); only publishers decide them,
    # which review_view checks itself. Nobody adds or deletes one here.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("debates.change_position")

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = PositionRevision.objects.select_related("position__speaker", "proposed_by", "decided_by")
        revision = revision.filter(pk=object_id).first()
        if revision is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST":
            return self.decide(request, revision)
        form = bind(revision, RevisionForm)
        changes = revision_changes(form) if revision.is_pending else []
        can_publish = request.user.has_perm("debates.publish_position")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(revision),
            "revision": revision,
            "position": revision.position,
            "changes": changes,
            "problems": [str(e) for errors in form.errors.values() for e in errors] if revision.is_pending else [],
            "changed_since": revision.is_pending and revision.position.updated_at != revision.based_on,
            "can_publish": can_publish and revision.is_pending and revision.proposed_by_id != request.user.pk,
            "own_edit": revision.proposed_by_id == request.user.pk,
            "can_reject": can_publish and revision.is_pending,
            "can_withdraw": revision.is_pending and revision.proposed_by_id == request.user.pk,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.review_template, context)

    def decide(self, request, revision):
        review_url = reverse("admin:debates_positionrevision_change", args=[revision.pk])
        may_decide = request.user.has_perm("debates.publish_position")
        try:
            if "_publish" in request.POST and may_decide:
                publish_revision(revision.pk, RevisionForm, by=request.user, when=version_moment(request))
                done = "Published the edit: readers see it now."
            elif "_reject" in request.POST and may_decide:
                reject_revision(revision.pk, by=request.user, reason=request.POST.get("decision_reason", ""))
                done = "Rejected the edit: the position stays as readers know it."
            elif "_withdraw" in request.POST:
                withdraw_revision(revision.pk, by=request.user)
                done = "Withdrew your edit: the position stays as readers know it."
            else:
                raise RevisionRefused("Only a publisher can publish or reject an edit.")
        except RevisionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(review_url)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(review_url)


class CommentStatusFilter(admin.SimpleListFilter):
    """Opens on the moderation queue: pending comments, unless another status is picked."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Needs moderation"),
            *[(value, label) for value, label in CommentStatus.choices if value != "pending"],
            ("all", "All"),
        ]

    def choices(self, changelist):
        current = self.value() or "pending"
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "pending"
        return queryset if value == "all" else queryset.filter(status=value)


REJECTION_REASONS = [
    ("", "— pick a reason, or type one —"),
    ("Off topic", "Off topic"),
    ("Abusive or hateful", "Abusive or hateful"),
    ("Personal information", "Personal information"),
    ("Advertising", "Advertising"),
    ("Duplicate", "Duplicate"),
]


class CommentActionForm(ActionForm):
    reason = forms.ChoiceField(label="Reason", choices=REJECTION_REASONS, required=False)
    other_reason = forms.CharField(label="or", max_length=300, required=False)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "excerpt", "position_link", "status", "reaction", "created_at"]
    list_display_links = ["author_name"]
    list_filter = [CommentStatusFilter, "reaction", "created_at", ("position", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["position__speaker"]
    search_fields = ["author_name", "body_markdown"]
    date_hierarchy = "created_at"
    action_form = CommentActionForm
    actions = ["approve_comments", "reject_comments", "mark_as_spam", export_as_csv]
    fields = [
        "position",
        "author_name",
        "email",
        "reaction",
        "status",
        "moderation_reason",
        "body_markdown",
        "rendered_preview",
        "created_at",
        "moderated_at",
        "moderated_by",
        "ip_hash",
    ]
    readonly_fields = ["rendered_preview", "created_at", "moderated_at", "moderated_by", "ip_hash"]
    autocomplete_fields = ["position"]

    def get_queryset(self, request):
        # The queue reads pending first, newest first within each status.
        pending_first = Case(When(status=CommentStatus.PENDING, then=0), default=1, output_field=IntegerField())
        return super().get_queryset(request).order_by(pending_first, "-created_at")

    @admin.display(description="Comment, as it will be published")
    def excerpt(self, comment):
        # The sanitized HTML readers would see (debates.markup), cut to 30 words with its tags closed.
        html = comment.body_html or render_markdown(comment.body_markdown)
        return format_html('<div class="comment-preview">{}</div>', mark_safe(Truncator(html).words(30, html=True)))  # noqa: S308

    @admin.display(description="Position", ordering="position__speaker__name")
    def position_link(self, comment):
        return format_html('<a href="{}">{}</a>', comment.position.get_absolute_url(), comment.position)

    @admin.display(description="As it will be published")
    def rendered_preview(self, comment):
        return render_markdown(comment.body_markdown) if comment.body_markdown else "—"

    def save_model(self, request, obj, form, change):
        obj.body_html = render_markdown(obj.body_markdown)
        if "status" not in form.changed_data:
            super().save_model(request, obj, form, change)  # an edit: retires pages if the comment is public
            return
        # The rest is saved under the stored status; the new one goes through set_comment_status.
        status, obj.status = obj.status, form.initial["status"]
        super().save_model(request, obj, form, change)
        set_comment_status([obj], status, by=request.user, reason=obj.moderation_reason)

    def _moderate(self, request, queryset, status, reason=""):
        updated = set_comment_status(queryset, status, by=request.user, reason=reason)
        label = CommentStatus(status).label.lower()
        self.message_user(request, f"{updated} comment{pluralize(updated)} marked {label}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_comments(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.APPROVED)

    @admin.action(description="Reject selected comments (with the reason below)", permissions=["change"])
    def reject_comments(self, request, queryset):
        reason = (request.POST.get("other_reason") or request.POST.get("reason") or "").strip()[:300]
        if not reason:
            self.message_user(request, "Pick or type a reason to reject comments; nothing was changed.", messages.ERROR)
            return
        self._moderate(request, queryset, CommentStatus.REJECTED, reason)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_as_spam(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.SPAM, "Spam")
