"""The moderation queue of suggestions and corrections, and the alerts (addresses masked).

No address is ever shown in clear here: lists and forms show ``mask()``; a moderator who
has an address in hand finds its subscriber by searching for it (the search hashes it).
Nothing here exports rows.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.utils.html import format_html

from debates.admin import REJECTION_REASONS
from participation import suggestions
from participation.addresses import hash_address, mask
from participation.models import Subscriber, Subscription, Suggestion, SuggestionKind, SuggestionStatus


class MaskedAddressSearch:
    """Search by an exact address: the term is hashed and matched against email_hash."""

    def get_search_results(self, request, queryset, search_term):
        if "@" in search_term:
            return queryset.filter(**{self.hash_lookup: hash_address(search_term)}), False
        return super().get_search_results(request, queryset, search_term)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["label", "kind", "frequency", "confirmed_at", "last_sent_at"]
    readonly_fields = ["label", "kind", "confirmed_at", "last_sent_at"]


@admin.register(Subscriber)
class SubscriberAdmin(MaskedAddressSearch, admin.ModelAdmin):
    hash_lookup = "email_hash"
    list_display = ["masked_address", "alert_count", "created_at"]
    search_fields = ["email_hash"]
    search_help_text = "Type a whole e-mail address to find its alerts."
    fields = ["masked_address", "created_at"]
    readonly_fields = ["masked_address", "created_at"]
    inlines = [SubscriptionInline]
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False  # only a reader, through double opt-in, adds an address

    @admin.display(description="address")
    def masked_address(self, subscriber):
        return mask(subscriber.email)

    @admin.display(description="alerts")
    def alert_count(self, subscriber):
        return subscriber.subscriptions.count()


@admin.register(Subscription)
class SubscriptionAdmin(MaskedAddressSearch, admin.ModelAdmin):
    hash_lookup = "subscriber__email_hash"
    list_display = ["label", "kind", "frequency", "masked_address", "confirmed_at", "last_sent_at"]
    list_filter = ["kind", "frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subscriber"]
    search_fields = ["label"]
    fields = ["masked_address", "label", "kind", "query", "frequency", "created_at", "confirmed_at", "last_sent_at"]
    readonly_fields = ["masked_address", "label", "kind", "query", "created_at", "confirmed_at", "last_sent_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="address")
    def masked_address(self, subscription):
        return mask(subscription.subscriber.email)


class SuggestionStatusFilter(admin.SimpleListFilter):
    """Opens on the queue: pending, unless another status is picked."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Needs moderation"),
            *[(value, label) for value, label in SuggestionStatus.choices if value != "pending"],
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


class SuggestionActionForm(ActionForm):
    reason = forms.ChoiceField(
        label="Reason",
        choices=[*REJECTION_REASONS, ("The source does not bear it out", "The source does not bear it out")],
        required=False,
    )
    other_reason = forms.CharField(label="or", max_length=300, required=False)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "source_link", "position_link", "created_at"]
    list_filter = [SuggestionStatusFilter, "kind", "created_at"]
    list_select_related = ["position__speaker"]
    search_fields = ["speaker_name", "organization_name", "words", "source_url", "problem_markdown"]
    date_hierarchy = "created_at"
    action_form = SuggestionActionForm
    actions = ["open_as_position", "mark_corrected", "reject", "mark_as_spam"]
    fields = [
        "kind",
        "status",
        "moderation_reason",
        "speaker_name",
        "organization_name",
        "form",
        "words",
        "said_on",
        "topics",
        "source_link",
        "note",
        "position_link",
        "problem",
        "evidence",
        "has_address",
        "created_at",
        "moderated_at",
        "moderated_by",
        "created_position",
        "outcome_mailed_at",
    ]
    readonly_fields = [f for f in fields if f not in {"status", "moderation_reason"}]

    def has_add_permission(self, request):
        return False  # suggestions come from readers

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        # A new status goes through set_status, which stamps the moderator and tells the reader.
        status, obj.status = obj.status, form.initial["status"]
        super().save_model(request, obj, form, change)
        suggestions.set_status([obj], status, by=request.user, reason=obj.moderation_reason)

    @admin.display(description="source")
    def source_link(self, suggestion):
        if not suggestion.source_url:
            return "—"
        # A reader typed it: shown as text and as a link that is not followed for us.
        return format_html(
            '<a href="{}" rel="nofollow noopener noreferrer">{}</a>', suggestion.source_url, suggestion.source_url
        )

    @admin.display(description="position")
    def position_link(self, suggestion):
        position = suggestion.position or suggestion.created_position
        if position is None:
            return "—"
        return format_html('<a href="{}">{}</a>', position.get_absolute_url(), position)

    # The Markdown fields, as debates.markup rendered them when the reader sent them.
    @admin.display(description="note")
    def note(self, suggestion):
        return suggestion_html(suggestion.note_html)

    @admin.display(description="what is wrong")
    def problem(self, suggestion):
        return suggestion_html(suggestion.problem_html)

    @admin.display(description="evidence")
    def evidence(self, suggestion):
        return suggestion_html(suggestion.evidence_html)

    @admin.display(description="reader left an address", boolean=True)
    def has_address(self, suggestion):
        return bool(suggestion.email)

    @admin.action(description="Open the selected suggestion as a new position", permissions=["change"])
    def open_as_position(self, request, queryset):
        chosen = list(queryset.filter(kind=SuggestionKind.SUGGESTION, status=SuggestionStatus.PENDING)[:2])
        if len(chosen) != 1:
            self.message_user(request, "Select one pending suggestion of a new position.", messages.ERROR)
            return None
        # Saving the filled form accepts the suggestion and tells the reader (participation.apps).
        return redirect(suggestions.position_form_url(chosen[0]))

    def _moderate(self, request, queryset, status, reason=""):
        changed = suggestions.set_status(list(queryset), status, by=request.user, reason=reason)
        label = SuggestionStatus(status).label.lower()
        self.message_user(request, f"{changed} suggestion{pluralize(changed)} marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark selected corrections as made (after editing the position)", permissions=["change"])
    def mark_corrected(self, request, queryset):
        self._moderate(request, queryset.filter(kind=SuggestionKind.CORRECTION), SuggestionStatus.ACCEPTED)

    @admin.action(description="Reject selected (with the reason below)", permissions=["change"])
    def reject(self, request, queryset):
        reason = (request.POST.get("other_reason") or request.POST.get("reason") or "").strip()[:300]
        if not reason:
            self.message_user(request, "Pick or type a reason to reject; nothing was changed.", messages.ERROR)
            return
        self._moderate(request, queryset, SuggestionStatus.REJECTED, reason)

    @admin.action(description="Mark selected as spam", permissions=["change"])
    def mark_as_spam(self, request, queryset):
        self._moderate(request, queryset, SuggestionStatus.SPAM, "Spam")


def suggestion_html(html: str):
    from django.utils.safestring import mark_safe

    return mark_safe(html) if html else "—"  # noqa: S308 - stored output of debates.markup, the sanitizer
