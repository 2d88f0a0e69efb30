"""List-page machinery shared by every list in the portal (members' and debates').

One filter entry point per list: a django-filter ``FilterSet``. A filter value
that does not validate is ignored, and the reader is told which one and why,
rather than getting an error page; a page number that is not a page is a 404.

Pagination stays cheap at a million rows: the count stops at a cap (so no
page ever counts the whole table), and a page first picks its 25 ids from the
ordering index, then loads those rows with their relations.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.views.generic import ListView

from alliance_portal.errors import PageNotFound

COUNT_CAP = 1_000


def warn_ignored(request, form, prefix: str = "Ignored") -> None:
    """Tell the reader which query parameters were ignored, and why, in plain words."""
    for problem in filter_problems(form):
        messages.warning(request, f"{prefix} “{problem.label}”: {problem.reason}; {problem.consequence}.")


def errors_as_text(form) -> str:
    """A form's errors on one line, in plain words (a message for a page that is not a list)."""
    return "; ".join(f"{p.label}: {p.reason}" for p in filter_problems(form))


@dataclass(frozen=True)
class FilterProblem:
    """A query parameter that did not validate: which, why, and what a list does instead."""

    name: str  # the parameter, as in the address
    label: str  # the field's label, as on the page
    reason: str  # a sentence fragment, lower case, no final stop: "there is no topic called “foo”"
    consequence: str  # what a list page does instead: "showing all topics"


def address_without(request, names) -> str:
    """The request's address without the named query parameters (a link past a bad filter)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return request.path + (f"?{query.urlencode()}" if query else "")


PLURALS = {"person": "people", "policy item": "policy items"}


def filter_problems(form) -> list[FilterProblem]:
    """Each invalid field of a filter form, described for a reader (never Django's own wording
    "Select a valid choice. foo is not one of the available choices.")."""
    problems = []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        value = str(form.data.get(name, ""))[:80]
        reason = _reason(field, label, value, errors[0])
        noun = _noun(label)
        consequence = f"showing all {PLURALS.get(noun, noun + 's')}" if _is_model_choice(field) else "it is left out"
        problems.append(FilterProblem(name, label, reason, consequence))
    return problems


def _noun(label: str) -> str:
    return label.replace("(slug)", "").strip().lower()


def _is_model_choice(field) -> bool:
    return isinstance(field, forms.ModelChoiceField)


def _reason(field, label: str, value: str, error) -> str:
    code = getattr(error, "code", None)
    shown = value.replace("\x00", "")
    if code == "invalid_choice" and _is_model_choice(field):
        return f"there is no {_noun(label)} called “{shown}”"
    if code == "invalid_choice" and isinstance(field, forms.ChoiceField):
        choices = [str(text) for key, text in field.choices if key not in ("", None)]
        listed = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else "".join(choices)
        return f"“{shown}” is not one of its choices ({listed})"
    if code == "invalid" and isinstance(field, forms.DateField):
        return f"“{shown}” is not a date; write it as year-month-day, for example 2024-05-31"
    if code == "max_length" and isinstance(field, forms.CharField):
        return f"it is longer than the {field.max_length} characters it may have"
    if code == "null_characters_not_allowed":
        return "it holds a character that cannot be searched for (a null byte)"
    message = " ".join(error.messages)
    return message[:1].lower() + message[1:].rstrip(".")


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

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404 as error:
            # Django's text ("Invalid page (999): That page contains no results") is not for readers.
            query = self.request.GET.copy()
            query.pop(self.page_kwarg, None)
            first_page = self.request.path + (f"?{query.urlencode()}" if query else "")
            raise PageNotFound(
                "This list has no such page: it may have grown shorter since the link was made.",
                link=("The first page of this list", first_page),
            ) from error

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
