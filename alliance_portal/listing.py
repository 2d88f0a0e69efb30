"""List-page machinery shared by every list in the portal (members' and debates').

One filter entry point per list: a django-filter ``FilterSet``. A filter value
that does not validate is ignored, and the reader is told which one and why,
rather than getting an error page; a page number that is not a page is a 404.

Pagination stays cheap at a million rows: the count stops at a cap (so no
page ever counts the whole table), and a page first picks its 25 ids from the
ordering index, then loads those rows with their relations.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property
from django.views.generic import ListView

COUNT_CAP = 1_000


def warn_ignored(request, form, prefix: str = "Ignored") -> None:
    """Tell the reader which query parameters were ignored, and why."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        messages.warning(request, f"{prefix} “{label}”: {' '.join(errors)}")


def errors_as_text(form) -> str:
    """A form's errors on one line, for answers that are not pages (feeds, downloads)."""
    return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())


class CappedPaginator(Paginator):
    """Counts at most a cap of rows, far enough past the requested page that
    next/previous and the page numbers around it are exact."""

    def __init__(self, *args, requested_page=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = max(COUNT_CAP, (requested_page + 10) * self.per_page)

    @cached_property
    def count(self):
        # Unordered: how many rows, not which, so nothing is sorted (a search would rank).
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def display_count(self) -> str:
        return f"more than {self.cap:,}" if self.is_capped else f"{self.count:,}"

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.page_ids(bottom, bottom + self.per_page)
        rows = {obj.pk: obj for obj in self._rows_for(ids)}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)

    def page_ids(self, bottom: int, top: int) -> list:
        return list(self.object_list.values_list("pk", flat=True)[bottom:top])

    def _rows_for(self, ids):
        # The same queryset (annotations, select_related, prefetches), limited to this page's ids.
        return self.object_list.filter(pk__in=ids).order_by()


class FilteredListView(ListView):
    filterset_class = None
    paginate_by = settings.PORTAL_PAGE_SIZE
    paginator_class = CappedPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        requested = self.request.GET.get(self.page_kwarg) or 1
        # Only sizes the count; an absurd page number is answered 404 by validate_number.
        requested = min(int(requested), 10**6) if str(requested).isdigit() else 1
        return self.paginator_class(queryset, per_page, orphans, allow_empty_first_page, requested_page=requested)

    def get_filterset(self):
        # Always bound, so defaults such as the sort order apply to an unfiltered page too.
        return self.filterset_class(self.request.GET, queryset=super().get_queryset(), request=self.request)

    def get_queryset(self):
        self.filterset = self.get_filterset()
        if not self.filterset.is_valid():
            warn_ignored(self.request, self.filterset.form, prefix="Ignored the filter")
        # Invalid values are left out of cleaned_data, so only valid filters apply.
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["is_filtered"] = any(
            value for key, value in self.request.GET.items() if key != "page" and key in self.filterset.form.fields
        )
        return context
