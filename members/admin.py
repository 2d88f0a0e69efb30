from django.contrib import admin

from members.models import Affiliation, Coalition, Membership, Organization, Person, Source


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["coalition", "organization", "sources"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization", "sources"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["name", "stance", "founded_on"]
    list_filter = ["stance"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "memberships__coalition"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "coalition", "role", "since", "until"]
    list_filter = ["coalition", "role"]
    list_select_related = ["organization", "coalition"]
    search_fields = ["organization__name", "coalition__name"]
    autocomplete_fields = ["coalition", "organization", "sources"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "title", "since", "until"]
    list_filter = ["organization"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__name", "organization__name", "title"]
    autocomplete_fields = ["person", "organization", "sources"]
