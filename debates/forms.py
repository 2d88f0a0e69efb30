from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html

from alliance_portal.choices import KeptModelChoiceField
from alliance_portal.listing import ReaderErrors
from debates.markup import count_links, render_markdown
from debates.models import Reaction, Topic
from debates.search import SEARCH_MAX_LENGTH
from members.models import Stance


class SharedHelpBoundField(forms.BoundField):
    """A field described by help its form shows once for several fields, then by its own errors."""

    @property
    def aria_describedby(self):
        ids = [self.form.help_id]
        if self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids)


class CompareForm(ReaderErrors, forms.Form):
    """Two sides, each typed by name (or slug); both boxes offer the same list of suggestions."""

    help_id = "compare-help"
    suggestions_id = "compare-sides"
    bound_field_class = SharedHelpBoundField

    a = forms.CharField(
        label="Left side",
        max_length=200,
        widget=forms.TextInput(attrs={"list": suggestions_id, "placeholder": "e.g. AI Alliance"}),
    )
    b = forms.CharField(
        label="Right side",
        max_length=200,
        widget=forms.TextInput(attrs={"list": suggestions_id, "placeholder": "e.g. Frontier Model Forum"}),
    )

    def __init__(self, *args, suggestions=(), suggestions_complete=True, **kwargs):
        kwargs.setdefault("auto_id", "compare-%s")
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions  # [(name, kind), …] for the <datalist>
        self.suggestions_complete = suggestions_complete

    @property
    def help_text(self):
        return format_html(
            "A coalition, organization or person, by name or part of it (for example "
            "<q>Meta</q> or <q>LeCun</q>){}; a misspelt name gets suggestions.",
            "" if self.suggestions_complete else "; the suggestions list the coalitions",
        )


class MatrixForm(forms.Form):
    rows = forms.ChoiceField(
        label="Rows",
        choices=[("coalitions", "Coalitions"), ("organizations", "Organizations")],
        initial="coalitions",
        required=False,
    )


class TimelineForm(forms.Form):
    topic = KeptModelChoiceField(
        label="Topic", queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="All topics"
    )
    # "camp" in the address for old links; it is the positions' stance (camps are lanes on the page).
    camp = forms.ChoiceField(label="Stance", choices=[("", "All stances"), *Stance.choices], required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=SEARCH_MAX_LENGTH)


class CommentForm(forms.Form):
    author_name = forms.CharField(
        label="Your name", max_length=100, error_messages={"required": "Give a name to show with your comment."}
    )
    email = forms.EmailField(
        label="E-mail (optional)", required=False, help_text="Never shown or shared; only moderators see it."
    )
    body_markdown = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write your comment here first."},
        help_text="Markdown: *emphasis*, **strong**, [a link](https://…), lists, > quotes, `code`.",
    )
    reaction = forms.ChoiceField(
        label="Do you agree with this position?",
        choices=Reaction.choices,
        initial=Reaction.NEITHER,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose one of the three answers.",
            "required": "Choose one of the three answers.",
        },
    )
    # A field people never see: bots fill it in. Its name sounds like something worth filling.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_length = settings.COMMENT_MAX_LENGTH
        self.fields["body_markdown"].max_length = max_length
        self.fields["body_markdown"].validators.append(MaxLengthValidator(max_length))
        self.fields["body_markdown"].widget.attrs["maxlength"] = max_length

    def clean(self):
        cleaned = super().clean()
        if "body_markdown" in cleaned:
            # Rendered once here: the link limit, the preview and the stored comment all use it.
            cleaned["body_html"] = render_markdown(cleaned["body_markdown"])
            links = count_links(cleaned["body_html"])
            if links > settings.COMMENT_MAX_LINKS:
                self.add_error(
                    "body_markdown",
                    f"A comment may hold at most {settings.COMMENT_MAX_LINKS} links; this one has {links}.",
                )
        return cleaned

    @property
    def is_honeypot_hit(self) -> bool:
        return bool(self.cleaned_data.get("website"))
