"""Form fields of members' records, shared by every filter that picks one."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from members.lookup import CANDIDATES, LOOKUP_MAX_LENGTH, resolve
from pagecache import block

SUGGESTIONS = 100  # at most this many names in a box's <datalist>: a short list, not every record
# The <datalist> names are worked out once (a sum over the tally costs ~0.5 s at a million
# positions, on every list page's render) and kept while no record of their kind changed, their
# order (by how often each is quoted) at most this many seconds old.
SUGGESTIONS_SECONDS = 600


class NameField(forms.CharField):
    """A box where a reader types an organization's or a person's name as they know it
    ("Yann LeCun", "lecun", "meta"), or its slug (old links). Cleans to the one record it
    names (members.lookup.resolve); several or none are an error that lists the candidates
    ("ambiguous", "unknown"), which alliance_portal.listing words for the reader.

    ``suggest``: a callable giving the few names the box's <datalist> offers as one types."""

    def __init__(self, *, queryset, noun: str, plural: str, suggest=None, **kwargs):
        kwargs.setdefault("max_length", LOOKUP_MAX_LENGTH)
        kwargs.setdefault("required", False)
        self.queryset, self.noun, self.plural, self.suggest = queryset, noun, plural, suggest
        self.resolution = None
        super().__init__(**kwargs)  # after: widget_attrs reads them

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        self.resolution = resolve(self.queryset, text, limit=CANDIDATES)
        if self.resolution.match is not None:
            return self.resolution.match
        ambiguous = self.resolution.ambiguous
        message = "Several %(plural)s match “%(text)s”." if ambiguous else "No %(noun)s is named “%(text)s”."
        candidates = [(row.name, row.slug) for row in self.resolution.candidates]
        params = {"text": self.resolution.text, "noun": self.noun, "plural": self.plural, "candidates": candidates}
        raise ValidationError(message, code="ambiguous" if ambiguous else "unknown", params=params)

    def prepare_value(self, value):
        # The box shows the name of the record it names, not the slug a link carried.
        resolved = self.resolution.match if self.resolution else None
        if resolved is not None and isinstance(value, str) and " ".join(value.split()) == self.resolution.text:
            return resolved.name
        return getattr(value, "name", value)

    def canonical(self, record) -> str:
        """What the address says for ``record``: its slug, one address per filter (caches, feeds)."""
        return record.slug

    @property
    def suggestions(self) -> list[str]:
        if self.suggest is None:
            return []
        if not hasattr(self, "_suggestions"):
            self._suggestions = block(
                ("name-suggestions", self.suggest.__module__, self.suggest.__qualname__),
                lambda: list(self.suggest(SUGGESTIONS)),
                kinds=[self.queryset.model._meta.label_lower],  # a rename shows at once
                max_age=SUGGESTIONS_SECONDS,
            )
        return self._suggestions

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.suggest is not None:
            attrs["list"] = f"{self.noun}-names"
            # static/js/filters.js asks here for names like what is typed (members.views.name_suggestions).
            attrs["data-suggest"] = reverse_lazy("members:name-suggestions")
            attrs["data-kind"] = self.noun
        attrs["autocomplete"] = "off"
        return attrs
