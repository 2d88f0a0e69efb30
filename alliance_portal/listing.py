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
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.views.generic import ListView

from alliance_portal.errors import PageNotFound

COUNT_CAP = 1_000


def warn_ignored(request, form, prefix: str = "Ignored") -> None:
    """Tell the reader which query parameters were ignored, and why, in plain words; a name
    that several records match, or none, comes with links that apply each candidate."""
    for problem in filter_problems(form):
        if problem.code in NAME_CODES:
            messages.warning(request, name_problem_message(request, problem))
        else:
            messages.warning(request, f"{prefix} “{problem.label}”: {problem.reason}; {problem.consequence}.")


def name_problem_message(request, problem) -> str:
    """“Several people match “smith”: A, B, C.” or “No person named “xyz”; did you mean A?”,
    each candidate a link to this address with it chosen (its slug: one address per filter)."""
    chosen = ((address_with(request, problem.name, value), name) for name, value in problem.candidates)
    links = format_html_join(", ", '<a href="{}">{}</a>', chosen)
    if problem.code == "ambiguous":
        return format_html(
            "Several {} match “{}”: {}. Choose one; meanwhile {}.",
            problem.plural,
            problem.value,
            links,
            problem.consequence,
        )
    if problem.candidates:
        return format_html(
            "No {} named “{}”; did you mean {}? Meanwhile {}.", problem.noun, problem.value, links, problem.consequence
        )
    return format_html("No {} named “{}”. Meanwhile {}.", problem.noun, problem.value, problem.consequence)


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
    code: str = ""  # the error's code: "ambiguous" and "unknown" are names typed (members.lookup)
    value: str = ""  # what was typed
    noun: str = ""  # "person"
    plural: str = ""  # "people"
    candidates: tuple = ()  # (name, value for the address), closest first: the names it could mean


NAME_CODES = ("ambiguous", "unknown")  # the errors of a box where a name is typed (members.forms.NameField)


def address_with(request, name: str, value: str) -> str:
    """The request's address with one query parameter set (and back to the first page)."""
    query = request.GET.copy()
    query[name] = value
    query.pop("page", None)
    return f"{request.path}?{query.urlencode()}"


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
        error = errors[0]
        reason = reader_text(field, label, value, error)
        noun = getattr(field, "noun", None) or _noun(label)
        plural = getattr(field, "plural", None) or PLURALS.get(noun, noun + "s")
        picks_a_record = _is_model_choice(field) or hasattr(field, "noun")
        consequence = f"showing all {plural}" if picks_a_record else "it is left out"
        code = getattr(error, "code", None) or ""
        candidates = tuple((error.params or {}).get("candidates", ())) if code in NAME_CODES else ()
        problems.append(
            FilterProblem(name, label, reason, consequence, code, value.replace("\x00", ""), noun, plural, candidates)
        )
    return problems


# Labels that are not nouns a sentence can use: "“x” is not a sort order we know".
NOUNS = {
    "sort by": "sort order",
    "stance taken": "stance",
    "quote or paraphrase": "kind of words",
    "rows": "kind of row",
}


def _noun(label: str) -> str:
    noun = label.replace("(slug)", "").strip().lower()
    return NOUNS.get(noun, noun)


def _is_model_choice(field) -> bool:
    return isinstance(field, forms.ModelChoiceField)


def _either(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def reader_text(field, label: str, value: str, error) -> str:
    """The one place a field's error becomes words for a reader (never Django's "Select a
    valid choice…"): a sentence fragment, lower case, no final stop."""
    code = getattr(error, "code", None)
    shown = value.replace("\x00", "")
    if code == "invalid_choice" and _is_model_choice(field):
        return f"there is no {_noun(label)} called “{shown}”"
    if code == "invalid_choice" and isinstance(field, forms.ChoiceField):
        choices = [str(text) for key, text in field.choices if key not in ("", None)]
        noun = _noun(label)
        article = "an" if noun[:1] in "aeiou" else "a"
        return f"“{shown}” is not {article} {noun} we know (choose {_either(choices)})"
    if code == "invalid" and isinstance(field, forms.DateField):
        return f"“{shown}” is not a date (use a date like 2024-05-31)"
    if code == "max_length" and isinstance(field, forms.CharField):
        return f"it is longer than the {field.max_length} characters it may have"
    if code == "required":
        return "it is empty (type a name here)" if isinstance(field, forms.CharField) else "it is empty (choose one)"
    if code == "null_characters_not_allowed":
        return "it holds a character that cannot be searched for (a null byte)"
    if code in NAME_CODES:
        return _name_reason(code, field, shown, (error.params or {}).get("candidates", ()))
    message = " ".join(error.messages)
    return message[:1].lower() + message[1:].rstrip(".")


def _name_reason(code: str, field, shown: str, candidates) -> str:
    noun = getattr(field, "noun", "record")
    named = _either([f"{name} ({value})" for name, value in candidates])
    if code == "ambiguous":
        return f"several {getattr(field, 'plural', noun + 's')} match “{shown}”: {named}"
    return f"no {noun} is named “{shown}”" + (f"; the closest are {named}" if candidates else "")


class ReaderErrors:
    """A form mixin: its fields' errors in reader_text's words, where a template shows them beside the box."""

    def full_clean(self):
        super().full_clean()
        for name, errors in list(self.errors.as_data().items()):
            field = self.fields.get(name)
            if field is None:
                continue
            label = str(field.label or name)
            value = str(self.data.get(self.add_prefix(name), ""))[:80]
            # The code stays (filter_problems words its message from it); no params: the text holds what was
            # typed, which a ValidationError would %-format.
            plain = [ValidationError(_sentence(reader_text(field, label, value, e)), code=e.code) for e in errors]
            self.errors[name] = self.error_class(plain, field_id=self[name].auto_id, renderer=self.renderer)


def _sentence(fragment: str) -> str:
    return fragment[:1].upper() + fragment[1:] + "."


def canonical_query(request, form):
    """The request's query with each record typed by name written as its slug. A field that
    picks a record by name says how the address writes it (``canonical``, members.forms.NameField)."""
    query = request.GET.copy()
    for name, field in form.fields.items():
        record = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if record is not None and hasattr(field, "canonical") and query.get(name) != field.canonical(record):
            query[name] = field.canonical(record)
    return query


def canonical_address(request, form) -> str | None:
    """The address with each record typed by name written as its slug; None when it already is."""
    query = canonical_query(request, form)
    return None if query == request.GET else f"{request.path}?{query.urlencode()}"


def page_problem(value, beyond: str = "it may have grown shorter since the link was made") -> str:
    """Why ``?page=`` names no page, in a reader's words (a fragment, no final stop); ``beyond``:
    why a page number past the end is."""
    shown = str(value or "")[:20].replace("\x00", "")
    if not shown.isdigit() or int(shown) < 1:
        return f"“{shown}” is not a page number (pages are numbered 1, 2, 3…)"
    return beyond


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
                f"This list has no such page: {page_problem(self.request.GET.get(self.page_kwarg))}.",
                link=("The first page of this list", first_page),
            ) from error

    def get_filterset(self):
        # Always bound, so defaults such as the sort order apply to an unfiltered page too.
        return self.filterset_class(self.request.GET, queryset=super().get_queryset(), request=self.request)

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset()
        self.filters_valid = self.filterset.is_valid()
        # A name typed in a box ("Yann LeCun") goes to the address links use (?person=yann-lecun):
        # one address per filter, so the page cache, the feed and the download links agree.
        canonical = canonical_address(request, self.filterset.form)
        if canonical is not None:
            return redirect(canonical)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.filters_valid:
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
