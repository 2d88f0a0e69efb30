"""The admin for who is who, and the base every content admin in the portal shares."""

from django import forms
from django.contrib import admin
from django.db import models
from django.http import StreamingHttpResponse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from alliance_portal.csvlines import line_writer
from alliance_portal.models import Audited
from alliance_portal.versions import LOADER_REASON, ReadableChanges, restore, stamp_version, version_moment
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source
from proposals.admin import ReviewedChanges
from proposals.review import proposal_of

admin.site.site_header = "Alliance Portal moderation"
admin.site.site_title = "Alliance Portal moderation"
admin.site.index_title = "Edit the debate"
# The app list is on the admin home and in the breadcrumbs; without the sidebar a list's
# columns get the screen's width (at 1280 px the sidebar cut every column after Stance).
admin.site.enable_nav_sidebar = False

AUDIT_FIELDS = ["created_at", "created_by", "updated_at", "updated_by"]
# Never in any export: private to moderators, or internal to search.
PRIVATE_FIELDS = {"email", "ip_hash", "body_hash", "search_terms", "search_vector"}


def csv_rows(queryset):
    fields = [f for f in queryset.model._meta.concrete_fields if f.name not in PRIVATE_FIELDS and not f.generated]
    writer = line_writer()
    yield writer.writerow([f.name for f in fields])
    for obj in queryset.iterator(chunk_size=2000):
        yield writer.writerow([f.value_from_object(obj) for f in fields])


