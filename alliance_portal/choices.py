"""Select boxes offering every row of a small table (the topics, the coalitions), whose
options are kept between renders instead of loaded on each one.

A ModelChoiceField loads its queryset and builds a model instance per option every time its
select renders: about 4 ms for the fifteen topics of a list page's filters, 2 ms for the
coalitions, on every first render of every list, search and timeline page. Here the options
are a block (pagecache.block): their (value, label) pairs, worked out once per process and
reused while no row of their table changed; a page that reuses them retires with them, so a
renamed topic shows in the box at once. Validating a picked value still asks the database
for that one row (ModelChoiceField.to_python), so what is filtered on is never stale.

Only for a queryset of every row (``Model.objects.all()``, ordered as it likes): the options
are kept under the model and its ordering, not under a filter.
"""

import django_filters
from django import forms
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

from pagecache import block


class KeptChoiceIterator(forms.models.ModelChoiceIterator):
    """The options: the empty one (and django-filter's "null" one) first, then the kept rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.field.kept_choices()

    def __len__(self):
        return len(self.field.kept_choices()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.kept_choices())


class KeptChoicesMixin:
    iterator = KeptChoiceIterator

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.queryset is not None and self.queryset.query.where:
            raise ValueError(f"{type(self).__name__} keeps the options of every row, not of a filtered queryset")

    def kept_choices(self) -> list[tuple[str, str]]:
        queryset = self.queryset
        label = queryset.model._meta.label_lower
        key = ("choices", label, self.to_field_name or "pk", *queryset.query.order_by)
        return block(
            key,
            lambda: [(str(self.prepare_value(row)), self.label_from_instance(row)) for row in queryset],
            kinds=[label],  # a row added, renamed or deleted: the options again
        )


class KeptModelChoiceField(KeptChoicesMixin, forms.ModelChoiceField):
    """A form's select of every row (the timeline's topic)."""


class KeptFilterChoiceField(KeptChoicesMixin, FilterModelChoiceField):
    pass


class KeptModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter's select of every row (a list's topic or coalition)."""

    field_class = KeptFilterChoiceField
