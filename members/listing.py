"""List-page machinery shared by every list in the portal (debates builds on members).

One filter entry point per list: a django-filter ``FilterSet``. A filter value
that does not validate is ignored, and the reader is told which one and why,
rather than getting an error page; a page number that is not a page is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.views.generic import ListView


class FilteredListView(ListView):
    filterset_class = None
    paginate_by = settings.PORTAL_PAGE_SIZE

    def get_filterset(self):
        # Always bound, so defaults such as the sort order apply to an unfiltered page too.
        return self.filterset_class(self.request.GET, queryset=super().get_queryset(), request=self.request)

    def get_queryset(self):
        self.filterset = self.get_filterset()
        if not self.filterset.is_valid():
            for field, errors in self.filterset.errors.items():
                label = self.filterset.form.fields[field].label if field in self.filterset.form.fields else field
                messages.warning(self.request, f"Ignored the filter “{label}”: {' '.join(errors)}")
        # Invalid values are left out of cleaned_data, so only valid filters apply.
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["is_filtered"] = any(
            value for key, value in self.request.GET.items() if key != "page" and key in self.filterset.form.fields
        )
        return context
