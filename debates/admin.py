from django.contrib import admin

from debates.models import Comment, PolicyItem, PolicyMilestone, Position, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "question"]
    search_fields = ["name", "question", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


class PolicyMilestoneInline(admin.TabularInline):
    model = PolicyMilestone
    extra = 0


@admin.register(PolicyItem)
class PolicyItemAdmin(admin.ModelAdmin):
    list_display = ["short_name", "jurisdiction", "kind", "status", "updated_at"]
    list_filter = ["jurisdiction", "kind", "status"]
    search_fields = ["short_name", "title", "summary", "open_models"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["topics", "sources"]
    inlines = [PolicyMilestoneInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "organization", "stance", "form", "integrity", "said_on"]
    list_filter = ["stance", "form", "integrity", "topics"]
    list_select_related = ["speaker", "organization"]
    search_fields = ["quotation", "summary", "speaker__name", "organization__name"]
    date_hierarchy = "said_on"
    autocomplete_fields = ["speaker", "organization", "topics", "sources", "policy_item"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Topics are saved with the related objects, so search terms follow them here.
        form.instance.refresh_search_terms()


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "position", "status", "reaction", "created_at"]
    list_filter = ["status", "reaction", "created_at"]
    list_select_related = ["position__speaker"]
    search_fields = ["author_name", "body_markdown"]
    date_hierarchy = "created_at"
    readonly_fields = ["ip_hash", "body_html", "created_at"]
    exclude = ["email"]