@admin.action(description="Export selected rows as CSV", permissions=["view"])
def export_as_csv(modeladmin, request, queryset):
    name = queryset.model._meta.model_name
    response = StreamingHttpResponse(csv_rows(queryset.order_by("pk")), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-export.csv"'
    return response


class SourcesRequiredForm(forms.ModelForm):
    """A model that must cite a source says so in words, not just "This field is required"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sources" in self.fields:
            self.fields["sources"].required = True
            self.fields["sources"].error_messages["required"] = "Cite at least one source."


REASON = "change_reason"


class ContentAdmin(ReviewedChanges, SimpleHistoryAdmin):
    """Versions with who, when and why; whole restores; who-and-when stamps; a public link; CSV export;
    review before publishing (proposals.admin.ReviewedChanges)."""

    actions = [export_as_csv]
    list_per_page = 50
    object_history_list_template = "admin/versions/object_history_list.html"
    object_history_form_template = "admin/versions/object_history_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", None) or self.form
        reason = forms.CharField(
            label="Reason for this change",
            max_length=100,
            required=obj is not None,
            help_text="Shown with this version on the History page, e.g. “Corrected the date from the source”.",
            widget=forms.TextInput(attrs={"class": "vTextField"}),
        )
        kwargs["form"] = type(base.__name__, (base,), {REASON: reason})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *AUDIT_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        editable = [f for f in fieldsets[0][1]["fields"] if f not in AUDIT_FIELDS and f != REASON]
        return [
            (None, {"fields": editable}),
            ("Record", {"fields": AUDIT_FIELDS, "classes": ["collapse"]}),
            ("Why", {"fields": [REASON]}),
        ]

    def change_reason(self, request, form, change) -> str:
        proposal = proposal_of(request)
        if proposal is not None and not proposal.is_pending:  # a proposal being published, as its author
            return proposal.published_reason(proposal.decided_by)
        return form.cleaned_data.get(REASON) or ("Changed" if change else "Created")

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        request._change_reason = self.change_reason(request, form, change)
        stamp_version(obj, when=version_moment(request), user=request.user, reason=request._change_reason)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "_change_reason", None) or self.change_reason(request, form, change)
        for inline_form in formset.forms:
            if inline_form.has_changed() and isinstance(inline_form.instance, Audited):
                stamp(inline_form.instance, request.user)
            stamp_version(inline_form.instance, when=version_moment(request), user=request.user, reason=reason)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        stamp_version(obj, when=version_moment(request), user=request.user, reason="Deleted")
        super().delete_model(request, obj)

    # Restores: the object's fields come back through the revert form; its links and its
    # inline children (each with its own history) are brought back as of that version.
    def version_children(self):
        return [inline.model for inline in self.inlines if hasattr(inline.model, "history")]

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, {**(extra_context or {}), "loader_reason": LOADER_REASON})

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        refused = self.restore_refused(request, object_id)
        if refused is not None:
            return refused
        versions = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        version = versions.filter(history_id=version_id).first()
        current = versions.order_by("history_date", "history_id").last()
        if version is not None and current is not None:
            # What the restore changes: each field from its value now to its value then.
            delta = version.diff_against(current, foreign_keys_are_objs=True)
            extra_context = {
                **(extra_context or {}),
                "restore_changes": ReadableChanges(self.model, version).context_for_delta_changes(delta),
                "restore_children": [m._meta.verbose_name_plural for m in self.version_children()],
            }
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302 and version is not None:
            obj = self.model.objects.get(pk=object_id)
            restore(
                obj,
                version,
                children=self.version_children(),
                when=version_moment(request),
                user=request.user,
                reason=request._change_reason,
            )
            stamp_version(obj, when=version_moment(request), user=request.user, reason=request._change_reason)
            self.after_restore(obj)
        return response

    def after_restore(self, obj) -> None:
        """What a restored object needs recomputed from its restored children (none by default)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    @admin.display(description="Public page")
    def public_link(self, obj):
        return format_html('<a href="{}">view</a>', obj.get_absolute_url())


def stamp(obj, user):
    if obj.pk is None or obj._state.adding:
        obj.created_by = user
    obj.updated_by = user


class MembershipInline(admin.TabularInline):
    model = Membership
    form = SourcesRequiredForm
    extra = 0
    autocomplete_fields = ["coalition", "organization", "sources"]
    fields = ["coalition", "organization", "role", "since", "until", "sources"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization", "sources"]
    fields = ["organization", "title", "since", "until", "sources"]


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    # A new source shows nowhere until a published record cites it, and a proposed person or
    # policy item must cite one that exists: new sources are saved at once, edits reviewed.
    review_additions = False
    list_display = ["title", "publisher", "published_on", "link"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "note"]
    date_hierarchy = "published_on"

    @admin.display(description="URL")
    def link(self, source):
        return format_html('<a href="{}" rel="noopener">{}</a>', source.url, source.url) if source.url else "—"


@admin.register(Coalition)
class CoalitionAdmin(ContentAdmin):
    list_display = ["name", "stance", "founded_on", "member_count", "public_link"]
    list_filter = ["stance"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=models.Count("memberships"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, coalition):
        return coalition.member_count


@admin.register(Organization)
class OrganizationAdmin(ContentAdmin):
    form = SourcesRequiredForm  # the footer promises every entry cites a source
    list_display = ["name", "kind", "country", "coalitions", "public_link"]
    list_filter = ["kind", "country", "memberships__coalition"]
    search_fields = ["name", "country", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__coalition")

    @admin.display(description="Coalitions")
    def coalitions(self, organization):
        return ", ".join(m.coalition.name for m in organization.memberships.all()) or "—"


@admin.register(Membership)
class MembershipAdmin(ContentAdmin):
    form = SourcesRequiredForm
    list_display = ["organization", "coalition", "role", "since", "until"]
    list_filter = ["coalition", "role"]
    list_select_related = ["organization", "coalition"]
    search_fields = ["organization__name", "coalition__name"]
    autocomplete_fields = ["coalition", "organization", "sources"]
    date_hierarchy = "since"


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    form = SourcesRequiredForm  # the footer promises every entry cites a source
    list_display = ["name", "current_roles", "public_link"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [AffiliationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("affiliations__organization")

    @admin.display(description="Affiliations")
    def current_roles(self, person):
        return "; ".join(str(a.organization) for a in person.affiliations.all() if a.until is None) or "—"


@admin.register(Affiliation)
class AffiliationAdmin(ContentAdmin):
    list_display = ["person", "organization", "title", "since", "until"]
    list_filter = ["organization"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__name", "organization__name", "title"]
    autocomplete_fields = ["person", "organization", "sources"]
